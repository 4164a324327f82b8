/// A long CSV's header row (an actions file, outside data): its column names, trimmed and
/// lowercased, and errors that say which column is missing and what the file should hold.
package struct CSVHeader {
    package let names: [String]
    package let line: Int
    private let path: String
    private let expected: String

    /// Reads the first row of `scanner`; `expected` is the header a file should have
    /// (`symbol,ex_date,type,value`), for messages.
    package init(_ scanner: inout CSVScanner, path: String, expected: String) throws {
        guard let line = try scanner.nextRow() else { throw BarCSVError(path: path, line: 1, "empty file: expected \(expected)") }
        let fields = scanner.fields
        names = fields.map { scanner.clippedText($0).trimmingCharacters(in: .whitespaces).lowercased() }
        self.line = line
        self.path = path
        self.expected = expected
    }

    package func column(_ name: String) throws -> Int {
        guard let i = names.firstIndex(of: name) else {
            throw BarCSVError(path: path, line: line, "missing column \(name); expected \(expected), the header has: \(names.joined(separator: ","))")
        }
        return i
    }
}

import Foundation
