/// The symbols of one cross-section with a value, in ascending order of value: sorted once, it
/// gives ranks over any subset of them (the symbols that also have a label, one sector's, those
/// defined the date before) in one walk, instead of sorting each subset again.
///
/// Sorting: each value's float32 rounding (which keeps order) packed above the symbol's index
/// into one 64-bit key, a least-significant-digit radix sort of the upper halves in four 8-bit
/// passes (a pass is skipped where every key has the same digit), then runs of equal float32
/// keys put in exact order by their doubles. No comparison sort from the standard library is
/// used: a closure-based `sort(by:)` in this code was miscompiled in release builds (see
/// docs/RESEARCH.md), and this is also several times faster for a few hundred names.
public struct CrossSectionOrder {
    /// Symbol ids by ascending value; the first `count` are valid.
    public private(set) var order: [Int32] = []
    public private(set) var count = 0
    private var keys: [UInt64] = []
    private var scratch: [UInt64] = []
    private var counts = [Int](repeating: 0, count: 3 * 256)

    public init() {}

    /// Orders the finite values of `values[0..<symbols]`.
    public mutating func sort(_ values: UnsafePointer<Double>, symbols S: Int) {
        if keys.count < S { keys = [UInt64](repeating: 0, count: S); scratch = keys; order = [Int32](repeating: 0, count: S) }
        var n = 0
        keys.withUnsafeMutableBufferPointer { k in
            for s in 0..<S where values[s].isFinite {
                k[n] = UInt64(Self.orderedBits(Float(values[s]))) << 32 | UInt64(s)
                n += 1
            }
            scratch.withUnsafeMutableBufferPointer { t in
                counts.withUnsafeMutableBufferPointer { c in
                    let sorted = Self.radixSortHighHalves(n, k.baseAddress!, t.baseAddress!, c.baseAddress!)
                    order.withUnsafeMutableBufferPointer { o in
                        for i in 0..<n { o[i] = Int32(truncatingIfNeeded: sorted[i]) }
                        Self.refine(o.baseAddress!, sorted, n, values)
                    }
                }
            }
        }
        count = n
    }

    /// 1-based ranks (ties averaged) of the symbols `include` accepts, among themselves, written
    /// at `ranks[symbol]`; returns how many there were.
    @inline(__always)
    public func ranks(_ values: UnsafePointer<Double>, include: (Int) -> Bool, into ranks: UnsafeMutablePointer<Double>) -> Int {
        order.withUnsafeBufferPointer { Self.ranks($0.baseAddress!, count, values, include: include, into: ranks) }
    }

    /// The order's symbols, for walks of one's own.
    public func withOrder<R>(_ body: (UnsafePointer<Int32>, Int) -> R) -> R {
        order.withUnsafeBufferPointer { body($0.baseAddress!, count) }
    }

    /// The same over an order kept elsewhere (a label's, computed once per date).
    @inline(__always)
    public static func ranks(_ o: UnsafePointer<Int32>, _ count: Int, _ values: UnsafePointer<Double>, include: (Int) -> Bool,
                             into ranks: UnsafeMutablePointer<Double>) -> Int {
        var position = 0
        var i = 0
        while i < count {
            // A group of equal values; its included members share the average of their ranks.
            var j = i + 1
            let v = values[Int(o[i])]
            while j < count && values[Int(o[j])] == v { j += 1 }
            if j == i + 1 {
                if include(Int(o[i])) { position += 1; ranks[Int(o[i])] = Double(position) }
            } else {
                var members = 0
                for m in i..<j where include(Int(o[m])) { members += 1 }
                if members > 0 {
                    let average = Double(2 * position + members + 1) / 2
                    for m in i..<j where include(Int(o[m])) { ranks[Int(o[m])] = average }
                    position += members
                }
            }
            i = j
        }
        return position
    }

    /// Spearman's correlation of two equally long lists of finite values (ties averaged); NaN
    /// when either has no spread.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "two lists of one length")
        let n = a.count
        var order = CrossSectionOrder()
        var ra = [Double](repeating: 0, count: n), rb = ra
        a.withUnsafeBufferPointer { v in
            order.sort(v.baseAddress!, symbols: n)
            ra.withUnsafeMutableBufferPointer { r in _ = order.ranks(v.baseAddress!, include: { _ in true }, into: r.baseAddress!) }
        }
        b.withUnsafeBufferPointer { v in
            order.sort(v.baseAddress!, symbols: n)
            rb.withUnsafeMutableBufferPointer { r in _ = order.ranks(v.baseAddress!, include: { _ in true }, into: r.baseAddress!) }
        }
        let m = Double(n + 1) / 2
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in 0..<n { sab += (ra[i] - m) * (rb[i] - m); saa += (ra[i] - m) * (ra[i] - m); sbb += (rb[i] - m) * (rb[i] - m) }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : .nan
    }

    /// Sorts `n` keys by bits 40…63 (the float32 key's upper 24 bits; stable); returns where the
    /// result ended up. The key's lowest byte is left to `refine`, which orders equal runs exactly
    /// anyway: three scatter passes instead of four.
    private static func radixSortHighHalves(_ n: Int, _ k: UnsafeMutablePointer<UInt64>, _ t: UnsafeMutablePointer<UInt64>,
                                            _ c: UnsafeMutablePointer<Int>) -> UnsafeMutablePointer<UInt64> {
        guard n > 1 else { return k }
        c.update(repeating: 0, count: 3 * 256)
        for i in 0..<n {
            let v = k[i] >> 40
            c[Int(v & 0xFF)] &+= 1
            c[256 + Int((v >> 8) & 0xFF)] &+= 1
            c[512 + Int(v >> 16)] &+= 1
        }
        var from = k, to = t
        for pass in 0..<3 {
            let base = pass * 256, shift = UInt64(40 + 8 * pass)
            if c[base + Int((from[0] >> shift) & 0xFF)] == n { continue }
            var total = 0
            for d in 0..<256 { let count = c[base + d]; c[base + d] = total; total &+= count }
            for i in 0..<n {
                let key = from[i]
                let d = base + Int((key >> shift) & 0xFF)
                let at = c[d]
                to[at] = key
                c[d] = at &+ 1
            }
            swap(&from, &to)
        }
        return from
    }

    /// Puts each run of keys equal in their upper 24 bits in exact order of the doubles
    /// (insertion sort: runs are short but for values that agree to five digits).
    private static func refine(_ o: UnsafeMutablePointer<Int32>, _ keys: UnsafeMutablePointer<UInt64>, _ n: Int, _ values: UnsafePointer<Double>) {
        var i = 0
        while i < n {
            var j = i + 1
            while j < n && keys[j] >> 40 == keys[i] >> 40 { j += 1 }
            if j - i > 1 {
                for a in (i + 1)..<j {
                    let item = o[a]
                    let v = values[Int(item)]
                    var b = a
                    while b > i && values[Int(o[b - 1])] > v { o[b] = o[b - 1]; b -= 1 }
                    o[b] = item
                }
            }
            i = j
        }
    }

    /// Bits that sort like the floats they come from; −0 and +0 map together.
    @inline(__always)
    public static func orderedBits(_ f: Float) -> UInt32 {
        let bits = (f + 0).bitPattern
        return bits & (1 << 31) != 0 ? ~bits : bits | (1 << 31)
    }
}
