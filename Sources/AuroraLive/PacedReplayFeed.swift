import AuroraData
import AuroraKernel
import AuroraStats
import AuroraModel
import AuroraStrategies
import AuroraExecution

/// One bar time's bars, as a feed delivers them.
public struct BarGroup: Sendable {
    public var time: Timestamp
    public var bars: [Bar]
    public init(time: Timestamp, bars: [Bar]) { self.time = time; self.bars = bars }
}

/// Recorded bars (a CSV file or an Aurora log) delivered as if live: each group after the
/// previous one by their time difference divided by `speed` (1 is real time; nil, as fast as
/// possible). Paper trading over recorded data.
public struct PacedReplayFeed: Sendable {
    public let series: BarSeries
    public let speed: Double?
    /// Groups before this time go out at once (a resumed session checks them against its log and
    /// skips them); pacing starts there.
    public var unpacedBefore: Timestamp?

    public init(series: BarSeries, speed: Double?, unpacedBefore: Timestamp? = nil) {
        self.series = series
        self.speed = speed
        self.unpacedBefore = unpacedBefore
    }

    public var groups: AsyncThrowingStream<BarGroup, Error> {
        let series = self.series, speed = self.speed, unpaced = unpacedBefore?.rawValue ?? .min
        return AsyncThrowingStream { continuation in
            let task = Task {
                var previous: Int64?
                for step in series.steps {
                    if Task.isCancelled { break }
                    let t = step.time.rawValue
                    if let speed, let p = previous, t > p, t > unpaced {
                        let seconds = Double(t - p) / 1e9 / speed
                        try? await Task.sleep(nanoseconds: UInt64(min(seconds, 3_600) * 1e9))
                    }
                    previous = t
                    var bars: [Bar] = []
                    series.bars(step.range, into: &bars)
                    continuation.yield(BarGroup(time: step.time, bars: bars))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
