/// Totals over a set of trades: completion, and slippage and shortfall averaged with notional
/// weights (filled notional for slippage, planned notional at arrival for shortfall).
public struct ExecutionTotals: Sendable, Equatable {
    public var trades = 0, completed = 0, escalations = 0, rateLimitWaits = 0
    public var planned = 0.0, filled = 0.0
    public var slippageVsArrivalBps: Double?
    public var slippageVsMarketVWAPBps: Double?
    public var shortfallBps: Double?

    public var completion: Double { planned > 0 ? filled / planned : 0 }

    public init(_ list: [TradeExecution]) {
        trades = list.count
        var wA = 0.0, sA = 0.0, wV = 0.0, sV = 0.0, wS = 0.0, sS = 0.0
        for t in list {
            planned += t.planned
            filled += t.filled
            if t.completion >= 1 - 1e-12 { completed += 1 }
            escalations += t.escalations.count
            rateLimitWaits += t.rateLimitWaits
            if let x = t.slippageVsArrivalBps { wA += t.filledNotional; sA += x * t.filledNotional }
            if let x = t.slippageVsMarketVWAPBps { wV += t.filledNotional; sV += x * t.filledNotional }
            if let x = t.shortfallBps, let a = t.arrivalPrice { let w = t.planned * a; wS += w; sS += x * w }
        }
        slippageVsArrivalBps = wA > 0 ? sA / wA : nil
        slippageVsMarketVWAPBps = wV > 0 ? sV / wV : nil
        shortfallBps = wS > 0 ? sS / wS : nil
    }
}
