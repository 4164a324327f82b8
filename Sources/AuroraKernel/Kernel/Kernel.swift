import AuroraLog
import AuroraModel
import AuroraData
import AuroraStats

/// The event-sourced core shared by backtests and (later) live sessions.
///
/// Per decision step: the bars (inputs) are appended; the execution model sees them (the
/// baseline fills last step's orders at these opens); the strategy sees the snapshot and emits
/// signals; the sizer turns them into target positions; each difference goes to the execution
/// model as a decided trade, which logs plans and orders and fills them now, at the next step,
/// or over the next session's intraday bars (`stepIntraday`). Every event goes to the sink and through `PortfolioReducer`, so
/// the kernel's own state is exactly what a reader rebuilds from the log. Nothing here reads a
/// clock, a random source or the environment: time comes from the bars.
public struct Kernel<S: Strategy, Sink: EventSink, X: ExecutionModel> {
    public private(set) var state = PortfolioState()
    public private(set) var strategy: S
    /// Sizes positions; called once per decision step, so one dynamic call per step at most.
    public private(set) var constructor: any PortfolioConstructor
    public let config: KernelConfig
    public internal(set) var execution: X
    let sink: Sink
    var symbolNames: [String] = []
    var lastClose: [Price?] = []
    /// For each symbol, the index of its bar in the current step (valid when `barStep` matches).
    var barIndex: [Int32] = []
    var barStep: [Int32] = []
    /// Folds of the other reducers the configuration checkpoints (none by default).
    let checkpointed: [ReducerFold]
    /// Scratch for the portfolio context: this step's bar index per symbol, -1 elsewhere.
    var barOf: [Int32] = []
    var step: Int32 = 0
    var nextPlanID: UInt64 = 1
    var nextTradeID: UInt64 = 1
    var eventsSinceCheckpoint = 0
    var lastDigestDay: Int64 = .min
    var ownWarnings = KernelWarnings()
    /// The strategy's view of prices across splits and dividends (raw until the first one).
    var view = AdjustedPriceView()
    /// Every fill so far, for run summaries (the log has them too).
    public private(set) var trades: [TradeRecord] = []

    public var warnings: KernelWarnings {
        var w = ownWarnings
        w.skippedForMissingOpen = execution.skippedTrades
        return w
    }

    public init(strategy: S, constructor: any PortfolioConstructor = EqualWeightConstructor(), config: KernelConfig = KernelConfig(),
                execution: X, sink: Sink) {
        self.strategy = strategy
        self.constructor = constructor
        self.config = config
        self.checkpointed = config.checkpointReducers.map { $0.fold() }
        self.execution = execution
        self.sink = sink
    }

    // MARK: session

    /// Writes the manifest, the symbol table and the session start.
    public mutating func begin(manifest: Manifest, symbols: [String], at timestamp: Timestamp, mode: SessionMode = .backtest) throws {
        try emit(.manifest(manifest), at: timestamp)
        for (i, name) in symbols.enumerated() {
            try emit(.symbolDefinition(SymbolDefinition(symbol: SymbolID(i), name: name)), at: timestamp)
        }
        symbolNames = symbols
        lastClose = Array(repeating: nil, count: symbols.count)
        barIndex = Array(repeating: 0, count: symbols.count)
        barStep = Array(repeating: -1, count: symbols.count)
        try emit(.sessionStart(SessionStart(mode: mode, sessionID: "")), at: timestamp)
    }

    /// One time step: `bars` all end at `timestamp`, ascending by symbol.
    public mutating func step(at timestamp: Timestamp, bars: [Bar]) throws {
        step += 1
        for (i, bar) in bars.enumerated() {
            try logBar(bar, at: timestamp)
            lastClose[bar.symbol.index] = bar.close
            barIndex[bar.symbol.index] = Int32(i)
            barStep[bar.symbol.index] = step
        }
        for event in execution.onDecisionBars(bars, at: timestamp) { try emit(event, at: timestamp) }

        let snapshot = view.snapshot(at: timestamp, bars: bars, lastClose: lastClose, symbolNames: symbolNames)
        let signals = strategy.generateSignals(snapshot)
        for explanation in strategy.takeExplanations() {
            if case .alphaValue(let value) = explanation { try emit(alphaValue: value, at: timestamp) } else { try emit(explanation, at: timestamp) }
        }
        for signal in signals { try emit(signal: signal, at: timestamp) }
        try rebalance(signals, bars: bars, adjusted: snapshot.bars, at: timestamp)

        if config.checkpointEvery > 0 && eventsSinceCheckpoint >= config.checkpointEvery {
            try checkpoint(at: timestamp)
        } else if config.checkpointEvery > 0 && timestamp.rawValue / 86_400_000_000_000 != lastDigestDay {
            // A digest-only checkpoint closes each day, so a reader can check the day's state cheaply.
            try checkpoint(at: timestamp, fullState: false)
        }
        lastDigestDay = timestamp.rawValue / 86_400_000_000_000
    }

