import Aurora
import Benchmark
import Foundation

// Throughput is reported as custom metrics (events/s, bars/s, bytes/bar ×100) measured inside
// each iteration, so the numbers read directly against the targets in the README.
// Workload: the shared S&P file when present, otherwise a generated universe of the same shape.

let benchmarks: @Sendable () -> Void = {
    let workload = Workload.shared
    let config = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident, .instructions],
                                         warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 10)

    Benchmark("append in-memory bar events", configuration: withCustom(config, "events_per_s")) { benchmark in
        let path = workload.scratch("append.alog")
        let start = Date()
        benchmark.startMeasurement()
        let writer = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: AuroraVersion.engine),
                                          timestamp: workload.events[0].timestamp)
        for name in workload.symbols { _ = try writer.symbol(name, at: workload.events[0].timestamp) }
        for (timestamp, bar) in workload.bars { try writer.append(bar: bar, at: timestamp) }
        try writer.close()
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("events_per_s", polarity: .prefersLarger), rate(workload.events.count, since: start))
    }

    Benchmark("import CSV end to end", configuration: withCustom(config, "bars_per_s")) { benchmark in
        let path = workload.scratch("import.alog")
        let start = Date()
        benchmark.startMeasurement()
        let (table, report) = try BarCSVReader.read(path: workload.csvPath, options: BarCSVOptions())
        let summary = try BarImporter.write(table, report: report, sourceName: "bench.csv", options: BarCSVOptions(), to: path)
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("bars_per_s", polarity: .prefersLarger), rate(table.count, since: start))
        benchmark.measurement(.custom("bytes_per_bar_x100", polarity: .prefersSmaller, useScalingFactor: false),
                              Int(Double(summary.fileSize) * 100 / Double(table.count)))
    }

    Benchmark("read + decode + checksum", configuration: withCustom(config, "events_per_s")) { benchmark in
        let start = Date()
        benchmark.startMeasurement()
        let reader = try LogReader(path: workload.logPath)
        let cursor = reader.events()
        var count = 0
        var closeSum: Int64 = 0
        while let event = try cursor.next() {
            count += 1
            if case .bar(let bar) = event.payload { closeSum &+= bar.close.rawValue }
        }
        benchmark.stopMeasurement()
        blackHole(closeSum)
        benchmark.measurement(.custom("events_per_s", polarity: .prefersLarger), rate(count, since: start))
    }

    // A log as a backtest's data: every bar into the series' columns, or only some symbols'
    // (the decoder passes over the others' bars once their symbol is read).
    Benchmark("load an .alog as data, all symbols", configuration: withCustom(config, "loaded_bars_per_s")) { benchmark in
        let start = Date()
        benchmark.startMeasurement()
        let (series, _) = try LogDataSource(path: workload.logPath).load()
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("loaded_bars_per_s", polarity: .prefersLarger), rate(series.count, since: start))
    }

    Benchmark("load an .alog as data, 10 symbols (every 50th)", configuration: config) { benchmark in
        let some = stride(from: 0, to: workload.symbols.count, by: 50).map { workload.symbols[$0] }
        benchmark.startMeasurement()
        let (series, _) = try LogDataSource(path: workload.logPath, symbols: some).load()
        benchmark.stopMeasurement()
        blackHole(series.count)
    }

    // Peak memory should be the same for a log eight times longer.
    Benchmark("read memory, 8x longer log", configuration: config) { benchmark in
        let reader = try LogReader(path: workload.longLogPath)
        let cursor = reader.events()
        var count = 0
        while try cursor.next() != nil { count += 1 }
        blackHole(count)
    }
}

func withCustom(_ c: Benchmark.Configuration, _ name: String) -> Benchmark.Configuration {
    var c = c
    c.metrics.append(.custom(name, polarity: .prefersLarger, useScalingFactor: false))
    if name == "bars_per_s" { c.metrics.append(.custom("bytes_per_bar_x100", polarity: .prefersSmaller, useScalingFactor: false)) }
    return c
}

func rate(_ count: Int, since start: Date) -> Int {
    Int(Double(count) / max(Date().timeIntervalSince(start), 1e-9))
}
