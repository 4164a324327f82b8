import AuroraModel
import AuroraStrategies
import AuroraExecution

/// What reaches a live session from outside, in the order the session takes it: bars from the
/// feed, and between bar times whatever a connection said (a broker's answer, a connection
/// change, a message the session refused). The session logs each as an input event.
public enum SessionInput: Sendable {
    case bars(BarGroup)
    case answer(EventPayload)
    /// The feed has no more bars.
    case endOfFeed
    /// A link failed in a way retrying cannot cure (refused credentials): end the session.
    case halt(String)
    /// A wall-clock tick: the session turns it into a clock timer when one is due (`SessionClock`).
    case clock
}

/// Who fills a live session's orders when it is not the kernel's own simulated exchange.
/// The answer to a submission (accepted or rejected) is returned and logged at once; later
/// answers (fills, cancels, connection changes) go back to the session as `SessionInput.answer`s
/// through the stream it was started with, so they are logged in the order the session takes them.
public protocol Broker: Sendable {
    /// Sends one order the kernel decided. Never throws: a failure is answered as a reject.
    func submit(_ order: OrderSubmitted, symbol: String) async -> [EventPayload]
    /// Asks the broker to cancel every order still open; returns what to log about it.
    func cancelOpenOrders(reason: String) async -> [EventPayload]
}

/// When a live session decides: once per bar time, with every symbol's bar (`barClose`), or at
/// every update as it arrives, with the snapshot as it stands then (`update`): a symbol's bar is
/// acted on the moment it comes, several steps may share a bar time, and replay takes the same steps.
public enum SnapshotMode: String, Sendable, CaseIterable {
    case barClose = "bar_close"
    case update

    /// The manifest property that records it.
    public static let property = "session.snapshot"
}

/// How a live session maps the wall clock onto its bars' time, for clock timers between bars.
/// Session time runs `rate` times the wall clock from the last bar group's arrival (1 for a live
/// feed, the pacing speed for a replayed one), held back by `grace` of wall time so a bar that is
/// merely a little late still lands after the timers; a bar later than that is dropped as late.
public struct SessionClock: Sendable {
    public var rate: Double
    public var grace: Duration
    public init(rate: Double = 1, grace: Duration = .seconds(2)) {
        self.rate = rate
        self.grace = grace
    }
}

extension AsyncThrowingStream where Element == BarGroup, Failure == Error {
    /// Delivers a bar feed as session inputs: its groups (each bar on its own when deciding per
    /// update), then the end of the feed. A feed that fails is a notice, then the end.
    public func deliver(perUpdate: Bool = false, to deliver: @Sendable (SessionInput) -> Void) async {
        do {
            for try await group in self {
                if perUpdate {
                    for bar in group.bars { deliver(.bars(BarGroup(time: group.time, bars: [bar]))) }
                } else {
                    deliver(.bars(group))
                }
            }
        } catch {
            deliver(.answer(.inputNotice(InputNotice(link: .marketData, detail: "feed failed: \(error)"))))
        }
        deliver(.endOfFeed)
    }

    /// A bar feed as a stream of session inputs.
    public var sessionInputs: AsyncStream<SessionInput> {
        let groups = self
        return AsyncStream { continuation in
            let task = Task {
                await groups.deliver { continuation.yield($0) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
