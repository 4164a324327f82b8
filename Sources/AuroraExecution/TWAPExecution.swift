import AuroraData
import AuroraKernel
import AuroraModel

/// TWAP as the kernel's execution model: the trades decided at a day's close are planned then,
/// and executed over the next session's minute bars between `startMinutes` and `cutoffMinutes`
/// (New York time), then completed at the cutoff. A new decision supersedes whatever an earlier
/// plan still has working: those orders are cancelled and logged.
public struct TWAPExecution: ExecutionModel {
    private var session: TWAPSession
    private let settings: TWAPAlgorithm
    private var waiting: [DecidedTrade] = []
    private var decidedAt: Timestamp?
    private var parser: TimeZoneConverter
    public private(set) var skippedTrades = 0

    /// With `externalFills`, released slices go to the session's broker and its fills come back
    /// as answers; otherwise the simulated exchange fills them against the minute bars.
    public init(settings: TWAPAlgorithm, fill: FillModel, fractionalShares: Bool, symbolCount: Int, externalFills: Bool = false) {
        self.settings = settings
        self.session = TWAPSession(exchange: SimulatedExchange(model: fill), rateLimit: settings.rateLimitPerMinute,
                                   numSlices: settings.slices, fractionalShares: fractionalShares, dryRun: false, symbolCount: symbolCount,
                                   external: externalFills)
        self.parser = TimeZoneConverter(zone: "America/New_York")
    }

    public var needsIntradayBars: Bool { true }

    public mutating func onDecisionBars(_ bars: [Bar], at timestamp: Timestamp) -> [EventPayload] {
        // Whatever the last plan has not done by now is superseded by this decision.
        let open = session.trades.filter { !$0.closed && $0.remaining > 0 }.count
        skippedTrades += open
        return session.closeAll(reason: "superseded by the next decision")
    }

    public mutating func submit(_ trade: DecidedTrade, at timestamp: Timestamp) -> [EventPayload] {
        waiting.append(trade)
        decidedAt = timestamp
        // Priority 0 sells, 1 buys: sells go first; within a side the larger notional goes first.
        return [.plannedTrade(PlannedTrade(planID: trade.planID, tradeID: trade.tradeID, symbol: trade.symbol, side: trade.side,
                                           quantity: trade.quantity, priority: trade.side == .sell ? 0 : 1))]
    }

    public mutating func onIntradayBars(_ bars: [Bar], at timestamp: Timestamp) -> [EventPayload] {
        var events: [EventPayload] = []
        if !waiting.isEmpty, let decided = decidedAt, timestamp > decided {
            // The first bar after the decision opens the session the plan runs in.
            let day = timestamp.rawValue / 86_400_000_000_000
            let start = parser.utc(day: day, minutes: settings.startMinutes)
            let cutoff = parser.utc(day: day, minutes: settings.cutoffMinutes)
            // Sells first, then larger trades: selling funds buying (as RebalancingPlanner orders them).
            let ordered = waiting.enumerated().sorted { a, b in
                TradeOrdering.precedes((a.element.side, a.element.quantity.doubleValue * a.element.bar.close.doubleValue),
                                       (b.element.side, b.element.quantity.doubleValue * b.element.bar.close.doubleValue)) ?? (a.offset < b.offset)
            }
            for (_, t) in ordered {
                events += session.schedule(tradeID: t.tradeID, symbol: t.symbol, side: t.side, quantity: t.quantity,
                                           start: max(start, decided), cutoff: max(cutoff, decided))
            }
            waiting.removeAll()
        }
        events += session.advance(now: timestamp, bars: bars)
        return events
    }

    /// Slices and the cutoff fire on the wall clock too, so a quiet minute does not hold them back.
    public mutating func onClock(_ now: Timestamp) -> [EventPayload] {
        session.advance(now: now, bars: [])
    }

    public func nextDue(after now: Timestamp) -> Timestamp? { session.nextDue(after: now) }

    public mutating func onBrokerAnswer(_ answer: EventPayload, at timestamp: Timestamp) -> [EventPayload] {
        session.onBrokerAnswer(answer)
        return []
    }

    /// A split between the decision and the session it runs in re-sizes the waiting trades (their
    /// new size logged as a re-plan); a trade already working keeps its pre-split orders, since
    /// every decision supersedes the last plan before the next session.
    public mutating func onCorporateAction(_ action: CorporateAction, at timestamp: Timestamp) -> [EventPayload] {
        guard action.kind == .split, action.ratio > 0, action.ratio != 1 else { return [] }
        var events: [EventPayload] = []
        for i in waiting.indices where waiting[i].symbol == action.symbol {
            let t = waiting[i].split(action.ratio)
            waiting[i] = t
            events.append(.plannedTrade(PlannedTrade(planID: t.planID, tradeID: t.tradeID, symbol: t.symbol, side: t.side,
                                                     quantity: t.quantity, priority: t.side == .sell ? 0 : 1)))
        }
        return events
    }

    /// A delisted symbol's position is closed at its last price, on the simulated exchange's terms.
    public mutating func closeOut(_ trade: DecidedTrade, at price: Price, reason: String, timestamp: Timestamp) -> [EventPayload] {
        waiting.removeAll { $0.symbol == trade.symbol }
        return session.closeOut(tradeID: trade.tradeID, planID: trade.planID, symbol: trade.symbol, side: trade.side,
                                quantity: trade.quantity, price: price, reason: reason)
    }

    public mutating func finish(at timestamp: Timestamp, reason: String) -> [EventPayload] {
        skippedTrades += session.trades.filter { !$0.closed && $0.remaining > 0 }.count + waiting.count
        waiting.removeAll()
        return session.closeAll(reason: "no bars after the last one (\(reason))")
    }
}

/// Local session times to UTC, with the zone's offset on that day.
struct TimeZoneConverter {
    let zone: String
    func utc(day: Int64, minutes: Int) -> Timestamp {
        (try? TimeText.parse(Self.date(day), timeZone: zone)).map {
            Timestamp(rawValue: $0.rawValue + Int64(minutes) * 60 * Timestamp.nanosecondsPerSecond)
        } ?? Timestamp(rawValue: day * 86_400_000_000_000 + Int64(minutes) * 60_000_000_000)
    }

    static func date(_ day: Int64) -> String { String(Timestamp(rawValue: day * 86_400_000_000_000).iso8601.prefix(10)) }
}
