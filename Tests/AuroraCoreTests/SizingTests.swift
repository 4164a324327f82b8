import Testing
@testable import AuroraCore
import AuroraModel

@Suite("Position sizing")
struct SizingTests {
    func kernel(fractional: Bool) -> Kernel<ScriptedStrategy, CollectingSink, ImmediateExecution> {
        var config = KernelConfig()
        config.fractionalShares = fractional
        return Kernel(strategy: ScriptedStrategy(script: [:]), config: config,
                      execution: ImmediateExecution(symbolNames: ["A"]), sink: CollectingSink())
    }

    @Test("weight × equity ÷ price, rounded to 10⁻⁶ or toward zero to whole shares; nothing without equity")
    func targets() {
        #expect(kernel(fractional: true).targetQuantity(weight: 0.1, equity: 1_000, price: 30) == 3_333_333)
        #expect(kernel(fractional: false).targetQuantity(weight: -0.1, equity: 1_000, price: 30) == -3_000_000)
        #expect(kernel(fractional: true).targetQuantity(weight: 0.1, equity: -500, price: 30) == 0)
        #expect(kernel(fractional: true).targetQuantity(weight: 0.1, equity: .nan, price: 30) == 0)
        #expect(kernel(fractional: true).targetQuantity(weight: 0.1, equity: 1_000, price: 0) == 0)
    }
}
