import AuroraLog
import AuroraModel
import AuroraData
import AuroraStats

/// An event sink that writes nothing: it compares each event a fresh kernel produces with the
/// recorded log's event at the same position, bit for bit, and keeps the first divergence. The
/// comparison runs behind the kernel on a second thread (`LogComparison`); `finish` waits for it.
public final class ReplaySink: EventSink {
    private let comparison: LogComparison
    public var compared: UInt64 { comparison.compared }
    public private(set) var firstDivergence: Divergence?
    /// SHA-256 over the canonical bytes of the replayed (and recorded) decision events; set by `finish`.
    public private(set) var decisionDigest: [UInt8] = []
    public private(set) var recordedDecisionDigest: [UInt8] = []

    public typealias Divergence = LogComparison.Divergence

    public init(recorded reader: LogReader, threaded: Bool = LogThreads.pipelined) {
        comparison = LogComparison(recorded: reader, threaded: threaded)
    }

    @discardableResult
    public func append(_ payload: EventPayload, at timestamp: Timestamp) throws -> UInt64 {
        let sequence = comparison.compared
        try comparison.add(payload, sequence: sequence, timestamp: timestamp)
        return sequence
    }

    @discardableResult
    public func append(bar: Bar, at timestamp: Timestamp) throws -> UInt64 {
        let sequence = comparison.compared
        try comparison.add(bar: bar, sequence: sequence, timestamp: timestamp)
        return sequence
    }

    /// Call after the run: waits for the comparison; recorded events beyond the replayed ones are
    /// a divergence too.
    public func finish() throws {
        let result = try comparison.finish()
        firstDivergence = result.firstDivergence
        decisionDigest = result.replayedDecisions
        recordedDecisionDigest = result.recordedDecisions
    }
}
