import Testing
import AuroraModel
import AuroraStats

@Suite("KeyedSort: the standard sort's order, by radix")
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
}
