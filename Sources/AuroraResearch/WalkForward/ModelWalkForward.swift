import AuroraFeatures
import AuroraModel
import AuroraModels

/// Models on the purged walk-forward: each fold trains every model on its (purged) training
/// dates — hyperparameters chosen on validation dates inside that window — and predicts its test
/// block; the ensemble weighs the models by their trailing out-of-sample Rank IC as known at
/// each date; a calibration refitted at each fold maps the ensemble's score to an expected
/// return. Everything judged is out of sample.
public struct ModelWalkForwardReport: Sendable, Codable {
    public struct FoldModel: Sendable, Codable {
        public var model: String
        public var digest: String
        public var fit: FitReport
        public var testRankIC: Double
    }

    public struct FoldResult: Sendable, Codable {
        public var fold: Int
        public var trainFirst: String
        public var trainLast: String
        public var trainRows: Int
        public var purged: Int
        public var testFirst: String
        public var testLast: String
        public var models: [FoldModel]
        /// Ensemble weights in force on the block's first date.
        public var weights: [Double]
        public var ensembleRankIC: Double
    }

    public struct ModelResult: Sendable, Codable {
        public var model: String
        public var kind: String
        public var ic: ICSummary
        public var rankIC: ICSummary
    }

    public var label: String
    public var folds: [FoldResult]
    public var models: [ModelResult]
    public var ensemble: ModelResult
    public var calibration: CalibrationError
}

public enum ModelWalkForward {
    public static func run(_ data: ResearchData, models specs: [ModelSpec], settings: WalkForwardSettings, evaluation: EvaluationSettings,
                           ensemble: EnsembleSettings, calibration: CalibrationSettings, validation: Double, stride: Int = 1,
                           progress: ((Int, Int) -> Void)? = nil) throws -> ModelWalkForwardReport {
        guard !specs.isEmpty else { throw ResearchError("walkforward with models needs models: a list of model specifications") }
        let panel = data.panel
        let label = data.label(horizon: evaluation.horizon)
        let D = panel.dateCount, S = panel.symbolCount
        let end = { (t: Int) in label.spec.end(of: t) }
        let folds = PurgedSplitter.walkForward(dates: D, labelEnd: end, settings: settings)
        guard !folds.isEmpty else { throw ResearchError("walkforward: \(D) dates leave no test block after \(settings.train) training dates") }
        let gap = label.spec.end(of: 0)
        // Calibrated against each date's excess returns: a cross-sectional model forecasts how a
        // name does against the others, not where the market goes.
        let excess = Self.demeaned(label.values, S)
        var oos = [[Double]](repeating: [Double](repeating: .nan, count: D * S), count: specs.count)
        var ensembleScore = [Double](repeating: .nan, count: D * S), expected = ensembleScore
        var board = ModelScoreboard(models: specs.map(\.name))
        var known = 0
        var results: [ModelWalkForwardReport.FoldResult] = []
        let memory = TrainingMemory()
        var lastCalibration: Calibration?
        func day(_ d: Int) -> String { String(Timestamp(rawValue: panel.dates[d]).iso8601.prefix(10)) }

        for (k, fold) in folds.enumerated() {
            progress?(k, folds.count)
            // Every `stride`-th training date, counted back from the last, so the newest is always in.
            let trainDates = stride == 1 ? fold.train : fold.train.reversed().enumerated().filter { $0.offset % stride == 0 }.map(\.element).reversed()
            let train = ModelData.trainingSet(panel, label, dates: trainDates)
            var foldModels: [ModelWalkForwardReport.FoldModel] = []
            let fitted = try ModelTrainer.fit(specs, train, validation: validation, gap: (gap + stride - 1) / stride, memory: memory)
            // The whole test block in one matrix, each date's rows together.
            let (x, rows, ranges) = ModelData.crossSections(panel, dates: fold.testDates)
            for (m, (model, report)) in fitted.enumerated() {
                let p = try model.predict(x, names: panel.names, dateRanges: ranges)
                for (i, (d, s)) in rows.enumerated() { oos[m][d * S + s] = p[i] }
                foldModels.append(.init(model: specs[m].name, digest: model.digest, fit: report, testRankIC: .nan))
            }
            // Each test date: record what became known, weigh, combine, calibrate.
            var weightsAtStart: [Double] = []
            for t in fold.testDates {
                while known < t, end(known) < t {
                    for m in specs.indices { board.record(m, date: known, ic: dayRankIC(oos[m], label.values, known, S)) }
                    known += 1
                }
                let w = board.weights(before: t, settings: ensemble)
                if weightsAtStart.isEmpty { weightsAtStart = w }
                let z = specs.indices.map { m in PredictionScale.zscores(Array(oos[m][(t * S)..<((t + 1) * S)])) }
                let score = PredictionScale.combine(z, weights: w)
                for s in 0..<S { ensembleScore[t * S + s] = score[s] }
            }
            // The calibration in force for the block: pairs of the dates whose labels are known at its start.
            let start = fold.testDates[0]
            let pastDates = (0..<start).filter { end($0) < start }.suffix(calibration.window)
            lastCalibration = Calibration(scores: pastDates.flatMap { d in (0..<S).map { ensembleScore[d * S + $0] } },
                                          returns: pastDates.flatMap { d in (0..<S).map { excess[d * S + $0] } }, settings: calibration)
            for t in fold.testDates {
                for s in 0..<S { expected[t * S + s] = lastCalibration?.predict(ensembleScore[t * S + s]).expected ?? .nan }
            }
            for m in specs.indices { foldModels[m].testRankIC = meanRankIC(oos[m], label.values, fold.testDates, S) }
            results.append(.init(fold: k, trainFirst: fold.train.first.map(day) ?? "-", trainLast: fold.train.last.map(day) ?? "-",
                                 trainRows: train.rows, purged: fold.purged, testFirst: day(fold.testDates[0]),
                                 testLast: day(fold.testDates[fold.testDates.count - 1]), models: foldModels, weights: weightsAtStart,
                                 ensembleRankIC: meanRankIC(ensembleScore, label.values, fold.testDates, S)))
        }
        progress?(folds.count, folds.count)
        let testDates = folds.flatMap(\.testDates)
        func summary(_ name: String, _ kind: String, _ column: [Double]) -> ModelWalkForwardReport.ModelResult {
            let daily = column.withUnsafeBufferPointer { f in
                label.values.withUnsafeBufferPointer { InformationCoefficient.daily(f, label: $0, symbols: S, dates: 0..<D, minNames: evaluation.minNames) }
            }
            let onTest = Set(testDates)
            let ic = (0..<D).map { onTest.contains($0) ? daily.ic[$0] : .nan }, rank = (0..<D).map { onTest.contains($0) ? daily.rankIC[$0] : .nan }
            return .init(model: name, kind: kind, ic: ICSummary(ic), rankIC: ICSummary(rank))
        }
        let pairs = testDates.flatMap { d in (0..<S).map { d * S + $0 } }
        return ModelWalkForwardReport(
            label: label.name, folds: results,
            models: specs.indices.map { summary(specs[$0].name, specs[$0].kind.rawValue, oos[$0]) },
            ensemble: summary("ensemble", "ic_weighted", ensembleScore),
            calibration: CalibrationError(expected: pairs.map { expected[$0] }, realized: pairs.map { excess[$0] }))
    }

