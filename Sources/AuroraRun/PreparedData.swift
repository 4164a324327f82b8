import AuroraData
import AuroraModel

/// The bars a `data:` section describes, as every run and every research job takes them: loaded
/// from the source, with the actions file's corporate actions, cut to the symbols and period
/// asked for, then prepared (actions applied or not, silent symbols, guards, delistings), with
/// a report of all it did.
public enum PreparedData {
    /// `scanned` false leaves the scan of the prepared bars (gaps, zero volume, broken bars) to
    /// the caller, e.g. to run beside other work: `report.merge(DataReport.scan(series))`.
    public static func load(_ data: DataConfig, timeframe: Timeframe? = nil, scanned: Bool = true) throws
        -> (series: BarSeries, report: DataReport, source: any MarketDataSource) {
        let (from, to) = try data.period()
        let source = try DataSourceFactory.source(for: data)
        // Scanned once, after preparation: the scan of the bars as loaded would be thrown away.
        var (loaded, loadReport) = try source.loadUnscanned()
        if let actions = data.actions {
            loaded.actions += try CorporateActionsFile.read(path: actions, for: loaded, timeZone: data.timeZone)
            loaded.sortActions()
        }
        if let timeframe, loaded.timeframe != timeframe {
            throw DataError("the data has \(loaded.timeframe) bars, not \(timeframe); Aurora does not resample")
        }
        var report = DataReport()
        report.actionNotes = loadReport.actionNotes
        let sourceName = (source as? CSVDataSource)?.fileName ?? source.sourceDescription
        let series = try DataPreparation.prepare(loaded.selecting(symbols: data.symbols, from: from, to: to), data,
                                                 sourceName: sourceName, report: &report)
        if scanned { report.merge(DataReport.scan(series)) }
        report.skippedRows = loadReport.skippedRows
        report.skippedExamples = loadReport.skippedExamples
        return (series, report, source)
    }
}
