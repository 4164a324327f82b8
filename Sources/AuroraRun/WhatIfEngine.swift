import AuroraData
import AuroraKernel
import AuroraLog
import AuroraModel

/// Runs another configuration over a recorded log's inputs (its bars) and writes a new log whose
/// manifest names the parent log and its digest, so `diff` can compare the two decision by decision.
public enum WhatIfEngine {
    public static func rerun(parent path: String, config: AuroraConfig, configFileDigest: [UInt8]? = nil, out: String,
                             registry: ComponentRegistry = .builtIn) throws -> BacktestResult {
        let parent = try LogInspector.inspect(path: path)
        if let problem = parent.problem { throw problem }
        guard let parentManifest = parent.manifest else { throw DataError("\(path): no manifest") }
        let (series, report) = try LogDataSource(path: path).load()
        var effective = config
        effective.data.source = path
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let manifest = ManifestBuilder.manifest(effective, dataSource: "log:\(name)", seed: parentManifest.seed,
                                                configFileDigest: configFileDigest, properties: [
            KeyValue("parent.log", name),
            KeyValue("parent.digest", parent.digest.map(hexString) ?? "unknown"),
            KeyValue("parent.data_source", parentManifest.dataSource),
        ])
        try RunFactory.check(effective, symbols: series.symbols, registry: registry)
        let writer = try LogWriter.create(path: out, options: LogWriterOptions(pipelined: LogThreads.pipelined))
        let outcome = try RunFactory.backtest(effective, series: series, manifest: manifest, sink: writer, registry: registry)
        let summary = try writer.close()
        return BacktestResult(outcome: outcome, log: summary, data: report, symbols: series.symbols, timeframe: series.timeframe,
                              first: Timestamp(rawValue: series.end[0]), last: Timestamp(rawValue: series.end[series.count - 1]),
                              config: effective)
    }
}
