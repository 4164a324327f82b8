import AuroraData
import AuroraKernel
import AuroraRun

/// Any bytes as a bar CSV, under options chosen by the first byte: the reader, the series it
/// sorts into, the data report, the run's data preparation (actions, guards, delistings) and the
/// same bytes read as a corporate-actions file must end in a value or a thrown error, never a trap.
public func fuzzBarCSV(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let choice = data[0]
    var options = BarCSVOptions(timeZone: choice & 1 == 0 ? "America/New_York" : "UTC", stamp: choice & 2 == 0 ? .start : .end)
    if choice & 4 != 0 { options.symbol = "ONE" }
    if choice & 8 != 0 { options.invalidRows = .fail }
    if choice & 16 != 0 { options.epochUnit = .milliseconds }
    if choice & 32 != 0 { options.delimiter = UInt8(ascii: ";") }
    let body = UnsafeRawBufferPointer(start: data + 1, count: count - 1)
    if let (table, _) = try? BarCSVReader.read(bytes: body, path: "fuzz.csv", options: options) {
        let series = BarSeries(table: table)
        _ = DataReport.scan(series)
        _ = series.groups
        var config = DataConfig()
        if choice & 64 != 0 { config.guards.onSuspect = .skip; config.adjust = .splits }
        var report = DataReport()
        _ = try? DataPreparation.prepare(series, config, sourceName: "fuzz.csv", report: &report)
        _ = try? CorporateActionsFile.read(bytes: body, path: "actions.csv", for: series, timeZone: options.timeZone)
    }
    return 0
}
