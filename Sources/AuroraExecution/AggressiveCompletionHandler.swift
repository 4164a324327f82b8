import AuroraModel

/// What is still to do for one trade.
public struct PendingTrade: Sendable, Equatable {
    public var tradeID: UInt64
    public var symbol: SymbolID
    public var side: Side
    /// Shares still unfilled and not already escalated.
    public var remaining: Quantity
    public init(tradeID: UInt64, symbol: SymbolID, side: Side, remaining: Quantity) {
        self.tradeID = tradeID
        self.symbol = symbol
        self.side = side
        self.remaining = remaining
    }
}

/// A market order for what a trade has left, and why.
public struct EscalationOrder: Sendable, Equatable {
    public var trade: PendingTrade
    public var reason: String
}

/// From `cutoffTime` on, whatever is left of each trade goes out as a market order.
public struct AggressiveCompletionHandler: Sendable {
    public var cutoffTime: Timestamp
    public static let cutoffReason = "cutoff_time_reached"

    public init(cutoffTime: Timestamp) { self.cutoffTime = cutoffTime }

    /// Nothing before the cutoff; at or after it, one market order per trade with quantity left.
    public func checkAndEscalate(_ pending: [PendingTrade], now: Timestamp) -> [EscalationOrder] {
        guard now >= cutoffTime else { return [] }
        return pending.filter { $0.remaining.rawValue > 0 }.map { EscalationOrder(trade: $0, reason: Self.cutoffReason) }
    }
}
