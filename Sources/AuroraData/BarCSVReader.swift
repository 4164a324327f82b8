import AuroraModel
import AuroraLog
import Foundation

/// Reads a bar CSV (long format: one row per symbol and time) into a `BarTable`.
///
/// Hard errors (the import stops, naming line and column): a missing column, a number or time
/// that does not parse, a row with the wrong number of fields, a duplicate (symbol, time), time
/// going backwards within a symbol. Rows with empty or contradictory values follow
/// `InvalidRowPolicy` and are always counted in the report.
public enum BarCSVReader {
    /// The longest symbol name taken (option symbols need 21 bytes).
    public static let maxSymbolBytes = 64

    public static func read(path: String, options: BarCSVOptions) throws -> (BarTable, BarCSVReport) {
        try read(path: path, options: options, keepsEmpty: false)
    }

    /// `keepsEmpty`: a file with no bars (of the chosen symbols, when `onlySymbols` is set) gives
    /// an empty table instead of an error — one file of several may hold none of them.
    static func read(path: String, options: BarCSVOptions, keepsEmpty: Bool) throws -> (BarTable, BarCSVReport) {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw BarCSVError(path: path, exists ? (isDirectory.boolValue ? "is a directory" : "cannot be read") : "no such file")
        }
        return try data.withUnsafeBytes { bytes in try read(bytes: bytes, path: path, options: options, keepsEmpty: keepsEmpty) }
    }

    public static func read(bytes: UnsafeRawBufferPointer, path: String, options: BarCSVOptions) throws -> (BarTable, BarCSVReport) {
        try read(bytes: bytes, path: path, options: options, keepsEmpty: false)
    }

    static func read(bytes: UnsafeRawBufferPointer, path: String, options: BarCSVOptions,
                     keepsEmpty: Bool) throws -> (BarTable, BarCSVReport) {
        do {
            return try readRows(bytes: bytes, path: path, options: options, keepsEmpty: keepsEmpty)
        } catch var error as BarCSVError where error.path.isEmpty {
            // The scanner does not know the file name.
            error.path = path
            throw error
        }
    }

    private static func readRows(bytes: UnsafeRawBufferPointer, path: String, options: BarCSVOptions,
                                 keepsEmpty: Bool) throws -> (BarTable, BarCSVReport) {
        var scanner = CSVScanner(bytes: bytes, delimiter: options.delimiter)
        var report = BarCSVReport()
        report.inputBytes = bytes.count
        report.inputDigest = sha256(Array(bytes))
        guard let headerLine = try scanner.nextRow() else { throw BarCSVError(path: path, line: 1, "empty file: expected a header row") }
        let header = scanner.fields.map { scanner.clippedText($0).trimmingCharacters(in: .whitespaces) }
        let columns = try ColumnMap(header: header, options: options, path: path, line: headerLine)
        let actionColumns = try ActionColumns(header: header, options: options, path: path, line: headerLine)
        var midnight = try? TimeParser(timeZone: options.timeZone, epochUnit: options.epochUnit, sessionCloseMinutes: 0)
        var parser: TimeParser
        do {
            parser = try TimeParser(timeZone: options.timeZone, epochUnit: options.epochUnit,
                                    sessionCloseMinutes: options.sessionCloseMinutes)
        } catch {
            throw BarCSVError(path: path, "unknown time zone \"\(options.timeZone)\" (expected an IANA name such as America/New_York)")
        }

        var table = BarTable()
        table.reserve(bytes.count / 40)
        var symbolIndex: [String: Int32] = [:]
        var previousSymbolBytes: UnsafeRawBufferPointer?
        var previousSymbol: Int32 = -1
        var dateOnlyRows = 0
        var lastStamp: [Int64] = []
        var lastLine: [Int32] = []
        /// Per symbol: 1 when its rows run oldest first, -1 newest first, 0 before its second row.
        var order: [Int8] = []
        var rawStamps: [Int64] = []
        rawStamps.reserveCapacity(bytes.count / 40)
        var selection = SymbolSelection(options.onlySymbols)

        while let line = try scanner.nextRow() {
            let fields = scanner.fields
            if fields.count == 1 && fields[0].isEmpty { continue }
            guard fields.count == header.count else {
                throw BarCSVError(path: path, line: line, "expected \(header.count) fields as in the header, found \(fields.count)")
            }
            report.dataRows += 1
            if !columns.filters.allSatisfy({ scanner.equals(fields[$0.column], $0.value) }) {
                report.filteredOut += 1
                continue
            }
            if selection.active, let c = columns.symbol, !selection.keeps(fields[c], in: scanner) { continue }
            func number(_ field: BarField, _ index: Int, decimals: Int) throws -> Int64? {
                do {
                    return try DecimalParser.parse(scanner.bytes(fields[index]), decimals: decimals)
                } catch .empty {
                    return nil
                } catch .outOfRange {
                    let limit = decimals == Price.decimals ? "prices are at most \(Price.max)" : "volumes are at most \(Quantity(rawValue: .max))"
                    throw BarCSVError(path: path, line: line, column: header[index],
                                      "\"\(scanner.clippedText(fields[index]))\" is out of range: \(limit)")
                } catch {
                    throw BarCSVError(path: path, line: line, column: header[index],
                                      "\"\(scanner.clippedText(fields[index]))\" is not a number")
                }
            }
            let open = try number(.open, columns.open, decimals: Price.decimals)
            let high = try number(.high, columns.high, decimals: Price.decimals)
            let low = try number(.low, columns.low, decimals: Price.decimals)
            let close = try number(.close, columns.close, decimals: Price.decimals)
            let volume = try number(.volume, columns.volume, decimals: Quantity.decimals)
            let timeBytes = scanner.bytes(fields[columns.time])
            let symbolBytes = columns.symbol.map { scanner.bytes(fields[$0]) }

            var reason: InvalidRowReason?
            var values: (open: Int64, high: Int64, low: Int64, close: Int64, volume: Int64) = (0, 0, 0, 0, 0)
            if let o = open, let h = high, let l = low, let c = close, let v = volume, !timeBytes.isEmpty,
               symbolBytes.map({ !$0.isEmpty }) ?? true {
                values = (o, h, l, c, v)
                if o <= 0 || h <= 0 || l <= 0 || c <= 0 { reason = .nonPositivePrice }
                else if v < 0 { reason = .negativeVolume }
                else if l > min(o, c) { reason = .lowAboveOpenOrClose }
                else if h < max(o, c) { reason = .highBelowOpenOrClose }
            } else {
                reason = .missingValue
            }
            if actionColumns.any {
                try actionColumns.read(fields, scanner, line: line, symbol: symbolBytes.map { _ in scanner.text(fields[columns.symbol ?? 0]).trimmingCharacters(in: .whitespaces) } ?? options.symbol ?? "",
                                       time: timeBytes, parser: &midnight, timeZone: options.timeZone, into: &table.actions)
            }
            if let reason {
                if options.invalidRows == .fail {
                    throw BarCSVError(path: path, line: line, "\(reason.rawValue): \(scanner.lineText(line)) (use --invalid-rows skip to leave such rows out)")
                }
                report.invalidCounts[reason.index] += 1
                if report.examples.count < BarCSVReport.maxExamples {
                    report.examples.append(.init(line: line, reason: reason, text: scanner.lineText(line)))
                }
                continue
            }

            let parsed: TimeParser.Parsed
            do {
                parsed = try parser.parse(timeBytes)
            } catch {
                let why = if case .invalid(let w) = error { w } else { "bad time" }
                throw BarCSVError(path: path, line: line, column: header[columns.time],
                                  "\"\(scanner.clippedText(fields[columns.time]))\" is not a time: \(why)")
            }
            if parsed.dateOnly { dateOnlyRows += 1 }

            let sym: Int32
            if let symbolBytes {
                if let previous = previousSymbolBytes, previous.elementsEqual(symbolBytes) {
                    sym = previousSymbol
                } else {
                    let name = scanner.text(fields[columns.symbol ?? 0]).trimmingCharacters(in: .whitespaces)
                    guard name.utf8.count <= Self.maxSymbolBytes else {
                        throw BarCSVError(path: path, line: line, column: header[columns.symbol ?? 0],
                                          "symbol \"\(scanner.clippedText(fields[columns.symbol ?? 0]))\" is longer than \(Self.maxSymbolBytes) bytes")
                    }
                    if let known = symbolIndex[name] {
                        sym = known
                    } else {
                        sym = Int32(table.symbols.count)
                        symbolIndex[name] = sym
                        table.symbols.append(name)
                        lastStamp.append(.min)
                        lastLine.append(0)
                        order.append(0)
                    }
                    previousSymbolBytes = symbolBytes
                    previousSymbol = sym
                }
            } else {
                if table.symbols.isEmpty {
                    table.symbols.append(options.symbol ?? "")
                    lastStamp.append(.min)
                    lastLine.append(0)
                    order.append(0)
                }
                sym = 0
            }
            let s = Int(sym)
            if lastStamp[s] != .min {
                // A file runs oldest first or newest first (vendors ship both), but never both ways.
                let direction: Int8 = parsed.nanoseconds > lastStamp[s] ? 1 : -1
                if parsed.nanoseconds == lastStamp[s] {
                    throw BarCSVError(path: path, line: line, column: header[columns.time],
                                      "duplicate time for \(table.symbols[s]) (also on line \(lastLine[s]))")
                }
                if order[s] == 0 { order[s] = direction }
                if direction != order[s] {
                    let what = order[s] == 1 ? "time goes backwards for \(table.symbols[s]) (line \(lastLine[s]) is later)"
                        : "time goes forwards for \(table.symbols[s]) in rows that run newest first (line \(lastLine[s]) is earlier)"
                    throw BarCSVError(path: path, line: line, column: header[columns.time], what)
                }
            }
            lastStamp[s] = parsed.nanoseconds
            lastLine[s] = Int32(truncatingIfNeeded: line)

            table.symbol.append(sym)
            rawStamps.append(parsed.nanoseconds)
            table.open.append(values.open)
            table.high.append(values.high)
            table.low.append(values.low)
            table.close.append(values.close)
            table.volume.append(values.volume)
            table.line.append(Int32(truncatingIfNeeded: line))
            if values.volume == 0 { report.zeroVolume += 1 }
        }
        report.barsKept = rawStamps.count
        report.newestFirstSymbols = order.count { $0 == -1 }
        guard !rawStamps.isEmpty else {
            if keepsEmpty { return (table, report) }
            throw noBars(path: path, report)
        }
        if dateOnlyRows > 0 && dateOnlyRows < rawStamps.count {
            throw BarCSVError(path: path, column: header[columns.time], "mixes date-only rows with date-time rows")
        }
        try finishTimes(&table, rawStamps: rawStamps, dateOnly: dateOnlyRows > 0, options: options, path: path)
        return (table, report)
    }

    static func noBars(path: String, _ report: BarCSVReport) -> BarCSVError {
        BarCSVError(path: path, "no bars to import (\(report.dataRows) data rows, \(report.filteredOut) filtered out, \(report.invalidTotal) invalid)")
    }

    /// Infers the timeframe if needed and turns stamps into bar end times.
    private static func finishTimes(_ table: inout BarTable, rawStamps: [Int64], dateOnly: Bool,
                                    options: BarCSVOptions, path: String) throws {
        if let given = options.timeframe {
            table.timeframe = given
        } else if dateOnly {
            table.timeframe = .day
        } else {
            var previous = Array(repeating: Int64.min, count: table.symbols.count)
            var smallest = Int64.max
            for i in 0..<rawStamps.count {
                let s = Int(table.symbol[i])
                if previous[s] != .min { smallest = min(smallest, rawStamps[i] - previous[s]) }
                previous[s] = rawStamps[i]
            }
            guard smallest != .max else {
                throw BarCSVError(path: path, "cannot infer the bar length from one bar per symbol; give --timeframe")
            }
            table.timeframe = Timeframe(rawValue: smallest)
        }
        // Date-only rows already stand for the session close; intraday start stamps move to the end.
        let shift = !dateOnly && options.stamp == .start ? table.timeframe.rawValue : 0
        guard shift != 0 else {
            table.end = rawStamps
            return
        }
        table.end = []
        table.end.reserveCapacity(rawStamps.count)
        for (i, t) in rawStamps.enumerated() {
            let (end, overflow) = t.addingReportingOverflow(shift)
            guard !overflow else {
                throw BarCSVError(path: path, line: Int(table.line[i]),
                                  "the bar starting at \(Timestamp(rawValue: t).iso8601) ends after 2262-04-11T23:47:16Z, the last time Aurora can represent")
            }
            table.end.append(end)
        }
    }
}

