import Aurora
import Benchmark
import Foundation

// The momentum backtest over the S&P file (or, without ../shared, a generated universe of the same
// shape: 500 symbols × 1000 days), log writing included; then folding the portfolio reducer over
// that log (replay's decode + reduce); then `state` at the middle of the log through checkpoints.

let benchmarks: @Sendable () -> Void = {
    registerDeterministicBenchmarks()
    let config = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident, .instructions],
                                         warmupIterations: 1, maxDuration: .seconds(15), maxIterations: 8)

    Benchmark("momentum backtest, S&P, log included", configuration: custom(config, "events_per_s")) { benchmark in
        let directory = scratch()
        let start = Date()
        benchmark.startMeasurement()
        let result = try BacktestEngine(config: KernelWorkload.config, logPath: directory + "/bt.alog").runMulti()
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("events_per_s", polarity: .prefersLarger), rate(Int(result.log.eventCount), start))
    }

    Benchmark("replay fold: decode + portfolio reducer", configuration: custom(config, "events_per_s")) { benchmark in
        let path = KernelWorkload.log
        let start = Date()
        benchmark.startMeasurement()
        let reader = try LogReader(path: path)
        let cursor = reader.events()
        var state = PortfolioState()
        var n = 0
        while let e = try cursor.next() {
            PortfolioReducer.reduce(&state, e)
            n += 1
        }
        benchmark.stopMeasurement()
        blackHole(state.equity)
        benchmark.measurement(.custom("events_per_s", polarity: .prefersLarger), rate(n, start))
    }

    Benchmark("replay: re-run and compare every decision", configuration: custom(config, "events_per_s")) { benchmark in
        let path = KernelWorkload.log
        let start = Date()
        benchmark.startMeasurement()
        let report = try ReplayEngine.replay(path: path, registry: .standard)
        benchmark.stopMeasurement()
        precondition(report.identical, "the reference log no longer replays")
        benchmark.measurement(.custom("events_per_s", polarity: .prefersLarger), rate(Int(report.events), start))
    }

    Benchmark("verify: frames, checksums, digest, checkpoints", configuration: custom(config, "events_per_s")) { benchmark in
        // Every standard reducer folded along one pass: each event built whole (as before headers).
        let path = KernelWorkload.log
        var check = CheckpointVerifier.Check(reducers: ComponentRegistry.standard.reducers)
        let start = Date()
        benchmark.startMeasurement()
        let result = try LogInspector.inspect(path: path, observer: &check)
        benchmark.stopMeasurement()
        precondition(result.isSound && check.result.mismatch == nil, "the reference log no longer verifies")
        benchmark.measurement(.custom("events_per_s", polarity: .prefersLarger), rate(Int(result.eventsRead), start))
    }

    Benchmark("verify as the command does it: portfolio along the pass, headers for the rest", configuration: custom(config, "events_per_s")) { benchmark in
        let path = KernelWorkload.log
        let reducers = ComponentRegistry.standard.reducers
        var check = CheckpointVerifier.Check(reducers: reducers.filter { $0.name == PortfolioReducer.name })
        let start = Date()
        benchmark.startMeasurement()
        let result = try LogInspector.inspect(path: path, observer: &check)
        let verdict = try CheckpointVerifier.completing(check.result, reducers: reducers) { try LogReader(path: path) }
        benchmark.stopMeasurement()
        precondition(result.isSound && verdict.mismatch == nil, "the reference log no longer verifies")
        benchmark.measurement(.custom("events_per_s", polarity: .prefersLarger), rate(Int(result.eventsRead), start))
    }

    Benchmark("state at the middle through checkpoints", configuration: custom(config, "events_folded")) { benchmark in
        let reader = try LogReader(path: KernelWorkload.log)
        let middle = Timestamp(rawValue: (reader.frames.first!.firstTimestamp + reader.frames.last!.lastTimestamp) / 2)
        benchmark.startMeasurement()
        let result = try StateQuery.portfolio(of: reader, at: middle)
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("events_folded", polarity: .prefersSmaller), result.eventsFolded)
    }
}

enum KernelWorkload {
    static let config: AuroraConfig = {
        var c = AuroraConfig()
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../../shared/data/sp500-daily-2013-2016.csv").standardized.path
        if FileManager.default.fileExists(atPath: shared) {
            c.data.source = shared
        } else {
            print("../shared/data is absent: benchmarking a generated universe of 500 symbols × 1000 days")
            c.data.synthetic.symbolCount = 500
            c.data.synthetic.sectorCount = 11
            c.data.synthetic.days = 1000
        }
        return c
    }()

    /// One backtest log, written once for the read benchmarks.
    static let log: String = {
        let path = scratch() + "/reference.alog"
        do {
            _ = try BacktestEngine(config: config, logPath: path).runMulti()
        } catch {
            fatalError("cannot write the benchmark log: \(error)")
        }
        return path
    }()
}

/// This process's scratch directory, removed when it exits (each benchmark runs in a process of its own).
func scratch() -> String { scratchDirectory }

private let scratchDirectory: String = {
    let path = NSTemporaryDirectory() + "aurora-kernel-bench-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "aurora-kernel-bench-\(getpid())") }
    return path
}()

func custom(_ c: Benchmark.Configuration, _ name: String) -> Benchmark.Configuration {
    var c = c
    c.metrics.append(.custom(name, polarity: name == "events_folded" ? .prefersSmaller : .prefersLarger, useScalingFactor: false))
    return c
}

func rate(_ count: Int, _ start: Date) -> Int { Int(Double(count) / max(Date().timeIntervalSince(start), 1e-9)) }
