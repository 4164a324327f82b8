import Aurora
import Foundation
import Testing

/// Generated data with a known relation: each "date" is a cross-section of 80 names with 6
/// features; the label is a linear signal (`linear`) or an interaction (`interaction`) plus noise.
enum Generated {
    static func set(dates: Range<Int>, interaction: Bool, seed: UInt64, names: Int = 80) -> TrainingSet {
        var rng = SeededGenerator(seed: seed &+ UInt64(dates.lowerBound))
        var x: [Double] = [], y: [Double] = [], d: [Int32] = []
        for date in dates {
            for _ in 0..<names {
                let f = (0..<6).map { _ in rng.normal() }
                let signal = interaction ? f[0] * f[1] : 0.8 * f[0] - 0.5 * f[2] + 0.3 * f[4]
                x += f
                y.append(signal + 0.5 * rng.normal())
                d.append(Int32(date))
            }
        }
        // A few missing values, as real panels have.
        for i in stride(from: 7, to: x.count, by: 97) { x[i] = .nan }
        return TrainingSet(x: FeatureMatrix(rows: y.count, columns: 6, values: x), y: y, dates: d,
                           featureNames: ["f0", "f1", "f2", "f3", "f4", "f5"])
    }

    /// Pearson's r of predictions with labels.
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let pairs = zip(a, b).filter { $0.0.isFinite && $0.1.isFinite }
        let n = Double(pairs.count)
        let ma = pairs.reduce(0) { $0 + $1.0 } / n, mb = pairs.reduce(0) { $0 + $1.1 } / n
        var ab = 0.0, aa = 0.0, bb = 0.0
        for (p, q) in pairs { ab += (p - ma) * (q - mb); aa += (p - ma) * (p - ma); bb += (q - mb) * (q - mb) }
        return ab / (aa * bb).squareRoot()
    }
}

@Suite("The model zoo")
struct ModelZooTests {
    static let linearKinds: [ModelKind] = [.ols, .ridge, .lasso, .elasticNet, .rankLinear, .xgbLinear]
    static let treeKinds: [ModelKind] = [.xgboost, .randomForest, .xgbLossguide]

    @Test("every type learns a linear signal and beats a constant predictor out of sample", arguments: ModelKind.allCases)
    func linearSignal(_ kind: ModelKind) throws {
        let train = Generated.set(dates: 0..<40, interaction: false, seed: 1), test = Generated.set(dates: 40..<60, interaction: false, seed: 1)
        let (model, report) = try ModelTrainer.fit(ModelSpec(name: kind.rawValue, kind: kind, target: .raw), train)
        let predicted = try model.predict(test.x, names: test.featureNames)
        let r = Generated.correlation(predicted, test.y)
        // The signal's own correlation with the label is about 0.9; trees approximate it in steps.
        #expect(r > (Self.treeKinds.contains(kind) ? 0.6 : 0.8), "\(kind.rawValue): out-of-sample r \(r)")
        let mse = zip(predicted, test.y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(test.rows)
        let mean = train.y.reduce(0, +) / Double(train.rows)
        let constant = test.y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(test.rows)
        #expect(mse < constant, "\(kind.rawValue): mean squared error \(mse) against \(constant) for the constant")
        #expect(report.inSampleRankIC > 0.7)
    }

    @Test("the trees learn an interaction the linear models cannot", arguments: [ModelKind.xgboost, .randomForest, .xgbLossguide, .ridge])
    func interaction(_ kind: ModelKind) throws {
        let train = Generated.set(dates: 0..<60, interaction: true, seed: 2), test = Generated.set(dates: 60..<80, interaction: true, seed: 2)
        var spec = ModelSpec(name: kind.rawValue, kind: kind, target: .raw)
        if kind == .xgboost || kind == .xgbLossguide { spec.candidates = ["rounds": [200], "min_child_weight": [5]] }
        if kind == .randomForest { spec.candidates = ["min_child_weight": [5], "colsample_bynode": [0.6]] }
        let (model, _) = try ModelTrainer.fit(spec, train)
        let r = Generated.correlation(try model.predict(test.x, names: test.featureNames), test.y)
        if kind == .ridge { #expect(abs(r) < 0.1, "a linear model sees nothing in x0·x1: r \(r)") } else { #expect(r > 0.5, "\(kind.rawValue): r \(r)") }
    }

    @Test("training is deterministic: the same data and hyperparameters give the same bytes and digest", arguments: ModelKind.allCases)
    func deterministic(_ kind: ModelKind) throws {
        let data = Generated.set(dates: 0..<30, interaction: false, seed: 3)
        let spec = ModelSpec(name: "m", kind: kind)
        let (a, _) = try ModelTrainer.fit(spec, data), (b, _) = try ModelTrainer.fit(spec, data)
        #expect(a.bytes == b.bytes && a.digest == b.digest)
        let back = try TrainedModel.decode(a.bytes)
        #expect(back.digest == a.digest && back.featureNames == data.featureNames && back.kind == kind)
        #expect(try back.predict(data.x, names: data.featureNames) == a.predict(data.x, names: data.featureNames))
    }

    @Test("hyperparameters are chosen on validation dates inside the training window")
    func validation() throws {
        let data = Generated.set(dates: 0..<50, interaction: false, seed: 4)
        // A lasso penalty this heavy zeroes every coefficient: no ranking at all on validation.
        let spec = ModelSpec(name: "lasso", kind: .lasso, candidates: ["lambda": [10, 0.001]], target: .raw)
        let (model, report) = try ModelTrainer.fit(spec, data, validation: 0.2, gap: 2)
        #expect(report.candidates.count == 2)
        #expect(report.candidates[0].validationRankIC.isNaN)
        #expect(model.hyperparameters["lambda"] == 0.001, "\(report.candidates)")
        #expect(report.validationRankIC.map { $0 > 0.7 } == true)
    }

    @Test("bad hyperparameters and damaged artifacts are refused, naming what is wrong")
    func badInput() throws {
        #expect(throws: ModelError.self) { try ModelSpec(name: "x", kind: .ridge, candidates: ["depth": [3]]).grid() }
        let message = { (spec: ModelSpec) -> String in (try? spec.grid()).map { _ in "" } ?? { do { _ = try spec.grid(); return "" } catch { return "\(error)" } }() }
        #expect(message(ModelSpec(name: "x", kind: .ridge, candidates: ["depth": [3]])).contains("depth: not a hyperparameter of ridge; it takes lambda"))
        #expect(message(ModelSpec(name: "x", kind: .xgboost, candidates: ["max_depth": [40]])).contains("max_depth: 40 is out of range (1 to 16)"))
        #expect(message(ModelSpec(name: "x", kind: .xgboost, candidates: ["rounds": [2.5]])).contains("rounds: 2.5 is not a whole number"))
        let data = Generated.set(dates: 0..<10, interaction: false, seed: 5)
        let (model, _) = try ModelTrainer.fit(ModelSpec(name: "m", kind: .lasso), data)
        var damaged = model.bytes
        damaged[damaged.count - 3] ^= 0xFF
        #expect(throws: ModelError.self) { _ = try TrainedModel.decode(Array(model.bytes.dropLast(5))) }
        #expect(throws: ModelError.self) { _ = try TrainedModel.decode(Array("not a model".utf8)) }
        #expect(throws: ModelError.self) { _ = try model.predict(data.x, names: ["f0", "f1"]) }
    }
}
