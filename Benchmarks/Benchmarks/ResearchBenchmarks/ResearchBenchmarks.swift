import Aurora
import Benchmark
import Foundation

// Research on the S&P file (499 symbols × 982 days): the 158-feature Alpha158 panel (one core),
// the per-date IC and Rank IC of all 158 features against one label (one and two threads), and
// the whole `research evaluate` statistics. Without ../shared: a generated universe of 500
// symbols × 1000 days.

let benchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident],
                                         warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 6)

    Benchmark("Alpha158 panel, 158 features, one core", configuration: custom(config, ["values_per_s"])) { benchmark in
        let series = ResearchWorkload.series
        var sources: [any FeatureSource] = [Alpha158Source()]
        let start = Date()
        benchmark.startMeasurement()
        let (panel, _) = try PanelBuilder.build(series, sources: &sources)
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("values_per_s", polarity: .prefersLarger),
                              Int(Double(panel.featureCount * panel.cellCount) / Date().timeIntervalSince(start)))
        blackHole(panel)
    }

    for threads in [1, 2] {
        Benchmark("IC and Rank IC, 158 features × one label, \(threads) thread\(threads == 1 ? "" : "s")",
                  configuration: custom(config, ["cross_sections_per_s"])) { benchmark in
            let data = ResearchWorkload.data
            let start = Date()
            benchmark.startMeasurement()
            let daily = InformationCoefficient.daily(data.panel, labels: data.labels[0], minNames: 10, threads: threads)
            benchmark.stopMeasurement()
            benchmark.measurement(.custom("cross_sections_per_s", polarity: .prefersLarger),
                                  Int(Double(data.panel.featureCount * data.panel.dateCount) / Date().timeIntervalSince(start)))
            blackHole(daily)
        }
    }

    Benchmark("research evaluate statistics: 3 horizons, quantiles, long/short, turnover, sectors, 2 threads",
              configuration: config) { benchmark in
        let data = ResearchWorkload.data
        benchmark.startMeasurement()
        let result = SignalEvaluation.evaluate(data, settings: EvaluationSettings(), threads: 2)
        benchmark.stopMeasurement()
        blackHole(result)
    }
}

enum ResearchWorkload {
    static let config: ResearchConfig = {
        var c = ResearchConfig()
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../shared/data").standardized
        if FileManager.default.fileExists(atPath: data.appendingPathComponent("sp500-daily-2013-2016.csv").path) {
            c.data.source = data.appendingPathComponent("sp500-daily-2013-2016.csv").path
            c.sectors = data.appendingPathComponent("sp500-sectors-2018.csv").path
        } else {
            print("../shared/data is absent: benchmarking a generated universe of 500 symbols × 1000 days")
            c.data.synthetic.symbolCount = 500
            c.data.synthetic.sectorCount = 11
            c.data.synthetic.days = 1000
        }
        c.features = [.alpha158(Alpha158Settings(), only: nil)]
        return c
    }()

    static let series: BarSeries = {
        do { return try PreparedData.load(config.data).series } catch { fatalError("cannot load the benchmark data: \(error)") }
    }()

    static let data: ResearchData = {
        do { return try ResearchData.build(config) } catch { fatalError("cannot build the research data: \(error)") }
    }()
}

func custom(_ c: Benchmark.Configuration, _ names: [String]) -> Benchmark.Configuration {
    var c = c
    for name in names { c.metrics.append(.custom(name, polarity: .prefersLarger, useScalingFactor: false)) }
    return c
}
