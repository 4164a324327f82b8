import AuroraModel
import Synchronization

/// A live session's connections, started together and merged into the one input stream the
/// session reads: the feed, the broker's order updates, and a wall-clock tick for TWAP's clock
/// timers. `close()` stops them; `stop()` also wakes the session so it ends.
public final class SessionInputs: Sendable {
    public let stream: AsyncStream<SessionInput>
    private let continuation: AsyncStream<SessionInput>.Continuation
    private let tasks = Mutex<[Task<Void, Never>]>([])

    public init() {
        (stream, continuation) = AsyncStream<SessionInput>.makeStream()
    }

    /// Delivers one input (what links call).
    @Sendable public func deliver(_ input: SessionInput) { continuation.yield(input) }

    /// Starts `feed`; with `broker`, its order updates (a refusal ends the session); with
    /// `clockEvery`, a tick.
    public func start(feed: any Feed, perUpdate: Bool, broker: (any BrokerLink)?, clockEvery: Duration?) {
        let deliver = self.deliver
        var started = [Task { await feed.run(perUpdate: perUpdate, deliver: deliver) }]
        if let clockEvery {
            started.append(Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: clockEvery)
                    deliver(.clock)
                }
            })
        }
        if let broker {
            started.append(Task {
                let ended = await broker.runUpdates(deliver: deliver)
                if ended != "cancelled" { deliver(.halt(ended)) }
            })
        }
        tasks.withLock { $0 += started }
    }

    /// Ends the session from outside (a stop signal): the links stop and the session wakes up to end.
    public func stop() {
        close()
        deliver(.halt("stopped"))
    }

    public func close() {
        tasks.withLock { for t in $0 { t.cancel() } }
    }
}
