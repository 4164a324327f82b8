import AuroraFeatures
import AuroraModel

/// What a purged walk-forward says: for each fold, each feature's Rank IC on its training dates
/// and on its test dates, and a combination of features whose weights come from the training
/// dates only (never from a test block), judged on the test block.
public struct WalkForwardReport: Sendable, Codable {
    public struct FoldResult: Sendable, Codable {
        public var fold: Fold
        public var trainDates: Int
        public var trainFirst: String
        public var trainLast: String
        public var testFirst: String
        public var testLast: String
        /// The combination's weights, largest first (at most 10).
        public var weights: [FeatureWeight]
        /// The combination's mean Rank IC on its own training dates (in sample) and on the test block.
        public var trainRankIC: Double
        public var testIC: ICSummary
        public var testRankIC: ICSummary
    }

    public struct FeatureWeight: Sendable, Codable, Equatable {
        public var feature: String
        public var weight: Double
    }

    public struct FeatureResult: Sendable, Codable {
        public var feature: String
        /// Mean of the per-fold training Rank ICs, and the Rank IC over all test dates.
        public var trainRankIC: Double
        public var testRankIC: ICSummary
        /// Folds whose test Rank IC had the sign of the training one.
        public var foldsSameSign: Int
    }

    public var label: String
    public var mode: String
    public var weighting: String
    public var folds: [FoldResult]
    public var features: [FeatureResult]
    /// The combination over all test dates (each fold's own weights on its own block).
    public var combinationIC: ICSummary
    public var combinationRankIC: ICSummary
}

public enum WalkForwardEvaluation {
    public static func run(_ data: ResearchData, settings: WalkForwardSettings, evaluation: EvaluationSettings,
                           threads: Int = 2) throws -> WalkForwardReport {
        let panel = data.panel
        let label = data.label(horizon: evaluation.horizon)
        let n = panel.dateCount
        let labelEnd: (Int) -> Int = { label.spec.end(of: $0) }
        let folds: [Fold]
        if let c = settings.combinatorial {
            folds = PurgedSplitter.combinatorial(dates: n, labelEnd: labelEnd, groups: c.groups, testGroups: c.testGroups, embargo: settings.embargo)
        } else {
            folds = PurgedSplitter.walkForward(dates: n, labelEnd: labelEnd, settings: settings)
        }
        guard !folds.isEmpty else {
            throw FeatureError("walkforward: \(n) dates leave no test block after \(settings.train) training dates; shorten walkforward.train")
        }
        let combined = try (settings.combine ?? panel.names).map { name -> Int in
            guard let f = panel.index(of: name) else { throw FeatureError("walkforward.combine: no feature \"\(name)\" in the panel") }
            return f
        }
        let daily = InformationCoefficient.daily(panel, labels: label, dates: 0..<n, minNames: evaluation.minNames, threads: threads)
        let moments = CrossSectionMoments(panel, features: combined)
        func mean(_ v: [Double], _ dates: [Int]) -> Double {
            let xs = dates.map { v[$0] }.filter { !$0.isNaN }
            return xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
        }
        func day(_ d: Int) -> String { String(Timestamp(rawValue: panel.dates[d]).iso8601.prefix(10)) }

        var foldResults: [WalkForwardReport.FoldResult] = []
        var pooledIC = [Double](repeating: .nan, count: n), pooledRank = pooledIC
        var perFold: [(ic: [Double], rank: [Double])] = []
        for fold in folds {
            let trainIC = combined.map { mean(daily[$0].rankIC, fold.train) }
            let weights = Self.weights(trainIC, settings.weighting)
            let testDates = fold.testDates
            let score = moments.combine(panel, combined, weights, dates: fold.train + testDates)
            let scored = score.withUnsafeBufferPointer { s in
                label.values.withUnsafeBufferPointer { l in
                    InformationCoefficient.daily(s, label: l, symbols: panel.symbolCount, dates: 0..<n, minNames: evaluation.minNames)
                }
            }
            for d in testDates { pooledIC[d] = scored.ic[d]; pooledRank[d] = scored.rankIC[d] }
            perFold.append((testDates.map { scored.ic[$0] }, testDates.map { scored.rankIC[$0] }))
            let ranked: [WalkForwardReport.FeatureWeight] = Self.largest(combined.map { panel.names[$0] }, weights)
            foldResults.append(WalkForwardReport.FoldResult(
                fold: fold, trainDates: fold.train.count, trainFirst: fold.train.first.map(day) ?? "-", trainLast: fold.train.last.map(day) ?? "-",
                testFirst: day(testDates.first ?? 0), testLast: day(testDates.last ?? 0),
                weights: ranked,
                trainRankIC: mean(scored.rankIC, fold.train), testIC: ICSummary(testDates.map { scored.ic[$0] }),
                testRankIC: ICSummary(testDates.map { scored.rankIC[$0] })))
        }
        let features = combined.map { f -> WalkForwardReport.FeatureResult in
            let trains = folds.map { mean(daily[f].rankIC, $0.train) }
            let tests = folds.map { mean(daily[f].rankIC, $0.testDates) }
            let same = zip(trains, tests).filter { !$0.0.isNaN && !$0.1.isNaN && ($0.0 > 0) == ($0.1 > 0) }.count
            let allTest = folds.flatMap { $0.testDates.map { daily[f].rankIC[$0] } }
            let t = trains.filter { !$0.isNaN }
            return .init(feature: panel.names[f], trainRankIC: t.isEmpty ? .nan : t.reduce(0, +) / Double(t.count),
                         testRankIC: ICSummary(allTest), foldsSameSign: same)
        }
        // Walk-forward test blocks are disjoint: pool them. Combinatorial splits overlap: pool every split's dates.
        let icSeries = settings.combinatorial == nil ? pooledIC : perFold.flatMap(\.ic)
        let rankSeries = settings.combinatorial == nil ? pooledRank : perFold.flatMap(\.rank)
        return WalkForwardReport(label: label.name, mode: settings.combinatorial == nil ? settings.mode.rawValue : "combinatorial",
                                 weighting: settings.weighting.rawValue, folds: foldResults, features: features,
                                 combinationIC: ICSummary(icSeries), combinationRankIC: ICSummary(rankSeries))
    }

