import AuroraLog

/// A problem with a bar file that stops the import, naming the file, line and column.
public struct BarCSVError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var line: Int?
    public var column: String?
    public var message: String

    public init(path: String, line: Int? = nil, column: String? = nil, _ message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        if let column { place += " (column \(column))" }
        return "\(place): \(message)"
    }
}
