import ArgumentParser
import Aurora

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Execution quality of every planned trade, from the log alone.",
        discussion: """
        Per trade: planned and filled shares, slices, fills, execution VWAP, market VWAP over the
        trade's window, slippage against arrival and against market VWAP (bps, positive is a cost),
        implementation shortfall (bps), participation, completion, escalations and rate-limit waits;
        then totals. Days are UTC dates of the plan. Works on a log with a torn tail (the intact prefix).
        """)

    @Argument(help: "The log.") var log: String
    @Option(name: .long, help: "Only trades planned on this date (YYYY-MM-DD, UTC).") var day: String?
    @Option(name: .long, help: "Only trades in this symbol.") var symbol: String?
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }
    @Option(name: .long, help: "table, csv or json.") var format: Format = .table

    func validate() throws {
        if let day, day.count != 10 || (try? TimeText.parse(day)) == nil { throw ValidationError("--day must be a date YYYY-MM-DD, not \"\(day)\"") }
    }

    func run() throws {
        let reader = try LogReader(path: log)
        if let symbol, reader.symbolID(symbol) == nil { throw CommandError("the log has no symbol \"\(symbol)\"") }
        var state = ExecutionMonitorState()
        let cursor = reader.events()
        while let e = try cursor.next() { ExecutionMonitor.reduce(&state, e) }
        let trades = state.trades.filter { t in
            (day == nil || String(t.plannedAt.iso8601.prefix(10)) == day) && (symbol == nil || reader.symbolName(t.symbol) == symbol)
        }
        let rows = trades.map { row($0, name: reader.symbolName($0.symbol) ?? "#\($0.symbol.rawValue)") }
        let totals = Totals(trades)
        switch format {
        case .csv:
            print(Self.columns.joined(separator: ","))
            for r in rows { print(r.map(EventRenderer.csvCell).joined(separator: ",")) }
        case .json:
            let report = AuditReport(trades: trades.map { AuditReport.Trade($0, name: reader.symbolName($0.symbol) ?? "#\($0.symbol.rawValue)") },
                                     totals: AuditReport.Totals(ExecutionTotals(trades)))
            print(try JSONOutput.text(report))
        case .table:
            printTable(rows)
            print("")
            print(totals.text)
        }
        if case .torn(let e) = reader.tail { printError("warning: \(e); audited the intact prefix") }
    }

    static let columns = ["trade", "day", "symbol", "side", "planned", "filled", "slices", "fills", "exec_vwap", "market_vwap",
                          "slippage_arrival_bps", "slippage_vwap_bps", "shortfall_bps", "participation", "completion",
                          "escalations", "rate_limit_waits"]

    func row(_ t: TradeExecution, name: String) -> [String] {
        func num(_ v: Double?, _ d: Int) -> String { v.map { fixed($0, d) } ?? "" }
        return [String(t.tradeID), String(t.plannedAt.iso8601.prefix(10)), name, t.side.description, fixed(t.planned, 2),
                fixed(t.filled, 2), String(t.slices), String(t.fills), num(t.executionVWAP, 4), num(t.marketVWAP, 4),
                num(t.slippageVsArrivalBps, 2), num(t.slippageVsMarketVWAPBps, 2), num(t.shortfallBps, 2),
                num(t.participation.map { $0 * 100 }, 3), fixed(t.completion * 100, 1), t.escalations.joined(separator: ";"),
                String(t.rateLimitWaits)]
    }

    func printTable(_ rows: [[String]]) {
        let header = ["trade", "day", "symbol", "side", "planned", "filled", "slices", "fills", "exec VWAP", "mkt VWAP",
                      "slip arr", "slip vwap", "shortfall", "part %", "done %", "escalations", "waits"]
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == 2 || i == 3 || i == 15 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0) : c.leftPadded(widths[i]) }
                .joined(separator: "  ")
        }
        print(line(header))
        for r in rows { print(line(r)) }
    }
}

/// How the totals read.
struct Totals {
    let t: ExecutionTotals

    init(_ list: [TradeExecution]) { t = ExecutionTotals(list) }

    var text: String {
        func num(_ v: Double?) -> String { v.map { fixed($0, 2) } ?? "-" }
        return """
        trades       \(grouped(t.trades)), \(grouped(t.completed)) complete; completion \(fixed(t.completion * 100, 2))% of \(fixed(t.planned, 2)) shares
        slippage     \(num(t.slippageVsArrivalBps)) bps vs arrival, \(num(t.slippageVsMarketVWAPBps)) bps vs market VWAP (notional-weighted)
        shortfall    \(num(t.shortfallBps)) bps
        escalations  \(t.escalations), rate-limit waits \(t.rateLimitWaits)
        """
    }
}
