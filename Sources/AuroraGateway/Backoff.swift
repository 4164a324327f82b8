/// Reconnect delays: doubling from `initial` up to `maximum`, reset after a success. No jitter:
/// a session has one connection per stream, so there is no herd to spread out.
public struct Backoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public private(set) var attempt: UInt32 = 0

    public init(initial: Duration = .milliseconds(250), maximum: Duration = .seconds(8)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before the next attempt; counts the attempt.
    public mutating func next() -> Duration {
        attempt += 1
        var d = initial
        for _ in 1..<min(attempt, 16) where d < maximum { d *= 2 }
        return min(d, maximum)
    }

    public mutating func reset() { attempt = 0 }
}
