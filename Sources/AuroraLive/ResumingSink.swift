import AuroraData
import AuroraKernel
import AuroraStats
import AuroraLog
import AuroraModel
import AuroraStrategies
import AuroraExecution

/// The sink of a resumed session. While the kernel re-runs the recorded inputs, each event it
/// produces must equal the recorded event at the same position (it is not written again); once
/// the record is exhausted, events are appended to the log. So a resumed session rebuilds its
/// state from the log, loses nothing that was flushed, and its log still replays bit for bit.
public final class ResumingSink: EventSink {
    private let recorded: EventCursor
    private let writer: LogWriter
    private let comparer: CanonicalComparer
    private var exhausted = false
    public private(set) var verified: UInt64 = 0

    public init(recorded reader: LogReader, writer: LogWriter) {
        self.recorded = reader.events()
        self.writer = writer
        self.comparer = CanonicalComparer()
    }

    /// True once the recorded events have all been matched and new ones are being written.
    public var isAppending: Bool { exhausted }

    @discardableResult
    public func append(_ payload: EventPayload, at timestamp: Timestamp) throws -> UInt64 {
        if !exhausted, let original = try recorded.next() {
            let produced = Event(sequence: original.sequence, timestamp: timestamp, payload: payload)
            guard comparer.same(produced, original) else {
                throw LiveError("resuming diverged from the log at event \(original.sequence) (\(original.kind.name)): the code or configuration changed since it was written")
            }
            verified += 1
            return original.sequence
        }
        exhausted = true
        return try writer.append(payload, at: timestamp)
    }

    @discardableResult
    public func append(bar: Bar, at timestamp: Timestamp) throws -> UInt64 {
        if exhausted { return try writer.append(bar: bar, at: timestamp) }
        return try append(.bar(bar), at: timestamp)
    }
}

public struct LiveError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
