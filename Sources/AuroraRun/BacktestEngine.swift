import AuroraData
import AuroraKernel
import AuroraLog
import AuroraModel
import AuroraStats
import AuroraStrategies
import Foundation

/// A bound of a run's period: a whole day (`YYYY-MM-DD`, in the data's time zone: as an end it
/// includes that day's bars, as `--end D` does) or an exact instant.
public enum RunBound: Sendable, Equatable, ExpressibleByStringLiteral {
    case day(String)
    case instant(Timestamp)

    public init(stringLiteral value: String) { self = .day(value) }

    /// The text `data.start` / `data.end` record: a day as given, an instant in ISO 8601 with
    /// every nanosecond (it reads back exactly).
    var text: String {
        switch self {
        case .day(let d): d
        case .instant(let t): t.iso8601
        }
    }
}

/// Runs a configuration over its data and writes the log: the original design's `runMulti`.
/// Every registered component works with no further setup (TWAP included).
public struct BacktestEngine {
    public var config: AuroraConfig
    public var logPath: String
    /// SHA-256 of the configuration file as given, recorded in the manifest next to the effective config.
    public var configFileDigest: [UInt8]?
    public var writerOptions = LogWriterOptions(pipelined: LogThreads.pipelined)
    /// Where names in the configuration are looked up (register custom alphas and components here).
    public var registry = ComponentRegistry.builtIn

    public init(config: AuroraConfig = AuroraConfig(), logPath: String) {
        self.config = config
        self.logPath = logPath
    }

    /// Backtests the configured strategy over `symbols` (all when nil) between `start` and `end`
    /// (inclusive; `.day("2016-12-30")` means through that day). `timeframe`, when given, must
    /// match the data's (for the synthetic universe it chooses daily or 1-minute bars).
    public func runMulti(symbols: [String]? = nil, timeframe: Timeframe? = nil, start: RunBound? = nil, end: RunBound? = nil,
                         progress: ((Int, Int) -> Void)? = nil) throws -> BacktestResult {
        var effective = config
        if let timeframe, effective.data.isSynthetic { effective.data.synthetic.timeframe = timeframe }
        if let symbols { effective.data.symbols = symbols }
        if let start { effective.data.start = start.text }
        if let end { effective.data.end = end.text }

        let clock = ContinuousClock()
        let began = clock.now
        let (series, dataReport, source) = try PreparedData.load(effective.data, timeframe: timeframe, scanned: false)
        var report = dataReport
        // What only the report uses is worked out on the other core while the run starts (the
        // thread behind the log writer waits for the first frame till then): 4–6 ms of the S&P
        // top-10 run off the kernel's thread. The report is the same, only ready later.
        let alphas = registry.alphas
        let findings = BackgroundValue(onThread: LogThreads.pipelined) { [effective] in
            (scan: DataReport.scan(series), neverDefined: Self.neverDefined(effective, series: series, registry: alphas))
        }
        if effective.execution.algorithm.needsIntradayBars && series.timeframe >= .day {
            throw DataError("execution.algorithm \(effective.execution.algorithmName) needs intraday bars; the data has \(series.timeframe) bars")
        }
        if case .alpha(let settings) = effective.strategy {
            report.unmappedSymbols = try AlphaSetup.strategy(settings, data: effective.data, symbols: series.symbols,
                                                             registry: registry.alphas).unmapped
        }

        let manifest = ManifestBuilder.manifest(effective, dataSource: source.sourceDescription, seed: source.seed,
                                                configFileDigest: configFileDigest)
        // Whatever cannot be built (an artifact that changed, a sector map missing) fails here,
        // before the log exists: a refused run leaves any earlier file at logPath untouched.
        try RunFactory.check(effective, symbols: series.symbols, registry: registry)
        let prepared = clock.now - began
        let writer = try LogWriter.create(path: logPath, options: writerOptions)
        let outcome = try RunFactory.backtest(effective, series: series, manifest: manifest, sink: writer, registry: registry,
                                              progress: progress)
        let summary = try writer.close()
        let (scan, neverDefined) = findings.wait()
        report.merge(scan)
        report.neverDefined = neverDefined
        return BacktestResult(outcome: outcome, log: summary, data: report, symbols: series.symbols,
                              timeframe: series.timeframe, first: Timestamp(rawValue: series.end[0]),
                              last: Timestamp(rawValue: series.end[series.count - 1]), config: effective,
                              preparationSeconds: Double(prepared.components.seconds) + Double(prepared.components.attoseconds) * 1e-18)
    }
}

