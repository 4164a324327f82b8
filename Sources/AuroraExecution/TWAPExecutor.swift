import AuroraCore
import AuroraModel

/// Per trade, what execution achieved.
public struct TradeExecutionSummary: Sendable, Equatable {
    public var tradeID: UInt64
    public var symbol: String
    public var side: Side
    public var planned: Quantity
    public var filled: Quantity
    public var averagePrice: Double?
    public var slicesSent: Int
    public var slicesFilled: Int
    public var escalated: Bool
    public var completion: Double { planned.rawValue > 0 ? Double(filled.rawValue) / Double(planned.rawValue) : 0 }
}

public struct ExecutionReport: Sendable, Equatable {
    public var trades: [TradeExecutionSummary]
    public var completedTrades: Int { trades.filter { $0.filled == $0.planned }.count }
    public var totalTrades: Int { trades.count }
    /// Trades left open (no bars to trade in, or the data ended), with why.
    public var open: [(tradeID: UInt64, reason: String)]
    public var rateLimitWaits: Int

    public static func == (a: ExecutionReport, b: ExecutionReport) -> Bool {
        a.trades == b.trades && a.rateLimitWaits == b.rateLimitWaits && a.open.map(\.tradeID) == b.open.map(\.tradeID)
    }
}

public struct ExecutionError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
}

/// Executes a rebalancing plan as a TWAP over intraday bars.
///
/// Each trade is cut into `numSlices` equal slices at start + i·(aggressive − start)/numSlices,
/// i = 0…n−1. Whole shares by default: each slice gets ⌊q/n⌋ and the last one also the remainder;
/// zero-share slices are skipped. A slice becomes a market order when its time comes (a timer
/// event), goes through the rate-limited queue (waits logged), and fills at the simulated
/// exchange from the next bar on, within the participation cap. At the aggressive time the
/// completion handler cancels what is still working or queued and sends the rest of each trade
/// as one uncapped market order (an escalation event). With `dryRun`, the plan, slices and timers
/// are logged and nothing is submitted.
public struct TWAPExecutor<Sink: EventSink> {
    public var gateway: SimulatedExchange
    public var queue: RateLimitedOrderQueue
    public let numSlices: Int
    public let dryRun: Bool
    public var fractionalShares = false
    /// Log the bars the execution trades against (off when the caller already logs them).
    public var logBars = true
    let sink: Sink
    public private(set) var nextPlanID: UInt64 = 1
    public private(set) var nextTradeID: UInt64 = 1
    public private(set) var nextOrderID: UInt64 = 1

    public init(gateway: SimulatedExchange, rateLimit: Int = 200, numSlices: Int = 10, dryRun: Bool = false, sink: Sink) {
        self.gateway = gateway
        self.queue = RateLimitedOrderQueue(maxPerMinute: rateLimit)
        self.numSlices = max(1, numSlices)
        self.dryRun = dryRun
        self.sink = sink
    }

    struct Slice {
        var tradeIndex: Int
        var orderID: UInt64
        var time: Timestamp
        var quantity: Quantity
        var fired = false
    }

    struct TradeState {
        var tradeID: UInt64
        var symbol: SymbolID
        var name: String
        var side: Side
        var planned: Quantity
        var filled: Int64 = 0
        var cost: Double = 0
        var sent = 0
        var filledOrders: Set<UInt64> = []
        var escalated = false
    }

