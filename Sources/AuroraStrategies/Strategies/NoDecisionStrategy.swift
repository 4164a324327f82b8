import AuroraModel
import AuroraKernel

/// Decides nothing: every bar still goes through the kernel (marking, corporate actions, daily
/// steps, checkpoints) and into the log. `strategy.type: none` measures the engine's own cost,
/// the "no-op over all bars" that other engines' benchmarks run.
public struct NoDecisionStrategy: Strategy, Sendable {
    public init() {}
    public var name: String { "none" }
    public mutating func generateSignals(_ snapshot: MarketSnapshot) -> [Signal] { [] }
}
