import Aurora
import Benchmark
import Foundation
import Synchronization

// Live sessions: (1) the latency from a bar group's arrival to the first order the kernel sends
// for it, with 500 symbols arriving at 5,000 updates/s (a group every 100 ms), through the same
// LiveSession, kernel, log and broker routing a paper session uses; (2) how many events per
// second a session logs with the live flush policy (100 ms / 256 events), unpaced.

let benchmarks: @Sendable () -> Void = {
    var latency = Benchmark.Configuration(metrics: [.wallClock], warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 3)
    for name in ["kernel_order_p50_us", "kernel_order_p99_us", "delivery_to_broker_p50_us", "delivery_to_broker_p99_us"] {
        latency.metrics.append(.custom(name, polarity: .prefersSmaller, useScalingFactor: false))
    }
    Benchmark("live: bar group to order submission, 500 symbols at 5,000 updates/s", configuration: latency) { benchmark in
        let (samples, stats) = try await LiveWorkload.tickToOrder(groups: 60)
        // Inside the kernel: from the session taking the bars to the kernel's first order event.
        benchmark.measurement(.custom("kernel_order_p50_us", polarity: .prefersSmaller), stats.toOrderP50)
        benchmark.measurement(.custom("kernel_order_p99_us", polarity: .prefersSmaller), stats.toOrderP99)
        // End to end: from the feed's delivery to the broker receiving the first order (after the log flush).
        benchmark.measurement(.custom("delivery_to_broker_p50_us", polarity: .prefersSmaller), samples.percentile(0.50))
        benchmark.measurement(.custom("delivery_to_broker_p99_us", polarity: .prefersSmaller), samples.percentile(0.99))
    }

    var append = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], warmupIterations: 0,
                                         maxDuration: .seconds(30), maxIterations: 3)
    append.metrics.append(.custom("events_per_s", polarity: .prefersLarger, useScalingFactor: false))
    Benchmark("live: session log append, live flush policy, unpaced", configuration: append) { benchmark in
        let (events, seconds) = try await LiveWorkload.unpacedSession()
        benchmark.measurement(.custom("events_per_s", polarity: .prefersLarger), Int(Double(events) / seconds))
    }
}

enum LiveWorkload {
    static let minuteBars: BarSeries = {
        var u = SyntheticUniverse()
        u.symbolCount = 500
        u.sectorCount = 10
        u.days = 1
        u.timeframe = .minute
        return try! u.generate()
    }()

    static func config(lookback: Int) -> AuroraConfig {
        var c = AuroraConfig()
        c.strategy = .momentum(lookback: lookback, threshold: 0)
        c.execution.common.fractionalShares = true
        return c
    }

    static func scratch(_ name: String) -> String { NSTemporaryDirectory() + "aurora-live-bench-\(getpid())-" + name }

    /// Microseconds from each group's delivery to the first order the session sent for it.
    static func tickToOrder(groups: Int) async throws -> ([Int], LatencyStats) {
        let lookback = 5
        let path = scratch("latency.alog")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = try LiveSession(config: config(lookback: lookback), symbols: minuteBars.symbols, sourceDescription: "bench",
                                      out: path, resume: false, broker: "bench")
        let broker = TimingBroker()
        let (inputs, continuation) = AsyncStream<SessionInput>.makeStream()
        let run = Task { try await session.run(inputs: inputs, broker: broker) }
        let all = minuteBars.groups
        let clock = ContinuousClock()
        var next = clock.now
        for (n, range) in all.prefix(lookback + 2 + groups).enumerated() {
            // A group of 500 updates every 100 ms: 5,000 updates per second.
            try await clock.sleep(until: next)
            next = next.advanced(by: .milliseconds(100))
            broker.delivered(measure: n > lookback + 1)
            continuation.yield(.bars(BarGroup(time: Timestamp(rawValue: minuteBars.end[range.lowerBound]),
                                              bars: range.map { minuteBars.bar($0) })))
        }
        continuation.yield(.endOfFeed)
        let summary = try await run.value
        return (broker.samples, summary.latency)
    }

    /// A whole session of daily bars for 500 symbols, unpaced, through LiveSession and its log.
    static func unpacedSession() async throws -> (UInt64, Double) {
        var u = SyntheticUniverse()
        u.symbolCount = 500
        u.days = 504
        let series = try u.generate()
        let path = scratch("append.alog")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = try LiveSession(config: config(lookback: 20), symbols: series.symbols, sourceDescription: "bench", out: path, resume: false)
        let start = Date()
        let summary = try await session.run(PacedReplayFeed(series: series, speed: nil).groups)
        return (summary.events, Date().timeIntervalSince(start))
    }
}

/// A broker that answers at once and notes how long after its group's delivery the first order came.
final class TimingBroker: Broker {
    private struct State { var deliveredAt: ContinuousClock.Instant?; var measure = false; var samples: [Int] = [] }
    private let state = Mutex(State())

    func delivered(measure: Bool) {
        state.withLock { $0.deliveredAt = ContinuousClock.now; $0.measure = measure }
    }

    var samples: [Int] { state.withLock { $0.samples } }

    func submit(_ order: OrderSubmitted, symbol: String) async -> [EventPayload] {
        state.withLock { s in
            if s.measure, let t = s.deliveredAt {
                let d = ContinuousClock.now - t
                s.samples.append(Int(d / .microseconds(1)))
                s.deliveredAt = nil
            }
        }
        return [.orderAccepted(OrderAccepted(orderID: order.orderID, brokerOrderID: "b\(order.orderID)"))]
    }

    func cancelOpenOrders(reason: String) async -> [EventPayload] { [] }
}

extension Array where Element == Int {
    func percentile(_ p: Double) -> Int {
        guard !isEmpty else { return 0 }
        let s = sorted()
        return s[Swift.min(s.count - 1, Int((Double(s.count - 1) * p).rounded(.up)))]
    }
}