    /// Each date's values minus their mean (NaN stays NaN).
    static func demeaned(_ values: [Double], _ S: Int) -> [Double] {
        var out = values
        for d in 0..<(S > 0 ? values.count / S : 0) {
            let row = values[(d * S)..<((d + 1) * S)].filter(\.isFinite)
            guard !row.isEmpty else { continue }
            let m = row.reduce(0, +) / Double(row.count)
            for s in 0..<S where values[d * S + s].isFinite { out[d * S + s] = values[d * S + s] - m }
        }
        return out
    }

    static func dayRankIC(_ predictions: [Double], _ labels: [Double], _ d: Int, _ S: Int) -> Double {
        let range = (d * S)..<((d + 1) * S)
        return ModelTrainer.meanRankIC(Array(predictions[range]), Array(labels[range]), [0..<S])
    }

    static func meanRankIC(_ predictions: [Double], _ labels: [Double], _ dates: [Int], _ S: Int) -> Double {
        let values = dates.map { dayRankIC(predictions, labels, $0, S) }.filter(\.isFinite)
        return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }
}

/// Rows for the models from a panel: a date's cross-section, or the labelled rows of a set of dates.
public enum ModelData {
    /// The features of every symbol with any defined feature on `date`, and which symbols those are.
    public static func crossSection(_ panel: FeaturePanel, date d: Int) -> (FeatureMatrix, [Int]) {
        let S = panel.symbolCount, F = panel.featureCount
        var symbols: [Int] = []
        for s in 0..<S where (0..<F).contains(where: { panel.value($0, d, s).isFinite }) { symbols.append(s) }
        var values = [Double](repeating: .nan, count: symbols.count * F)
        for f in 0..<F { for (i, s) in symbols.enumerated() { values[i * F + f] = panel.value(f, d, s) } }
        return (FeatureMatrix(rows: symbols.count, columns: F, values: values), symbols)
    }

    /// The cross-sections of several dates as one matrix: the rows, which (date, symbol) each is,
    /// and each date's range of rows.
    public static func crossSections(_ panel: FeaturePanel, dates: [Int]) -> (FeatureMatrix, [(Int, Int)], [Range<Int>]) {
        let F = panel.featureCount
        var values: [Double] = [], rows: [(Int, Int)] = [], ranges: [Range<Int>] = []
        for d in dates {
            let (x, symbols) = crossSection(panel, date: d)
            ranges.append(rows.count..<(rows.count + symbols.count))
            values += x.values
            rows += symbols.map { (d, $0) }
        }
        return (FeatureMatrix(rows: rows.count, columns: F, values: values), rows, ranges)
    }

    /// The rows of `dates` whose label is defined, in date order.
    public static func trainingSet(_ panel: FeaturePanel, _ label: Labels, dates: [Int]) -> TrainingSet {
        let S = panel.symbolCount, F = panel.featureCount, cells = panel.cellCount
        var rows: [(Int, Int)] = []
        for d in dates { for s in 0..<S where label.values[d * S + s].isFinite { rows.append((d, s)) } }
        var values = [Double](repeating: .nan, count: rows.count * F)
        panel.values.withUnsafeBufferPointer { v in
            for (i, (d, s)) in rows.enumerated() { for f in 0..<F { values[i * F + f] = v[f * cells + d * S + s] } }
        }
        return TrainingSet(x: FeatureMatrix(rows: rows.count, columns: F, values: values), y: rows.map { label.values[$0.0 * S + $0.1] },
                           dates: rows.map { Int32($0.0) }, featureNames: panel.names)
    }
}
