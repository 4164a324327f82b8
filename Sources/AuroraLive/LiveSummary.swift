import AuroraKernel
import AuroraModel

/// What a status line shows.
public struct LiveStatus: Sendable {
    public var time: Timestamp
    public var events: UInt64
    public var positions: Int
    public var equity: Double
    public var pnl: Double
    public var fills: Int
    public var rejects: Int
    public var notices: Int
    /// Orders that waited for the rate limit so far, and the deepest queue seen.
    public var rateLimitWaits: Int
    public var deepestQueue: Int
    public var resuming: Bool
    /// Open positions (symbol, shares, marked value), largest value first.
    public var holdings: [(symbol: String, shares: Double, value: Double)] = []
    /// The latest fills and input notices, newest last (at most 20 each).
    public var recentFills: [TradeRecord] = []
    public var recentNotices: [String] = []
}

public struct LiveSummary: Sendable {
    public var events: UInt64
    public var digest: String
    public var reason: String
    public var resumedEvents: UInt64
    public var finalState: PortfolioState
    public var notices: Int
    public var rejects: Int
    /// Wall-clock latency of the steps that sent orders, from taking the bars to the kernel's
    /// first order and to handing the orders to the broker (after the log flush).
    public var latency: LatencyStats
}

/// Percentiles of a session's tick-to-order latencies, in microseconds.
public struct LatencyStats: Sendable {
    public var steps: Int
    public var toOrderP50: Int, toOrderP99: Int
    public var toBrokerP50: Int, toBrokerP99: Int

    init(toOrder: [Int], toBroker: [Int]) {
        func p(_ xs: [Int], _ q: Double) -> Int {
            guard !xs.isEmpty else { return 0 }
            let s = xs.sorted()
            return s[min(s.count - 1, Int((Double(s.count - 1) * q).rounded(.up)))]
        }
        steps = toOrder.count
        toOrderP50 = p(toOrder, 0.5); toOrderP99 = p(toOrder, 0.99)
        toBrokerP50 = p(toBroker, 0.5); toBrokerP99 = p(toBroker, 0.99)
    }
}
