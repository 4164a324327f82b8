import AuroraLog
import AuroraModel

/// Writes a `BarTable` as a log: the manifest, one definition per symbol (ids in name order), then
/// every bar in (time, symbol) order, the order the kernel consumes them in.
public enum BarImporter {
    public static func write(_ table: BarTable, report: BarCSVReport, sourceName: String, options: BarCSVOptions,
                             to path: String, writerOptions: LogWriterOptions = LogWriterOptions()) throws -> LogSummary {
        // Ids by sorted name make the log independent of the file's row order.
        let byName = table.symbols.indices.sorted { table.symbols[$0] < table.symbols[$1] }
        var idOfFileIndex = [UInt32](repeating: 0, count: table.symbols.count)
        for (id, fileIndex) in byName.enumerated() { idOfFileIndex[fileIndex] = UInt32(id) }

        var order = [Int32](unsafeUninitializedCapacity: table.count) { buffer, n in
            for i in 0..<table.count { buffer[i] = Int32(i) }
            n = table.count
        }
        table.end.withUnsafeBufferPointer { end in
            idOfFileIndex.withUnsafeBufferPointer { ids in
                table.symbol.withUnsafeBufferPointer { sym in
                    order.sort { a, b in
                        let ta = end[Int(a)], tb = end[Int(b)]
                        return ta != tb ? ta < tb : ids[Int(sym[Int(a)])] < ids[Int(sym[Int(b)])]
                    }
                }
            }
        }

        let first = Timestamp(rawValue: table.end[Int(order[0])])
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
        for fileIndex in byName {
            _ = try writer.symbol(table.symbols[fileIndex], at: first)
        }
        let timeframe = table.timeframe
        for i in order {
            let r = Int(i)
            let bar = Bar(symbol: SymbolID(rawValue: idOfFileIndex[Int(table.symbol[r])]), timeframe: timeframe,
                          open: Price(rawValue: table.open[r]), high: Price(rawValue: table.high[r]),
                          low: Price(rawValue: table.low[r]), close: Price(rawValue: table.close[r]),
                          volume: Quantity(rawValue: table.volume[r]))
            try writer.append(bar: bar, at: Timestamp(rawValue: table.end[r]))
        }
        return try writer.close()
    }
}
