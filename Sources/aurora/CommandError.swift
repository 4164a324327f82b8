import ArgumentParser

/// A command that could not do its work — the data it was given, a file it could not write, a
/// tool it runs failing — as against a misuse of its options: "Error: <message>" and exit
/// status 1.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A misuse of a command's options that only its work can find (a benchmark symbol the log does
/// not hold, a shard index the plan does not have): exit status 64 with that command's usage, as
/// for what `validate()` finds. (A `ValidationError` thrown from `run()` would show the usage of
/// `aurora` itself, which says nothing about the option.)
struct OptionMisuse: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }

    /// What ArgumentParser prints for a failed `validate()`: the message, the command's usage, and
    /// where its help is.
    func report(for command: ParsableCommand.Type, root: ParsableCommand.Type) -> String {
        let usage = root.usageString(for: command)
        // The usage starts with the command's path ("aurora sweep run-shard"), then its arguments.
        let path = usage.split(separator: " ").prefix { !($0.first.map { "<[-".contains($0) } ?? true) }
        return "Error: \(description)\nUsage: \(usage)\n  See '\(path.joined(separator: " ")) --help' for more information.\n"
    }
}

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
