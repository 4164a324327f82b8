import AuroraModel

/// One trade of a rebalancing plan.
public struct PlanTrade: Sendable, Equatable {
    public var symbol: String
    public var side: Side
    /// Shares, always positive.
    public var quantity: Double
    /// Lower numbers go first.
    public var priority: Int
    public var limitPrice: Double?

    public init(symbol: String, side: Side, quantity: Double, priority: Int, limitPrice: Double? = nil) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.priority = priority
        self.limitPrice = limitPrice
    }
}

public struct RebalancingPlan: Sendable, Equatable {
    public var trades: [PlanTrade]
    /// When execution starts, and when what is left becomes market orders.
    public var startTime: Timestamp
    public var aggressiveTime: Timestamp

    public init(trades: [PlanTrade], startTime: Timestamp, aggressiveTime: Timestamp) {
        self.trades = trades
        self.startTime = startTime
        self.aggressiveTime = aggressiveTime
    }
}

/// Turns current and target positions into the trades between them.
///
/// Priorities: sells before buys (selling funds the buying), then the larger notional first (at
/// `prices` when given, else the larger quantity), then symbol name, so a plan is the same
/// whatever order the dictionaries iterate in. Differences smaller than 10⁻⁶ shares are no trade.
public struct RebalancingPlanner: Sendable {
    public var startTime: Timestamp
    public var aggressiveTime: Timestamp

    public struct PlanError: Error, CustomStringConvertible, Sendable, Equatable {
        public var description: String
    }

    public init(startTime: Timestamp, aggressiveTime: Timestamp) {
        self.startTime = startTime
        self.aggressiveTime = aggressiveTime
    }

    public func createPlan(current: [String: Double], target: [String: Double], prices: [String: Double] = [:]) throws -> RebalancingPlan {
        guard aggressiveTime >= startTime else {
            throw PlanError(description: "the window ends (\(aggressiveTime.iso8601)) before it starts (\(startTime.iso8601))")
        }
        for (name, q) in current.merging(target, uniquingKeysWith: { a, _ in a }) where !q.isFinite {
            throw PlanError(description: "position or target for \(name) is not a finite number")
        }
        let symbols = Set(current.keys).union(target.keys).sorted()
        var trades: [PlanTrade] = []
        for symbol in symbols {
            let delta = (target[symbol] ?? 0) - (current[symbol] ?? 0)
            guard abs(delta) >= 1e-6 else { continue }
            trades.append(PlanTrade(symbol: symbol, side: delta > 0 ? .buy : .sell, quantity: abs(delta), priority: 0))
        }
        func size(_ t: PlanTrade) -> Double { t.quantity * (prices[t.symbol] ?? 1) }
        trades.sort { a, b in TradeOrdering.precedes((a.side, size(a)), (b.side, size(b))) ?? (a.symbol < b.symbol) }
        for i in trades.indices { trades[i].priority = i }
        return RebalancingPlan(trades: trades, startTime: startTime, aggressiveTime: aggressiveTime)
    }
}
