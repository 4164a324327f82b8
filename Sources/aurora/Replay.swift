import ArgumentParser
import Aurora

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run a log's recorded inputs through a fresh kernel and compare every decision.",
        discussion: """
        Exit status 0 when every event is identical (prints `identical` and the decision digest), 1 at
        the first divergence, 3 when the log was cut short (a crash, then `recover`) and every event it
        holds is reproduced: `identical up to event N (the log ends there)`. With --config (and --out): a what-if rerun instead — another strategy
        version or configuration over the same recorded inputs, written to a new log whose manifest
        names this one and its digest; compare them with `aurora diff`.
        """)

    @Argument(help: "The recorded log.") var log: String
    @Option(name: .long, help: "Run this configuration over the recorded inputs instead (what-if).") var config: String?
    @Option(name: .long, help: "The what-if log to write.") var out: String?

    func validate() throws {
        if out != nil && config == nil { throw ValidationError("--out goes with --config (a what-if rerun)") }
    }

    func run() throws {
        if let config {
            let (parsed, text) = try ConfigReader.load(path: config, registry: .standard)
            let result = try WhatIfEngine.rerun(parent: log, config: parsed, configFileDigest: sha256(Array(text.utf8)),
                                                out: out ?? "whatif.alog", registry: .standard)
            let s = result.statistics
            print("parent       \(log)")
            print("strategy     \(parsed.strategy.typeName)")
            print("trades       \(grouped(result.trades.count)) fills")
            print("final equity \(money(result.equityCurve.last?.equity ?? parsed.portfolio.initialCash))")
            print("return       total \(percent(s.totalReturn)), Sharpe \(fixed(s.sharpe, 2)), max drawdown \(percent(s.maxDrawdown))")
            print("log          \(result.log.path) (\(grouped(result.log.eventCount)) events)")
            print("digest       \(result.log.digestHex)")
            return
        }
        let reader = try LogReader(path: log)
        let report = try ReplayEngine.replay(path: log, registry: .standard)
        if report.identical {
            print("identical: \(grouped(report.events)) events")
            print("decisions digest \(hexString(report.decisionDigest))")
            return
        }
        if report.identicalPrefix {
            print("identical up to event \(report.identicalEvents > 0 ? report.identicalEvents - 1 : 0) (the log ends there: it was cut short and holds no session end)")
            print("recorded decisions digest \(hexString(report.recordedDecisionDigest))")
            throw ExitCode(3)
        }
        let renderer = EventRenderer(symbols: reader.symbols)
        print("different: first divergence at event \(report.divergence?.sequence ?? 0)")
        print("  recorded: \(report.divergence?.recorded.map { renderer.jsonLine($0).trimmingCharacters(in: .newlines) } ?? "(log ends)")")
        print("  replayed: \(report.divergence?.replayed.map { renderer.jsonLine($0).trimmingCharacters(in: .newlines) } ?? "(run ends)")")
        throw ExitCode(1)
    }
}
