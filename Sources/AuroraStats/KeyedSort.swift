/// Ascending order of (key, index) pairs packed as `UInt128`, the 64-bit key above the index:
/// the order `sort()` gives them, found faster for the few hundred names of a cross-section.
///
/// First by buckets of the keys' values: keys are read back as the doubles whose order-preserving
/// bits they are (`CrossSection.orderedBits`; any 64-bit key reads as some double, in the same
/// order), scattered into as many equal-width buckets of the range between the least and the
/// greatest as there are pairs, and finished by insertion sort. The bucket of a value never
/// decreases as the value grows (each floating-point step rounds monotonically), so the buckets
/// already stand in key order and the insertion sort, comparing whole pairs, only orders within
/// them: the result is `sort()`'s whatever the input. A cross-section's values (percentile ranks,
/// returns) spread over the range, a few to a bucket; when they bunch (a far outlier) the buckets'
/// squared sizes pass a bound, and the pass stops before moving anything, as it does when the
/// range has no finite width (an infinite or NaN key, or one key for all).
///
/// Then, when the indices come in ascending order (a cross-section walked by symbol, the usual
/// case), a least-significant-digit radix sort of the keys' eight bytes does it: each pass is
/// stable, so equal keys keep their index order, which is the tie order `sort()` has. A pass where
/// every key has the same byte (the sign and exponent bytes of similar doubles) is skipped.
/// Otherwise, and for short inputs, the standard sort.
public enum KeyedSort {
    /// Below this many pairs the standard sort (insertion sort at that size) is as fast.
    static let radixFrom = 64

    public static func sort(_ pairs: inout [UInt128]) {
        let n = pairs.count
        guard n >= radixFrom else {
            pairs.sort()
            return
        }
        if byBuckets(&pairs) { return }
        guard indicesAscend(pairs) else {
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

    /// The double whose `CrossSection.orderedBits` `key` is: increasing with `key` (NaNs past
    /// the infinities at both ends; -0 and 0 side by side).
    @inline(__always)
    private static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key ^ (1 << 63) : ~key)
    }

    /// Sorts `pairs` by buckets of their keys' values and returns true, or returns false with
    /// `pairs` untouched when the values bunch or their range is not finite.
    static func byBuckets(_ pairs: inout [UInt128]) -> Bool {
        let n = pairs.count
        guard n > 1 else { return true }
        return pairs.withUnsafeMutableBufferPointer { p -> Bool in
            var least = UInt64.max, greatest = UInt64.min
            for i in 0..<n {
                let key = UInt64(truncatingIfNeeded: p[i] >> 64)
                least = min(least, key)
                greatest = max(greatest, key)
            }
            let low = value(least)
            let scale = Double(n) / (value(greatest) - low)
            // A NaN or infinite end, a range too wide or too narrow for a double, or one key for
            // all (the order is the indices': the radix path sees that in one pass): no buckets.
            guard low.isFinite, scale.isFinite, scale > 0 else { return false }
            @inline(__always) func bucket(_ pair: UInt128) -> Int {
                min(n - 1, Int((value(UInt64(truncatingIfNeeded: pair >> 64)) - low) * scale))
            }
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { starts -> Bool in
                starts.initialize(repeating: 0)
                for i in 0..<n { starts[bucket(p[i])] += 1 }
                // The insertion sort moves at most the sum over buckets of size² / 2 pairs.
                var start = 0, squares = 0
                for b in 0..<n {
                    let count = starts[b]
                    starts[b] = start
                    start += count
                    squares += count * count
                }
                guard squares <= 8 * n else { return false }
                return withUnsafeTemporaryAllocation(of: UInt128.self, capacity: n) { s -> Bool in
                    guard let sorted = s.baseAddress else { return false }
                    for i in 0..<n {
                        let b = bucket(p[i])
                        (sorted + starts[b]).initialize(to: p[i])
                        starts[b] += 1
                    }
                    for i in 1..<n {
                        let pair = sorted[i]
                        var j = i
                        while j > 0 && sorted[j - 1] > pair {
                            sorted[j] = sorted[j - 1]
                            j -= 1
                        }
                        sorted[j] = pair
                    }
                    for i in 0..<n { p[i] = sorted[i] }
                    return true
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
