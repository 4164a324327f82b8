import AuroraCore
import AuroraLog
import AuroraModel

/// Runs another configuration over a recorded log's inputs (its bars) and writes a new log whose
/// manifest names the parent log and its digest, so `diff` can compare the two decision by decision.
public enum WhatIfEngine {
    public static func rerun(parent path: String, config: AuroraConfig, configFileDigest: [UInt8]? = nil, out: String,
                             registry: AlphaRegistry = .builtIn,
                             executionFactory: ExecutionFactory = BaselineExecution.factory) throws -> BacktestResult {
        let parent = try LogInspector.inspect(path: path)
        if let problem = parent.problem { throw problem }
        guard let parentManifest = parent.manifest else { throw DataError("\(path): no manifest") }
        let (series, report) = try LogDataSource(path: path).load()
        var effective = config
        effective.data.source = path
        let yaml = ConfigWriter.yaml(effective)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        var properties = [
            KeyValue(PortfolioReducer.initialCashProperty, ConfigWriter.number(effective.kernel.initialCash)),
            KeyValue("strategy", effective.strategy.typeName),
            KeyValue("parent.log", name),
            KeyValue("parent.digest", parent.digest.map(hexString) ?? "unknown"),
            KeyValue("parent.data_source", parentManifest.dataSource),
        ]
        if let configFileDigest { properties.append(KeyValue("config.file_sha256", hexString(configFileDigest))) }
        let manifest = Manifest(formatVersion: 1, engineVersion: AuroraVersion.engine, config: yaml, configDigest: sha256(Array(yaml.utf8)),
                                dataSource: "log:\(name)", seed: parentManifest.seed, properties: properties)
        let writer = try LogWriter.create(path: out)
        let outcome = try BacktestEngine.run(effective, series: series, manifest: manifest, sink: writer, registry: registry,
                                             executionFactory: executionFactory)
        let summary = try writer.close()
        return BacktestResult(outcome: outcome, log: summary, data: report, symbols: series.symbols, timeframe: series.timeframe,
                              first: Timestamp(rawValue: series.end[0]), last: Timestamp(rawValue: series.end[series.count - 1]),
                              config: effective)
    }
}
