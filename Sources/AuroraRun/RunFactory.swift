import AuroraData
import AuroraKernel
import AuroraModel
import AuroraStrategies

/// Something to do with whatever concrete strategy a configuration names — generic over its type,
/// so the kernel it builds is specialized (no dynamic dispatch per bar).
public protocol StrategyVisitor {
    associatedtype Result
    func visit<S: Strategy>(_ strategy: S) throws -> Result
}

/// The one place a configuration becomes a kernel: its strategy (a concrete type, through a
/// visitor), its portfolio constructor and its execution model, for backtests, replays, what-if
/// reruns and live sessions alike.
public enum RunFactory {
    /// Runs `visitor` with the configured strategy, built for `symbols`.
    public static func withStrategy<V: StrategyVisitor>(_ config: AuroraConfig, symbols: [String], registry: ComponentRegistry = .builtIn,
                                                         _ visitor: V) throws -> V.Result {
        switch config.strategy {
        case .noDecisions:
            return try visitor.visit(NoDecisionStrategy())
        case .momentum(let lookback, let threshold):
            return try visitor.visit(MomentumStrategy(lookback: lookback, threshold: threshold))
        case .macd(let fast, let slow, let signal):
            return try visitor.visit(MACDStrategy(fast: fast, slow: slow, signal: signal))
        case .alpha(let settings):
            return try visitor.visit(try AlphaSetup.strategy(settings, data: config.data, symbols: symbols, registry: registry.alphas).strategy)
        case .plugin(let plugin):
            return try visitor.visit(AnyStrategy(base: try plugin.settings.makeStrategy(symbols: symbols, data: config.data, registry: registry)))
        }
    }

    /// Builds the configured strategy and constructor for `symbols` and drops them: what a run
    /// calls before it creates its log, so a configuration that cannot run leaves no file behind.
    public static func check(_ config: AuroraConfig, symbols: [String], registry: ComponentRegistry = .builtIn) throws {
        _ = try constructor(config, symbols: symbols)
        if case .plugin(let plugin) = config.strategy {
            _ = try plugin.settings.makeStrategy(symbols: symbols, data: config.data, registry: registry)
        }
    }

    public static func execution(_ config: AuroraConfig, symbols: [String]) -> AnyExecutionModel {
        config.execution.algorithm.makeModel(config.execution.common, symbols: symbols)
    }

    public static func constructor(_ config: AuroraConfig, symbols: [String] = []) throws -> any PortfolioConstructor {
        try config.portfolio.construction.makeConstructor(setup(config, symbols: symbols))
    }

    /// What the configured constructor is told: the symbols, the synthetic universe's sectors,
    /// and the execution algorithm's costs.
    public static func setup(_ config: AuroraConfig, symbols: [String]) -> ConstructionSetup {
        var sectors: [String]?
        if config.data.isSynthetic {
            let u = config.data.synthetic
            let map = Dictionary(zip(u.symbols, u.sectors), uniquingKeysWith: { a, _ in a })
            sectors = symbols.map { map[$0] ?? "" }
        }
        return ConstructionSetup(fractionalShares: config.execution.common.fractionalShares, symbols: symbols, sectors: sectors,
                                 costs: config.execution.algorithm.tradingCosts(config.execution.common))
    }

    /// A kernel runner for `config` over `symbols`, writing to `sink`, type-erased for replays and sessions.
    public static func runner<Sink: EventSink>(_ config: AuroraConfig, symbols: [String], sink: Sink,
                                              registry: ComponentRegistry = .builtIn) throws -> AnyKernelRunner {
        try withStrategy(config, symbols: symbols, registry: registry,
                         ErasedRunner(config: config, symbols: symbols, sink: sink))
    }

    /// Backtests `config` over `series` into `sink` on the concrete (specialized) path.
    public static func backtest<Sink: EventSink>(_ config: AuroraConfig, series: BarSeries, manifest: Manifest, sink: Sink,
                                                registry: ComponentRegistry = .builtIn,
                                                progress: ((Int, Int) -> Void)? = nil) throws -> RunOutcome {
        try withStrategy(config, symbols: series.symbols, registry: registry,
                         Backtest(config: config, series: series, manifest: manifest, sink: sink, progress: progress))
    }

    private struct ErasedRunner<Sink: EventSink>: StrategyVisitor {
        let config: AuroraConfig, symbols: [String], sink: Sink
        func visit<S: Strategy>(_ strategy: S) throws -> AnyKernelRunner {
            let kernel = Kernel(strategy: strategy, constructor: try RunFactory.constructor(config, symbols: symbols), config: config.kernelSettings,
                                execution: RunFactory.execution(config, symbols: symbols), sink: sink)
            return AnyKernelRunner(KernelRunner(kernel: kernel, symbolCount: symbols.count))
        }
    }

    private struct Backtest<Sink: EventSink>: StrategyVisitor {
        let config: AuroraConfig, series: BarSeries, manifest: Manifest, sink: Sink
        let progress: ((Int, Int) -> Void)?
        func visit<S: Strategy>(_ strategy: S) throws -> RunOutcome {
            let kernel = Kernel(strategy: strategy, constructor: try RunFactory.constructor(config, symbols: series.symbols),
                                config: config.kernelSettings, execution: RunFactory.execution(config, symbols: series.symbols), sink: sink)
            var runner = KernelRunner(kernel: kernel, symbolCount: series.symbols.count)
            return try runner.run(series: series, manifest: manifest, progress: progress)
        }
    }
}
