import AuroraCore
import AuroraLog
import AuroraModel

/// Re-runs a recorded log's inputs through a fresh kernel with the recorded configuration and
/// compares every event it produces with the record.
public enum ReplayEngine {
    public struct Report: Sendable {
        public var events: UInt64
        public var divergence: ReplaySink.Divergence?
        public var decisionDigest: [UInt8]
        public var recordedDecisionDigest: [UInt8]
        public var identical: Bool { divergence == nil && decisionDigest == recordedDecisionDigest }
    }

    public static func replay(path: String, registry: AlphaRegistry = .builtIn,
                              executionFactory: ExecutionFactory = BaselineExecution.factory) throws -> Report {
        let reader = try LogReader(path: path)
        guard let manifest = reader.manifest else { throw DataError("\(path): no manifest") }
        guard !manifest.config.isEmpty else {
            throw DataError("\(path): the log records no configuration (an import, not a run); nothing to replay")
        }
        let config = try ConfigReader.parse(manifest.config, file: "\(path) (manifest config)", registry: registry)
        let (series, _) = try LogDataSource(path: path).load()
        // A session ends for its own reason (end of data, end of feed, stopped): replay ends the same way.
        var endReason = "end of data"
        var mode = SessionMode.backtest
        let scan = reader.events()
        while let e = try scan.next() {
            if case .sessionEnd(let end) = e.payload { endReason = end.reason }
            if case .sessionStart(let start) = e.payload { mode = start.mode }
        }
        let sink = ReplaySink(recorded: reader)
        _ = try BacktestEngine.run(config, series: series, manifest: manifest, sink: sink, registry: registry,
                                   executionFactory: executionFactory, mode: mode, endReason: endReason)
        try sink.finish()
        return Report(events: sink.compared, divergence: sink.firstDivergence, decisionDigest: sink.decisionDigest,
                      recordedDecisionDigest: sink.recordedDecisionDigest)
    }
}
