import AuroraLive
import AuroraModel
import Synchronization

/// A live session's connections to the outside, started together and merged into the one input
/// stream the session reads: the feed (paced recorded bars or a market-data stream) and, with a
/// gateway broker, its order-updates stream. `close()` stops them.
public final class SessionLinks: Sendable {
    public enum Feed: Sendable {
        /// Recorded bars; with `perUpdate`, each bar is delivered as its own update.
        case replay(PacedReplayFeed, perUpdate: Bool = false)
        case stream(AlpacaMarketStream)
    }

    public let inputs: AsyncStream<SessionInput>
    public let broker: AlpacaTradingGateway?
    private let tasks: Mutex<[Task<Void, Never>]>
    private let deliver: @Sendable (SessionInput) -> Void

    /// Starts `feed`, and when `broker` is given (built with `deliver` of `makeInputs()`), its order
    /// updates; with `clockEvery`, a wall-clock tick for the session's clock timers.
    public init(feed: Feed, broker: AlpacaTradingGateway?, inputs: AsyncStream<SessionInput>, clockEvery: Duration? = nil,
                deliver: @escaping @Sendable (SessionInput) -> Void) {
        self.inputs = inputs
        self.broker = broker
        self.deliver = deliver
        var tasks: [Task<Void, Never>] = []
        tasks.append(Task {
            switch feed {
            case .replay(let paced, let perUpdate):
                await paced.groups.deliver(perUpdate: perUpdate, to: deliver)
            case .stream(let stream):
                await stream.run(deliver: deliver)
            }
        })
        if let clockEvery {
            tasks.append(Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: clockEvery)
                    deliver(.clock)
                }
            })
        }
        if let broker {
            tasks.append(Task {
                let ended = await broker.runOrderUpdates()
                if ended != "cancelled" { deliver(.halt(ended)) }
            })
        }
        self.tasks = Mutex(tasks)
    }

    /// The input stream and the function that feeds it.
    public static func makeInputs() -> (AsyncStream<SessionInput>, @Sendable (SessionInput) -> Void) {
        let (stream, continuation) = AsyncStream<SessionInput>.makeStream()
        return (stream, { continuation.yield($0) })
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
