import ArgumentParser
import Aurora
import Foundation

struct State: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "A reducer's state rebuilt from the log at a moment: positions, cash, equity and P&L by default.",
        discussion: """
        Starts from the reducer's latest checkpoint at or before --at (found through the frame index)
        and folds the events after it. Reducers: \(ComponentRegistry.standard.reducers.map(\.name).joined(separator: ", ")).
        """)

    @Argument(help: "The log.") var log: String
    @Option(name: .long, help: "The moment (inclusive): YYYY-MM-DD (end of that day, UTC), ISO 8601, or epoch ns. Default: the end.") var at: String?
    @Option(name: .long, help: "The reducer whose state to show.") var reducer = "portfolio"
    @OptionGroup var output: TableOrJSON

    func validate() throws {
        guard ComponentRegistry.standard.reducer(named: reducer) != nil else {
            throw ValidationError("unknown reducer \"\(reducer)\"; reducers: \(ComponentRegistry.standard.reducers.map(\.name).joined(separator: ", "))")
        }
        try TimeOptions.check(at, "--at")
    }

    func run() throws {
        let reader = try LogReader(path: log)
        let moment = try at.map { try TimeText.parseEnd($0) }
        guard let entry = ComponentRegistry.standard.reducer(named: reducer) else { throw OptionMisuse("unknown reducer \"\(reducer)\"") }
        let result = try StateQuery.state(of: reader, at: moment, reducer: entry)
        let names = reader.symbols
        if output.format == .json {
            print(try JSONOutput.text(result.fold.report(symbols: names)))
            return
        }
        let from = result.checkpointSequence.map { "checkpoint at event \($0), then \(grouped(result.eventsFolded)) events" }
            ?? "the start, \(grouped(result.eventsFolded)) events"
        let lines = result.fold.tableLines(symbols: names)
        // The portfolio's first line is its time; the source of the fold goes right after it.
        print(lines.first ?? "")
        print("from          \(from)")
        for line in lines.dropFirst() { print(line) }
    }
}
