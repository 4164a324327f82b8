import Aurora
import Benchmark
import Foundation

// The fixed workloads of `aurora bench`, each checked against its recorded digest (a faster run
// with different results stops the suite), and the diff and state targets: diff two ~2.3M-event
// logs, and rebuild state at the middle of a ~10M-event log through its checkpoints.

func registerDeterministicBenchmarks() {
    let config = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident, .instructions],
                                         warmupIterations: 0, maxDuration: .seconds(10), maxIterations: 3)
    for workload in BenchmarkWorkload.all {
        Benchmark("workload \(workload.name), digest checked", configuration: config) { benchmark in
            var engine = BacktestEngine(config: workload.config, logPath: scratch() + "/\(workload.name).alog")
            benchmark.startMeasurement()
            let result = try engine.runMulti()
            benchmark.stopMeasurement()
            guard result.log.digestHex == workload.expectedDigest else {
                fatalError("workload \(workload.name): digest \(result.log.digestHex), expected \(workload.expectedDigest): the results changed")
            }
        }
    }

    Benchmark("diff of two 2.3M-event logs", configuration: config) { benchmark in
        let (a, b) = DiffWorkload.logs
        benchmark.startMeasurement()
        let report = try LogDiff.compare(a, b)
        benchmark.stopMeasurement()
        precondition(!report.identical)
    }

    var stateConfig = config
    stateConfig.metrics.append(.custom("events_folded", polarity: .prefersSmaller, useScalingFactor: false))
    Benchmark("state at the middle of a 10M-event log", configuration: stateConfig) { benchmark in
        let reader = try LogReader(path: DiffWorkload.tenMillion)
        let middle = Timestamp(rawValue: ((reader.firstTimestamp?.rawValue ?? 0) + (reader.lastTimestamp?.rawValue ?? 0)) / 2)
        benchmark.startMeasurement()
        let result = try StateQuery.portfolio(of: reader, at: middle)
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("events_folded", polarity: .prefersSmaller), result.eventsFolded)
    }
}

enum DiffWorkload {
    /// The `large` workload and a version with another threshold, on the same inputs.
    static let logs: (String, String) = {
        let a = scratch() + "/diff-a.alog", b = scratch() + "/diff-b.alog"
        var other = BenchmarkWorkload.large.config
        other.strategy = .momentum(lookback: 20, threshold: 0.06)
        do {
            _ = try BacktestEngine(config: BenchmarkWorkload.large.config, logPath: a).runMulti()
            _ = try WhatIfEngine.rerun(parent: a, config: other, out: b)
        } catch {
            fatalError("cannot write the diff workload: \(error)")
        }
        return (a, b)
    }()

    /// Momentum on 1,000 symbols × 2,000 days: about 10M events.
    static let tenMillion: String = {
        let path = scratch() + "/ten-million.alog"
        var c = AuroraConfig()
        c.data.synthetic.symbolCount = 1_000
        c.data.synthetic.sectorCount = 11
        c.data.synthetic.days = 2_000
        do {
            let result = try BacktestEngine(config: c, logPath: path).runMulti()
            print("state workload: \(result.log.eventCount) events")
        } catch {
            fatalError("cannot write the 10M-event log: \(error)")
        }
        return path
    }()
}
