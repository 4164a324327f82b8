import AuroraCore
import AuroraModel

/// Something to do with whatever concrete strategy a configuration names — generic over its type,
/// so the kernel it builds is specialized (no dynamic dispatch per bar).
public protocol StrategyVisitor {
    associatedtype Result
    func visit<S: Strategy>(_ strategy: S) throws -> Result
}

extension AuroraConfig {
    /// Builds the configured strategy for `symbols` and hands it to `visitor`: the one place a
    /// configuration picks a strategy type (backtests, replays and live sessions all come here).
    public func withStrategy<V: StrategyVisitor>(symbols: [String], registry: AlphaRegistry = .builtIn, _ visitor: V) throws -> V.Result {
        switch strategy {
        case .momentum(let lookback, let threshold):
            return try visitor.visit(MomentumStrategy(lookback: lookback, threshold: threshold))
        case .macd(let fast, let slow, let signal):
            return try visitor.visit(MACDStrategy(fast: fast, slow: slow, signal: signal))
        case .alpha(let settings):
            return try visitor.visit(try BacktestEngine.makeAlphaStrategy(settings, data: data, symbols: symbols, registry: registry).strategy)
        }
    }
}
