import AuroraModel

/// Drives a kernel one group of bars (one bar time) at a time, the same way for a backtest and a
/// live session. For an intraday execution model, each day's groups are intraday steps and the
/// day's decision step runs on daily bars built from them, once the day is known to be over
/// (the next day's first group arrives, or the data ends).
public struct KernelStepper<S: Strategy, Sink: EventSink, X: ExecutionModel> {
    public private(set) var kernel: Kernel<S, Sink, X>
    private var aggregator: DailyAggregator?
    private var pendingDay: (day: Int64, time: Timestamp)?
    private var began = false
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
        began = true
    }

    /// One bar time's bars, ascending by symbol.
    public mutating func feed(at timestamp: Timestamp, bars: [Bar]) throws {
        guard aggregator != nil else {
            try kernel.step(at: timestamp, bars: bars)
            decisionSteps += 1
            equityCurve.append(EquityPoint(time: timestamp, equity: kernel.state.equity))
            return
        }
        let day = timestamp.rawValue / 86_400_000_000_000
        if let pending = pendingDay, pending.day != day { try decide(at: max(pending.time, clockTime ?? pending.time)) }
        try kernel.stepIntraday(at: timestamp, bars: bars)
        aggregator?.add(bars)
        pendingDay = (day, timestamp)
    }

    /// An input from outside between bar times (a broker answer, a connection change).
    public mutating func record(_ input: EventPayload, at timestamp: Timestamp) throws {
        if case .timer(let t) = input, t.isClock { clockTime = timestamp }
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
        equityCurve.append(EquityPoint(time: time, equity: kernel.state.equity))
    }
}
