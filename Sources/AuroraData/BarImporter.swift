import AuroraLog
import AuroraModel

/// Writes a `BarTable` as a log: the manifest, one definition per symbol (ids in name order), then
/// every bar in (time, symbol) order, the order the kernel consumes them in.
public enum BarImporter {
    public static func write(_ table: BarTable, report: BarCSVReport, sourceName: String, options: BarCSVOptions,
                             to path: String, writerOptions: LogWriterOptions = LogWriterOptions()) throws -> LogSummary {
        // Ids by sorted name make the log independent of the file's row order.
        let series = BarSeries(table: table)
        let first = Timestamp(rawValue: series.end[0])
        let manifest = Manifest(
            formatVersion: 0, engineVersion: AuroraVersion.engine, config: "", configDigest: [],
            dataSource: "csv:\(sourceName)", seed: 0,
            properties: [
                KeyValue("source.sha256", hexString(report.inputDigest)),
                KeyValue("source.bytes", String(report.inputBytes)),
                KeyValue("import.time_zone", options.timeZone),
                KeyValue("import.stamp", options.stamp.rawValue),
                KeyValue("import.timeframe", table.timeframe.description),
                KeyValue("import.invalid_rows", options.invalidRows.rawValue),
                KeyValue("import.rows_skipped", String(report.invalidTotal)),
                KeyValue("import.rows_filtered", String(report.filteredOut)),
            ])
        let writer = try LogWriter.create(path: path, manifest: manifest, timestamp: first, options: writerOptions)
        for name in series.symbols { _ = try writer.symbol(name, at: first) }
        for i in 0..<series.count {
            try writer.append(bar: series.bar(i), at: Timestamp(rawValue: series.end[i]))
        }
        return try writer.close()
    }
}
