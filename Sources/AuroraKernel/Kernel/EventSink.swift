import AuroraLog
import AuroraModel
import AuroraData
import AuroraStats

/// Where the kernel's events go: a log writer, or a comparison against a recorded log (replay).
/// The sink assigns sequence numbers.
public protocol EventSink: AnyObject {
    @discardableResult func append(_ payload: EventPayload, at timestamp: Timestamp) throws -> UInt64
    @discardableResult func append(bar: Bar, at timestamp: Timestamp) throws -> UInt64
}

extension LogWriter: EventSink {}
