import AuroraLog
import AuroraModel
import AuroraData
import AuroraStats

/// Where the kernel's events go: a log writer, or a comparison against a recorded log (replay).
/// The sink assigns sequence numbers.
public protocol EventSink: AnyObject {
    @discardableResult func append(_ payload: EventPayload, at timestamp: Timestamp) throws -> UInt64
    @discardableResult func append(bar: Bar, at timestamp: Timestamp) throws -> UInt64
    /// The same as `append(.signal(signal), at:)`; a sink may take it without the enum.
    @discardableResult func append(signal: Signal, at timestamp: Timestamp) throws -> UInt64
    /// The same as `append(.alphaValue(value), at:)`.
    @discardableResult func append(alphaValue value: AlphaValue, at timestamp: Timestamp) throws -> UInt64
}

extension EventSink {
    @discardableResult
    public func append(signal: Signal, at timestamp: Timestamp) throws -> UInt64 { try append(.signal(signal), at: timestamp) }

    @discardableResult
    public func append(alphaValue value: AlphaValue, at timestamp: Timestamp) throws -> UInt64 {
        try append(.alphaValue(value), at: timestamp)
    }
}

extension LogWriter: EventSink {}
