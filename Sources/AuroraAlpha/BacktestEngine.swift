import AuroraCore
import AuroraLog
import AuroraModel
import Foundation

/// Runs a configuration over its data and writes the log: the original design's `runMulti`.
public struct BacktestEngine {
    public var config: AuroraConfig
    public var logPath: String
    /// SHA-256 of the configuration file as given, recorded in the manifest next to the effective config.
    public var configFileDigest: [UInt8]?
    public var writerOptions = LogWriterOptions()
    /// Where alpha names in the configuration are looked up (register custom alphas here).
    public var registry = AlphaRegistry.builtIn
    /// Builds the execution model the configuration asks for. The core's baseline by default;
    /// `ExecutionLayer.factory` (AuroraExecution) adds TWAP.
    public var executionFactory: ExecutionFactory = BaselineExecution.factory

    public init(config: AuroraConfig = AuroraConfig(), logPath: String) {
        self.config = config
        self.logPath = logPath
    }

    /// Backtests the configured strategy over `symbols` (all when nil) between `start` and `end`
    /// (bar end times, inclusive). `timeframe`, when given, must match the data's (for the
    /// synthetic universe it chooses daily or 1-minute bars).
    public func runMulti(symbols: [String]? = nil, timeframe: Timeframe? = nil, start: Timestamp? = nil, end: Timestamp? = nil,
                         progress: ((Int, Int) -> Void)? = nil) throws -> BacktestResult {
        var effective = config
        if let timeframe, effective.data.isSynthetic { effective.data.synthetic.timeframe = timeframe }
        if let symbols { effective.data.symbols = symbols }
        if let start { effective.data.start = start.iso8601 }
        if let end { effective.data.end = end.iso8601 }

        let source = try Self.source(for: effective.data)
        let (loaded, loadReport) = try source.load()
        if let timeframe, loaded.timeframe != timeframe {
            throw DataError("the data has \(loaded.timeframe) bars, not \(timeframe); Aurora does not resample")
        }
        let from = try effective.data.start.map { try TimeText.parse($0, timeZone: effective.data.timeZone) }
        let to = try effective.data.end.map { try Self.endOfDay($0, timeZone: effective.data.timeZone) }
        if let from, let to, from > to { throw DataError("the date range is empty: start \(from.iso8601) is after end \(to.iso8601)") }
        let series = try loaded.selecting(symbols: effective.data.symbols, from: from, to: to)
        var report = DataReport.scan(series)
        if case .alpha(let settings) = effective.strategy {
            report.unmappedSymbols = try Self.makeAlphaStrategy(settings, data: effective.data, symbols: series.symbols,
                                                                registry: registry).unmapped
        }
        report.skippedRows = loadReport.skippedRows
        report.skippedExamples = loadReport.skippedExamples

        let yaml = ConfigWriter.yaml(effective)
        var properties = [
            KeyValue(PortfolioReducer.initialCashProperty, ConfigWriter.number(effective.kernel.initialCash)),
            KeyValue("strategy", effective.strategy.typeName),
        ]
        if let configFileDigest { properties.append(KeyValue("config.file_sha256", hexString(configFileDigest))) }
        let manifest = Manifest(formatVersion: 1, engineVersion: AuroraVersion.engine, config: yaml,
                                configDigest: sha256(Array(yaml.utf8)), dataSource: source.sourceDescription,
                                seed: source.seed, properties: properties)
        let writer = try LogWriter.create(path: logPath, options: writerOptions)
        let outcome = try Self.run(effective, series: series, manifest: manifest, sink: writer, registry: registry,
                                   executionFactory: executionFactory, progress: progress)
        let summary = try writer.close()
        return BacktestResult(outcome: outcome, log: summary, data: report, symbols: series.symbols,
                              timeframe: series.timeframe, first: Timestamp(rawValue: series.end[0]),
                              last: Timestamp(rawValue: series.end[series.count - 1]), config: effective)
    }

