import AuroraData
import AuroraKernel
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
        /// Whether the log holds its session's end; one cut short (and recovered) does not.
        public var logEnded: Bool
        public var identical: Bool { divergence == nil && decisionDigest == recordedDecisionDigest }
        /// The log was cut short (it has no session end) and every event it holds was reproduced:
        /// the replay went on past its last event, `identicalEvents` of them matched.
        public var identicalPrefix: Bool { !logEnded && divergence != nil && divergence?.recorded == nil }
        public var identicalEvents: UInt64 { divergence?.sequence ?? events }
    }

    public static func replay(path: String, registry: ComponentRegistry = .builtIn) throws -> Report {
        let reader = try LogReader(path: path)
        guard let manifest = reader.manifest else { throw DataError("\(path): no manifest") }
        guard !manifest.config.isEmpty else {
            throw DataError("\(path): the log records no configuration (an import, not a run); nothing to replay")
        }
        var config = try ConfigReader.parse(manifest.config, file: "\(path) (manifest config)", registry: registry)
        let inputs = try RecordedInputs.read(reader)
        config.execution.common.externalFills = inputs.externalBroker
        guard inputs.series.count > 0 else { throw DataError("\(path): the log holds no bar events") }
        let sink = ReplaySink(recorded: reader)
        // Backtests and sessions alike: the recorded steps, with whatever the outside world said
        // between them put back where it came.
        let runner = try RunFactory.runner(config, symbols: inputs.series.symbols, sink: sink, registry: registry)
        try runner.rerun(inputs, manifest: manifest, finish: true)
        try sink.finish()
        return Report(events: sink.compared, divergence: sink.firstDivergence, decisionDigest: sink.decisionDigest,
                      recordedDecisionDigest: sink.recordedDecisionDigest, logEnded: inputs.ended)
    }
}
