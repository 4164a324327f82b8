/// Ascending order of (key, index) pairs packed as `UInt128`, the 64-bit key above the index:
/// the order `sort()` gives them, found faster for the few hundred names of a cross-section.
///
/// When the indices come in ascending order (a cross-section walked by symbol, the usual case),
/// a least-significant-digit radix sort of the keys' eight bytes does it: each pass is stable, so
/// equal keys keep their index order, which is the tie order `sort()` has. A pass where every key
/// has the same byte (the sign and exponent bytes of similar doubles) is skipped. Otherwise, and
/// for short inputs, the standard sort.
public enum KeyedSort {
    /// Below this many pairs the standard sort (insertion sort at that size) is as fast.
    static let radixFrom = 64

    public static func sort(_ pairs: inout [UInt128]) {
        let n = pairs.count
        guard n >= radixFrom, indicesAscend(pairs) else {
            pairs.sort()
            return
        }
        var scratch = [UInt128](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 8 * 256)
        pairs.withUnsafeMutableBufferPointer { p in
            scratch.withUnsafeMutableBufferPointer { s in
                counts.withUnsafeMutableBufferPointer { c in
                    // `swap` of the two buffers' roles per pass; an odd number of passes copies back.
                    var from = p.baseAddress!, to = s.baseAddress!
                    let count = c.baseAddress!
                    for i in 0..<n {
                        let key = UInt64(truncatingIfNeeded: from[i] >> 64)
                        for b in 0..<8 { count[b << 8 | Int(truncatingIfNeeded: key >> (8 * b)) & 0xff] += 1 }
                    }
                    var moved = false
                    for b in 0..<8 {
                        let digits = count + (b << 8)
                        let first = Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: from[0] >> 64) >> (8 * b)) & 0xff
                        if digits[first] == n { continue }
                        var start = 0
                        for d in 0..<256 {
                            let c = digits[d]
                            digits[d] = start
                            start += c
                        }
                        for i in 0..<n {
                            let d = Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: from[i] >> 64) >> (8 * b)) & 0xff
                            to[digits[d]] = from[i]
                            digits[d] += 1
                        }
                        swap(&from, &to)
                        moved.toggle()
                    }
                    if moved { p.baseAddress!.update(from: s.baseAddress!, count: n) }
                }
            }
        }
    }

    private static func indicesAscend(_ pairs: [UInt128]) -> Bool {
        var previous = UInt64(truncatingIfNeeded: pairs[0])
        for k in pairs.dropFirst() {
            let index = UInt64(truncatingIfNeeded: k)
            if index <= previous { return false }
            previous = index
        }
        return true
    }
}
