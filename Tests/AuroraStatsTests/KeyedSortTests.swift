import Testing
import AuroraModel
@testable import AuroraStats

@Suite("KeyedSort: the standard sort's order, by buckets or by radix")
struct KeyedSortTests {
    /// Keys as cross-sections give them: order-preserving bits of doubles of one sign and a
    /// narrow exponent range (most radix passes skipped), of both signs, with many ties, or any.
    private static func keys(_ n: Int, style: Int, _ rng: inout SeededGenerator) -> [UInt64] {
        (0..<n).map { _ in
            switch style {
            case 0: return CrossSection.orderedBits(Double.random(in: 0.01...0.02, using: &rng))
            case 1: return CrossSection.orderedBits(Double.random(in: -3...3, using: &rng))
            case 2: return CrossSection.orderedBits(Double(Int.random(in: -2...2, using: &rng)) / 4)
            default: return rng.next()
            }
        }
    }

    @Test("equal to sort() for every size around the switch, key style and index order", arguments: 0..<4)
    func matchesStandardSort(style: Int) {
        var rng = SeededGenerator(seed: UInt64(40 + style))
        var radixRuns = 0
        for n in [0, 1, 2, 63, 64, 65, 499, 500, 2_048] {
            for ascendingIndices in [true, false] {
                let k = Self.keys(n, style: style, &rng)
                var indices = Array(0..<n)
                if !ascendingIndices { indices.shuffle(using: &rng) } else { indices = indices.map { $0 * 3 + 1 } }
                let pairs = zip(k, indices).map { UInt128($0) << 64 | UInt128(UInt64($1)) }
                var radix = pairs
                KeyedSort.sort(&radix)
                #expect(radix == pairs.sorted(), "n \(n), style \(style), ascending indices \(ascendingIndices)")
                if ascendingIndices && n >= 64 { radixRuns += 1 }
            }
        }
        #expect(radixRuns == 5)
    }

    @Test("ties keep index order and an all-equal input needs no pass")
    func ties() {
        var pairs = (0..<300).map { UInt128(UInt64(7 - $0 % 3)) << 64 | UInt128(UInt64($0)) }
        let expected = pairs.sorted()
        KeyedSort.sort(&pairs)
        #expect(pairs == expected)
        var same = (0..<300).map { UInt128(42) << 64 | UInt128(UInt64($0)) }
        let unchanged = same
        KeyedSort.sort(&same)
        #expect(same == unchanged)
    }

    @Test("buckets sort spread values whatever the index order, and give up on bunched or unbounded keys untouched")
    func buckets() {
        var rng = SeededGenerator(seed: 77)
        // Percentile ranks and returns: spread, so the bucket pass takes them.
        let percentiles = (0..<499).map { Double($0) / 498 - 0.5 }.shuffled(using: &rng)
        let returns = (0..<499).map { _ in Double.random(in: -0.2...0.3, using: &rng) * Double.random(in: 0...1, using: &rng) }
        for values in [percentiles, returns] {
            for ascendingIndices in [true, false] {
                var indices = Array(0..<values.count)
                if !ascendingIndices { indices.shuffle(using: &rng) }
                let pairs = zip(values, indices).map { UInt128(CrossSection.orderedBits($0)) << 64 | UInt128(UInt64($1)) }
                var sorted = pairs
                #expect(KeyedSort.byBuckets(&sorted))
                #expect(sorted == pairs.sorted(), "ascending indices \(ascendingIndices)")
            }
        }
        // -0 and 0 as one key, exact ties, and values one ulp apart in the same bucket.
        let close = [0.25, 0.25.nextUp, -0.0, 0.0, 0.25, -1, 1, 0.5, 0.5.nextDown] + (0..<91).map { Double($0) / 100 }
        let closePairs = close.enumerated().map { UInt128(CrossSection.orderedBits($0.element)) << 64 | UInt128(UInt64(99 - $0.offset)) }
        var closeSorted = closePairs
        #expect(KeyedSort.byBuckets(&closeSorted))
        #expect(closeSorted == closePairs.sorted())
        // One far outlier puts everything else in a bucket or two; an infinite or NaN key, or one
        // key for all, leaves no finite range: the pass gives up and moves nothing.
        let bunched = (0..<200).map { Double($0) / 1e6 } + [1e9]
        let unbounded = (0..<200).map { Double($0) } + [.infinity]
        let nan = (0..<200).map { Double($0) } + [.nan]
        let same = [Double](repeating: 3, count: 200)
        for values in [bunched, unbounded, nan, same] {
            // Indices descending: giving up is the only right answer short of sorting.
            let pairs = values.enumerated().map { UInt128(CrossSection.orderedBits($0.element)) << 64 | UInt128(UInt64(500 - $0.offset)) }
            var untouched = pairs
            #expect(!KeyedSort.byBuckets(&untouched))
            #expect(untouched == pairs)
            var sorted = pairs
            KeyedSort.sort(&sorted)
            #expect(sorted == pairs.sorted())
        }
    }
}
