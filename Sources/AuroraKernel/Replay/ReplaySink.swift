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
        let original = try recorded.next()
        if let original, !original.kind.isInput { recordedDecisions.add(original) }
        if !event.kind.isInput { replayedDecisions.add(event) }
        if firstDivergence == nil, !Self.same(original, event) {
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

    /// Bit-for-bit equality (doubles by their bits, so NaN scores compare equal to themselves).
    static func same(_ recorded: Event?, _ replayed: Event) -> Bool {
        guard let recorded else { return false }
        if case .bar(let a) = recorded.payload, case .bar(let b) = replayed.payload {
            return a == b && recorded.sequence == replayed.sequence && recorded.timestamp == replayed.timestamp
        }
        return EventCodec.canonicalBytes(recorded) == EventCodec.canonicalBytes(replayed)
    }
}
