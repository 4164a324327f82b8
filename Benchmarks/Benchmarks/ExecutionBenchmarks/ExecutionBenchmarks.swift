import Aurora
import Benchmark
import Foundation

// Plan + TWAP (10 slices, rate limit 200/min) + simulated fills for 500 trades over one
// 390-minute session of generated minute bars, log included; then the execution-monitor reducer
// over that log.

let benchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], warmupIterations: 1,
                                         maxDuration: .seconds(10), maxIterations: 10)

    Benchmark("plan + TWAP + fills, 500 trades × 390 minutes", configuration: config) { benchmark in
        benchmark.startMeasurement()
        let (report, _) = try ExecutionWorkload.run(path: ExecutionWorkload.scratch("bench.alog"))
        benchmark.stopMeasurement()
        precondition(report.completedTrades == 500)
    }

    var monitorConfig = config
    monitorConfig.metrics.append(.custom("events_per_s", polarity: .prefersLarger, useScalingFactor: false))
    Benchmark("execution monitor reducer", configuration: monitorConfig) { benchmark in
        let events = ExecutionWorkload.events
        let start = Date()
        benchmark.startMeasurement()
        var state = ExecutionMonitorState()
        for e in events { ExecutionMonitor.reduce(&state, e) }
        benchmark.stopMeasurement()
        blackHole(state.overallCompletion)
        benchmark.measurement(.custom("events_per_s", polarity: .prefersLarger), Int(Double(events.count) / Date().timeIntervalSince(start)))
    }
}

enum ExecutionWorkload {
    static let bars: BarSeries = {
        var u = SyntheticUniverse()
        u.symbolCount = 500
        u.sectorCount = 10
        u.days = 1
        u.timeframe = .minute
        return try! u.generate()
    }()

    /// A file in this process's scratch directory, removed when it exits.
    static func scratch(_ name: String) -> String { directory + "/" + name }

    private static let directory: String = {
        let path = NSTemporaryDirectory() + "aurora-exec-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "aurora-exec-bench-\(getpid())") }
        return path
    }()

    static func run(path: String) throws -> (ExecutionReport, String) {
        let start = Timestamp(rawValue: bars.end[0] - 60_000_000_000)
        var target: [String: Double] = [:]
        for (i, name) in bars.symbols.enumerated() { target[name] = Double(i % 2 == 0 ? 1_000 + i : -(500 + i)) }
        let plan = try RebalancingPlanner(startTime: start, aggressiveTime: Timestamp(rawValue: bars.end[bars.count - 1] - 1_800_000_000_000))
            .createPlan(current: [:], target: target)
        let writer = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: AuroraVersion.engine), timestamp: start)
        for name in bars.symbols { _ = try writer.symbol(name, at: start) }
        var executor = TWAPExecutor(gateway: SimulatedExchange(), numSlices: 10, sink: writer)
        let report = try executor.executePlan(plan, bars: bars)
        try writer.close()
        return (report, path)
    }

    /// The log of one run, decoded once.
    static let events: [Event] = {
        let (_, path) = try! run(path: scratch("monitor.alog"))
        let cursor = try! LogReader(path: path).events()
        var out: [Event] = []
        while let e = try! cursor.next() { out.append(e) }
        return out
    }()
}
