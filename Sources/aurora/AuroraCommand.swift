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

extension AuroraCommand {
    /// ArgumentParser's own entry point, but for an `OptionMisuse` from a command's work, which is
    /// reported against that command.
    static func main() async {
        let command: ParsableCommand
        do { command = try await asyncParseAsRoot() } catch { exit(withError: error) }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let misuse as OptionMisuse {
            printErrorRaw(misuse.report(for: type(of: command), root: self))
            exit(withError: ExitCode.validationFailure)
        } catch {
            exit(withError: error)
        }
    }
}
