import AuroraKernel
import AuroraModel

/// The execution monitor's totals as `aurora state --reducer execution_monitor` prints them.
public struct ExecutionMonitorReport: Encodable, Sendable {
    public var trades, completed, escalations, rateLimitWaits: Int
    public var planned, filled, completion: Double
    public var slippageVsArrivalBps, slippageVsMarketVWAPBps, shortfallBps: Double?

    enum CodingKeys: String, CodingKey {
        case trades, completed, escalations, rateLimitWaits = "rate_limit_waits", planned, filled, completion
        case slippageVsArrivalBps = "slippage_vs_arrival_bps", slippageVsMarketVWAPBps = "slippage_vs_market_vwap_bps"
        case shortfallBps = "shortfall_bps"
    }
}

extension ExecutionMonitor: Reducer {
    public static let name = "execution_monitor"
    public static func initialState() -> ExecutionMonitorState { ExecutionMonitorState() }

    public static func report(_ state: ExecutionMonitorState, symbols: [String]) -> ExecutionMonitorReport {
        let t = ExecutionTotals(state.trades)
        return ExecutionMonitorReport(trades: t.trades, completed: t.completed, escalations: t.escalations, rateLimitWaits: t.rateLimitWaits,
                                      planned: t.planned, filled: t.filled, completion: t.completion,
                                      slippageVsArrivalBps: t.slippageVsArrivalBps, slippageVsMarketVWAPBps: t.slippageVsMarketVWAPBps,
                                      shortfallBps: t.shortfallBps)
    }

    public static func tableLines(_ r: ExecutionMonitorReport) -> [String] {
        func bps(_ v: Double?) -> String { v.map { ReportText.fixed($0, 2) + " bps" } ?? "-" }
        return [
            "trades        \(ReportText.grouped(r.trades)), \(ReportText.grouped(r.completed)) complete (\(ReportText.percent(r.completion)) of planned shares)",
            "slippage      vs arrival \(bps(r.slippageVsArrivalBps)), vs market VWAP \(bps(r.slippageVsMarketVWAPBps))",
            "shortfall     \(bps(r.shortfallBps))",
            "escalations   \(r.escalations), rate-limit waits \(r.rateLimitWaits)",
        ]
    }
}
