import AuroraData
import AuroraKernel
import AuroraModel

/// The TWAP machinery, advanced one bar time at a time: slices fire on schedule (timer events),
/// pass the rate-limited queue (waits logged), trade at the simulated exchange within the
/// participation cap, and at each trade's cutoff the completion handler sends what is left as an
/// uncapped market order. It returns events and never writes: the standalone `TWAPExecutor` and
/// the kernel's `TWAPExecution` both log what it returns.
struct TWAPSession {
    var exchange: SimulatedExchange
    var queue: RateLimitedOrderQueue
    let numSlices: Int
    let fractionalShares: Bool
    let dryRun: Bool
    /// Released orders go to a broker outside the kernel: not matched here; its fills come back.
    let external: Bool
    /// Quantity still open at the outside broker, by order id (external mode).
    private var atBroker: [UInt64: Int64] = [:]
    private(set) var trades: [TradeState] = []
    private var slices: [Slice] = []
    private var nextSlice = 0
    private var working: [[WorkingOrder]]
    private var tradeOfOrder: [UInt64: Int] = [:]
    private var queued: [UInt64: (trade: Int, quantity: Quantity, uncapped: Bool)] = [:]
    private(set) var nextOrderID: UInt64 = 1
    private(set) var waits = 0

    struct Slice {
        var trade: Int
        var orderID: UInt64
        var time: Timestamp
        var quantity: Quantity
    }

    struct TradeState {
        var tradeID: UInt64
        var symbol: SymbolID
        var side: Side
        var planned: Quantity
        var cutoff: Timestamp
        var filled: Int64 = 0
        var cost: Double = 0
        var sent = 0
        var filledOrders: Set<UInt64> = []
        var escalated = false
        var closed = false
        var remaining: Int64 { planned.rawValue - filled }
    }

    init(exchange: SimulatedExchange, rateLimit: Int, numSlices: Int, fractionalShares: Bool, dryRun: Bool, symbolCount: Int,
         external: Bool = false) {
        self.external = external
        self.exchange = exchange
        self.queue = RateLimitedOrderQueue(maxPerMinute: rateLimit)
        self.numSlices = max(1, numSlices)
        self.fractionalShares = fractionalShares
        self.dryRun = dryRun
        self.working = Array(repeating: [], count: symbolCount)
    }

    var allDone: Bool { trades.allSatisfy { $0.closed || $0.remaining == 0 } && nextSlice == slices.count }

    /// Adds a trade and its slices over [start, cutoff]; returns the slice events.
    mutating func schedule(tradeID: UInt64, symbol: SymbolID, side: Side, quantity: Quantity,
                           start: Timestamp, cutoff: Timestamp) -> [EventPayload] {
        let index = trades.count
        trades.append(TradeState(tradeID: tradeID, symbol: symbol, side: side, planned: quantity, cutoff: cutoff))
        var events: [EventPayload] = []
        for (k, size) in Self.sliceSizes(quantity, slices: numSlices, fractional: fractionalShares).enumerated() where size.rawValue > 0 {
            let when = Timestamp(rawValue: start.rawValue + (cutoff.rawValue - start.rawValue) / Int64(numSlices) * Int64(k))
            let slice = Slice(trade: index, orderID: nextOrderID, time: when, quantity: size)
            nextOrderID += 1
            events.append(.orderSlice(OrderSlice(tradeID: tradeID, sliceIndex: UInt32(k), orderID: slice.orderID, symbol: symbol,
                                                 scheduledTime: when, quantity: size)))
            // Keep slices in time order (then order id) as trades are added.
            let at = slices[nextSlice...].firstIndex { ($0.time, $0.orderID) > (when, slice.orderID) } ?? slices.count
            slices.insert(slice, at: at)
        }
        return events
    }

    /// The next time something is due after `now`: a slice, a cutoff, or an order the rate limit
    /// holds back. Nil when nothing is waiting on the clock.
    func nextDue(after now: Timestamp) -> Timestamp? {
        var due: Timestamp?
        func consider(_ t: Timestamp) { if due.map({ t < $0 }) ?? true { due = t } }
        if nextSlice < slices.count { consider(slices[nextSlice].time) }
        for t in trades where !t.escalated && !t.closed && t.remaining > 0 { consider(t.cutoff) }
        if queue.depth > 0 { consider(queue.nextRelease(after: now)) }
        return due
    }

