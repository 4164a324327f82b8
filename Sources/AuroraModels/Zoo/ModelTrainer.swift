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
        let y = spec.target.apply(data.y, dateRanges: data.dateRanges)
        let grid = try spec.grid()
        var chosen = grid[0]
        var candidates: [FitReport.Candidate] = []
        var validationIC: Double?
        if grid.count > 1 {
            let dates = Array(Set(data.dates)).sorted()
            let cut = Int(Double(dates.count) * (1 - validation))
            guard cut > gap, cut < dates.count else {
                throw ModelError("\(spec.name): \(dates.count) training dates leave no validation block (validation \(validation), gap \(gap))")
            }
            let validStart = dates[cut], trainEnd = dates[cut - gap]
            let fitPart = data.filter { $0 < trainEnd }, validPart = data.filter { $0 >= validStart }
            let fitY = spec.target.apply(fitPart.y, dateRanges: fitPart.dateRanges)
            for h in grid {
                let model = try fitModel(spec.kind, h, fitPart, y: fitY)
                let score = meanRankIC(try model.predict(validPart.x), validPart.y, validPart.dateRanges)
                candidates.append(.init(hyperparameters: h, validationRankIC: score))
            }
            // The best validation score; ties and undefined scores keep the earlier candidate.
            var best = 0
            for (i, c) in candidates.enumerated() where c.validationRankIC > candidates[best].validationRankIC || candidates[best].validationRankIC.isNaN {
                if !c.validationRankIC.isNaN { best = i }
            }
            chosen = candidates[best].hyperparameters
            validationIC = candidates[best].validationRankIC
        }
        let model = try fitModel(spec.kind, chosen, data, y: y)
        let trained = TrainedModel(name: spec.name, hyperparameters: chosen, target: spec.target, featureNames: data.featureNames, model: model)
        let report = FitReport(rows: data.rows, hyperparameters: chosen, candidates: candidates,
                               inSampleRankIC: meanRankIC(try model.predict(data.x), data.y, data.dateRanges), validationRankIC: validationIC)
        return (trained, report)
    }

    static func fitModel(_ kind: ModelKind, _ h: [String: Double], _ data: TrainingSet, y: [Double]) throws -> any ForecastModel {
        // Rows without a label teach nothing.
        let keep = (0..<data.rows).filter { y[$0].isFinite }
        let rows = keep.count == data.rows ? data : data.subset(keep)
        let target = keep.count == data.rows ? y : keep.map { y[$0] }
        if kind.usesXGBoost { return try BoostedModel.fit(kind, h, rows, y: target) }
        return try LinearModel.fit(kind, h, rows, y: target)
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
