import AuroraLog
import AuroraModel

/// The event-sourced core shared by backtests and (later) live sessions.
///
/// Per time step: the bars (inputs) are appended; orders pending from the last step fill at this
/// step's opens; the strategy sees the snapshot and emits signals; the sizer turns them into
/// target positions; differences become planned trades and orders, which fill now (at the close)
/// or at the next step's opens. Every event goes to the sink and through `PortfolioReducer`, so
/// the kernel's own state is exactly what a reader rebuilds from the log. Nothing here reads a
/// clock, a random source or the environment: time comes from the bars.
public struct Kernel<S: Strategy, Sink: EventSink> {
    public private(set) var state = PortfolioState()
    public private(set) var strategy: S
    public let config: KernelConfig
    let sink: Sink
    var symbolNames: [String] = []
    var lastClose: [Price?] = []
    /// For each symbol, the index of its bar in the current step (valid when `barStep` matches).
    var barIndex: [Int32] = []
    var barStep: [Int32] = []
    var step: Int32 = 0
    var pending: [PendingOrder] = []
    var nextPlanID: UInt64 = 1
    var nextTradeID: UInt64 = 1
    var nextOrderID: UInt64 = 1
    var eventsSinceCheckpoint = 0
    public private(set) var warnings = KernelWarnings()
    /// Every fill so far, for run summaries (the log has them too).
    public private(set) var trades: [TradeRecord] = []

    struct PendingOrder {
        var orderID: UInt64
        var symbol: SymbolID
        var side: Side
        var quantity: Quantity
    }

    public init(strategy: S, config: KernelConfig, sink: Sink) {
        self.strategy = strategy
        self.config = config
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
            let seq = try sink.append(bar: bar, at: timestamp)
            PortfolioReducer.reduce(&state, Event(sequence: seq, timestamp: timestamp, payload: .bar(bar)))
            eventsSinceCheckpoint += 1
            lastClose[bar.symbol.index] = bar.close
            barIndex[bar.symbol.index] = Int32(i)
            barStep[bar.symbol.index] = step
        }
        if config.fill == .nextOpen { try fillPending(at: timestamp, bars: bars) }

        let snapshot = MarketSnapshot(timestamp: timestamp, bars: bars, lastClose: lastClose, symbolNames: symbolNames)
        let signals = strategy.generateSignals(snapshot)
        for explanation in strategy.takeExplanations() { try emit(explanation, at: timestamp) }
        for signal in signals { try emit(.signal(signal), at: timestamp) }
        try rebalance(signals, bars: bars, at: timestamp)

