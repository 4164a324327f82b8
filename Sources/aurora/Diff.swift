import ArgumentParser
import Aurora

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two logs: inputs, the first divergent decision, changes by day or symbol, P&L and its attribution.",
        discussion: """
        First checks that the market inputs agree (else reports where they first differ and stops,
        unless --force). Then: the first decision that differs, with both sides; changed alphas,
        signals, plans, slices and fills by day (or --by symbol); equity of both over time; the P&L
        difference attributed to symbols (fill cash flows plus positions at the last price — the parts
        sum to the total); execution quality of both. Exit status: 0 identical, 1 different, 2 error.
        """)

    @Argument(help: "The first log (A).") var a: String
    @Argument(help: "The second log (B).") var b: String
    @Option(name: .long, help: "table or json.") var format = "table"
    @Option(name: .long, help: "Group changes by day or symbol.") var by = "day"
    @Flag(name: .long, help: "Compare decisions even when the inputs differ.") var force = false

    func validate() throws {
        guard format == "table" || format == "json" else { throw ValidationError("--format must be table or json") }
        guard by == "day" || by == "symbol" else { throw ValidationError("--by must be day or symbol") }
    }

    func run() throws {
        let report: DiffReport
        do {
            report = try LogDiff.compare(a, b, force: force)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        if format == "json" { printJSON(report) } else { printTable(report) }
        if !report.identical { throw ExitCode(1) }
    }

    func renderer(_ r: DiffReport) -> EventRenderer { EventRenderer(symbols: r.symbols) }

    func printTable(_ r: DiffReport) {
        for note in r.notes { print("note         \(note)") }
        print("inputs       \(r.inputDifference.map { "differ \($0)" + (force ? " (compared anyway: --force)" : "; stopped (use --force to compare decisions anyway)") } ?? "agree")")
        if r.identical {
            print("identical    \(grouped(r.eventsCompared.a)) events, every decision the same")
            return
        }
        if let d = r.firstDivergence {
            print("first divergence at \(d.time.iso8601)")
            print("  A: \(d.a.map { renderer(r).jsonLine($0).trimmingCharacters(in: .newlines) } ?? "(nothing)")")
            print("  B: \(d.b.map { renderer(r).jsonLine($0).trimmingCharacters(in: .newlines) } ?? "(nothing)")")
        }
        let t = r.totals
        print("changed      \(grouped(t.alphas)) alphas, \(grouped(t.signals)) signals, \(grouped(t.plans)) plans, \(grouped(t.slices)) slices, \(grouped(t.fills)) fills")
        let rows: [(String, DiffReport.Counts)] = by == "day" ? r.byDay.map { ($0.day, $0.counts) } : r.bySymbol.map { ($0.symbol, $0.counts) }
        print("\(by == "day" ? "day       " : "symbol    ")  alphas  signals  plans  slices  fills")
        for (name, c) in rows.prefix(40) {
            print("\(name.padding(toLength: 10, withPad: " ", startingAt: 0))  \(String(c.alphas).leftPad(6))  \(String(c.signals).leftPad(7))  \(String(c.plans).leftPad(5))  \(String(c.slices).leftPad(6))  \(String(c.fills).leftPad(5))")
        }
        if rows.count > 40 { print("… \(rows.count - 40) more (--format json lists all)") }
        print("P&L          A \(money(r.finalPnL.a)), B \(money(r.finalPnL.b)), B − A \(money(r.finalPnL.b - r.finalPnL.a))")
        if let worst = r.equity.max(by: { abs($0.b - $0.a) < abs($1.b - $1.a) }) {
            print("equity       largest gap \(money(worst.b - worst.a)) on \(worst.day)")
        }
        let top = r.attribution.prefix(10).map { "\($0.symbol) \(money($0.difference))" }.joined(separator: ", ")
        print("attribution  \(top)\(r.attribution.count > 10 ? ", …" : "") (sum \(money(r.attribution.reduce(0) { $0 + $1.difference })))")
        print("execution    completion A \(fixed(r.execution.a.completion * 100, 2))%, B \(fixed(r.execution.b.completion * 100, 2))%; slippage vs arrival A \(r.execution.a.slippageVsArrivalBps.map { fixed($0, 2) } ?? "-") bps, B \(r.execution.b.slippageVsArrivalBps.map { fixed($0, 2) } ?? "-") bps")
    }

    func printJSON(_ r: DiffReport) {
        func counts(_ c: DiffReport.Counts) -> String {
            "{\"alphas\":\(c.alphas),\"signals\":\(c.signals),\"plans\":\(c.plans),\"slices\":\(c.slices),\"fills\":\(c.fills)}"
        }
        func event(_ e: Event?) -> String { e.map { renderer(r).jsonLine($0).trimmingCharacters(in: .newlines) } ?? "null" }
        var parts: [String] = []
        parts.append("\"identical\":\(r.identical)")
        parts.append("\"inputs_agree\":\(r.inputDifference == nil)")
        if let i = r.inputDifference { parts.append("\"input_difference\":\"\(i.replacingOccurrences(of: "\"", with: "'"))\"") }
        if let d = r.firstDivergence { parts.append("\"first_divergence\":{\"time\":\"\(d.time.iso8601)\",\"a\":\(event(d.a)),\"b\":\(event(d.b))}") }
        parts.append("\"changed\":\(counts(r.totals))")
        parts.append("\"by_day\":[\(r.byDay.map { "{\"day\":\"\($0.day)\",\"changed\":\(counts($0.counts))}" }.joined(separator: ","))]")
        parts.append("\"by_symbol\":[\(r.bySymbol.map { "{\"symbol\":\"\($0.symbol)\",\"changed\":\(counts($0.counts))}" }.joined(separator: ","))]")
        parts.append("\"pnl\":{\"a\":\(r.finalPnL.a),\"b\":\(r.finalPnL.b),\"difference\":\(r.finalPnL.b - r.finalPnL.a)}")
        parts.append("\"equity\":[\(r.equity.map { "{\"day\":\"\($0.day)\",\"a\":\($0.a),\"b\":\($0.b)}" }.joined(separator: ","))]")
        parts.append("\"attribution\":[\(r.attribution.map { "{\"symbol\":\"\($0.symbol)\",\"difference\":\($0.difference)}" }.joined(separator: ","))]")
        parts.append("\"notes\":[\(r.notes.map { "\"\($0)\"" }.joined(separator: ","))]")
        print("{" + parts.joined(separator: ",") + "}")
    }
}
