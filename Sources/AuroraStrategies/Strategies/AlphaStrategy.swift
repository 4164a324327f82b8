import AuroraModel
import AuroraStats
import AuroraData
import AuroraKernel

public struct AlphaStrategyConfig: Sendable, Equatable {
    public enum Refresh: String, Sendable, CaseIterable {
        /// Signals at the first bar of each (UTC) day; positions are kept in between.
        case daily
        /// Signals at every bar.
        case intraday
    }

    public enum Normalization: String, Sendable, CaseIterable {
        /// Cross-sectional z-score (ddof 1) of each alpha before weighting.
        case zscore
        /// Percentile rank in [−0.5, 0.5].
        case rank
        /// Raw alpha values (thresholds then apply to the raw scale).
        case none
    }

    public var alphaNames: [String]
    /// Weights by alpha; nil means the weight model decides (equal weights by default).
    public var alphaWeights: [String: Double]?
    public var longThreshold: Double
    public var shortThreshold: Double
    public var maxPositions: Int
    public var refresh: Refresh
    public var normalization: Normalization = .zscore
    /// Demean each alpha within sectors before normalizing (needs sector groups).
    public var sectorNeutral = false

    public init(alphaNames: [String] = ["momentum_20d", "mean_reversion"], alphaWeights: [String: Double]? = nil,
                longThreshold: Double = 0, shortThreshold: Double = 0, maxPositions: Int = 10, refresh: Refresh = .daily) {
        self.alphaNames = alphaNames
        self.alphaWeights = alphaWeights
        self.longThreshold = longThreshold
        self.shortThreshold = shortThreshold
        self.maxPositions = maxPositions
        self.refresh = refresh
    }
}

/// The cross-sectional strategy: per step, weight the alphas, compute each alpha's cross-section,
/// (optionally) neutralize within sectors and normalize, combine with the weights, rank, BUY the
/// top `maxPositions` scoring above the long threshold, SELL (short) the bottom `maxPositions`
/// scoring below the short threshold, HOLD the rest. A symbol any alpha leaves undefined (too
/// little history, no bar) gets no score that day: HOLD, never a trade on NaN.
///
/// Every decision is explained in the log: the weights when they change, each alpha's value per
/// symbol, and each signal's combined score, rank and per-alpha contributions.
public struct AlphaStrategy: Strategy {
    public let config: AlphaStrategyConfig
    private var alphas: [any Alpha]
    private let weightModel: any AlphaWeightModel
    private let sectorGroups: [Int]?
    private var raw: [[Double]]
    private var processed: [[Double]]
    private var previousProcessed: [[Double]] = []
    private var previousClose: [Double] = []
    private var rankICs: [String: [Double]] = [:]
    private var weights: [Double]
    private var loggedWeights: [Double]?
    private var lastSignalDay: Int64?
    private var explanations: [EventPayload] = []
    /// The signals last returned, rewritten at the next step (see `generateSignals`).
    private var reusable: [Signal] = []

    public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public init(config: AlphaStrategyConfig, weightModel: (any AlphaWeightModel)? = nil,
                registry: AlphaRegistry = .builtIn, sectorGroups: [Int]? = nil) throws {
        guard !config.alphaNames.isEmpty else { throw ConfigurationError(description: "an alpha strategy needs at least one alpha") }
        var made: [any Alpha] = []
        for name in config.alphaNames {
            guard let alpha = registry.make(name) else {
                throw ConfigurationError(description: "unknown alpha \"\(name)\"; known: \(registry.names.joined(separator: ", "))")
            }
            made.append(alpha)
        }
        if config.sectorNeutral && sectorGroups == nil {
            throw ConfigurationError(description: "sector neutrality needs a sector map")
        }
        self.config = config
        self.alphas = made
        self.weightModel = weightModel ?? (config.alphaWeights.map { FixedWeightModel(weights: $0) } ?? EqualWeightModel())
        self.sectorGroups = sectorGroups
        self.raw = Array(repeating: [], count: made.count)
        self.processed = Array(repeating: [], count: made.count)
        self.weights = Array(repeating: 1 / Double(made.count), count: made.count)
        let initial = self.weightModel.computeWeights(config.alphaNames, WeightContext(date: Timestamp(rawValue: 0)))
        self.weights = config.alphaNames.map { initial.weights[$0] ?? 0 }
    }

    public var name: String { "alpha(\(config.alphaNames.joined(separator: ", ")); \(weightModel.name))" }

