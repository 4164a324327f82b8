import ArgumentParser
import Aurora

@main
struct AuroraCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aurora",
        abstract: "Event-sourced trading simulation: every bar, decision and fill in one zstd event log.",
        version: AuroraVersion.engine,
        subcommands: subcommands
    )
}

#if Alpaca
private let subcommands: [any ParsableCommand.Type] = [Backtest.self, Replay.self, Diff.self, Report.self, Sweep.self, State.self, Audit.self, Bench.self, Live.self, Research.self,
                                                        PaperExchangeCommand.self, ImportBars.self, Info.self, Verify.self, Cat.self, Recover.self]
#else
private let subcommands: [any ParsableCommand.Type] = [Backtest.self, Replay.self, Diff.self, Report.self, Sweep.self, State.self, Audit.self, Bench.self, Live.self, Research.self,
                                                        ImportBars.self, Info.self, Verify.self, Cat.self, Recover.self]
#endif
