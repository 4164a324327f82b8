import AuroraLog
import AuroraModel

/// The result of running a series through a kernel.
public struct RunOutcome: Sendable {
    /// Equity marked at each step's close.
    public var equityCurve: [EquityPoint]
    public var trades: [TradeRecord]
    public var statistics: PerformanceStatistics
    public var finalState: PortfolioState
    public var warnings: KernelWarnings
    public var steps: Int
}

public struct EquityPoint: Sendable, Equatable {
    public var time: Timestamp
    public var equity: Double
}

/// Feeds a bar series through a kernel step by step: the backtest clock is the data itself.
public enum KernelDriver {
    public static func run<S: Strategy, Sink: EventSink>(
        series: BarSeries, strategy: S, config: KernelConfig, manifest: Manifest, sink: Sink,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> RunOutcome {
        var kernel = Kernel(strategy: strategy, config: config, sink: sink)
        let groups = series.groups
        guard let firstGroup = groups.first, let lastGroup = groups.last else { throw DataError("no bars to run on") }
        try kernel.begin(manifest: manifest, symbols: series.symbols, at: Timestamp(rawValue: series.end[firstGroup.lowerBound]))
        var curve: [EquityPoint] = []
        curve.reserveCapacity(groups.count)
        var bars: [Bar] = []
        for (n, range) in groups.enumerated() {
            bars.removeAll(keepingCapacity: true)
            for i in range { bars.append(series.bar(i)) }
            let t = Timestamp(rawValue: series.end[range.lowerBound])
            try kernel.step(at: t, bars: bars)
            curve.append(EquityPoint(time: t, equity: kernel.state.equity))
            if let progress, n % 64 == 0 { progress(n, groups.count) }
        }
        try kernel.end(at: Timestamp(rawValue: series.end[lastGroup.lowerBound]))
        let statistics = PerformanceStatistics(
            equity: curve.map(\.equity), start: config.initialCash,
            periodsPerYear: PerformanceStatistics.periodsPerYear(barSeconds: series.timeframe.rawValue / Timestamp.nanosecondsPerSecond))
        return RunOutcome(equityCurve: curve, trades: kernel.trades, statistics: statistics, finalState: kernel.state,
                          warnings: kernel.warnings, steps: groups.count)
    }
}
