import AuroraModel
import AuroraData
import AuroraStats

/// A trade the kernel decided at a step: the difference between target and position.
public struct DecidedTrade: Sendable, Equatable {
    public var tradeID: UInt64
    public var planID: UInt64
    public var symbol: SymbolID
    public var side: Side
    public var quantity: Quantity
    /// The decision bar (its close is the price the target was sized at).
    public var bar: Bar
}

/// How decided trades become orders and fills. The kernel calls it and logs (and folds) every
/// event it returns, in order; the model itself never writes. Backtests use `ImmediateExecution`
/// or an intraday algorithm such as the execution layer's TWAP; live sessions a broker-backed one.
public protocol ExecutionModel {
    /// Whether the model trades against intraday bars between decision steps (TWAP); the driver
    /// then feeds it `onIntradayBars` and takes decisions on daily bars built from them.
    var needsIntradayBars: Bool { get }
    /// Decision bars that closed at `timestamp`, before the strategy sees them.
    mutating func onDecisionBars(_ bars: [Bar], at timestamp: Timestamp) -> [EventPayload]
    /// Intraday bars that closed at `timestamp` (only when `needsIntradayBars`).
    mutating func onIntradayBars(_ bars: [Bar], at timestamp: Timestamp) -> [EventPayload]
    /// One decided trade, right after its target was logged.
    mutating func submit(_ trade: DecidedTrade, at timestamp: Timestamp) -> [EventPayload]
    /// The data has ended: cancel what is left.
    mutating func finish(at timestamp: Timestamp, reason: String) -> [EventPayload]
    /// Trades the model dropped (no price to trade at), for the run summary.
    var skippedTrades: Int { get }
    /// What a broker outside the kernel answered (accepted, rejected, cancelled, fills), already
    /// logged as an input; the model updates its view of open orders and may decide more.
    mutating func onBrokerAnswer(_ answer: EventPayload, at timestamp: Timestamp) -> [EventPayload]
    /// Signed quantities (buys positive) of orders still open at the broker, by symbol id, when
    /// there are any: the kernel sizes new trades net of them, so a slow broker is not asked twice.
    func openQuantities() -> [Int64]?
    /// The wall clock reached `now` between bars (a live session's clock tick): timers due by
    /// then fire (TWAP slices, the cutoff) even when no bar comes.
    mutating func onClock(_ now: Timestamp) -> [EventPayload]
    /// The next time after `now` the model has something due on the clock, if any.
    func nextDue(after now: Timestamp) -> Timestamp?
    /// A corporate action, already logged and folded. At a split the model re-sizes what is still
    /// open for the symbol the way brokers do (quantity × ratio, prices ÷ ratio), logging the
    /// trade's new size as a planned trade with the same id, and replacement orders for open ones.
    mutating func onCorporateAction(_ action: CorporateAction, at timestamp: Timestamp) -> [EventPayload]
    /// Closes a position at `price` (a delisted symbol's last price): the events of one order
    /// filled there. A model that cannot returns none, and the position is kept.
    mutating func closeOut(_ trade: DecidedTrade, at price: Price, reason: String, timestamp: Timestamp) -> [EventPayload]
}

extension ExecutionModel {
    public var needsIntradayBars: Bool { false }
    public mutating func onIntradayBars(_ bars: [Bar], at timestamp: Timestamp) -> [EventPayload] { [] }
    public mutating func onBrokerAnswer(_ answer: EventPayload, at timestamp: Timestamp) -> [EventPayload] { [] }
    public func openQuantities() -> [Int64]? { nil }
    public mutating func onClock(_ now: Timestamp) -> [EventPayload] { [] }
    public func nextDue(after now: Timestamp) -> Timestamp? { nil }
    public mutating func onCorporateAction(_ action: CorporateAction, at timestamp: Timestamp) -> [EventPayload] { [] }
    public mutating func closeOut(_ trade: DecidedTrade, at price: Price, reason: String, timestamp: Timestamp) -> [EventPayload] { [] }
}