    /// The weights in force, by alpha name.
    public func currentWeights() -> [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(config.alphaNames, weights).map { ($0, $1) })
    }

    public mutating func takeExplanations() -> [EventPayload] {
        defer { explanations.removeAll(keepingCapacity: true) }
        return explanations
    }

    public mutating func generateSignals(_ snapshot: MarketSnapshot) -> [Signal] {
        let n = snapshot.symbolNames.count
        for a in alphas.indices { alphas[a].step(snapshot, into: &raw[a]) }
        if weightModel.needsRankICs { updateRankICs(snapshot) }

        let day = snapshot.timestamp.rawValue / 86_400_000_000_000
        if config.refresh == .daily, lastSignalDay == day {
            keepForNextIC(snapshot)
            return []
        }
        lastSignalDay = day

        let result = weightModel.computeWeights(config.alphaNames, WeightContext(date: snapshot.timestamp, rankICs: rankICs))
        weights = config.alphaNames.map { result.weights[$0] ?? 0 }
        if loggedWeights != weights {
            explanations.append(.alphaWeights(AlphaWeights(
                model: weightModel.name, weights: zip(config.alphaNames, weights).map { AlphaContribution(alpha: $0, value: $1) })))
            loggedWeights = weights
        }

        for a in alphas.indices {
            var v = raw[a]
            if config.sectorNeutral { v = CrossSection.demean(v, groups: sectorGroups) }
            switch config.normalization {
            case .zscore: v = CrossSection.zscore(v)
            case .rank: v = CrossSection.percentileRank(v)
            case .none: break
            }
            processed[a] = v
            for bar in snapshot.bars where !raw[a][bar.symbol.index].isNaN {
                explanations.append(.alphaValue(AlphaValue(alpha: config.alphaNames[a], symbol: bar.symbol, value: raw[a][bar.symbol.index])))
            }
        }

        var combined = [Double](repeating: .nan, count: n)
        for bar in snapshot.bars {
            let s = bar.symbol.index
            var total = 0.0
            var defined = true
            for a in alphas.indices {
                let x = processed[a][s]
                if x.isNaN { defined = false; break }
                total += weights[a] * x
            }
            if defined && total.isFinite { combined[s] = total }
        }
        let ranked = Self.byScoreDescending(snapshot.bars.map(\.symbol.index).filter { !combined[$0].isNaN }, combined)
        var direction = [SignalDirection](repeating: .hold, count: n)
        var rank = [Int32](repeating: -1, count: n)
        for (i, s) in ranked.enumerated() { rank[s] = Int32(i) }
        for s in ranked.prefix(config.maxPositions) where combined[s] > config.longThreshold { direction[s] = .buy }
        for s in ranked.reversed().prefix(config.maxPositions) where combined[s] < config.shortThreshold && direction[s] == .hold {
            direction[s] = .sell
        }

        keepForNextIC(snapshot)
        // The last step's signals are rewritten in place: the kernel keeps no signal past its
        // step, so their contribution lists are this strategy's alone again and take the new
        // values without an allocation (one per signal otherwise: half a million a run).
        var signals = reusable
        reusable = []
        if signals.count > snapshot.bars.count { signals.removeLast(signals.count - snapshot.bars.count) }
        for (k, bar) in snapshot.bars.enumerated() {
            let s = bar.symbol.index
            // Only the list's storage carries over (moved out, so it stays uniquely held); every
            // field comes from the initializer as a fresh signal's would.
            var contributions: [AlphaContribution] = []
            if k < signals.count { swap(&contributions, &signals[k].contributions) }
            contributions.removeAll(keepingCapacity: true)
            if !combined[s].isNaN {
                for a in alphas.indices {
                    contributions.append(AlphaContribution(alpha: config.alphaNames[a], value: weights[a] * processed[a][s]))
                }
            }
            let signal = Signal(symbol: bar.symbol, direction: direction[s], score: combined[s], rank: rank[s], contributions: contributions)
            if k < signals.count { signals[k] = signal } else { signals.append(signal) }
        }
        reusable = signals
        return signals
    }

    /// `symbols` by `score` from highest to lowest, ties by symbol index. Sorted as one integer
    /// per symbol, the score's order-preserving bits (inverted: ascending keys for descending
    /// scores) above the index: the same order as comparing the scores through the indices, and
    /// plain integers need no comparison closure (see `KeyedSort`). Scores are finite; -0 counts
    /// as 0, as `==` has it.
    static func byScoreDescending(_ symbols: [Int], _ score: [Double]) -> [Int] {
        var keyed = symbols.map { s in UInt128(~CrossSection.orderedBits(score[s])) << 64 | UInt128(UInt64(s)) }
        KeyedSort.sort(&keyed)
        return keyed.map { Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: $0)) }
    }

    /// Rank IC of each alpha's previous cross-section against the returns into this step.
    private mutating func updateRankICs(_ snapshot: MarketSnapshot) {
        let n = snapshot.symbolNames.count
        if previousClose.count < n { previousClose.append(contentsOf: repeatElement(.nan, count: n - previousClose.count)) }
        guard previousProcessed.count == alphas.count else { return }
        var returns = [Double](repeating: .nan, count: n)
        for bar in snapshot.bars where previousClose[bar.symbol.index] > 0 {
            returns[bar.symbol.index] = bar.close.doubleValue / previousClose[bar.symbol.index] - 1
        }
        for a in alphas.indices {
            rankICs[config.alphaNames[a], default: []].append(CrossSection.rankCorrelation(previousProcessed[a], returns))
        }
    }

    private mutating func keepForNextIC(_ snapshot: MarketSnapshot) {
        guard weightModel.needsRankICs else { return }
        // The cross-section the next step's returns are scored against: this step's raw alphas.
        previousProcessed = raw
        for bar in snapshot.bars { previousClose[bar.symbol.index] = bar.close.doubleValue }
    }
}
