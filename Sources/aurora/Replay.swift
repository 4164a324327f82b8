import ArgumentParser
import AuroraAlpha
import AuroraExecution
import AuroraLog
import AuroraModel

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run a log's recorded inputs through a fresh kernel and compare every decision.",
        discussion: "Exit status 0 when every event is identical (prints `identical` and the decision digest), 1 at the first divergence.")

    @Argument(help: "The recorded log.") var log: String

    func run() throws {
        let reader = try LogReader(path: log)
        let report = try ReplayEngine.replay(path: log, executionFactory: ExecutionLayer.factory)
        if report.identical {
            print("identical: \(grouped(report.events)) events")
            print("decisions digest \(hexString(report.decisionDigest))")
            return
        }
        let renderer = EventRenderer(symbols: reader.symbols)
        print("different: first divergence at event \(report.divergence?.sequence ?? 0)")
        print("  recorded: \(report.divergence?.recorded.map { renderer.jsonLine($0).trimmingCharacters(in: .newlines) } ?? "(log ends)")")
        print("  replayed: \(report.divergence?.replayed.map { renderer.jsonLine($0).trimmingCharacters(in: .newlines) } ?? "(run ends)")")
        throw ExitCode(1)
    }
}