extension DecidedTrade {
    /// The trade after a split of `ratio` new shares per old: more shares at a lower price.
    public func split(_ ratio: Double) -> DecidedTrade {
        var t = self
        t.quantity = Quantity(rawValue: Int64(saturatingRounded: Double(quantity.rawValue) * ratio))
        func scale(_ p: Price) -> Price { Price(rawValue: Int64(saturatingRounded: Double(p.rawValue) / ratio)) }
        t.bar.open = scale(bar.open); t.bar.high = scale(bar.high); t.bar.low = scale(bar.low); t.bar.close = scale(bar.close)
        t.bar.volume = Quantity(rawValue: Int64(min(Double(Int64.max / 2), (Double(bar.volume.rawValue) * ratio).rounded())))
        return t
    }
}

/// The baseline: a market order per trade, filled whole at the symbol's next decision bar's open
/// (skipped, and logged as cancelled, when that bar is missing) or at this bar's close, with a
/// per-share plus basis-point cost.
public struct ImmediateExecution: ExecutionModel, Sendable {
    public var fill: FillTiming
    public var costPerShare: Double
    public var costBps: Double
    private var pending: [(orderID: UInt64, trade: DecidedTrade)] = []
    private var nextOrderID: UInt64 = 1
    private var symbolNames: [String]
    /// This step's bar index per symbol id (−1 when none), reused between steps.
    private var barOf: [Int] = []
    public private(set) var skippedTrades = 0

    public init(fill: FillTiming = .nextOpen, costPerShare: Double = 0, costBps: Double = 0, symbolNames: [String]) {
        self.fill = fill
        self.costPerShare = costPerShare
        self.costBps = costBps
        self.symbolNames = symbolNames
    }

    public mutating func onDecisionBars(_ bars: [Bar], at timestamp: Timestamp) -> [EventPayload] {
        guard fill == .nextOpen, !pending.isEmpty else { return [] }
        var events: [EventPayload] = []
        if barOf.count < symbolNames.count { barOf = Array(repeating: -1, count: symbolNames.count) }
        for (i, b) in bars.enumerated() where b.symbol.index < barOf.count { barOf[b.symbol.index] = i }
        defer { for b in bars where b.symbol.index < barOf.count { barOf[b.symbol.index] = -1 } }
        for order in pending {
            let i = order.trade.symbol.index < barOf.count ? barOf[order.trade.symbol.index] : -1
            if i >= 0 {
                events.append(.fill(fillOf(order.orderID, order.trade, price: bars[i].open)))
            } else {
                skippedTrades += 1
                events.append(.orderCancelled(OrderCancelled(orderID: order.orderID, reason: "no bar for \(symbolNames[order.trade.symbol.index]) at the next open")))
            }
        }
        pending.removeAll(keepingCapacity: true)
        return events
    }

    public mutating func submit(_ trade: DecidedTrade, at timestamp: Timestamp) -> [EventPayload] {
        let orderID = nextOrderID
        nextOrderID += 1
        var events = Self.planAndOrder(trade, orderID)
        if fill == .close {
            events.append(.fill(fillOf(orderID, trade, price: trade.bar.close)))
        } else {
            pending.append((orderID, trade))
        }
        return events
    }

    /// A split re-sizes the orders waiting for the next open: each is cancelled and sent again at
    /// the new size, its trade re-planned at that size first.
    public mutating func onCorporateAction(_ action: CorporateAction, at timestamp: Timestamp) -> [EventPayload] {
        guard action.kind == .split, action.ratio > 0, action.ratio != 1, pending.contains(where: { $0.trade.symbol == action.symbol }) else { return [] }
        var events: [EventPayload] = []
        for i in pending.indices where pending[i].trade.symbol == action.symbol {
            let old = pending[i]
            let trade = old.trade.split(action.ratio)
            let orderID = nextOrderID
            nextOrderID += 1
            events.append(.orderCancelled(OrderCancelled(orderID: old.orderID, reason: "re-sized for the split on \(action.exDate)")))
            events += Self.planAndOrder(trade, orderID)
            pending[i] = (orderID, trade)
        }
        return events
    }

