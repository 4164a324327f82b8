import AuroraModel

/// The portfolio as `aurora state` prints it.
public struct PortfolioReport: Encodable, Sendable {
    public struct Position: Encodable, Sendable {
        public var symbol: String
        public var quantity: Double
        public var averageCost: Double
        public var lastPrice: Double
        public var marketValue: Double
        enum CodingKeys: String, CodingKey {
            case symbol, quantity, averageCost = "average_cost", lastPrice = "last_price", marketValue = "market_value"
        }
    }

    public var time: String
    public var sequence: UInt64
    public var cash, equity, realizedPnL, unrealizedPnL, fees, grossExposure, netExposure, turnover: Double
    public var positions: [Position]
    /// Cash dividends received (paid when short); absent when there were none.
    public var dividends: Double?

    enum CodingKeys: String, CodingKey {
        case time, sequence, cash, equity, realizedPnL = "realized_pnl", unrealizedPnL = "unrealized_pnl", fees, dividends
        case grossExposure = "gross_exposure", netExposure = "net_exposure", turnover, positions
    }
}

extension PortfolioReducer {
    public static func report(_ s: PortfolioState, symbols: [String]) -> PortfolioReport {
        PortfolioReport(time: s.timestamp.iso8601, sequence: s.sequence, cash: s.cash, equity: s.equity, realizedPnL: s.realizedPnL,
                        unrealizedPnL: s.unrealizedPnL, fees: s.fees, grossExposure: s.grossExposure, netExposure: s.netExposure,
                        turnover: s.turnover, positions: s.openSymbols.map { id in
            let i = id.index
            return PortfolioReport.Position(symbol: i < symbols.count ? symbols[i] : "#\(i)", quantity: s.quantity(id),
                                            averageCost: s.averageCost[i], lastPrice: s.lastPrice[i],
                                            marketValue: s.quantity(id) * s.lastPrice[i])
        }, dividends: s.dividends == 0 ? nil : s.dividends)
    }

    public static func tableLines(_ r: PortfolioReport) -> [String] {
        var lines = [
            "time          \(r.time) (event \(r.sequence))",
            "cash          \(ReportText.money(r.cash))",
            "equity        \(ReportText.money(r.equity))",
            "P&L           realized \(ReportText.money(r.realizedPnL)), unrealized \(ReportText.money(r.unrealizedPnL)), fees \(ReportText.money(r.fees))",
            r.dividends.map { "dividends     \(ReportText.money($0))" },
            "exposure      gross \(ReportText.money(r.grossExposure)), net \(ReportText.money(r.netExposure)), turnover \(ReportText.money(r.turnover))",
            "positions     \(r.positions.count)",
        ].compactMap { $0 }
        for p in r.positions {
            let name = p.symbol.padding(toLength: 10, withPad: " ", startingAt: 0)
            lines.append("  \(name) \(ReportText.fixed(p.quantity, 6).leftPadded(16))  avg \(ReportText.fixed(p.averageCost, 4).leftPadded(12))  last \(ReportText.fixed(p.lastPrice, 4).leftPadded(12))  value \(ReportText.money(p.marketValue).leftPadded(16))")
        }
        return lines
    }

    public static func checkpointBytes(_ state: PortfolioState) -> [UInt8]? { state.checkpointBytes }
    public static func restore(_ bytes: [UInt8]) -> PortfolioState? { PortfolioState(checkpointBytes: bytes) }
}
