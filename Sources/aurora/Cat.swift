import ArgumentParser
import Aurora

struct Cat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Stream a log's events as JSON lines or CSV.",
        discussion: """
        Kinds: \(EventKind.allCases.map(\.name).joined(separator: ", ")).
        --from seeks through the frame index: frames before it are not decompressed.
        Times: YYYY-MM-DD (midnight UTC), YYYY-MM-DDTHH:MM:SS[Z|±HH:MM], or epoch nanoseconds.
        """)

    @Argument(help: "The log.") var log: String
    @Option(name: .long, help: "Only events of this kind (repeatable).") var kind: [String] = []
    @Option(name: .long, help: "Only events about this symbol (repeatable).") var symbol: [String] = []
    @Option(name: .long, help: "First time to show (inclusive).") var from: String?
    @Option(name: .long, help: "Last time to show (inclusive).") var to: String?
    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, csv }
    @Option(name: .long, help: "jsonl or csv.") var format: Format = .jsonl
    @Option(name: .long, help: "Stop after this many events.") var limit: Int?

    func validate() throws {
        for k in kind where EventKind(name: k) == nil {
            throw ValidationError("unknown kind \"\(k)\"; kinds are: \(EventKind.allCases.map(\.name).joined(separator: ", "))")
        }
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        try TimeOptions.check(from, "--from")
        try TimeOptions.check(to, "--to")
    }

    func run() throws {
        let fromTime = try from.map { try TimeText.parse($0) }
        let toTime = try to.map { try TimeText.parse($0) }
        let reader = try LogReader(path: log)
        var kindFilter = [Bool](repeating: kind.isEmpty, count: 256)
        for k in kind { if let kind = EventKind(name: k) { kindFilter[Int(kind.rawValue)] = true } }
        var symbolFilter: [Bool]? = nil
        var symbolIDs = Set<SymbolID>()
        if !symbol.isEmpty {
            var allowed = [Bool](repeating: false, count: reader.symbols.count)
            for name in symbol {
                guard let id = reader.symbolID(name) else {
                    throw CommandError("the log has no symbol \"\(name)\"")
                }
                allowed[id.index] = true
                symbolIDs.insert(id)
            }
            symbolFilter = allowed
        }
        let renderer = EventRenderer(symbols: reader.symbols)
        let out = OutputStream()
        let kinds = kind.isEmpty ? EventKind.allCases : kind.compactMap(EventKind.init(name:))
        let layout = EventRenderer.CSVLayout(kinds: kinds)
        if format == .csv { out.write(layout.columns.joined(separator: ",") + "\n") }
        // Kinds not asked for are checked but never built; with symbols, neither are other
        // symbols' bars (read as values, passed over once their symbol is read).
        let cursor = reader.events(from: fromTime.map { .timestamp($0) } ?? .beginning, through: toTime, kinds: kind.isEmpty ? nil : Set(kinds),
                                   barsAsValues: symbolFilter != nil, barSymbols: symbolFilter != nil ? symbolIDs : nil)
        var shown = 0
        // Read once: the options are property wrappers, slow to read per event.
        let (limit, csv) = (self.limit, format == .csv)
        while let event = try cursor.next() {
            if let toTime, event.timestamp > toTime { break }
            guard kindFilter[Int(event.kind.rawValue)] else { continue }
            if let symbolFilter {
                guard let s = event.payload.symbol, s.index < symbolFilter.count, symbolFilter[s.index] else { continue }
            }
            if let limit, shown >= limit { break }
            if csv { renderer.writeCSVLine(event, layout: layout, to: out) } else { out.write(renderer.jsonLine(event)) }
            shown += 1
        }
        out.flush()
        if case .torn(let e) = reader.tail {
            printError("warning: \(e); showed the intact prefix")
        } else if reader.tail == .unclosed {
            printError("warning: \(log) was not closed; showed all intact frames")
        }
    }
}
