/// A command that could not do its work — the data it was given, a file it could not write, a
/// tool it runs failing — as against a misuse of its options: "Error: <message>" and exit
/// status 1. (A `ValidationError` thrown from `run()` exits 64 and shows the usage of `aurora`
/// itself, which says nothing about what went wrong.)
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
