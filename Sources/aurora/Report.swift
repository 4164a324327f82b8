import ArgumentParser
import Aurora
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "An HTML tear sheet: of a log, of two logs compared, or of a research folder.",
        discussion: """
        One self-contained HTML file (inline SVG and CSS, no script, nothing fetched), built from the
        log alone through the reducers:
          aurora report LOG [--benchmark SYMBOL|CSV]   headline numbers, performance plots, execution, identity
          aurora report A.alog B.alog [--force]         the diff report: both equity curves, B − A by day and symbol,
                                                        the first divergent decision, execution side by side
          aurora report --research DIR [--features F,G] a research evaluate/walkforward folder
        A torn log is reported on its intact prefix, and the page says so.
        """)

    @Argument(help: "One log, or two to compare.") var logs: [String] = []
    @Option(name: .long, help: "The HTML file to write.") var out = "report.html"
    @Option(name: .long, help: "A symbol of the log, or a CSV with a date column first and a close column.") var benchmark: String?
    @Option(name: .long, help: "A folder written by `aurora research evaluate|walkforward --out`.") var research: String?
    @Option(name: .long, help: "Research features to draw (default: the 3 with the largest |Rank IC t|).") var features: String?
    @Flag(name: .long, help: "Compare decisions even when the two logs' inputs differ (diff report).") var force = false

    func validate() throws {
        if research != nil {
            guard logs.isEmpty else { throw ValidationError("give either --research DIR or logs, not both") }
        } else {
            guard (1...2).contains(logs.count) else { throw ValidationError("give one log (a run report), two (a diff report) or --research DIR") }
        }
        if benchmark != nil && logs.count != 1 { throw ValidationError("--benchmark goes with one log") }
        if features != nil && research == nil { throw ValidationError("--features goes with --research") }
        guard !out.isEmpty else { throw ValidationError("--out needs a file name") }
    }

    func run() throws {
        let began = Date()
        let html: String
        var torn: String?
        if let research {
            let chosen = features.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []
            html = try ResearchPage.html(folder: research, features: chosen)
        } else if logs.count == 2 {
            let report = try LogDiff.compare(logs[0], logs[1], force: force)
            let renderer = EventRenderer(symbols: report.symbols)
            html = DiffPage.html(report, a: logs[0], b: logs[1]) { renderer.jsonLine($0).trimmingCharacters(in: .newlines) }
        } else {
            var symbol: String?, file: String?
            if let b = benchmark { if FileManager.default.fileExists(atPath: b) { file = b } else { symbol = b } }
            let run = try RunSeries.read(logs[0], registry: .standard, benchmarkSymbol: symbol)
            if let symbol, run.benchmarkCloses == nil {
                throw OptionMisuse("--benchmark \(symbol): neither a file nor a symbol of \(logs[0])")
            }
            var bench: (name: String, closes: [Double])?
            if let symbol, let closes = run.benchmarkCloses { bench = (symbol, closes) }
            if let file {
                bench = ((file as NSString).lastPathComponent,
                         try BenchmarkFile.closes(file, at: run.points.map { Double($0.time.rawValue) / 1e9 }))
            }
            torn = run.tornTail
            html = RunReport.html(run, benchmark: bench)
        }
        try writeAtomically(html, to: out)
        let seconds = Date().timeIntervalSince(began)
        print("report       \(out) (\(grouped(html.utf8.count)) bytes) in \(fixed(seconds, 2)) s")
        if let torn { printError("warning: \(torn); reported the intact prefix") }
    }

    /// A temporary file beside the target, then a rename: a reader never sees half a report.
    func writeAtomically(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw CommandError("\(path): cannot write here")
        }
        if rename(temporary, path) != 0 {
            unlink(temporary)
            throw CommandError("\(path): cannot replace (\(String(cString: strerror(errno))))")
        }
    }
}
