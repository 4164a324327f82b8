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
        // The usage starts with the command's path ("aurora sweep run-shard"), then its arguments
        // (each starting with <, [ or -).
        let path = usage.split(separator: " ").prefix { word in !"<[-".contains(word.first ?? "<") }
        return "Error: \(description)\nUsage: \(usage)\n  See '\(path.joined(separator: " ")) --help' for more information.\n"
    }
}
