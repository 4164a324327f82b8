import AuroraModel

/// An order waiting for the rate limiter.
public struct QueuedOrder: Sendable, Equatable {
    public var orderID: UInt64
    public var priority: Int
    public var enqueuedAt: Timestamp
    public init(orderID: UInt64, priority: Int, enqueuedAt: Timestamp) {
        self.orderID = orderID
        self.priority = priority
        self.enqueuedAt = enqueuedAt
    }
}

/// What the queue did with an order in one `processBatch`.
public enum OrderResult: Sendable, Equatable {
    /// May be sent now.
    case released(QueuedOrder)
    /// Has to wait; reported once per order, with when it is expected to go and how many orders
    /// were queued ahead of it and including it.
    case waiting(QueuedOrder, until: Timestamp, queueDepth: Int)
}

/// At most `maxPerMinute` orders in any 60-second window of the engine's clock (event time in
/// backtests, the wall clock live), as brokers count. Orders leave highest priority first (lowest
/// number), first-in first-out among equals. Nothing is dropped: an order over the limit waits,
/// and each wait is reported once so it can be logged.
public struct RateLimitedOrderQueue: Sendable {
    public let maxPerMinute: Int
    private var pending: [(order: QueuedOrder, arrival: UInt64)] = []
    private var arrivals: UInt64 = 0
    private var reportedWaiting: Set<UInt64> = []
    /// Release times of the last `maxPerMinute` orders, oldest first.
    private var recent: [Int64] = []
    public private(set) var released = 0

    static let window: Int64 = 60 * 1_000_000_000

    public init(maxPerMinute: Int = 200) {
        self.maxPerMinute = max(1, maxPerMinute)
    }

    public var depth: Int { pending.count }

    /// Orders that could be released at `now`.
    public func capacity(at now: Timestamp) -> Int {
        maxPerMinute - recent.filter { $0 > now.rawValue - Self.window }.count
    }

    public mutating func enqueue(_ order: QueuedOrder) {
        pending.append((order, arrivals))
        arrivals += 1
    }

    /// Releases what the window allows at `now`, in priority order, and reports newly waiting orders.
    public mutating func processBatch(now: Timestamp) -> [OrderResult] {
        recent.removeAll { $0 <= now.rawValue - Self.window }
        pending.sort { $0.order.priority != $1.order.priority ? $0.order.priority < $1.order.priority : $0.arrival < $1.arrival }
        var results: [OrderResult] = []
        let count = min(pending.count, maxPerMinute - recent.count)
        for entry in pending.prefix(count) {
            results.append(.released(entry.order))
            recent.append(now.rawValue)
            reportedWaiting.remove(entry.order.orderID)
        }
        pending.removeFirst(count)
        released += count
        for (i, entry) in pending.enumerated() where !reportedWaiting.contains(entry.order.orderID) {
            reportedWaiting.insert(entry.order.orderID)
            results.append(.waiting(entry.order, until: expectedRelease(position: i, now: now), queueDepth: pending.count))
        }
        return results
    }

    /// When the next order can go (now, if the window has room).
    public func nextRelease(after now: Timestamp) -> Timestamp { expectedRelease(position: 0, now: now) }

    /// When the order at `position` in the queue is expected to be released if nothing else arrives.
    private func expectedRelease(position: Int, now: Timestamp) -> Timestamp {
        let free = maxPerMinute - recent.count
        if position < free { return now }
        // Each later slot opens when an earlier release leaves the window.
        let k = position - free
        let round = k / maxPerMinute, index = k % maxPerMinute
        let base = index < recent.count ? recent[index] : now.rawValue
        return Timestamp(rawValue: max(now.rawValue, base + Int64(round + 1) * Self.window))
    }
}