    public mutating func closeOut(_ trade: DecidedTrade, at price: Price, reason: String, timestamp: Timestamp) -> [EventPayload] {
        let orderID = nextOrderID
        nextOrderID += 1
        return Self.planAndOrder(trade, orderID) + [.fill(fillOf(orderID, trade, price: price))]
    }

    /// A trade's plan and its one market order (a re-plan, at a split, logs both again).
    private static func planAndOrder(_ trade: DecidedTrade, _ orderID: UInt64) -> [EventPayload] {
        [.plannedTrade(PlannedTrade(planID: trade.planID, tradeID: trade.tradeID, symbol: trade.symbol, side: trade.side,
                                    quantity: trade.quantity, priority: 0)),
         .orderSubmitted(OrderSubmitted(orderID: orderID, tradeID: trade.tradeID, symbol: trade.symbol, side: trade.side,
                                        type: .market, quantity: trade.quantity))]
    }

    public mutating func finish(at timestamp: Timestamp, reason: String) -> [EventPayload] {
        defer { pending.removeAll() }
        return pending.map { .orderCancelled(OrderCancelled(orderID: $0.orderID, reason: "no bar after the last one (\(reason))")) }
    }

    private func fillOf(_ orderID: UInt64, _ trade: DecidedTrade, price: Price) -> Fill {
        let shares = trade.quantity.doubleValue
        let fee = costPerShare * shares + costBps / 10_000 * shares * price.doubleValue
        return Fill(orderID: orderID, symbol: trade.symbol, side: trade.side, quantity: trade.quantity, price: price,
                    fees: Price(saturating: fee), liquidity: .taker)
    }
}

/// Any execution model behind one concrete type, so an engine can choose the model from its
/// configuration at run time (one indirect call per step or trade, never per event).
public struct AnyExecutionModel: ExecutionModel {
    private var box: any ExecutionModel

    public init(_ model: some ExecutionModel) { box = model }

    public var needsIntradayBars: Bool { box.needsIntradayBars }
    public var skippedTrades: Int { box.skippedTrades }
    public mutating func onDecisionBars(_ bars: [Bar], at timestamp: Timestamp) -> [EventPayload] { box.onDecisionBars(bars, at: timestamp) }
    public mutating func onIntradayBars(_ bars: [Bar], at timestamp: Timestamp) -> [EventPayload] { box.onIntradayBars(bars, at: timestamp) }
    public mutating func submit(_ trade: DecidedTrade, at timestamp: Timestamp) -> [EventPayload] { box.submit(trade, at: timestamp) }
    public mutating func finish(at timestamp: Timestamp, reason: String) -> [EventPayload] { box.finish(at: timestamp, reason: reason) }
    public mutating func onBrokerAnswer(_ answer: EventPayload, at timestamp: Timestamp) -> [EventPayload] {
        box.onBrokerAnswer(answer, at: timestamp)
    }
    public func openQuantities() -> [Int64]? { box.openQuantities() }
    public mutating func onClock(_ now: Timestamp) -> [EventPayload] { box.onClock(now) }
    public func nextDue(after now: Timestamp) -> Timestamp? { box.nextDue(after: now) }
    public mutating func onCorporateAction(_ action: CorporateAction, at timestamp: Timestamp) -> [EventPayload] {
        box.onCorporateAction(action, at: timestamp)
    }
    public mutating func closeOut(_ trade: DecidedTrade, at price: Price, reason: String, timestamp: Timestamp) -> [EventPayload] {
        box.closeOut(trade, at: price, reason: reason, timestamp: timestamp)
    }
}
