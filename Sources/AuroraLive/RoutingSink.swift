import AuroraData
import AuroraKernel
import AuroraStats
import AuroraLog
import AuroraModel
import AuroraStrategies
import AuroraExecution

/// The sink in front of a live session's log: it passes every event on, and keeps the orders
/// the kernel newly submitted so the session can send them to its broker once the step is done.
/// Orders re-derived while a resumed session re-runs its record are not kept: they were sent then.
final class RoutingSink: EventSink {
    private let writer: LogWriter
    private let resuming: ResumingSink?
    private(set) var outbox: [OrderSubmitted] = []
    var routes = false
    /// Orders that waited for the rate limit, and the deepest queue seen (for the status line).
    private(set) var rateLimitWaits = 0
    private(set) var deepestQueue: UInt32 = 0
    /// When the kernel emitted the first order since the outbox was last emptied (for latency stats).
    private(set) var firstOrderAt: ContinuousClock.Instant?

    init(writer: LogWriter, resuming: ResumingSink?) {
        self.writer = writer
        self.resuming = resuming
    }

    @discardableResult
    func append(_ payload: EventPayload, at timestamp: Timestamp) throws -> UInt64 {
        let seq = try resuming?.append(payload, at: timestamp) ?? writer.append(payload, at: timestamp)
        if case .rateLimitWait(let w) = payload {
            rateLimitWaits += 1
            deepestQueue = max(deepestQueue, w.queueDepth)
        }
        if routes, case .orderSubmitted(let order) = payload, resuming?.isAppending ?? true {
            if outbox.isEmpty { firstOrderAt = .now }
            outbox.append(order)
        }
        return seq
    }

    @discardableResult
    func append(bar: Bar, at timestamp: Timestamp) throws -> UInt64 {
        try resuming?.append(bar: bar, at: timestamp) ?? writer.append(bar: bar, at: timestamp)
    }

    func takeOutbox() -> [OrderSubmitted] {
        defer {
            outbox.removeAll(keepingCapacity: true)
            firstOrderAt = nil
        }
        return outbox
    }
}