    /// Runs `plan` over `bars` (intraday bars covering the window), writing every event to the sink.
    public mutating func executePlan(_ plan: RebalancingPlan, bars: BarSeries) throws -> ExecutionReport {
        guard plan.aggressiveTime >= plan.startTime else {
            throw ExecutionError(description: "the window ends (\(plan.aggressiveTime.iso8601)) before it starts (\(plan.startTime.iso8601))")
        }
        let times = bars.end
        guard let first = times.first, let last = times.last else { throw ExecutionError(description: "no bars to execute against") }
        guard plan.aggressiveTime.rawValue >= first - bars.timeframe.rawValue, plan.aggressiveTime.rawValue <= last else {
            throw ExecutionError(description: "the cutoff \(plan.aggressiveTime.iso8601) is outside the session's bars (\(Timestamp(rawValue: first).iso8601) .. \(Timestamp(rawValue: last).iso8601))")
        }
        var trades: [TradeState] = []
        for t in plan.trades {
            guard t.quantity.isFinite, t.quantity > 0, let q = Quantity(t.quantity), q.rawValue > 0 else {
                throw ExecutionError(description: "trade \(t.symbol): quantity \(t.quantity) is not a positive number of shares")
            }
            guard let s = bars.symbols.firstIndex(of: t.symbol) else {
                throw ExecutionError(description: "trade \(t.symbol): unknown symbol (not in the bars)")
            }
            trades.append(TradeState(tradeID: nextTradeID, symbol: SymbolID(s), name: t.symbol, side: t.side, planned: q))
            nextTradeID += 1
        }
        let planID = nextPlanID
        nextPlanID += 1
        let start = plan.startTime
        var slices: [Slice] = []
        for (i, t) in trades.enumerated() {
            try sink.append(.plannedTrade(PlannedTrade(planID: planID, tradeID: t.tradeID, symbol: t.symbol, side: t.side, quantity: t.planned,
                                                       priority: Int32(plan.trades[i].priority),
                                                       limitPrice: plan.trades[i].limitPrice.flatMap(Price.init))), at: start)
            let sizes = sliceSizes(t.planned)
            for (k, size) in sizes.enumerated() where size.rawValue > 0 {
                let when = Timestamp(rawValue: start.rawValue + (plan.aggressiveTime.rawValue - start.rawValue) / Int64(numSlices) * Int64(k))
                let slice = Slice(tradeIndex: i, orderID: nextOrderID, time: when, quantity: size)
                nextOrderID += 1
                try sink.append(.orderSlice(OrderSlice(tradeID: t.tradeID, sliceIndex: UInt32(k), orderID: slice.orderID, symbol: t.symbol,
                                                       scheduledTime: when, quantity: size)), at: start)
                slices.append(slice)
            }
        }
        slices.sort { $0.time != $1.time ? $0.time < $1.time : $0.orderID < $1.orderID }
        let handler = AggressiveCompletionHandler(cutoffTime: plan.aggressiveTime)
        let planSymbols = Set(trades.map(\.symbol))
        // Working orders per symbol id, so each bar only looks at its own symbol's orders.
        var working = [[WorkingOrder]](repeating: [], count: bars.symbols.count)
        var tradeOfOrder: [UInt64: Int] = [:]
        var queued: [UInt64: (tradeIndex: Int, quantity: Quantity, uncapped: Bool)] = [:]
        var waits = 0
        var escalatedAll = false
        var nextSlice = 0

        func fire(upTo now: Timestamp) throws {
            while nextSlice < slices.count && slices[nextSlice].time <= now {
                let slice = slices[nextSlice]
                nextSlice += 1
                guard !trades[slice.tradeIndex].escalated else { continue }
                try sink.append(.timer(TimerFired(timerID: slice.orderID, purpose: "twap_slice")), at: now)
                if !dryRun {
                    queue.enqueue(QueuedOrder(orderID: slice.orderID, priority: slice.tradeIndex, enqueuedAt: now))
                    queued[slice.orderID] = (slice.tradeIndex, slice.quantity, false)
                }
            }
        }

        func release(at now: Timestamp) throws {
            guard !dryRun else { return }
            for result in queue.processBatch(now: now) {
                switch result {
                case .released(let order):
                    guard let q = queued.removeValue(forKey: order.orderID) else { continue }   // cancelled while queued
                    let t = trades[q.tradeIndex]
                    try sink.append(.orderSubmitted(OrderSubmitted(orderID: order.orderID, tradeID: t.tradeID, symbol: t.symbol,
                                                                   side: t.side, type: .market, quantity: q.quantity)), at: now)
                    working[t.symbol.index].append(WorkingOrder(orderID: order.orderID, tradeID: t.tradeID, symbol: t.symbol, side: t.side,
                                                                type: .market, remaining: q.quantity, submittedAt: now, uncapped: q.uncapped))
                    tradeOfOrder[order.orderID] = q.tradeIndex
                    trades[q.tradeIndex].sent += 1
                case .waiting(let order, let until, let depth):
                    guard queued[order.orderID] != nil else { continue }
                    waits += 1
                    try sink.append(.rateLimitWait(RateLimitWait(orderID: order.orderID, until: until, queueDepth: UInt32(depth))), at: now)
                }
            }
        }

        try fire(upTo: start)
        try release(at: start)
        for range in bars.groups {
            let now = Timestamp(rawValue: bars.end[range.lowerBound])
            guard now > start else { continue }
            // Bars first (they closed at `now`), then fills of orders that were working during them.
            for i in range where planSymbols.contains(SymbolID(rawValue: bars.symbol[i])) {
                let bar = bars.bar(i)
                if logBars { try sink.append(bar: bar, at: now) }
                let s = bar.symbol.index
                guard !working[s].isEmpty else { continue }
                for f in gateway.match(&working[s], bar: bar, at: now) {
                    try sink.append(.fill(f), at: now)
                    if let t = tradeOfOrder[f.orderID] {
                        trades[t].filled += f.quantity.rawValue
                        trades[t].cost += f.quantity.doubleValue * f.price.doubleValue
                        trades[t].filledOrders.insert(f.orderID)
                    }
                }
                working[s].removeAll { $0.remaining.rawValue == 0 }
            }
            try fire(upTo: now)
            if !escalatedAll && !dryRun && now >= plan.aggressiveTime {
                escalatedAll = true
                try sink.append(.timer(TimerFired(timerID: 0, purpose: "cutoff")), at: now)
                let pending = trades.map { PendingTrade(tradeID: $0.tradeID, symbol: $0.symbol, side: $0.side,
                                                        remaining: Quantity(rawValue: $0.planned.rawValue - $0.filled)) }
                for escalation in handler.checkAndEscalate(pending, now: now) {
                    let index = trades.firstIndex { $0.tradeID == escalation.trade.tradeID } ?? 0
                    let s = escalation.trade.symbol.index
                    for order in working[s] where order.tradeID == escalation.trade.tradeID {
                        try sink.append(.orderCancelled(OrderCancelled(orderID: order.orderID, reason: "replaced by escalation at cutoff")), at: now)
                    }
                    working[s].removeAll { $0.tradeID == escalation.trade.tradeID }
                    for (orderID, q) in queued.sorted(by: { $0.key < $1.key }) where q.tradeIndex == index {
                        queued.removeValue(forKey: orderID)
                        try sink.append(.orderCancelled(OrderCancelled(orderID: orderID, reason: "still queued at cutoff")), at: now)
                    }
                    let remaining = Quantity(rawValue: trades[index].planned.rawValue - trades[index].filled)
                    let orderID = nextOrderID
                    nextOrderID += 1
                    trades[index].escalated = true
                    try sink.append(.escalation(Escalation(tradeID: escalation.trade.tradeID, orderID: orderID, symbol: escalation.trade.symbol,
                                                           side: escalation.trade.side, quantity: remaining, reason: escalation.reason)), at: now)
                    queue.enqueue(QueuedOrder(orderID: orderID, priority: -1, enqueuedAt: now))
                    queued[orderID] = (index, remaining, true)
                }
            }
            try release(at: now)
            if !dryRun && trades.allSatisfy({ $0.filled == $0.planned.rawValue }) && nextSlice == slices.count { break }
        }

        var open: [(UInt64, String)] = []
        for t in trades where t.filled < t.planned.rawValue {
            let traded = bars.symbol.contains(t.symbol.rawValue)
            open.append((t.tradeID, dryRun ? "dry run" : traded ? "the bars ended before the trade completed" : "no bars for \(t.name) in the window"))
        }
        let summaries = trades.map { t in
            TradeExecutionSummary(tradeID: t.tradeID, symbol: t.name, side: t.side, planned: t.planned, filled: Quantity(rawValue: t.filled),
                                  averagePrice: t.filled > 0 ? t.cost / (Double(t.filled) / Double(Quantity.scale)) : nil,
                                  slicesSent: t.sent, slicesFilled: t.filledOrders.count, escalated: t.escalated)
        }
        return ExecutionReport(trades: summaries, open: open, rateLimitWaits: waits)
    }

    /// Equal slices; whole shares unless fractional, the remainder on the last slice.
    func sliceSizes(_ total: Quantity) -> [Quantity] {
        let unit: Int64 = fractionalShares ? 1 : Quantity.scale
        let units = total.rawValue / unit
        let each = units / Int64(numSlices)
        var sizes = [Quantity](repeating: Quantity(rawValue: each * unit), count: numSlices)
        sizes[numSlices - 1] = Quantity(rawValue: total.rawValue - each * unit * Int64(numSlices - 1))
        return sizes
    }
}
