import AuroraLog
import AuroraModel
import AuroraData
import AuroraStats

/// An event sink that writes nothing: it compares each event a fresh kernel produces with the
/// recorded log's event at the same position, bit for bit, and keeps the first divergence.
public final class ReplaySink: EventSink {
    private let recorded: EventCursor
    public private(set) var compared: UInt64 = 0
    public private(set) var firstDivergence: Divergence?
    private let replayedDecisions = RunDigest()
    private let recordedDecisions = RunDigest()
    private let comparer = CanonicalComparer()

    public struct Divergence: Sendable {
        public var sequence: UInt64
        /// nil when the recorded log ended first.
        public var recorded: Event?
        public var replayed: Event?
    }

    public init(recorded reader: LogReader) {
        recorded = reader.events()
    }

    @discardableResult
    public func append(_ payload: EventPayload, at timestamp: Timestamp) throws -> UInt64 {
        let event = Event(sequence: compared, timestamp: timestamp, payload: payload)
        compared += 1
        guard let original = try recorded.next() else {
            if !event.kind.isInput { replayedDecisions.add(event) }
            if firstDivergence == nil { firstDivergence = Divergence(sequence: event.sequence, recorded: nil, replayed: event) }
            return event.sequence
        }
        let equal: Bool
        if case .bar(let a) = original.payload, case .bar(let b) = event.payload {
            // Bars are inputs: compared as values, never part of the decision digests.
            equal = a == b && original.sequence == event.sequence && original.timestamp == event.timestamp
        } else {
            // Each side encoded once: the bytes compared are the bytes the digests take.
            equal = comparer.same(original, event)
            if !original.kind.isInput { comparer.addFirst(to: recordedDecisions) }
            if !event.kind.isInput { comparer.addSecond(to: replayedDecisions) }
        }
        if firstDivergence == nil, !equal {
            firstDivergence = Divergence(sequence: event.sequence, recorded: original, replayed: event)
        }
        return event.sequence
    }

    @discardableResult
    public func append(bar: Bar, at timestamp: Timestamp) throws -> UInt64 {
        try append(.bar(bar), at: timestamp)
    }

    /// Call after the run: recorded events beyond the replayed ones are a divergence too.
    public func finish() throws {
        while let extra = try recorded.next() {
            if !extra.kind.isInput { recordedDecisions.add(extra) }
            if firstDivergence == nil { firstDivergence = Divergence(sequence: extra.sequence, recorded: extra, replayed: nil) }
        }
    }

    /// SHA-256 over the canonical bytes of the replayed decision events.
    public var decisionDigest: [UInt8] { replayedDecisions.current() }
    public var recordedDecisionDigest: [UInt8] { recordedDecisions.current() }
}
