import AuroraModel
import AuroraStats
import AuroraData
import AuroraKernel

/// What a weight model may look at: only what was known at `date`.
public struct WeightContext: Sendable {
    public var date: Timestamp
    /// Per alpha, the Rank IC (Spearman, across symbols) of its values at each past step against
    /// the returns of the step after, oldest first; the last entry pairs the previous step's
    /// alpha with the return into `date`.
    public var rankICs: [String: [Double]]

    public init(date: Timestamp, rankICs: [String: [Double]] = [:]) {
        self.date = date
        self.rankICs = rankICs
    }
}

public struct WeightResult: Sendable, Equatable {
    public var weights: [String: Double]
    public var metadata: [String: String]

    public init(weights: [String: Double], metadata: [String: String] = [:]) {
        self.weights = weights
        self.metadata = metadata
    }
}

/// Chooses how much each alpha counts in the combined score.
public protocol AlphaWeightModel: Sendable {
    var name: String { get }
    /// Whether the model reads `rankICs` (the strategy only computes them when it does).
    var needsRankICs: Bool { get }
    func computeWeights(_ alphaNames: [String], _ context: WeightContext) -> WeightResult
}

extension AlphaWeightModel {
    public var needsRankICs: Bool { false }
}

/// 1/N each: the default.
public struct EqualWeightModel: AlphaWeightModel {
    public init() {}
    public var name: String { "equal" }

    public func computeWeights(_ alphaNames: [String], _ context: WeightContext) -> WeightResult {
        let w = alphaNames.isEmpty ? 0 : 1 / Double(alphaNames.count)
        return WeightResult(weights: Dictionary(uniqueKeysWithValues: alphaNames.map { ($0, w) }))
    }
}

/// The weights a configuration states.
public struct FixedWeightModel: AlphaWeightModel {
    public var weights: [String: Double]
    public init(weights: [String: Double]) { self.weights = weights }
    public var name: String { "fixed" }

    public func computeWeights(_ alphaNames: [String], _ context: WeightContext) -> WeightResult {
        WeightResult(weights: Dictionary(uniqueKeysWithValues: alphaNames.map { ($0, weights[$0] ?? 0) }))
    }
}

/// Weights proportional to each alpha's mean Rank IC over the last `window` steps, floored at
/// zero and normalized to sum to one. With no positive IC yet (or no history), equal weights,
/// and the metadata says so.
public struct ICWeightModel: AlphaWeightModel {
    public var window: Int
    public init(window: Int = 60) { self.window = max(1, window) }
    public var name: String { "ic(window: \(window))" }
    public var needsRankICs: Bool { true }

    public func computeWeights(_ alphaNames: [String], _ context: WeightContext) -> WeightResult {
        var means: [Double] = []
        for name in alphaNames {
            let recent = (context.rankICs[name] ?? []).suffix(window).filter { !$0.isNaN }
            means.append(recent.isEmpty ? 0 : recent.reduce(0, +) / Double(recent.count))
        }
        let floored = means.map { max(0, $0) }
        let total = floored.reduce(0, +)
        guard total > 0 else {
            var fallback = EqualWeightModel().computeWeights(alphaNames, context)
            fallback.metadata = ["fallback": "equal: no positive mean Rank IC yet"]
            return fallback
        }
        var weights: [String: Double] = [:]
        var metadata: [String: String] = [:]
        for (i, name) in alphaNames.enumerated() {
            weights[name] = floored[i] / total
            metadata["mean_rank_ic.\(name)"] = "\(means[i])"
        }
        return WeightResult(weights: weights, metadata: metadata)
    }
}