        if config.checkpointEvery > 0 && eventsSinceCheckpoint >= config.checkpointEvery {
            try checkpoint(at: timestamp)
        }
    }

    /// Cancels what is still pending, closes the session and writes a final checkpoint.
    public mutating func end(at timestamp: Timestamp, reason: String = "end of data") throws {
        for order in pending {
            try emit(.orderCancelled(OrderCancelled(orderID: order.orderID, reason: "no bar after the last one (\(reason))")), at: timestamp)
        }
        pending.removeAll()
        try emit(.sessionEnd(SessionEnd(reason: reason)), at: timestamp)
        if config.checkpointEvery > 0 { try checkpoint(at: timestamp) }
    }

    // MARK: decisions

    private mutating func rebalance(_ signals: [Signal], bars: [Bar], at timestamp: Timestamp) throws {
        var active = 0
        for s in signals where s.direction != .hold && hasBar(s.symbol) { active += 1 }
        let weight = active > 0 ? min(config.grossExposure / Double(active), config.maxPositionWeight) : 0
        let equity = state.equity
        var planID: UInt64?
        var previous: SymbolID?
        for signal in signals {
            let s = signal.symbol
            // One decision per symbol, in ascending order, and only at a price this step has.
            if let p = previous, s <= p { warnings.outOfOrderSignals += 1; continue }
            previous = s
            guard hasBar(s) else { warnings.signalsWithoutBar += 1; continue }
            let w: Double
            switch signal.direction {
            case .buy: w = weight
            case .sell: w = -weight
            case .hold:
                if config.holdPolicy == .keep { continue }
                w = 0
            }
            let close = bars[Int(barIndex[s.index])].close.doubleValue
            let target = targetQuantity(weight: w, equity: equity, price: close)
            let current = state.positions[s.index]
            guard target != current else { continue }
            try emit(.targetPosition(TargetPosition(symbol: s, quantity: Quantity(rawValue: target), weight: w)), at: timestamp)
            let plan = planID ?? { let id = nextPlanID; nextPlanID += 1; return id }()
            planID = plan
            let side: Side = target > current ? .buy : .sell
            let (delta, overflow) = target.subtractingReportingOverflow(current)
            guard !overflow, delta != .min else { warnings.outOfRangeTargets += 1; continue }
            let quantity = Quantity(rawValue: abs(delta))
            let tradeID = nextTradeID, orderID = nextOrderID
            nextTradeID += 1
            nextOrderID += 1
            try emit(.plannedTrade(PlannedTrade(planID: plan, tradeID: tradeID, symbol: s, side: side, quantity: quantity, priority: 0)), at: timestamp)
            try emit(.orderSubmitted(OrderSubmitted(orderID: orderID, tradeID: tradeID, symbol: s, side: side, type: .market, quantity: quantity)), at: timestamp)
            let order = PendingOrder(orderID: orderID, symbol: s, side: side, quantity: quantity)
            if config.fill == .close {
                try fill(order, price: bars[Int(barIndex[s.index])].close, at: timestamp)
            } else {
                pending.append(order)
            }
        }
    }

    /// weight × equity ÷ price, in fixed-point shares: rounded to 10⁻⁶, or toward zero to whole shares.
    func targetQuantity(weight: Double, equity: Double, price: Double) -> Int64 {
        guard weight != 0, price > 0, equity.isFinite else { return 0 }
        let shares = weight * equity / price
        let raw = config.fractionalShares ? (shares * Double(Quantity.scale)).rounded() : shares.rounded(.towardZero) * Double(Quantity.scale)
        guard raw.isFinite, abs(raw) < 9.2e18 else { return 0 }
        return Int64(raw)
    }

    private func hasBar(_ s: SymbolID) -> Bool { s.index < barStep.count && barStep[s.index] == step }

    private mutating func fillPending(at timestamp: Timestamp, bars: [Bar]) throws {
        guard !pending.isEmpty else { return }
        let orders = pending
        pending.removeAll(keepingCapacity: true)
        for order in orders {
            if hasBar(order.symbol) {
                try fill(order, price: bars[Int(barIndex[order.symbol.index])].open, at: timestamp)
            } else {
                warnings.skippedForMissingOpen += 1
                let name = symbolNames[order.symbol.index]
                try emit(.orderCancelled(OrderCancelled(orderID: order.orderID, reason: "no bar for \(name) at the next open")), at: timestamp)
            }
        }
    }

    private mutating func fill(_ order: PendingOrder, price: Price, at timestamp: Timestamp) throws {
        let shares = order.quantity.doubleValue
        let fee = config.costPerShare * shares + config.costBps / 10_000 * shares * price.doubleValue
        let fees = Price(fee) ?? .zero
        try emit(.fill(Fill(orderID: order.orderID, symbol: order.symbol, side: order.side, quantity: order.quantity,
                            price: price, fees: fees, liquidity: .taker)), at: timestamp)
        trades.append(TradeRecord(time: timestamp, symbol: symbolNames[order.symbol.index], side: order.side,
                                  quantity: order.quantity, price: price, fees: fees))
    }

    private mutating func checkpoint(at timestamp: Timestamp) throws {
        let checkpoint = Checkpoint(coversSequence: state.sequence, reducer: PortfolioState.reducerName,
                                    digest: state.checkpointDigest, state: state.checkpointBytes)
        try emit(.checkpoint(checkpoint), at: timestamp)
        eventsSinceCheckpoint = 0
    }

    private mutating func emit(_ payload: EventPayload, at timestamp: Timestamp) throws {
        let seq = try sink.append(payload, at: timestamp)
        PortfolioReducer.reduce(&state, Event(sequence: seq, timestamp: timestamp, payload: payload))
        eventsSinceCheckpoint += 1
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
