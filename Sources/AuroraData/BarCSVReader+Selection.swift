/// The symbols a read keeps (`BarCSVOptions.onlySymbols`), decided before a row's numbers are
/// parsed: files run symbol by symbol or time by time, and the last symbol's answer is reused
/// while the symbol field's bytes repeat, so a read for 50 of 500 symbols costs little more
/// than scanning the bytes.
struct SymbolSelection {
    let wanted: Set<String>?
    private var lastBytes: UnsafeRawBufferPointer?
    private var lastKept = false

    init(_ wanted: Set<String>?) { self.wanted = wanted }

    var active: Bool { wanted != nil }

    mutating func keeps(_ field: Range<Int>, in scanner: CSVScanner) -> Bool {
        guard let wanted else { return true }
        let bytes = scanner.bytes(field)
        if let last = lastBytes, last.elementsEqual(bytes) { return lastKept }
        lastBytes = bytes
        lastKept = wanted.contains(scanner.text(field).trimmingCharacters(in: .whitespaces))
        return lastKept
    }
}
