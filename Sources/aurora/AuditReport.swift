import Aurora

/// `aurora audit --format json`: every trade's execution quality and the totals.
struct AuditReport: Encodable {
    struct Trade: Encodable {
        var trade: UInt64
        var day, symbol, side: String
        var planned, filled: Double
        var slices, fills: Int
        var execVWAP, marketVWAP, slippageArrivalBps, slippageVWAPBps, shortfallBps, participation: Double?
        var completion: Double
        var escalations: [String]
        var rateLimitWaits: Int

        enum CodingKeys: String, CodingKey {
            case trade, day, symbol, side, planned, filled, slices, fills, execVWAP = "exec_vwap", marketVWAP = "market_vwap"
            case slippageArrivalBps = "slippage_arrival_bps", slippageVWAPBps = "slippage_vwap_bps", shortfallBps = "shortfall_bps"
            case participation, completion, escalations, rateLimitWaits = "rate_limit_waits"
        }

        init(_ t: TradeExecution, name: String) {
            trade = t.tradeID
            day = String(t.plannedAt.iso8601.prefix(10))
            symbol = name
            side = t.side.description
            planned = t.planned
            filled = t.filled
            slices = t.slices
            fills = t.fills
            execVWAP = t.executionVWAP
            marketVWAP = t.marketVWAP
            slippageArrivalBps = t.slippageVsArrivalBps
            slippageVWAPBps = t.slippageVsMarketVWAPBps
            shortfallBps = t.shortfallBps
            participation = t.participation
            completion = t.completion
            escalations = t.escalations
            rateLimitWaits = t.rateLimitWaits
        }
    }

    struct Totals: Encodable {
        var trades, complete, escalations, rateLimitWaits: Int
        var completion, planned, filled: Double
        var slippageArrivalBps, slippageVWAPBps, shortfallBps: Double?

        enum CodingKeys: String, CodingKey {
            case trades, complete, escalations, rateLimitWaits = "rate_limit_waits", completion, planned, filled
            case slippageArrivalBps = "slippage_arrival_bps", slippageVWAPBps = "slippage_vwap_bps", shortfallBps = "shortfall_bps"
        }

        init(_ t: ExecutionTotals) {
            trades = t.trades
            complete = t.completed
            escalations = t.escalations
            rateLimitWaits = t.rateLimitWaits
            completion = t.completion
            planned = t.planned
            filled = t.filled
            slippageArrivalBps = t.slippageVsArrivalBps
            slippageVWAPBps = t.slippageVsMarketVWAPBps
            shortfallBps = t.shortfallBps
        }
    }

    var trades: [Trade]
    var totals: Totals
}