    /// The non-zero weights, largest in size first (ties by name), at most ten.
    static func largest(_ names: [String], _ weights: [Double]) -> [WalkForwardReport.FeatureWeight] {
        var pairs: [WalkForwardReport.FeatureWeight] = []
        for (name, w) in zip(names, weights) where w != 0 { pairs.append(.init(feature: name, weight: w)) }
        pairs.sort { a, b in abs(a.weight) != abs(b.weight) ? abs(a.weight) > abs(b.weight) : a.feature < b.feature }
        return Array(pairs.prefix(10))
    }

    /// Weights from the training Rank ICs: proportional to them (sign kept), or ±1 by their sign;
    /// scaled so their absolute values sum to one. A feature without a training IC weighs nothing.
    static func weights(_ ic: [Double], _ weighting: WalkForwardSettings.Weighting) -> [Double] {
        let raw = ic.map { v -> Double in
            guard !v.isNaN else { return 0 }
            return weighting == .icWeighted ? v : (v > 0 ? 1 : (v < 0 ? -1 : 0))
        }
        let total = raw.reduce(0) { $0 + abs($1) }
        return total > 0 ? raw.map { $0 / total } : raw
    }
}

/// Each feature's cross-sectional mean and standard deviation per date, for z-scores.
struct CrossSectionMoments {
    private var mean: [Double] = [], sd: [Double] = []
    private let dates: Int

    init(_ panel: FeaturePanel, features: [Int]) {
        dates = panel.dateCount
        let S = panel.symbolCount
        for f in features {
            panel.withColumn(f) { (c: UnsafeBufferPointer<Double>) in
                for d in 0..<panel.dateCount {
                    var n = 0.0, sum = 0.0
                    for s in 0..<S where !c[d * S + s].isNaN { n += 1; sum += c[d * S + s] }
                    let m = sum / n
                    var sq = 0.0
                    for s in 0..<S where !c[d * S + s].isNaN { sq += (c[d * S + s] - m) * (c[d * S + s] - m) }
                    mean.append(m)
                    sd.append(n > 1 ? (sq / (n - 1)).squareRoot() : .nan)
                }
            }
        }
    }

    /// Σ weight × z-score over the features, on `dates` (NaN elsewhere). A feature missing for a
    /// symbol counts as its date's mean (z = 0); a symbol with none of them stays NaN.
    func combine(_ panel: FeaturePanel, _ features: [Int], _ weights: [Double], dates chosen: [Int]) -> [Double] {
        let S = panel.symbolCount
        var out = [Double](repeating: .nan, count: panel.cellCount)
        for (k, f) in features.enumerated() where weights[k] != 0 {
            panel.withColumn(f) { (c: UnsafeBufferPointer<Double>) in
                for d in chosen {
                    let m = mean[k * dates + d], s = sd[k * dates + d]
                    guard s > 0 else { continue }
                    for i in (d * S)..<((d + 1) * S) where !c[i].isNaN {
                        let z = (c[i] - m) / s
                        out[i] = out[i].isNaN ? weights[k] * z : out[i] + weights[k] * z
                    }
                }
            }
        }
        return out
    }
}