/// Which field index holds each bar field, and the row filters resolved to indices.
struct ColumnMap {
    var time: Int
    var symbol: Int?
    var open: Int, high: Int, low: Int, close: Int, volume: Int
    var filters: [(column: Int, value: [UInt8])]

    init(header: [String], options: BarCSVOptions, path: String, line: Int) throws {
        let lower = header.map { $0.lowercased() }
        func find(_ field: BarField) throws -> Int {
            guard let i = try lookup(field) else {
                let tried = (BarCSVOptions.candidates[field] ?? []).joined(separator: ", ")
                throw BarCSVError(path: path, line: line,
                                  "missing column for \(field.rawValue) (looked for \(tried)); the header has: \(header.joined(separator: ", ")); name it with --\(field.rawValue)-column")
            }
            return i
        }
        func lookup(_ field: BarField) throws -> Int? {
            if let name = options.explicitName(field) {
                guard let i = lower.firstIndex(of: name.lowercased()) else {
                    throw BarCSVError(path: path, line: line,
                                      "no column named \"\(name)\" for \(field.rawValue); the header has: \(header.joined(separator: ", "))")
                }
                return i
            }
            for candidate in BarCSVOptions.candidates[field] ?? [] {
                if let i = lower.firstIndex(of: candidate) { return i }
            }
            return nil
        }
        time = try find(.time)
        open = try find(.open)
        high = try find(.high)
        low = try find(.low)
        close = try find(.close)
        volume = try find(.volume)
        if options.symbol != nil && options.symbolColumn == nil {
            symbol = nil
        } else {
            symbol = try lookup(.symbol)
            if symbol == nil {
                throw BarCSVError(path: path, line: line,
                                  "missing column for symbol (looked for symbol, ticker, name); name it with --symbol-column or give every row one with --symbol")
            }
        }
        filters = try options.filters.map { f in
            guard let i = lower.firstIndex(of: f.column.lowercased()) else {
                throw BarCSVError(path: path, line: line, "filter names no column \"\(f.column)\"; the header has: \(header.joined(separator: ", "))")
            }
            return (i, Array(f.value.utf8))
        }
    }
}
