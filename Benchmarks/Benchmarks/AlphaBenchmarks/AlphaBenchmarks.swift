import Aurora
import Benchmark
import Foundation

// The alpha strategy (momentum_20d, mean_reversion, cross_sectional_momentum; sector-neutral;
// IC weights) over the S&P file with its sector map, log included; and the three alphas alone,
// stepped over prebuilt snapshots, in symbol-days per second. Without ../shared: a generated
// universe of 500 symbols × 1000 days with its own sectors.

let benchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident],
                                         warmupIterations: 1, maxDuration: .seconds(15), maxIterations: 8)

    Benchmark("alpha strategy backtest, 3 alphas, sector-neutral, log included",
              configuration: custom(config, ["events_per_s"])) { benchmark in
        let path = NSTemporaryDirectory() + "aurora-alpha-bench-\(getpid()).alog"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let start = Date()
        benchmark.startMeasurement()
        let result = try BacktestEngine(config: AlphaWorkload.config, logPath: path).runMulti()
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("events_per_s", polarity: .prefersLarger),
                              Int(Double(result.log.eventCount) / Date().timeIntervalSince(start)))
    }

    Benchmark("alpha computation alone, 3 alphas", configuration: custom(config, ["symbol_days_per_s"])) { benchmark in
        let snapshots = AlphaWorkload.snapshots
        var alphas: [any Alpha] = ["momentum_20d", "mean_reversion", "cross_sectional_momentum"].compactMap { AlphaRegistry.builtIn.make($0) }
        var values = [[Double]](repeating: [], count: alphas.count)
        let start = Date()
        benchmark.startMeasurement()
        for snapshot in snapshots {
            for a in alphas.indices { alphas[a].step(snapshot, into: &values[a]) }
        }
        benchmark.stopMeasurement()
        blackHole(values)
        benchmark.measurement(.custom("symbol_days_per_s", polarity: .prefersLarger),
                              Int(Double(AlphaWorkload.symbolDays) / Date().timeIntervalSince(start)))
    }

    for name in ["momentum_20d", "mean_reversion", "cross_sectional_momentum"] {
        Benchmark("alpha computation alone, \(name)", configuration: custom(config, ["symbol_days_per_s"])) { benchmark in
            let snapshots = AlphaWorkload.snapshots
            guard var alpha = AlphaRegistry.builtIn.make(name) else { return }
            var values: [Double] = []
            let start = Date()
            benchmark.startMeasurement()
            for snapshot in snapshots { alpha.step(snapshot, into: &values) }
            benchmark.stopMeasurement()
            blackHole(values)
            benchmark.measurement(.custom("symbol_days_per_s", polarity: .prefersLarger),
                                  Int(Double(AlphaWorkload.symbolDays) / Date().timeIntervalSince(start)))
        }
    }
}

enum AlphaWorkload {
    static let config: AuroraConfig = {
        var settings = AlphaSettings()
        settings.strategy = AlphaStrategyConfig(alphaNames: ["momentum_20d", "mean_reversion", "cross_sectional_momentum"],
                                                longThreshold: 0.5, shortThreshold: -0.5, maxPositions: 20)
        settings.strategy.sectorNeutral = true
        settings.weightModel = .ic(window: 60)
        var c = AuroraConfig()
        c.portfolio.equalWeight.maxPositionWeight = 0.05
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../shared/data").standardized
        if FileManager.default.fileExists(atPath: data.appendingPathComponent("sp500-daily-2013-2016.csv").path) {
            c.data.source = data.appendingPathComponent("sp500-daily-2013-2016.csv").path
            settings.sectorMap = data.appendingPathComponent("sp500-sectors-2018.csv").path
        } else {
            print("../shared/data is absent: benchmarking a generated universe of 500 symbols × 1000 days")
            c.data.synthetic.symbolCount = 500
            c.data.synthetic.sectorCount = 11
            c.data.synthetic.days = 1000
        }
        c.strategy = .alpha(settings)
        return c
    }()

    static let series: BarSeries = {
        do {
            let source: any MarketDataSource = config.data.isSynthetic ? config.data.synthetic : CSVDataSource(path: config.data.source)
            return try source.load().0
        } catch {
            fatalError("cannot load the benchmark data: \(error)")
        }
    }()

    static let snapshots: [MarketSnapshot] = {
        var last = [Price?](repeating: nil, count: series.symbols.count)
        return series.groups.map { range in
            let bars = range.map { series.bar($0) }
            for b in bars { last[b.symbol.index] = b.close }
            return MarketSnapshot(timestamp: Timestamp(rawValue: series.end[range.lowerBound]), bars: bars, lastClose: last,
                                  symbolNames: series.symbols)
        }
    }()

    static var symbolDays: Int { series.count }
}

func custom(_ c: Benchmark.Configuration, _ names: [String]) -> Benchmark.Configuration {
    var c = c
    for name in names { c.metrics.append(.custom(name, polarity: .prefersLarger, useScalingFactor: false)) }
    return c
}
