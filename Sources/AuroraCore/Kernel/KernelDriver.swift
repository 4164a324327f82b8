import AuroraLog
import AuroraModel

/// The result of running a series through a kernel.
public struct RunOutcome: Sendable {
    /// Equity marked at each decision step's close.
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
///
/// With an execution model that trades intraday (TWAP), the series must be intraday bars: each
/// UTC day's bars are fed as intraday steps, and at the day's last bar time the kernel also takes
/// a decision step on daily bars built from them (open of the first, high, low, close of the
/// last, summed volume), so decisions are daily and their trades execute over the next session.
public enum KernelDriver {
    public static func run<S: Strategy, X: ExecutionModel, Sink: EventSink>(
        series: BarSeries, strategy: S, execution: X, config: KernelConfig, manifest: Manifest, sink: Sink,
        mode: SessionMode = .backtest, endReason: String = "end of data", progress: ((Int, Int) -> Void)? = nil
    ) throws -> RunOutcome {
        let groups = series.groups
        guard let firstGroup = groups.first, let lastGroup = groups.last else { throw DataError("no bars to run on") }
        if execution.needsIntradayBars && series.timeframe >= .day {
            throw DataError("\(config.algorithm.rawValue) execution needs intraday bars; the data has \(series.timeframe) bars")
        }
        var stepper = KernelStepper(kernel: Kernel(strategy: strategy, config: config, execution: execution, sink: sink),
                                    symbolCount: series.symbols.count)
        try stepper.begin(manifest: manifest, symbols: series.symbols, at: Timestamp(rawValue: series.end[firstGroup.lowerBound]), mode: mode)
        var bars: [Bar] = []
        for (n, range) in groups.enumerated() {
            bars.removeAll(keepingCapacity: true)
            for i in range { bars.append(series.bar(i)) }
            try stepper.feed(at: Timestamp(rawValue: series.end[range.lowerBound]), bars: bars)
            if let progress, n % 256 == 0 { progress(n, groups.count) }
        }
        try stepper.finish(at: Timestamp(rawValue: series.end[lastGroup.lowerBound]), reason: endReason)
        let decisionSeconds = execution.needsIntradayBars ? 86_400 : series.timeframe.rawValue / Timestamp.nanosecondsPerSecond
        let statistics = PerformanceStatistics(equity: stepper.equityCurve.map(\.equity), start: config.initialCash,
                                               periodsPerYear: PerformanceStatistics.periodsPerYear(barSeconds: decisionSeconds))
        return RunOutcome(equityCurve: stepper.equityCurve, trades: stepper.kernel.trades, statistics: statistics,
                          finalState: stepper.kernel.state, warnings: stepper.kernel.warnings, steps: stepper.decisionSteps)
    }
}

/// Builds one day's daily bars from its intraday bars, per symbol.
struct DailyAggregator {
    private var open: [Int64], high: [Int64], low: [Int64], close: [Int64], volume: [Int64]
    private var seen: [Bool]
    private var order: [Int] = []

    init(symbolCount n: Int) {
        open = Array(repeating: 0, count: n); high = open; low = open; close = open; volume = open
        seen = Array(repeating: false, count: n)
    }

    mutating func add(_ bars: [Bar]) {
        for b in bars {
            let s = b.symbol.index
            if !seen[s] {
                seen[s] = true
                order.append(s)
                open[s] = b.open.rawValue
                high[s] = b.high.rawValue
                low[s] = b.low.rawValue
                volume[s] = 0
            }
            high[s] = max(high[s], b.high.rawValue)
            low[s] = min(low[s], b.low.rawValue)
            close[s] = b.close.rawValue
            volume[s] &+= b.volume.rawValue
        }
    }

    /// The day's bars in ascending symbol order; the aggregator starts a new day.
    mutating func take() -> [Bar] {
        order.sort()
        defer {
            for s in order { seen[s] = false }
            order.removeAll(keepingCapacity: true)
        }
        return order.map { s in
            Bar(symbol: SymbolID(s), timeframe: .day, open: Price(rawValue: open[s]), high: Price(rawValue: high[s]),
                low: Price(rawValue: low[s]), close: Price(rawValue: close[s]), volume: Quantity(rawValue: volume[s]))
        }
    }
}
