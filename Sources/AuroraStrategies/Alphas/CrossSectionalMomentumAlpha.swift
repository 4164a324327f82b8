import AuroraModel
import AuroraStats
import AuroraData
import AuroraKernel

/// The `lookback`-bar momentum of each symbol ranked across the universe at each step: the
/// average-tie percentile rank mapped to [−0.5, 0.5] (lowest −0.5, highest +0.5, one symbol 0),
/// the same as `CrossSection.percentileRank` of momentum.
///
/// The ranking runs every bar, so it sorts with a stable LSD radix sort over order-preserving
/// bits (one byte a pass, passes where all keys share the byte skipped) in buffers kept between
/// steps: no comparisons to mispredict and no allocation per step.
public struct CrossSectionalMomentumAlpha: Alpha, Sendable {
    public let name: String
    private var momentum: MomentumAlpha
    private var raw: [Double] = []
    private var keys: [UInt64] = []
    private var keys2: [UInt64] = []
    private var ids: [Int32] = []
    private var ids2: [Int32] = []
    private var counts = [Int](repeating: 0, count: 256)

    public var requiredBars: Int? { momentum.requiredBars }

    public init(name: String = "cross_sectional_momentum", lookback: Int = 20) {
        self.name = name
        self.momentum = MomentumAlpha(name: name, lookback: lookback)
    }

    public mutating func step(_ snapshot: MarketSnapshot, into values: inout [Double]) {
        momentum.step(snapshot, into: &raw)
        let n = raw.count
        if keys.count < n {
            keys = [UInt64](repeating: 0, count: n); keys2 = keys
            ids = [Int32](repeating: 0, count: n); ids2 = ids
        }
        // Defined symbols in ascending id: the radix sort is stable, so ties stay in id order.
        var m = 0
        for s in 0..<n where !raw[s].isNaN {
            keys[m] = CrossSection.orderedBits(raw[s])
            ids[m] = Int32(s)
            m += 1
        }
        if m > 1 { radixSort(m) }
        resetToNaN(&values, count: n)
        var i = 0
        while i < m {
            var j = i
            while j + 1 < m && keys[j + 1] == keys[i] { j += 1 }
            let value = Double(i + j) / 2 / Double(m - 1) - 0.5
            for t in i...j { values[Int(ids[t])] = m > 1 ? value : 0 }
            i = j + 1
        }
    }

    private mutating func radixSort(_ m: Int) {
        keys.withUnsafeMutableBufferPointer { k1 in
        keys2.withUnsafeMutableBufferPointer { k2 in
        ids.withUnsafeMutableBufferPointer { i1 in
        ids2.withUnsafeMutableBufferPointer { i2 in
        counts.withUnsafeMutableBufferPointer { count in
            guard let k1Base = k1.baseAddress, let k2Base = k2.baseAddress, let i1Base = i1.baseAddress, let i2Base = i2.baseAddress else { return }
            var (ka, kb, ia, ib) = (k1Base, k2Base, i1Base, i2Base)
            var inFirst = true
            for shift in stride(from: UInt64(0), to: 64, by: 8) {
                count.update(repeating: 0)
                for x in 0..<m { count[Int((ka[x] >> shift) & 0xFF)] += 1 }
                if count[Int((ka[0] >> shift) & 0xFF)] == m { continue }
                var total = 0
                for d in 0..<256 { let c = count[d]; count[d] = total; total += c }
                for x in 0..<m {
                    let d = Int((ka[x] >> shift) & 0xFF)
                    let at = count[d]
                    kb[at] = ka[x]
                    ib[at] = ia[x]
                    count[d] = at + 1
                }
                swap(&ka, &kb)
                swap(&ia, &ib)
                inFirst.toggle()
            }
            if !inFirst {
                k1Base.update(from: ka, count: m)
                i1Base.update(from: ia, count: m)
            }
        }
        }
        }
        }
        }
    }
}