extension BacktestEngine {
    /// The alphas (or the momentum lookback) that need more decision bars than any symbol has,
    /// each with what it needs and what the data gives.
    static func neverDefined(_ config: AuroraConfig, series: BarSeries, registry: AlphaRegistry) -> [String] {
        let daily = config.execution.algorithm.needsIntradayBars
        // Decisions are daily over intraday bars: count a symbol's days, not its bars.
        var counts = [Int](repeating: 0, count: series.symbols.count)
        var lastDay = [Int64](repeating: .min, count: series.symbols.count)
        for i in 0..<series.count {
            let s = Int(series.symbol[i])
            if daily {
                let day = series.end[i] / 86_400_000_000_000
                if day != lastDay[s] { counts[s] += 1; lastDay[s] = day }
            } else {
                counts[s] += 1
            }
        }
        let most = counts.max() ?? 0
        let unit = daily ? "days" : "bars"
        var needs: [(String, Int)] = []
        switch config.strategy {
        case .alpha(let a):
            for name in a.strategy.alphaNames { if let n = registry.make(name)?.requiredBars { needs.append(("alpha \(name)", n)) } }
        case .momentum(let lookback, _): needs.append(("momentum (lookback \(lookback))", lookback + 1))
        case .noDecisions, .macd, .plugin: break
        }
        return needs.filter { $0.1 > most }.map { "\($0.0) needs \($0.1) closes; the data has at most \(most) \(unit) per symbol, so it is never defined" }
    }
}

/// The data source a `data:` section names.
extension DataConfig {
    /// `start` and `end` as times (the end inclusive, a date meaning its whole day); an empty
    /// period is an error.
    func period() throws -> (from: Timestamp?, to: Timestamp?) {
        let from = try start.map { try TimeText.parse($0, timeZone: timeZone) }
        let to = try end.map { try TimeText.parseEnd($0, timeZone: timeZone) }
        if let from, let to, from > to { throw DataError("the date range is empty: start \(from.iso8601) is after end \(to.iso8601)") }
        return (from, to)
    }
}

public enum DataSourceFactory {
    public static func source(for data: DataConfig) throws -> any MarketDataSource {
        if data.isSynthetic { return data.synthetic }
        guard FileManager.default.fileExists(atPath: data.source) else {
            throw DataError("data source \"\(data.source)\" does not exist (give a CSV file, an .alog log, or synthetic)")
        }
        if data.source.hasSuffix(".alog") {
            // A log reads only the frames the period needs and the chosen symbols' bars (the
            // selection after loading still cuts it); with an actions file, as for a CSV, every
            // symbol's bars are read for its checks.
            let (from, to) = try data.period()
            return LogDataSource(path: data.source, from: from, to: to, symbols: data.actions == nil ? data.symbols : nil)
        }
        for path in data.moreSources where !FileManager.default.fileExists(atPath: path) {
            throw DataError("data source \"\(path)\" does not exist")
        }
        var options = data.csv
        // Only the chosen symbols' rows are parsed; an actions file is checked against every
        // symbol the data has, so with one the whole file is read.
        if let symbols = data.symbols, data.actions == nil { options.onlySymbols = Set(symbols) }
        var isDirectory: ObjCBool = false
        if data.moreSources.isEmpty && FileManager.default.fileExists(atPath: data.source, isDirectory: &isDirectory) && !isDirectory.boolValue {
            return CSVDataSource(path: data.source, options: options)
        }
        return CSVDataSource(paths: data.paths, options: options)
    }
}

public struct BacktestResult: Sendable {
    public var outcome: RunOutcome
    public var log: LogSummary
    public var data: DataReport
    public var symbols: [String]
    public var timeframe: Timeframe
    public var first: Timestamp
    public var last: Timestamp
    /// The configuration as run (overrides applied), as recorded in the manifest.
    public var config: AuroraConfig
    /// Wall seconds spent loading, checking and preparing the data before the log was created
    /// (the rest of a run is the kernel's, log included). Measured, never logged.
    public var preparationSeconds: Double = 0

    public var equityCurve: [EquityPoint] { outcome.equityCurve }
    public var trades: [TradeRecord] { outcome.trades }
    public var statistics: PerformanceStatistics { outcome.statistics }
}
