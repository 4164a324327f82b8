import AuroraModel
import AuroraStats
import AuroraData
import AuroraKernel

/// close_t / close_{t−lookback} − 1 over the symbol's own last lookback + 1 closes
/// (`momentum_20d` is lookback 20). One ring buffer of closes per symbol.
public struct MomentumAlpha: Alpha, Sendable {
    public let name: String
    public let lookback: Int
    private var closes: [Double] = []
    private var counts: [Int] = []
    /// Ring slot the next close goes to, per symbol (kept instead of `count % width`, a division).
    private var heads: [Int] = []

    public var requiredBars: Int? { lookback + 1 }

    public init(name: String = "momentum_20d", lookback: Int = 20) {
        self.name = name
        self.lookback = max(1, lookback)
    }

    public mutating func step(_ snapshot: MarketSnapshot, into values: inout [Double]) {
        let width = lookback + 1
        let n = snapshot.symbolNames.count
        if counts.count < n {
            closes.append(contentsOf: repeatElement(0, count: (n - counts.count) * width))
            heads.append(contentsOf: repeatElement(0, count: n - counts.count))
            counts.append(contentsOf: repeatElement(0, count: n - counts.count))
        }
        resetToNaN(&values, count: n)
        for bar in snapshot.bars {
            let s = bar.symbol.index
            let head = heads[s]
            let close = bar.close.doubleValue
            closes[s * width + head] = close
            let next = head + 1 == width ? 0 : head + 1
            heads[s] = next
            counts[s] += 1
            // With lookback + 1 slots, the oldest close (lookback bars ago) sits where the next goes.
            guard counts[s] > lookback else { continue }
            let past = closes[s * width + next]
            if past > 0 { values[s] = close / past - 1 }
        }
    }
}

/// Makes `values` hold `count` NaNs, reusing its storage.
@inline(__always)
func resetToNaN(_ values: inout [Double], count: Int) {
    if values.count != count {
        values = [Double](repeating: .nan, count: count)
    } else {
        values.withUnsafeMutableBufferPointer { $0.update(repeating: .nan) }
    }
}
