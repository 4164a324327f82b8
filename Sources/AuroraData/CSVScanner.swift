import AuroraLog

/// Splits CSV bytes into rows and fields without copying: fields are byte ranges into the input.
/// Handles `\n` and `\r\n`, a UTF-8 byte-order mark, and RFC 4180 quoted fields.
package struct CSVScanner {
    private let data: UnsafeRawBufferPointer
    private let delimiter: UInt8
    private var position = 0
    private(set) var lineNumber = 0
    private var lineStarts: (line: Int, start: Int, end: Int) = (0, 0, 0)
    /// Field ranges of the current row (reused between rows).
    package private(set) var fields: [Range<Int>] = []
    /// Unescaped text of quoted fields that contained doubled quotes, keyed by field start.
    private var unescaped: [Int: [UInt8]] = [:]

    package init(bytes: UnsafeRawBufferPointer, delimiter: UInt8) {
        self.data = bytes
        self.delimiter = delimiter
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        fields.reserveCapacity(16)
    }

    struct Failure: Error { var line: Int; var message: String }

    /// Advances to the next row and returns its 1-based line number, or nil at the end.
    package mutating func nextRow() throws -> Int? {
        guard position < data.count else { return nil }
        lineNumber += 1
        let line = lineNumber
        let rowStart = position
        fields.removeAll(keepingCapacity: true)
        if !unescaped.isEmpty { unescaped.removeAll(keepingCapacity: true) }
        var fieldStart = position
        var i = position
        let n = data.count
        while true {
            if i < n, data[i] == UInt8(ascii: "\""), i == fieldStart {
                i = try quotedField(from: i)
                fieldStart = -fieldStart - 1  // marks "quoted": the range was already appended
                continue
            }
            // Fast path: scan to the next delimiter or end of line.
            while i < n {
                let c = data[i]
                if c == delimiter || c == 0x0A || c == 0x0D { break }
                i += 1
            }
            if fieldStart >= 0 { fields.append(fieldStart..<i) }
            if i >= n { position = n; break }
            let c = data[i]
            if c == delimiter {
                i += 1
                fieldStart = i
                if i >= n { fields.append(i..<i); position = n; break }
                continue
            }
            // End of line.
            position = i + 1
            if c == 0x0D, position < n, data[position] == 0x0A { position += 1 }
            break
        }
        lineStarts = (line, rowStart, position)
        return line
    }

    private mutating func quotedField(from quote: Int) throws -> Int {
        var i = quote + 1
        var content: [UInt8] = []
        var hasEscapes = false
        while i < data.count {
            if data[i] == UInt8(ascii: "\"") {
                if i + 1 < data.count, data[i + 1] == UInt8(ascii: "\"") {
                    content.append(UInt8(ascii: "\""))
                    hasEscapes = true
                    i += 2
                    continue
                }
                fields.append((quote + 1)..<i)
                if hasEscapes { unescaped[quote + 1] = content }
                i += 1
                if i < data.count, data[i] != delimiter, data[i] != 0x0A, data[i] != 0x0D {
                    throw BarCSVError(path: "", line: lineNumber, "text after a closing quote")
                }
                return i
            }
            content.append(data[i])
            i += 1
        }
        throw BarCSVError(path: "", line: lineNumber, "a quoted field is never closed")
    }

    /// The field's raw bytes (for a quoted field with doubled quotes, still doubled: use `text`).
    func bytes(_ r: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: data[r])
    }

    package func text(_ r: Range<Int>) -> String {
        if let text = unescaped[r.lowerBound] { return String(decoding: text, as: UTF8.self) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: data[r]), as: UTF8.self)
    }

    /// The field's text for a message: at most 60 characters (a 10 MB field stays out of it).
    package func clippedText(_ r: Range<Int>) -> String {
        guard r.count > 240 else {
            let t = text(r)
            return t.count > 60 ? String(t.prefix(57)) + "…" : t
        }
        let head = String(decoding: UnsafeRawBufferPointer(rebasing: data[r.lowerBound..<(r.lowerBound + 57)]), as: UTF8.self)
        return head + "… (\(r.count) bytes)"
    }

    func equals(_ r: Range<Int>, _ value: [UInt8]) -> Bool {
        if let text = unescaped[r.lowerBound] { return text == value }
        return UnsafeRawBufferPointer(rebasing: data[r]).elementsEqual(value)
    }

    /// The current row's text, shortened for messages.
    func lineText(_ line: Int) -> String {
        guard line == lineStarts.line else { return "" }
        var end = lineStarts.end
        while end > lineStarts.start, data[end - 1] == 0x0A || data[end - 1] == 0x0D { end -= 1 }
        end = min(end, lineStarts.start + 480)
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: data[lineStarts.start..<end]), as: UTF8.self)
        return text.count > 120 ? String(text.prefix(117)) + "..." : text
    }
}
