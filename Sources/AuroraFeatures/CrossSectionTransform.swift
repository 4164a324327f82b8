import AuroraStats

/// A per-date operation on one feature's cross-section, optionally within groups (sectors).
/// NaN stays NaN and is left out of every statistic: nothing is filled.
public enum CrossSectionTransform: Sendable, Equatable {
    /// Percentile rank mapped to [−0.5, 0.5] (ties share their average rank).
    case rank
    /// (x − mean) / sd, sd with ddof 1; NaN for a cross-section of one or with no spread.
    case zscore
    /// x − mean.
    case demean
    /// Clipped to the cross-section's quantiles (linear interpolation).
    case winsorize(lower: Double, upper: Double)
    /// Clipped to fixed bounds.
    case clip(lower: Double, upper: Double)

    public var name: String {
        switch self {
        case .rank: "rank"
        case .zscore: "zscore"
        case .demean: "demean"
        case .winsorize: "winsorize"
        case .clip: "clip"
        }
    }

    /// The transformed cross-section.
    public func apply(_ v: [Double], groups: [Int]?) -> [Double] {
        switch self {
        case .rank: CrossSection.percentileRank(v, groups: groups)
        case .zscore: CrossSection.zscore(v, groups: groups)
        case .demean: CrossSection.demean(v, groups: groups)
        case .winsorize(let lo, let hi): CrossSection.winsorize(v, lower: lo, upper: hi, groups: groups)
        case .clip(let lo, let hi): v.map { $0.isNaN ? $0 : Swift.min(Swift.max($0, lo), hi) }
        }
    }

    /// Applies the transform to `feature` of `panel` on every date.
    public func apply(to panel: inout FeaturePanel, feature: Int, groups: [Int]? = nil) {
        let S = panel.symbolCount, D = panel.dateCount
        panel.withColumn(feature) { (column: UnsafeMutableBufferPointer<Double>) in
            for d in 0..<D {
                let slice = UnsafeMutableBufferPointer(rebasing: column[(d * S)..<((d + 1) * S)])
                let out = apply(Array(slice), groups: groups)
                for s in 0..<S { slice[s] = out[s] }
            }
        }
    }
}
