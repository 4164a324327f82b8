import AuroraLog
import AuroraModel

/// Where bars come from. Every source yields the same `BarSeries` shape, so the kernel does not
/// know whether it runs on a file, a recorded log or generated data.
public protocol MarketDataSource {
    /// For the manifest: what the data is and how to get it again.
    var sourceDescription: String { get }
    /// The generator seed (0 for recorded data).
    var seed: UInt64 { get }
    /// The bars, and what loading them found (rows left out, corporate actions), without
    /// `DataReport.scan`: a caller that prepares the bars first scans only what it keeps.
    func loadUnscanned() throws -> (BarSeries, DataReport)
}

extension MarketDataSource {
    /// The bars with the whole report: what loading found and the scan (gaps, zero volume,
    /// broken bars).
    public func load() throws -> (BarSeries, DataReport) {
        var (series, report) = try loadUnscanned()
        report.merge(DataReport.scan(series))
        return (series, report)
    }
}

/// Bars from CSV files (one, several, or a folder's), read with the same options as `aurora import-bars`.
public struct CSVDataSource: MarketDataSource {
    public var paths: [String]
    public var options: BarCSVOptions

    public init(path: String, options: BarCSVOptions = BarCSVOptions()) {
        self.init(paths: [path], options: options)
    }

    public init(paths: [String], options: BarCSVOptions = BarCSVOptions()) {
        self.paths = paths
        self.options = options
    }

    public var path: String { paths.first ?? "" }
    public var fileName: String { paths.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: "+") }
    public var sourceDescription: String { "csv:\(fileName)" }
    public var seed: UInt64 { 0 }

    public func loadUnscanned() throws -> (BarSeries, DataReport) {
        let (table, csvReport) = try BarCSVReader.read(paths: paths, options: options)
        let series = BarSeries(table: table)
        var report = DataReport()
        report.skippedRows = csvReport.invalidTotal
        report.skippedExamples = csvReport.examples.map { "\(fileName):\($0.line): \($0.reason.rawValue): \($0.text)" }
        if csvReport.newestFirstSymbols > 0 {
            report.actionNotes.append("\(csvReport.newestFirstSymbols) symbols' rows run newest first; sorted into time order")
        }
        return (series, report)
    }
}

/// The bar events of an Aurora log (an import, or the inputs of a recorded run). A log with bars
/// of several lengths (a TWAP run logs minute bars and the daily bars built from them) yields its
/// finest bars.
public struct LogDataSource: MarketDataSource {
    public var path: String
    /// Bar times to read (inclusive): frames wholly before `from` are never decompressed (the
    /// index says where it starts), and reading stops after `to`.
    public var from: Timestamp?
    public var to: Timestamp?
    /// The symbols whose bars are read (nil: all): the others' are passed over in the frames,
    /// never built. The series still lists every symbol the log defines.
    public var symbols: [String]?

    public init(path: String, from: Timestamp? = nil, to: Timestamp? = nil, symbols: [String]? = nil) {
        self.path = path
        self.from = from
        self.to = to
        self.symbols = symbols
    }

    public var sourceDescription: String { "log:\(path.split(separator: "/").last.map(String.init) ?? path)" }
    public var seed: UInt64 { 0 }

    public func loadUnscanned() throws -> (BarSeries, DataReport) {
        let series = try RecordedInputs.read(LogReader(path: path), from: from, to: to, symbols: symbols).series
        guard series.count > 0 else {
            if let symbols {
                // A name the log never defines is what to say first (the selection's own message).
                if symbols.contains(where: { !series.symbols.contains($0) }) { _ = try series.selecting(symbols: symbols, from: nil, to: nil) }
                throw DataError("\(path): the log holds no bars of \(symbols.joined(separator: ", ")) from \(from?.iso8601 ?? "its start") to \(to?.iso8601 ?? "its end")")
            }
            if from != nil || to != nil {
                throw DataError("\(path): the log holds no bar events from \(from?.iso8601 ?? "its start") to \(to?.iso8601 ?? "its end")")
            }
            throw DataError("\(path): the log holds no bar events")
        }
        return (series, DataReport())
    }
}
