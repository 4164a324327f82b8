import Aurora
import Benchmark
import Foundation

// The model zoo on the scale of a year of the S&P file (123k rows × 159 features): one fit of
// each type through the wrapper, and XGBoost's own training loop called directly on the same
// matrix, to measure what the wrapper adds.

let benchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 3)

    for kind in ModelKind.allCases {
        Benchmark("fit \(kind.rawValue), 123k rows × 159 features", configuration: config) { benchmark in
            let data = ModelWorkload.data
            benchmark.startMeasurement()
            let model = try ModelTrainer.fit(ModelSpec(name: kind.rawValue, kind: kind), data)
            benchmark.stopMeasurement()
            blackHole(model)
        }
    }

    Benchmark("XGBoost's C API directly, the same booster and matrix", configuration: config) { benchmark in
        let data = ModelWorkload.data
        benchmark.startMeasurement()
        let bytes = try XGBoostBaseline.train(data)
        benchmark.stopMeasurement()
        blackHole(bytes)
    }

    // What a backtest with fixed artifacts pays to predict: the five model types of
    // fixtures/backtest-models-sp500.yaml, each predicting 982 cross-sections of 490 names, one
    // cross-section at a time as the model strategy does.
    Benchmark("predict 5 models, 982 cross-sections × 490 names × 159 features", configuration: config) { benchmark in
        let models = ModelWorkload.predictors
        let x = ModelWorkload.crossSection
        var sum = 0.0
        benchmark.startMeasurement()
        for _ in 0..<982 {
            for model in models { sum += try model.predict(x, names: model.featureNames)[0] }
        }
        benchmark.stopMeasurement()
        blackHole(sum)
    }
}

enum ModelWorkload {
    /// Ridge, lasso, rank ridge, boosted trees (40 rounds) and a forest (20 trees of depth 4).
    static let predictors: [TrainedModel] = {
        let specs = [ModelSpec(name: "ridge", kind: .ridge), ModelSpec(name: "lasso", kind: .lasso, candidates: ["lambda": [0.002]]),
                     ModelSpec(name: "rank", kind: .rankLinear), ModelSpec(name: "gbdt", kind: .xgboost, candidates: ["rounds": [40]]),
                     ModelSpec(name: "forest", kind: .randomForest, candidates: ["trees": [20], "max_depth": [4]])]
        return specs.compactMap { try? ModelTrainer.fit($0, data).0 }
    }()

    /// One date's rows of `data`.
    static let crossSection: FeatureMatrix = {
        let n = 490, c = data.x.columns
        return FeatureMatrix(rows: n, columns: c, values: (0..<n * c).map { data.x[$0 / c, $0 % c] })
    }()

    /// Rows shaped like a year of S&P names: 252 dates × 490 symbols, 159 features with a weak
    /// linear signal and an interaction, 3% missing.
    static let data: TrainingSet = {
        var rng = SeededGenerator(seed: 9)
        let dates = 252, names = 490, features = 159
        var x: [Double] = [], y: [Double] = [], d: [Int32] = []
        x.reserveCapacity(dates * names * features)
        for date in 0..<dates {
            for _ in 0..<names {
                let row = (0..<features).map { _ in rng.normal() }
                x += row
                y.append(0.05 * row[0] - 0.03 * row[1] + 0.02 * row[2] * row[3] + rng.normal())
                d.append(Int32(date))
            }
        }
        for i in stride(from: 11, to: x.count, by: 33) { x[i] = .nan }
        return TrainingSet(x: FeatureMatrix(rows: y.count, columns: features, values: x), y: y, dates: d,
                           featureNames: (0..<features).map { "f\($0)" })
    }()
}