    /// Intraday bars between decision steps: logged, and handed to the execution model.
    public mutating func stepIntraday(at timestamp: Timestamp, bars: [Bar]) throws {
        for bar in bars { try logBar(bar, at: timestamp) }
        for event in execution.onIntradayBars(bars, at: timestamp) { try emit(event, at: timestamp) }
    }

    /// Something the outside world said between steps (a broker's answer, a connection change, a
    /// refused message): logged as an input, folded, and handed to the execution model when it
    /// is about an order.
    public mutating func record(_ input: EventPayload, at timestamp: Timestamp) throws {
        try emit(input, at: timestamp)
        switch input {
        case .orderAccepted, .orderRejected, .orderCancelled, .fill:
            for event in execution.onBrokerAnswer(input, at: timestamp) { try emit(event, at: timestamp) }
        case .timer(let t) where t.isClock:
            for event in execution.onClock(timestamp) { try emit(event, at: timestamp) }
        case .corporateAction(let a):
            try onCorporateAction(a, at: timestamp)
        case .priceUpdate(let u):
            // A trade tick is the symbol's current price for the next snapshot (the reducer marks equity).
            if u.kind == .trade, let p = u.price, p.rawValue > 0, u.symbol.index < lastClose.count { lastClose[u.symbol.index] = p }
        default: break
        }
    }

    /// The next time after `now` the execution model has something due (a live session fires a
    /// clock timer then, if no bar came first).
    public func nextDue(after now: Timestamp) -> Timestamp? { execution.nextDue(after: now) }

    /// Cancels what is still pending, closes the session and writes a final checkpoint.
    public mutating func end(at timestamp: Timestamp, reason: String = "end of data") throws {
        for event in execution.finish(at: timestamp, reason: reason) { try emit(event, at: timestamp) }
        try emit(.sessionEnd(SessionEnd(reason: reason)), at: timestamp)
        if config.checkpointEvery > 0 { try checkpoint(at: timestamp) }
    }

    // MARK: decisions

    private mutating func rebalance(_ signals: [Signal], bars: [Bar], adjusted: [Bar], at timestamp: Timestamp) throws {
        // One decision per symbol, in ascending order, and only at a price this step has. Strategies
        // nearly always keep to that, so the signals are copied only when some must go.
        var previous: SymbolID?
        var allValid = true
        for signal in signals {
            if let p = previous, signal.symbol <= p { allValid = false; break }
            previous = signal.symbol
            guard hasBar(signal.symbol) else { allValid = false; break }
        }
        var valid = signals
        if !allValid {
            valid = []
            previous = nil
            for signal in signals {
                let s = signal.symbol
                if let p = previous, s <= p { ownWarnings.outOfOrderSignals += 1; continue }
                previous = s
                guard hasBar(s) else { ownWarnings.signalsWithoutBar += 1; continue }
                valid.append(signal)
            }
        }
        var positions = state.positions
        if let open = execution.openQuantities() {
            for i in positions.indices where i < open.count { positions[i] &+= open[i] }
        }
        if barOf.count < symbolNames.count { barOf = Array(repeating: -1, count: symbolNames.count) }
        for (i, b) in bars.enumerated() where b.symbol.index < barOf.count { barOf[b.symbol.index] = Int32(i) }
        defer { for b in bars where b.symbol.index < barOf.count { barOf[b.symbol.index] = -1 } }
        let context = PortfolioContext(timestamp: timestamp, equity: state.equity, positions: positions,
                                       lastPrice: state.lastPrice, bars: bars, barOf: barOf, adjustedBars: adjusted)
        let targets = constructor.targets(for: valid, in: context)
        for explanation in constructor.takeExplanations() { try emit(explanation, at: timestamp) }
        var planID: UInt64?
        for t in targets {
            let s = t.symbol
            guard s.index < positions.count, hasBar(s) else { continue }
            let current = positions[s.index]
            guard t.quantity != current else { continue }
            try emit(.targetPosition(TargetPosition(symbol: s, quantity: Quantity(rawValue: t.quantity), weight: t.weight)), at: timestamp)
            let plan = planID ?? { let id = nextPlanID; nextPlanID += 1; return id }()
            planID = plan
            let side: Side = t.quantity > current ? .buy : .sell
            let (delta, overflow) = t.quantity.subtractingReportingOverflow(current)
            guard !overflow, delta != .min else { ownWarnings.outOfRangeTargets += 1; continue }
            let trade = DecidedTrade(tradeID: nextTradeID, planID: plan, symbol: s, side: side, quantity: Quantity(rawValue: abs(delta)),
                                     bar: bars[Int(barIndex[s.index])])
            nextTradeID += 1
            for event in execution.submit(trade, at: timestamp) { try emit(event, at: timestamp) }
        }
    }

