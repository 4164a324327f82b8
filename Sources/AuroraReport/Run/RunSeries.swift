import AuroraExecution
import AuroraKernel
import AuroraLog
import AuroraModel
import AuroraRun
import AuroraStats

/// What a report draws, gathered in one pass over a log through the reducers (portfolio and
/// execution monitor): the portfolio at each decision step's close — where `aurora backtest`
/// marks its equity curve — and every trade's execution.
///
/// Steps end where `DecisionSteps` says, as `aurora backtest` marks them.
public struct RunSeries: Sendable {
    public struct Point: Sendable {
        public var time: Timestamp
        public var equity, cash, grossExposure, netExposure, fees, traded: Double
        public var positions: Int
    }

    public var points: [Point] = []
    public var initialCash = 0.0
    public var trades: [TradeExecution] = []
    public var symbols: [String] = []
    public var manifest: Manifest?
    public var events = 0
    public var fills = 0
    /// Set when the log ends in a torn frame: the report covers the intact prefix.
    public var tornTail: String?
    public var digest: [UInt8]?
    /// Bar length in seconds of the decision steps (86,400 for daily decisions).
    public var stepSeconds: Int64 = 86_400
    public var path: String
    /// The benchmark symbol's close at each point, when one from the log was asked for.
    public var benchmarkCloses: [Double]?

    public static func read(_ path: String, registry: ComponentRegistry = .builtIn, benchmarkSymbol: String? = nil) throws -> RunSeries {
        let reader = try LogReader(path: path)
        var out = RunSeries(path: path)
        out.manifest = reader.manifest
        out.symbols = reader.symbols
        out.digest = reader.storedDigest
        if case .torn(let e) = reader.tail { out.tornTail = "\(e)" }
        let daily = Self.decidesDaily(reader.manifest, registry: registry)
        let benchmark = benchmarkSymbol.flatMap { reader.symbolID($0) }.map { Int($0.rawValue) }
        if benchmark != nil { out.benchmarkCloses = [] }
        var portfolio = PortfolioReducer.initialState()
        var execution = ExecutionMonitorState()
        var steps = DecisionSteps(daily: daily)
        var lastBar: Int64?
        var shortestGap = Int64.max
        let cursor = reader.events()
        func close(_ t: Timestamp) {
            let p = portfolio
            out.points.append(Point(time: t, equity: p.equity, cash: p.cash, grossExposure: p.grossExposure,
                                    netExposure: p.netExposure, fees: p.fees, traded: p.turnover, positions: p.positions.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }))
            if let b = benchmark { out.benchmarkCloses?.append(b < p.lastPrice.count && p.lastPrice[b] > 0 ? p.lastPrice[b] : .nan) }
        }
        while let event = try cursor.next() {
            out.events += 1
            if let t = steps.closes(before: event) { close(t) }
            if case .bar = event.payload {
                let t = event.timestamp.rawValue
                if let l = lastBar, t > l { shortestGap = min(shortestGap, t - l) }
                lastBar = t
            } else if case .fill = event.payload {
                out.fills += 1
            }
            PortfolioReducer.reduce(&portfolio, event)
            ExecutionMonitor.reduce(&execution, event)
        }
        if let t = steps.last { close(t) }
        out.initialCash = portfolio.initialCash
        out.trades = execution.trades
        out.stepSeconds = daily ? 86_400 : (shortestGap == .max ? 86_400 : max(1, shortestGap / Timestamp.nanosecondsPerSecond))
        return out
    }

    /// True when the run's configuration decides once a day over intraday bars.
    static func decidesDaily(_ manifest: Manifest?, registry: ComponentRegistry) -> Bool {
        guard let text = manifest?.config, !text.isEmpty, let config = try? ConfigReader.parse(text, registry: registry) else {
            return manifest?.config.contains("algorithm: twap") ?? false
        }
        return config.execution.algorithm.needsIntradayBars
    }

    /// The statistics `aurora backtest` prints: over the decision steps' equity, from the
    /// initial cash.
    public var statistics: PerformanceStatistics {
        PerformanceStatistics(equity: points.map(\.equity), start: initialCash,
                              periodsPerYear: PerformanceStatistics.periodsPerYear(barSeconds: stepSeconds))
    }

    public var grossNet: GrossNetPerformance {
        GrossNetPerformance(equity: points.map(\.equity), fees: points.map(\.fees), traded: points.map(\.traded),
                            grossExposure: points.map(\.grossExposure), start: initialCash,
                            periodsPerYear: PerformanceStatistics.periodsPerYear(barSeconds: stepSeconds))
    }

    /// Each step's simple return (the first against the initial cash).
    public var returns: [Double] {
        var previous = initialCash
        return points.map { p in
            defer { previous = p.equity }
            return previous != 0 ? p.equity / previous - 1 : .nan
        }
    }
}
