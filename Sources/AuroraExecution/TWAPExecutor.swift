import AuroraData
import AuroraKernel
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
    public let rateLimit: Int
    public let numSlices: Int
    public let dryRun: Bool
    public var fractionalShares = false
    /// Log the bars the execution trades against (off when the caller already logs them).
    public var logBars = true
    let sink: Sink
    public private(set) var nextPlanID: UInt64 = 1
    public private(set) var nextTradeID: UInt64 = 1

    public init(gateway: SimulatedExchange, rateLimit: Int = 200, numSlices: Int = 10, dryRun: Bool = false, sink: Sink) {
        self.gateway = gateway
        self.rateLimit = rateLimit
        self.numSlices = max(1, numSlices)
        self.dryRun = dryRun
        self.sink = sink
    }

    /// Runs `plan` over `bars` (intraday bars covering the window), writing every event to the sink.
    public mutating func executePlan(_ plan: RebalancingPlan, bars: BarSeries) throws -> ExecutionReport {
        guard plan.aggressiveTime >= plan.startTime else {
            throw ExecutionError(description: "the window ends (\(plan.aggressiveTime.iso8601)) before it starts (\(plan.startTime.iso8601))")
        }
        guard let first = bars.end.first, let last = bars.end.last else { throw ExecutionError(description: "no bars to execute against") }
        guard plan.aggressiveTime.rawValue >= first - bars.timeframe.rawValue, plan.aggressiveTime.rawValue <= last else {
            throw ExecutionError(description: "the cutoff \(plan.aggressiveTime.iso8601) is outside the session's bars (\(Timestamp(rawValue: first).iso8601) .. \(Timestamp(rawValue: last).iso8601))")
        }
        var symbols: [SymbolID] = []
        var quantities: [Quantity] = []
        for t in plan.trades {
            guard t.quantity.isFinite, t.quantity > 0, let q = Quantity(t.quantity), q.rawValue > 0 else {
                throw ExecutionError(description: "trade \(t.symbol): quantity \(t.quantity) is not a positive number of shares")
            }
            guard let s = bars.symbols.firstIndex(of: t.symbol) else {
                throw ExecutionError(description: "trade \(t.symbol): unknown symbol (not in the bars)")
            }
            symbols.append(SymbolID(s))
            quantities.append(q)
        }
        var session = TWAPSession(exchange: gateway, rateLimit: rateLimit, numSlices: numSlices, fractionalShares: fractionalShares,
                                  dryRun: dryRun, symbolCount: bars.symbols.count)
        let planID = nextPlanID
        nextPlanID += 1
        let start = plan.startTime
        var tradeIDs: [UInt64] = []
        for (i, t) in plan.trades.enumerated() {
            let tradeID = nextTradeID
            nextTradeID += 1
            tradeIDs.append(tradeID)
            try sink.append(.plannedTrade(PlannedTrade(planID: planID, tradeID: tradeID, symbol: symbols[i], side: t.side, quantity: quantities[i],
                                                       priority: Int32(t.priority), limitPrice: t.limitPrice.flatMap(Price.init))), at: start)
            for e in session.schedule(tradeID: tradeID, symbol: symbols[i], side: t.side, quantity: quantities[i],
                                      start: start, cutoff: plan.aggressiveTime) {
                try sink.append(e, at: start)
            }
        }
        for e in session.advance(now: start, bars: []) { try sink.append(e, at: start) }
        let planSymbols = Set(symbols)
        var bar: [Bar] = []
        for step in bars.steps {
            let now = step.time
            guard now > start else { continue }
            bar.removeAll(keepingCapacity: true)
            for i in step.range where planSymbols.contains(SymbolID(rawValue: bars.symbol[i])) { bar.append(bars.bar(i)) }
            if logBars { for b in bar { try sink.append(bar: b, at: now) } }
            for e in session.advance(now: now, bars: bar) { try sink.append(e, at: now) }
            if !dryRun && session.allDone { break }
        }

        var open: [(UInt64, String)] = []
        for (i, t) in session.trades.enumerated() where t.remaining > 0 {
            let traded = bars.symbol.contains(t.symbol.rawValue)
            open.append((tradeIDs[i], dryRun ? "dry run" : traded ? "the bars ended before the trade completed" : "no bars for \(plan.trades[i].symbol) in the window"))
        }
        let summaries = session.trades.enumerated().map { i, t in
            TradeExecutionSummary(tradeID: t.tradeID, symbol: plan.trades[i].symbol, side: t.side, planned: t.planned,
                                  filled: Quantity(rawValue: t.filled),
                                  averagePrice: t.filled > 0 ? t.cost / (Double(t.filled) / Double(Quantity.scale)) : nil,
                                  slicesSent: t.sent, slicesFilled: t.filledOrders.count, escalated: t.escalated)
        }
        return ExecutionReport(trades: summaries, open: open, rateLimitWaits: session.waits)
    }
}