    func hasBar(_ s: SymbolID) -> Bool { s.index < barStep.count && barStep[s.index] == step }

    private mutating func checkpoint(at timestamp: Timestamp, fullState: Bool = true) throws {
        let checkpoint = Checkpoint(coversSequence: state.sequence, reducer: PortfolioState.reducerName,
                                    digest: state.checkpointDigest, state: fullState ? state.checkpointBytes : [])
        try emit(.checkpoint(checkpoint), at: timestamp)
        guard fullState else { return }
        // The other checkpointed reducers' states, each covering the event before its checkpoint.
        for f in checkpointed {
            guard let bytes = f.checkpointBytes(), let covers = f.sequence else { continue }
            try emit(.checkpoint(Checkpoint(coversSequence: covers, reducer: f.name, digest: sha256(bytes), state: bytes)), at: timestamp)
        }
        eventsSinceCheckpoint = 0
    }

    /// A bar logged and folded: `emit(.bar(bar))` on the sink's bar path.
    private mutating func logBar(_ bar: Bar, at timestamp: Timestamp) throws {
        let seq = try sink.append(bar: bar, at: timestamp)
        PortfolioReducer.reduce(&state, .bar(bar), sequence: seq, timestamp: timestamp)
        if !checkpointed.isEmpty {
            let event = Event(sequence: seq, timestamp: timestamp, payload: .bar(bar))
            for f in checkpointed { f.observe(event) }
        }
        eventsSinceCheckpoint += 1
    }

    /// A signal, as `emit(.signal(signal), at:)` does it: the portfolio fold only advances past
    /// it, so unless another reducer folds every event it goes to the sink without the enum.
    mutating func emit(signal: Signal, at timestamp: Timestamp) throws {
        guard checkpointed.isEmpty else { return try emit(.signal(signal), at: timestamp) }
        let seq = try sink.append(signal: signal, at: timestamp)
        PortfolioReducer.advance(&state, sequence: seq, timestamp: timestamp)
        eventsSinceCheckpoint += 1
    }

    /// An alpha value, the same way.
    mutating func emit(alphaValue value: AlphaValue, at timestamp: Timestamp) throws {
        guard checkpointed.isEmpty else { return try emit(.alphaValue(value), at: timestamp) }
        let seq = try sink.append(alphaValue: value, at: timestamp)
        PortfolioReducer.advance(&state, sequence: seq, timestamp: timestamp)
        eventsSinceCheckpoint += 1
    }

    mutating func emit(_ payload: EventPayload, at timestamp: Timestamp) throws {
        let seq = try sink.append(payload, at: timestamp)
        PortfolioReducer.reduce(&state, payload, sequence: seq, timestamp: timestamp)
        if !checkpointed.isEmpty {
            let event = Event(sequence: seq, timestamp: timestamp, payload: payload)
            for f in checkpointed { f.observe(event) }
        }
        eventsSinceCheckpoint += 1
        if case .fill(let f) = payload {
            trades.append(TradeRecord(time: timestamp, symbol: symbolNames[f.symbol.index], side: f.side,
                                      quantity: f.quantity, price: f.price, fees: f.fees))
        }
    }
}

/// Things the kernel declined to do, counted for the run summary.
public struct KernelWarnings: Sendable, Equatable {
    /// Trades dropped because the symbol had no bar at the next step (no trade at a missing price).
    public var skippedForMissingOpen = 0
    /// Signals for symbols without a bar at that step.
    public var signalsWithoutBar = 0
    /// Signals not in strictly ascending symbol order (duplicates included).
    public var outOfOrderSignals = 0
    /// Targets too large to represent as a quantity.
    public var outOfRangeTargets = 0
    /// Delisted symbols whose position was closed at the last price, and those kept (stale).
    public var delistingsClosed = 0
    public var delistingsKept = 0

    public init() {}
}

/// One fill, as run summaries list them.
public struct TradeRecord: Sendable, Equatable {
    public var time: Timestamp
    public var symbol: String
    public var side: Side
    public var quantity: Quantity
    public var price: Price
    public var fees: Price
}