    /// Runs the configured strategy (the one place a config picks a concrete strategy type).
    public static func run<Sink: EventSink>(_ config: AuroraConfig, series: BarSeries, manifest: Manifest, sink: Sink,
                                           registry: AlphaRegistry = .builtIn,
                                           executionFactory: ExecutionFactory = BaselineExecution.factory,
                                           progress: ((Int, Int) -> Void)? = nil) throws -> RunOutcome {
        let execution = try executionFactory(config.kernel, series.symbols)
        return try config.withStrategy(symbols: series.symbols, registry: registry,
                                       BacktestRun(series: series, execution: execution, config: config.kernel, manifest: manifest,
                                                   sink: sink, progress: progress))
    }

    /// Builds the alpha strategy for `symbols`, with sector groups from the configured map (or the
    /// synthetic universe's sectors), and lists the symbols the map does not know.
    public static func makeAlphaStrategy(_ settings: AlphaSettings, data: DataConfig, symbols: [String],
                                         registry: AlphaRegistry = .builtIn) throws -> (strategy: AlphaStrategy, unmapped: [String]) {
        var groups: [Int]?
        var unmapped: [String] = []
        let map: SectorMap?
        if let path = settings.sectorMap {
            map = try SectorMap.load(path: path)
        } else if data.isSynthetic {
            map = SectorMap(Dictionary(uniqueKeysWithValues: zip(data.synthetic.symbols, data.synthetic.sectors).map { ($0, $1) }))
        } else {
            map = nil
        }
        if let map, settings.strategy.sectorNeutral {
            let g = map.groups(for: symbols)
            groups = g.groups
            unmapped = g.unmapped
        }
        if settings.strategy.sectorNeutral && map == nil {
            throw DataError("strategy.sector_neutral needs strategy.sector_map (a Symbol,Name,Sector CSV) for this data")
        }
        let model: (any AlphaWeightModel)? = switch settings.weightModel {
        case .equal: nil
        case .ic(let window): ICWeightModel(window: window)
        }
        do {
            return (try AlphaStrategy(config: settings.strategy, weightModel: model, registry: registry, sectorGroups: groups), unmapped)
        } catch let error as AlphaStrategy.ConfigurationError {
            throw DataError(error.description)
        }
    }

    public static func source(for data: DataConfig) throws -> any MarketDataSource {
        if data.isSynthetic { return data.synthetic }
        guard FileManager.default.fileExists(atPath: data.source) else {
            throw DataError("data source \"\(data.source)\" does not exist (give a CSV file, an .alog log, or synthetic)")
        }
        if data.source.hasSuffix(".alog") { return LogDataSource(path: data.source) }
        return CSVDataSource(path: data.source, options: BarCSVOptions(timeZone: data.timeZone, stamp: data.stamp))
    }

    /// A bare date as an end means the whole day.
    static func endOfDay(_ text: String, timeZone: String) throws -> Timestamp {
        try TimeText.parseEnd(text, timeZone: timeZone)
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
    /// The configuration as run (CLI overrides applied), as recorded in the manifest.
    public var config: AuroraConfig

    public var equityCurve: [EquityPoint] { outcome.equityCurve }
    public var trades: [TradeRecord] { outcome.trades }
    public var statistics: PerformanceStatistics { outcome.statistics }
}

/// Runs a backtest with whatever strategy type the configuration chose.
private struct BacktestRun<Sink: EventSink>: StrategyVisitor {
    let series: BarSeries, execution: AnyExecutionModel, config: KernelConfig, manifest: Manifest, sink: Sink
    let progress: ((Int, Int) -> Void)?

    func visit<S: Strategy>(_ strategy: S) throws -> RunOutcome {
        try KernelDriver.run(series: series, strategy: strategy, execution: execution, config: config, manifest: manifest,
                             sink: sink, progress: progress)
    }
}
