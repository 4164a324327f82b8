import Testing
@testable import AuroraData
@testable import AuroraKernel
@testable import AuroraStats
import AuroraModel

@Suite("Position sizing")
struct SizingTests {
    @Test("weight × equity ÷ price, rounded to 10⁻⁶ or toward zero to whole shares; nothing without equity")
    func targets() {
        #expect(targetShares(weight: 0.1, equity: 1_000, price: 30, fractional: true) == 3_333_333)
        #expect(targetShares(weight: -0.1, equity: 1_000, price: 30, fractional: false) == -3_000_000)
        #expect(targetShares(weight: 0.1, equity: -500, price: 30, fractional: true) == 0)
        #expect(targetShares(weight: 0.1, equity: .nan, price: 30, fractional: true) == 0)
        #expect(targetShares(weight: 0.1, equity: 1_000, price: 0, fractional: true) == 0)
    }
}