    /// Everything that happens at `now`: fills of working orders against these bars, timers,
    /// cutoffs, releases from the queue.
    mutating func advance(now: Timestamp, bars: [Bar]) -> [EventPayload] {
        var events: [EventPayload] = []
        for bar in bars {
            let s = bar.symbol.index
            guard s < working.count, !working[s].isEmpty else { continue }
            for f in exchange.match(&working[s], bar: bar, at: now) {
                events.append(.fill(f))
                if let t = tradeOfOrder[f.orderID] {
                    trades[t].filled += f.quantity.rawValue
                    trades[t].cost += f.quantity.doubleValue * f.price.doubleValue
                    trades[t].filledOrders.insert(f.orderID)
                }
            }
            working[s].removeAll { $0.remaining.rawValue == 0 }
        }
        while nextSlice < slices.count && slices[nextSlice].time <= now {
            let slice = slices[nextSlice]
            nextSlice += 1
            guard !trades[slice.trade].escalated, !trades[slice.trade].closed else { continue }
            events.append(.timer(TimerFired(timerID: slice.orderID, purpose: "twap_slice")))
            if !dryRun {
                queue.enqueue(QueuedOrder(orderID: slice.orderID, priority: slice.trade, enqueuedAt: now))
                queued[slice.orderID] = (slice.trade, slice.quantity, false)
            }
        }
        if !dryRun { events += escalateDue(now) }
        if !dryRun { events += release(now) }
        return events
    }

    private mutating func escalateDue(_ now: Timestamp) -> [EventPayload] {
        let due = trades.indices.filter { !trades[$0].escalated && !trades[$0].closed && trades[$0].cutoff <= now }
        guard !due.isEmpty else { return [] }
        var events: [EventPayload] = []
        var cutoffs: [Timestamp] = []
        for t in due where !cutoffs.contains(trades[t].cutoff) { cutoffs.append(trades[t].cutoff) }
        for cutoff in cutoffs.sorted() {
            events.append(.timer(TimerFired(timerID: 0, purpose: "cutoff")))
            let group = due.filter { trades[$0].cutoff == cutoff }
            // What an outside broker still holds will fill there: only the rest is escalated.
            let pending = group.compactMap { t -> PendingTrade? in
                let rest = trades[t].remaining - (external ? openAtBroker(t) : 0)
                guard rest > 0 || !external else { return nil }
                return PendingTrade(tradeID: trades[t].tradeID, symbol: trades[t].symbol, side: trades[t].side, remaining: Quantity(rawValue: rest))
            }
            for t in group { trades[t].escalated = true }
            for escalation in AggressiveCompletionHandler(cutoffTime: cutoff).checkAndEscalate(pending, now: now) {
                guard let t = group.first(where: { trades[$0].tradeID == escalation.trade.tradeID }) else { continue }
                events += cancelOrders(of: t, reason: "replaced by escalation at cutoff")
                let orderID = nextOrderID
                nextOrderID += 1
                events.append(.escalation(Escalation(tradeID: trades[t].tradeID, orderID: orderID, symbol: trades[t].symbol,
                                                     side: trades[t].side, quantity: escalation.trade.remaining, reason: escalation.reason)))
                queue.enqueue(QueuedOrder(orderID: orderID, priority: -1, enqueuedAt: now))
                queued[orderID] = (t, escalation.trade.remaining, true)
            }
        }
        return events
    }

    private mutating func release(_ now: Timestamp) -> [EventPayload] {
        var events: [EventPayload] = []
        for result in queue.processBatch(now: now) {
            switch result {
            case .released(let order):
                guard let q = queued.removeValue(forKey: order.orderID) else { continue }   // cancelled while queued
                let t = trades[q.trade]
                events.append(.orderSubmitted(OrderSubmitted(orderID: order.orderID, tradeID: t.tradeID, symbol: t.symbol, side: t.side,
                                                             type: .market, quantity: q.quantity)))
                if external {
                    atBroker[order.orderID] = q.quantity.rawValue
                } else {
                    working[t.symbol.index].append(WorkingOrder(orderID: order.orderID, tradeID: t.tradeID, symbol: t.symbol, side: t.side,
                                                                type: .market, remaining: q.quantity, submittedAt: now, uncapped: q.uncapped))
                }
                tradeOfOrder[order.orderID] = q.trade
                trades[q.trade].sent += 1
            case .waiting(let order, let until, let depth):
                guard queued[order.orderID] != nil else { continue }
                waits += 1
                events.append(.rateLimitWait(RateLimitWait(orderID: order.orderID, until: until, queueDepth: UInt32(depth))))
            }
        }
        return events
    }

