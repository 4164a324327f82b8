import AuroraLog
import AuroraModel

/// Where bars come from. Every source yields the same `BarSeries` shape, so the kernel does not
/// know whether it runs on a file, a recorded log or generated data.
public protocol MarketDataSource {
    /// For the manifest: what the data is and how to get it again.
    var sourceDescription: String { get }
    /// The generator seed (0 for recorded data).
    var seed: UInt64 { get }
    func load() throws -> (BarSeries, DataReport)
}

/// Bars from a CSV file, read with the same column mapping as `aurora import-bars`.
public struct CSVDataSource: MarketDataSource {
    public var path: String
    public var options: BarCSVOptions

    public init(path: String, options: BarCSVOptions = BarCSVOptions()) {
        self.path = path
        self.options = options
    }

    public var sourceDescription: String { "csv:\(path.split(separator: "/").last.map(String.init) ?? path)" }
    public var seed: UInt64 { 0 }

    public func load() throws -> (BarSeries, DataReport) {
        let (table, csvReport) = try BarCSVReader.read(path: path, options: options)
        let series = BarSeries(table: table)
        var report = DataReport.scan(series)
        report.skippedRows = csvReport.invalidTotal
        report.skippedExamples = csvReport.examples.map { "line \($0.line): \($0.reason.rawValue): \($0.text)" }
        return (series, report)
    }
}

/// The bar events of an Aurora log (an import, or the inputs of a recorded run). A log with bars
/// of several lengths (a TWAP run logs minute bars and the daily bars built from them) yields its
/// finest bars.
public struct LogDataSource: MarketDataSource {
    public var path: String

    public init(path: String) { self.path = path }

    public var sourceDescription: String { "log:\(path.split(separator: "/").last.map(String.init) ?? path)" }
    public var seed: UInt64 { 0 }

    public func load() throws -> (BarSeries, DataReport) {
        let reader = try LogReader(path: path)
        var timeframe: Timeframe?
        var bars: [(Int64, Bar)] = []
        let cursor = reader.events()
        while let event = try cursor.next() {
            guard case .bar(let bar) = event.payload else { continue }
            if let t = timeframe, bar.timeframe > t { continue }
            if let t = timeframe, bar.timeframe < t { bars.removeAll() }
            timeframe = bar.timeframe
            bars.append((event.timestamp.rawValue, bar))
        }
        guard let timeframe, !bars.isEmpty else { throw DataError("\(path): the log holds no bar events") }
        // Logs may list symbols in any id order; the series numbers them by name.
        let byName = reader.symbols.indices.sorted { reader.symbols[$0] < reader.symbols[$1] }
        var newID = [UInt32](repeating: 0, count: reader.symbols.count)
        for (id, old) in byName.enumerated() { newID[old] = UInt32(id) }
        bars.sort { $0.0 != $1.0 ? $0.0 < $1.0 : newID[$0.1.symbol.index] < newID[$1.1.symbol.index] }
        var series = BarSeries(symbols: byName.map { reader.symbols[$0] }, timeframe: timeframe)
        series.reserve(bars.count)
        for (t, var bar) in bars {
            bar.symbol = SymbolID(rawValue: newID[bar.symbol.index])
            series.append(end: t, bar)
        }
        return (series, DataReport.scan(series))
    }
}
