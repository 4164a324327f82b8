import AuroraModel

/// Where a log's decision steps end, for readers that mark the portfolio there as the kernel
/// marked its equity curve: a step ends where the next one's first bar begins — at each new bar
/// time, or at each new UTC day when the run decides once a day over intraday bars. Fills and
/// answers of a step arrive before the next step's bars, so the state there is the kernel's.
public struct DecisionSteps: Sendable {
    public let daily: Bool
    private var key: Int64?
    private var time: Int64 = 0

    public init(daily: Bool) { self.daily = daily }

    /// Call before folding `event`: the time of the step it closes, when it opens a new one.
    public mutating func closes(before event: Event) -> Timestamp? {
        guard case .bar = event.payload else { return nil }
        let t = event.timestamp.rawValue
        let k = daily ? t / 86_400_000_000_000 : t
        defer { key = k; time = t }
        guard let current = key, current != k else { return nil }
        return Timestamp(rawValue: time)
    }

    /// At the end of the log: the last step's time (nil when there was no bar).
    public var last: Timestamp? { key.map { _ in Timestamp(rawValue: time) } }
}