    /// An outside broker's answer about an order this session released (external mode).
    mutating func onBrokerAnswer(_ answer: EventPayload) {
        switch answer {
        case .fill(let f):
            guard let t = tradeOfOrder[f.orderID] else { return }
            trades[t].filled += f.quantity.rawValue
            trades[t].cost += f.quantity.doubleValue * f.price.doubleValue
            trades[t].filledOrders.insert(f.orderID)
            if let open = atBroker[f.orderID] {
                atBroker[f.orderID] = open - f.quantity.rawValue > 0 ? open - f.quantity.rawValue : nil
            }
        case .orderRejected(let r): atBroker[r.orderID] = nil
        case .orderCancelled(let c): atBroker[c.orderID] = nil
        default: break
        }
    }

    /// What a trade still has open at an outside broker.
    private func openAtBroker(_ t: Int) -> Int64 {
        var open: Int64 = 0
        for (orderID, q) in atBroker where tradeOfOrder[orderID] == t { open += q }
        return open
    }

    /// Cancels a trade's working and queued orders. Orders already at an outside broker are
    /// market orders left to fill there; their fills still count.
    mutating func cancelOrders(of t: Int, reason: String) -> [EventPayload] {
        var events: [EventPayload] = []
        let s = trades[t].symbol.index
        for order in working[s] where order.tradeID == trades[t].tradeID {
            events.append(.orderCancelled(OrderCancelled(orderID: order.orderID, reason: reason)))
        }
        working[s].removeAll { $0.tradeID == trades[t].tradeID }
        for (orderID, q) in queued.sorted(by: { $0.key < $1.key }) where q.trade == t {
            queued.removeValue(forKey: orderID)
            events.append(.orderCancelled(OrderCancelled(orderID: orderID, reason: reason)))
        }
        return events
    }

    /// Closes every open trade (cancelling its orders): a new decision supersedes them, or the data ended.
    mutating func closeAll(reason: String) -> [EventPayload] {
        var events: [EventPayload] = []
        for t in trades.indices where !trades[t].closed {
            events += cancelOrders(of: t, reason: reason)
            trades[t].closed = true
        }
        nextSlice = slices.count
        return events
    }

    /// One order for the whole quantity, filled at `price` with the exchange's fees: a delisted
    /// symbol's position closed at its last price.
    mutating func closeOut(tradeID: UInt64, planID: UInt64, symbol: SymbolID, side: Side, quantity: Quantity, price: Price,
                           reason: String) -> [EventPayload] {
        let orderID = nextOrderID
        nextOrderID += 1
        let fee = exchange.model.fee(shares: quantity.doubleValue, price: price.doubleValue)
        return [
            .plannedTrade(PlannedTrade(planID: planID, tradeID: tradeID, symbol: symbol, side: side, quantity: quantity, priority: 0)),
            .orderSubmitted(OrderSubmitted(orderID: orderID, tradeID: tradeID, symbol: symbol, side: side, type: .market, quantity: quantity)),
            .fill(Fill(orderID: orderID, symbol: symbol, side: side, quantity: quantity, price: price, fees: Price(saturating: fee),
                       liquidity: .taker)),
        ]
    }

    /// Equal slices; whole shares unless fractional, the remainder on the last slice.
    static func sliceSizes(_ total: Quantity, slices n: Int, fractional: Bool) -> [Quantity] {
        let unit: Int64 = fractional ? 1 : Quantity.scale
        let each = total.rawValue / unit / Int64(n)
        var sizes = [Quantity](repeating: Quantity(rawValue: each * unit), count: n)
        sizes[n - 1] = Quantity(rawValue: total.rawValue - each * unit * Int64(n - 1))
        return sizes
    }
}
