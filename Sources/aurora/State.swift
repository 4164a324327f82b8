import ArgumentParser
import Aurora

struct State: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Positions, cash, equity and P&L rebuilt by the reducers at a moment of the log.",
        discussion: "Starts from the last checkpoint at or before --at (found through the frame index) and folds the events after it.")

    @Argument(help: "The log.") var log: String
    @Option(name: .long, help: "The moment (inclusive): YYYY-MM-DD (end of that day, UTC), ISO 8601, or epoch ns. Default: the end.") var at: String?
    @Option(name: .long, help: "table or json.") var format = "table"

    func validate() throws {
        guard format == "table" || format == "json" else { throw ValidationError("--format must be table or json") }
    }

    func run() throws {
        let reader = try LogReader(path: log)
        var moment: Timestamp?
        if let at { moment = try TimeText.parseEnd(at) }
        let result = try StateQuery.state(of: reader, at: moment)
        let s = result.state
        let names = reader.symbols
        if format == "json" {
            var rows: [String] = []
            for id in s.openSymbols {
                let i = id.index
                rows.append("{\"symbol\":\"\(names[i])\",\"quantity\":\(s.quantity(id)),\"average_cost\":\(s.averageCost[i]),\"last_price\":\(s.lastPrice[i]),\"market_value\":\(s.quantity(id) * s.lastPrice[i])}")
            }
            print("{\"time\":\"\(s.timestamp.iso8601)\",\"sequence\":\(s.sequence),\"cash\":\(s.cash),\"equity\":\(s.equity),\"realized_pnl\":\(s.realizedPnL),\"unrealized_pnl\":\(s.unrealizedPnL),\"fees\":\(s.fees),\"gross_exposure\":\(s.grossExposure),\"net_exposure\":\(s.netExposure),\"turnover\":\(s.turnover),\"positions\":[\(rows.joined(separator: ","))]}")
            return
        }
        print("time          \(s.timestamp.iso8601) (event \(s.sequence))")
        print("from          \(result.checkpointSequence.map { "checkpoint at event \($0), then \(grouped(result.eventsFolded)) events" } ?? "the start, \(grouped(result.eventsFolded)) events")")
        print("cash          \(money(s.cash))")
        print("equity        \(money(s.equity))")
        print("P&L           realized \(money(s.realizedPnL)), unrealized \(money(s.unrealizedPnL)), fees \(money(s.fees))")
        print("exposure      gross \(money(s.grossExposure)), net \(money(s.netExposure)), turnover \(money(s.turnover))")
        print("positions     \(s.openSymbols.count)")
        for id in s.openSymbols {
            let i = id.index
            let name = names[i].padding(toLength: 10, withPad: " ", startingAt: 0)
            print("  \(name) \(fixed(s.quantity(id), 6).leftPad(16))  avg \(fixed(s.averageCost[i], 4).leftPad(12))  last \(fixed(s.lastPrice[i], 4).leftPad(12))  value \(money(s.quantity(id) * s.lastPrice[i]).leftPad(16))")
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
