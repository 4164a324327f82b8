import ArgumentParser
import Aurora

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
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
    @OptionGroup var output: TableOrJSON
    enum Grouping: String, ExpressibleByArgument, CaseIterable { case day, symbol }
    @Option(name: .long, help: "Group changes by day or symbol.") var by: Grouping = .day
    @Flag(name: .long, help: "Compare decisions even when the inputs differ.") var force = false

    func run() throws {
        let report: DiffReport
        do {
            report = try LogDiff.compare(a, b, force: force)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        if output.format == .json { try printJSON(report) } else { printTable(report) }
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
        let rows: [(String, DiffReport.Counts)] = by == .day ? r.byDay.map { ($0.day, $0.counts) } : r.bySymbol.map { ($0.symbol, $0.counts) }
        print("\(by == .day ? "day       " : "symbol    ")  alphas  signals  plans  slices  fills")
        for (name, c) in rows.prefix(40) {
            print("\(name.padding(toLength: 10, withPad: " ", startingAt: 0))  \(String(c.alphas).leftPadded(6))  \(String(c.signals).leftPadded(7))  \(String(c.plans).leftPadded(5))  \(String(c.slices).leftPadded(6))  \(String(c.fills).leftPadded(5))")
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

    func printJSON(_ r: DiffReport) throws {
        func event(_ e: Event?) -> JSONValue { e.map { JSONValue(parsing: renderer(r).jsonLine($0)) } ?? .null }
        let report = DiffJSON(
            identical: r.identical, inputsAgree: r.inputDifference == nil, inputDifference: r.inputDifference,
            firstDivergence: r.firstDivergence.map { DiffJSON.Divergence(time: $0.time.iso8601, a: event($0.a), b: event($0.b)) },
            changed: DiffJSON.Counts(r.totals),
            byDay: r.byDay.map { DiffJSON.Group(day: $0.day, symbol: nil, changed: DiffJSON.Counts($0.counts)) },
            bySymbol: r.bySymbol.map { DiffJSON.Group(day: nil, symbol: $0.symbol, changed: DiffJSON.Counts($0.counts)) },
            pnl: DiffJSON.PnL(a: r.finalPnL.a, b: r.finalPnL.b, difference: r.finalPnL.b - r.finalPnL.a),
            equity: r.equity.map { DiffJSON.Equity(day: $0.day, a: $0.a, b: $0.b) },
            attribution: r.attribution.map { DiffJSON.Attribution(symbol: $0.symbol, difference: $0.difference) },
            notes: r.notes)
        print(try JSONOutput.text(report))
    }
}

/// `aurora diff --format json`.
struct DiffJSON: Encodable {
    struct Counts: Encodable {
        var alphas, signals, plans, slices, fills: Int
        init(_ c: DiffReport.Counts) { (alphas, signals, plans, slices, fills) = (c.alphas, c.signals, c.plans, c.slices, c.fills) }
    }
    struct Divergence: Encodable { var time: String; var a, b: JSONValue }
    struct Group: Encodable { var day, symbol: String?; var changed: Counts }
    struct PnL: Encodable { var a, b, difference: Double }
    struct Equity: Encodable { var day: String; var a, b: Double }
    struct Attribution: Encodable { var symbol: String; var difference: Double }

    var identical, inputsAgree: Bool
    var inputDifference: String?
    var firstDivergence: Divergence?
    var changed: Counts
    var byDay, bySymbol: [Group]
    var pnl: PnL
    var equity: [Equity]
    var attribution: [Attribution]
    var notes: [String]

    enum CodingKeys: String, CodingKey {
        case identical, inputsAgree = "inputs_agree", inputDifference = "input_difference", firstDivergence = "first_divergence"
        case changed, byDay = "by_day", bySymbol = "by_symbol", pnl, equity, attribution, notes
    }
}
