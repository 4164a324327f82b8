import AuroraLog
import AuroraStats

/// What fitting a model found: the hyperparameters chosen (and how each candidate did on the
/// validation dates), and the model's Rank IC in sample and on validation.
public struct FitReport: Sendable, Codable, Equatable {
    public struct Candidate: Sendable, Codable, Equatable {
        public var hyperparameters: [String: Double]
        public var validationRankIC: Double
    }
    public var rows: Int
    public var hyperparameters: [String: Double]
    public var candidates: [Candidate]
    /// Mean daily Rank IC of the final model on its own training rows.
    public var inSampleRankIC: Double
    /// Mean daily Rank IC on the validation dates (of the chosen candidate), when there was a choice.
    public var validationRankIC: Double?
}

/// Fits the zoo's models. With several candidate hyperparameters, the last `validation` share of
/// the training dates is held out (and the `gap` dates before it purged, since their labels
/// reach into it); each candidate is fitted on the rest and scored by its mean daily Rank IC on
/// the held-out dates; the best is refitted on every training row. Test data is never seen here.
public enum ModelTrainer {
    public static func fit(_ spec: ModelSpec, _ data: TrainingSet, validation: Double = 0.2, gap: Int = 0) throws -> (TrainedModel, FitReport) {
        try fit([spec], data, validation: validation, gap: gap)[0]
    }

    /// Fits every spec on the same rows, sharing what they can (see `FitContext`).
    public static func fit(_ specs: [ModelSpec], _ data: TrainingSet, validation: Double = 0.2, gap: Int = 0,
                           memory: TrainingMemory? = nil) throws -> [(TrainedModel, FitReport)] {
        var full: [TargetTransform: FitContext] = [:], fitPart: [TargetTransform: FitContext] = [:]
        func context(_ t: TargetTransform, _ set: TrainingSet, _ cache: inout [TargetTransform: FitContext]) -> FitContext {
            if let c = cache[t] { return c }
            let c = FitContext(set, target: t.apply(set.y, dateRanges: set.dateRanges), memory: memory)
            cache[t] = c
            return c
        }
        var split: (fit: TrainingSet, valid: TrainingSet)?
        var out: [(TrainedModel, FitReport)] = []
        for spec in specs {
            let grid = try spec.grid()
            var chosen = grid[0]
            var candidates: [FitReport.Candidate] = []
            var validationIC: Double?
            if grid.count > 1 {
                if split == nil { split = try validationSplit(data, share: validation, gap: gap, name: spec.name) }
                guard let (fitSet, validSet) = split else { continue }
                let c = context(spec.target, fitSet, &fitPart)
                for h in grid {
                    let model = try fitModel(spec.kind, h, c)
                    candidates.append(.init(hyperparameters: h, validationRankIC: meanRankIC(try model.predict(validSet.x), validSet.y, validSet.dateRanges)))
                }
                // The best validation score; an undefined one never wins, ties keep the earlier candidate.
                var best = 0
                for (i, c) in candidates.enumerated() where !c.validationRankIC.isNaN
                    && (candidates[best].validationRankIC.isNaN || c.validationRankIC > candidates[best].validationRankIC) { best = i }
                chosen = candidates[best].hyperparameters
                validationIC = candidates[best].validationRankIC
            }
            let fullContext = context(spec.target, data, &full)
            let model = try fitModel(spec.kind, chosen, fullContext)
            let trained = TrainedModel(name: spec.name, hyperparameters: chosen, target: spec.target, featureNames: data.featureNames, model: model)
            out.append((trained, FitReport(rows: data.rows, hyperparameters: chosen, candidates: candidates,
                                           inSampleRankIC: meanRankIC(try fullContext.inSamplePredictions(model), fullContext.data.y,
                                                                      fullContext.data.dateRanges),
                                           validationRankIC: validationIC)))
        }
        return out
    }

    /// The training dates before the held-out block (less the `gap` purged dates) and the block.
    static func validationSplit(_ data: TrainingSet, share: Double, gap: Int, name: String) throws -> (TrainingSet, TrainingSet) {
        var dates: [Int32] = []
        for d in data.dates where dates.last != d { dates.append(d) }
        let cut = Int(Double(dates.count) * (1 - share))
        guard cut > gap, cut < dates.count else {
            throw ModelError("\(name): \(dates.count) training dates leave no validation block (validation \(share), gap \(gap))")
        }
        let validStart = dates[cut], trainEnd = dates[cut - gap]
        return (data.filter { $0 < trainEnd }, data.filter { $0 >= validStart })
    }

    /// Opens the C library each spec fits through (XGBoost for the boosted kinds, LAPACK for the
    /// linear ones), or throws the error that names the one missing and what to install. A
    /// strategy that retrains checks before its run: a retrain that fails is logged and the run
    /// goes on, which for a library that is not there would mean a whole run with no model.
    static func openLibraries(for specs: [ModelSpec]) throws {
        for spec in specs {
            do {
                if spec.kind.usesXGBoost { _ = try XGBoost.Library.shared.get() } else { _ = try LinearAlgebra.Library.shared.get() }
            } catch {
                throw ModelError("model \(spec.name) (\(spec.kind.rawValue)): \(error)")
            }
        }
    }

    static func fitModel(_ kind: ModelKind, _ h: [String: Double], _ context: FitContext) throws -> any ForecastModel {
        if kind.usesXGBoost { return try BoostedModel.fit(kind, h, context) }
        return try LinearModel.fit(kind, h, context)
    }

    static func decode(_ kind: ModelKind, _ r: inout PayloadReader, columns: Int) throws -> any ForecastModel {
        if kind.usesXGBoost { return try BoostedModel.decode(kind, &r) }
        return try LinearModel.decode(kind, &r, columns: columns)
    }

    /// The mean over dates of Spearman's correlation of predictions with labels (dates with
    /// fewer than three pairs, or no spread, left out).
    public static func meanRankIC(_ predictions: [Double], _ labels: [Double], _ dateRanges: [Range<Int>]) -> Double {
        var total = 0.0, dates = 0
        for range in dateRanges {
            let rows = range.filter { predictions[$0].isFinite && labels[$0].isFinite }
            guard rows.count >= 3 else { continue }
            let r = CrossSectionOrder.spearman(rows.map { predictions[$0] }, rows.map { labels[$0] })
            if r.isFinite { total += r; dates += 1 }
        }
        return dates > 0 ? total / Double(dates) : .nan
    }
}

extension TrainingSet {
    /// The rows at `indices`, in that order.
    func subset(_ indices: [Int]) -> TrainingSet {
        var values: [Double] = []
        values.reserveCapacity(indices.count * x.columns)
        for r in indices { values.append(contentsOf: x.row(r)) }
        return TrainingSet(x: FeatureMatrix(rows: indices.count, columns: x.columns, values: values), y: indices.map { y[$0] },
                           dates: indices.map { dates[$0] }, featureNames: featureNames)
    }
}
