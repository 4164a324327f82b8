import AuroraData
import AuroraLog
import AuroraModel
import AuroraStats

/// Drives a kernel one bar time at a time, the same way for a backtest, a replay and a live
/// session: `run` feeds a whole series (the backtest clock is the data itself), `rerun` feeds a
/// log's recorded steps with the outside answers put back where they came, and a live session
/// calls `feed` and `record` as inputs arrive.
///
/// For an intraday execution model (TWAP), each day's bar times are intraday steps, and once the
/// day is known to be over (the next day's first bars arrive, or the data ends) the kernel takes
/// the day's decision step on daily bars built from them (open of the first, high, low, close of
/// the last, summed volume): decisions are daily, their trades execute over the next session.
public struct KernelRunner<S: Strategy, Sink: EventSink, X: ExecutionModel> {
    public private(set) var kernel: Kernel<S, Sink, X>
    private var aggregator: DailyAggregator?
    private var pendingDay: (day: Int64, time: Timestamp)?
    /// The latest clock timer: a day's deferred decision is never stamped before it.
    private var clockTime: Timestamp?
    public private(set) var equityCurve: [EquityPoint] = []
    public private(set) var decisionSteps = 0

    public init(kernel: Kernel<S, Sink, X>, symbolCount: Int) {
        self.kernel = kernel
        if kernel.execution.needsIntradayBars { aggregator = DailyAggregator(symbolCount: symbolCount) }
    }

    public mutating func begin(manifest: Manifest, symbols: [String], at timestamp: Timestamp, mode: SessionMode = .backtest) throws {
        try kernel.begin(manifest: manifest, symbols: symbols, at: timestamp, mode: mode)
    }

    /// One bar time's bars, ascending by symbol.
    public mutating func feed(at timestamp: Timestamp, bars: [Bar]) throws {
        guard aggregator != nil else {
            try kernel.step(at: timestamp, bars: bars)
            decisionSteps += 1
            equityCurve.append(EquityPoint(timestamp, kernel.state))
            return
        }
        let day = timestamp.rawValue / 86_400_000_000_000
        if let pending = pendingDay, pending.day != day { try decide(at: max(pending.time, clockTime ?? pending.time)) }
        try kernel.stepIntraday(at: timestamp, bars: bars)
        aggregator?.add(bars)
        pendingDay = (day, timestamp)
    }

    /// An input from outside between bar times (a broker answer, a connection change, a clock timer).
    public mutating func record(_ input: EventPayload, at timestamp: Timestamp) throws {
        if case .timer(let t) = input, t.isClock { clockTime = timestamp }
        // A corporate action opens a new day: the day before is decided on its own prices first.
        if case .corporateAction = input, let pending = pendingDay, pending.day != timestamp.rawValue / 86_400_000_000_000 {
            try decide(at: max(pending.time, clockTime ?? pending.time))
        }
        try kernel.record(input, at: timestamp)
    }

    public func nextDue(after now: Timestamp) -> Timestamp? { kernel.nextDue(after: now) }

    /// The data ended: the last day's decision (intraday mode), then the session's end.
    public mutating func finish(at timestamp: Timestamp, reason: String = "end of data") throws {
        if let pending = pendingDay { try decide(at: max(pending.time, clockTime ?? pending.time)) }
        try kernel.end(at: max(timestamp, clockTime ?? timestamp), reason: reason)
    }

    private mutating func decide(at time: Timestamp) throws {
        pendingDay = nil
        guard let bars = aggregator?.take() else { return }
        try kernel.step(at: time, bars: bars)
        decisionSteps += 1
        equityCurve.append(EquityPoint(time, kernel.state))
    }

    // MARK: whole runs

    /// A backtest: every bar time of `series`, then the end; statistics over the decision steps' equity.
    public mutating func run(series: BarSeries, manifest: Manifest, mode: SessionMode = .backtest,
                             progress: ((Int, Int) -> Void)? = nil) throws -> RunOutcome {
        let steps = series.steps
        guard let first = steps.first, let last = steps.last else { throw DataError("no bars to run on") }
        if kernel.execution.needsIntradayBars && series.timeframe >= .day {
            throw DataError("this execution algorithm needs intraday bars; the data has \(series.timeframe) bars")
        }
        try begin(manifest: manifest, symbols: series.symbols, at: first.time, mode: mode)
        var bars: [Bar] = []
        var nextAction = 0
        let actions = series.actions
        for (n, step) in steps.enumerated() {
            // Actions due by this bar time go first, stamped with it (never before the last event).
            while nextAction < actions.count, actions[nextAction].effective <= step.time.rawValue {
                try record(.corporateAction(actions[nextAction].action), at: step.time)
                nextAction += 1
            }
            series.bars(step.range, into: &bars)
            try feed(at: step.time, bars: bars)
            if let progress, n % 256 == 0 { progress(n, steps.count) }
        }
        try finish(at: last.time)
        return outcome(barLength: kernel.execution.needsIntradayBars ? .day : series.timeframe)
    }

    /// Re-runs a log's recorded steps in their recorded order, each answer right after the step it
    /// followed: how replay and resume drive a session.
    public mutating func rerun(_ inputs: RecordedInputs, manifest: Manifest, finish: Bool) throws {
        try begin(manifest: manifest, symbols: inputs.series.symbols, at: inputs.startTime, mode: inputs.mode)
        var next = 0
        var lastTime = inputs.startTime
        func answers(upTo steps: Int) throws {
            while next < inputs.answers.count, inputs.answers[next].afterSteps <= steps {
                let a = inputs.answers[next]
                try record(a.payload, at: a.time)
                lastTime = max(lastTime, a.time)
                next += 1
            }
        }
        var bars: [Bar] = []
        let series = inputs.series
        for (k, range) in inputs.steps.enumerated() {
            let t = Timestamp(rawValue: series.end[range.lowerBound])
            try answers(upTo: k)
            series.bars(range, into: &bars)
            try feed(at: t, bars: bars)
            lastTime = max(lastTime, t)
        }
        try answers(upTo: .max)
        if finish { try self.finish(at: lastTime, reason: inputs.endReason) }
    }

    /// The equity curve, fills, statistics and final state so far.
    public func outcome(barLength: Timeframe) -> RunOutcome {
        let statistics = PerformanceStatistics(equity: equityCurve.map(\.equity), start: kernel.state.initialCash,
                                               periodsPerYear: PerformanceStatistics.periodsPerYear(barSeconds: barLength.rawValue / Timestamp.nanosecondsPerSecond))
        return RunOutcome(equityCurve: equityCurve, trades: kernel.trades, statistics: statistics, finalState: kernel.state,
                          warnings: kernel.warnings, steps: decisionSteps)
    }
}

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
    /// Σ |position × price| at the step.
    public var grossExposure: Double = 0
    /// Fees paid since the run began.
    public var fees: Double = 0
    /// Notional traded since the run began.
    public var traded: Double = 0

    public init(time: Timestamp, equity: Double, grossExposure: Double = 0, fees: Double = 0, traded: Double = 0) {
        self.time = time
        self.equity = equity
        self.grossExposure = grossExposure
        self.fees = fees
        self.traded = traded
    }

    init(_ time: Timestamp, _ state: PortfolioState) {
        self.init(time: time, equity: state.equity, grossExposure: state.grossExposure, fees: state.fees, traded: state.turnover)
    }
}
