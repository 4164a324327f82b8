import ArgumentParser
import Aurora

struct ImportBars: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-bars",
        abstract: "Turn a bar CSV into an Aurora log of symbol and bar events.",
        discussion: """
        Reads long-format CSV (one row per symbol and time). Columns are found by their usual
        names (time: timestamp_utc, timestamp, datetime, date, time; symbol: symbol, ticker, name;
        open, high, low, close, volume) unless named with the --*-column options.

        Times: YYYY-MM-DD (a daily bar, ending at --session-close in --tz), YYYY-MM-DD HH:MM[:SS]
        (local in --tz unless it ends in Z or ±HH:MM), or epoch numbers (--epoch-unit).
        Aurora stamps bars with their end time; say whether the file stamps starts or ends.

        Rows with an empty price or volume, a price ≤ 0, or low/high contradicting open/close
        are skipped and reported (--invalid-rows skip, the default) or stop the import
        (--invalid-rows fail). Unparsable values, duplicate (symbol, time) rows and time going
        backwards within a symbol always stop the import with the line number.
        """
    )

    @Argument(help: "The CSV file.") var csv: String
    @Option(name: .long, help: "The log to write (replaced if it exists).") var out: String

    @Option(name: .customLong("time-column"), help: "Column holding the bar time.") var timeColumn: String?
    @Option(name: .customLong("symbol-column"), help: "Column holding the symbol.") var symbolColumn: String?
    @Option(name: .customLong("open-column")) var openColumn: String?
    @Option(name: .customLong("high-column")) var highColumn: String?
    @Option(name: .customLong("low-column")) var lowColumn: String?
    @Option(name: .customLong("close-column")) var closeColumn: String?
    @Option(name: .customLong("volume-column")) var volumeColumn: String?
    @Option(name: .long, help: "Symbol of every row, for files without a symbol column.") var symbol: String?
    @Option(name: .customLong("tz"), help: "IANA time zone of times without an offset.") var timeZone = "America/New_York"
    @Option(name: .long, help: "Whether intraday times mark the bar's start or end (start|end).") var stamp = "start"
    @Option(name: .long, help: "Bar length, e.g. 1m, 5m, 1h, 1d (default: inferred).") var timeframe: String?
    @Option(name: .customLong("session-close"), help: "Local end time of daily bars, HH:MM.") var sessionClose = "16:00"
    @Option(name: .customLong("epoch-unit"), help: "Unit of numeric times: s, ms, us or ns.") var epochUnit = "s"
    @Option(name: .customLong("where"), help: "Keep only rows where COLUMN=VALUE (repeatable).") var filters: [String] = []
    @Option(name: .customLong("invalid-rows"), help: "skip (report and leave out) or fail.") var invalidRows = "skip"
    @Option(name: .long, help: "Field delimiter (one character).") var delimiter = ","
    @Option(name: .long, help: "zstd compression level.") var level: Int32 = 1

    func validate() throws {
        guard BarStamp(rawValue: stamp) != nil else { throw ValidationError("--stamp must be start or end, not \"\(stamp)\"") }
        if let timeframe, Timeframe(text: timeframe) == nil {
            throw ValidationError("--timeframe \"\(timeframe)\" is not a bar length such as 1m, 5m, 1h or 1d")
        }
        guard sessionCloseMinutes != nil else { throw ValidationError("--session-close must be HH:MM, not \"\(sessionClose)\"") }
        guard EpochUnit(rawValue: epochUnit) != nil else { throw ValidationError("--epoch-unit must be s, ms, us or ns") }
        guard InvalidRowPolicy(rawValue: invalidRows) != nil else { throw ValidationError("--invalid-rows must be skip or fail") }
        guard delimiter.utf8.count == 1 else { throw ValidationError("--delimiter must be one character") }
        for f in filters where !f.contains("=") { throw ValidationError("--where \"\(f)\" must be COLUMN=VALUE") }
        guard (1...22).contains(level) else { throw ValidationError("--level must be 1...22") }
        try TimeOptions.checkZone(timeZone, "--tz")
    }

    private var sessionCloseMinutes: Int? {
        let parts = sessionClose.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }

    func run() throws {
        let options = BarCSVOptions(
            timeColumn: timeColumn, symbolColumn: symbolColumn, openColumn: openColumn, highColumn: highColumn,
            lowColumn: lowColumn, closeColumn: closeColumn, volumeColumn: volumeColumn, symbol: symbol,
            timeZone: timeZone, stamp: BarStamp(rawValue: stamp) ?? .start, timeframe: timeframe.flatMap(Timeframe.init(text:)),
            sessionCloseMinutes: sessionCloseMinutes ?? 960, epochUnit: EpochUnit(rawValue: epochUnit) ?? .seconds,
            filters: filters.map { f in
                let parts = f.split(separator: "=", maxSplits: 1)
                return RowFilter(column: String(parts[0]), value: parts.count > 1 ? String(parts[1]) : "")
            },
            invalidRows: InvalidRowPolicy(rawValue: invalidRows) ?? .skip, delimiter: delimiter.utf8.first ?? 44)
        let started = secondsNow()
        let (table, report) = try BarCSVReader.read(path: csv, options: options)
        let name = csv.split(separator: "/").last.map(String.init) ?? csv
        let summary = try BarImporter.write(table, report: report, sourceName: name, options: options, to: out,
                                            writerOptions: LogWriterOptions(compressionLevel: level, pipelined: LogThreads.pipelined))
        let elapsed = secondsNow() - started

        print("read      \(csv): \(grouped(report.dataRows)) data rows")
        if report.filteredOut > 0 { print("filtered  \(grouped(report.filteredOut)) rows not matching --where") }
        if report.invalidTotal > 0 {
            let byReason = InvalidRowReason.allCases.filter { report.count($0) > 0 }
                .map { "\(report.count($0)) \($0.rawValue)" }.joined(separator: ", ")
            print("skipped   \(grouped(report.invalidTotal)) invalid rows (\(byReason)); first ones:")
            for e in report.examples.prefix(5) { print("            line \(e.line): \(e.reason.rawValue): \(e.text)") }
        }
        if report.zeroVolume > 0 { print("note      \(grouped(report.zeroVolume)) bars have zero volume (kept)") }
        print("bars      \(grouped(table.count)) of \(grouped(table.symbols.count)) symbols, timeframe \(table.timeframe)")
        if let first = table.end.min(), let last = table.end.max() {
            print("time      \(Timestamp(rawValue: first).iso8601) .. \(Timestamp(rawValue: last).iso8601) (bar ends)")
        }
        print("log       \(summary.path): \(grouped(summary.eventCount)) events, \(grouped(summary.fileSize)) bytes, \(fixed(Double(summary.fileSize) / Double(table.count), 2)) bytes/bar")
        print("speed     \(fixed(elapsed, 3)) s, \(grouped(Int(Double(table.count) / max(elapsed, 1e-9)))) bars/s")
        print("digest    \(summary.digestHex)")
    }
}
