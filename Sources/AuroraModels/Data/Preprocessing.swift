import AuroraLog
import AuroraStats

/// Per-feature standardization learned on the training rows: z = (x − mean) / std, clipped to
/// ±`clip`, and a missing value (NaN) becomes 0 — the training mean, for the linear models that
/// cannot take NaN. A feature that does not vary in training contributes 0.
public struct Standardizer: Sendable, Equatable {
    public var mean: [Double]
    public var scale: [Double]
    public var clip: Double

    public init(fitting x: FeatureMatrix, clip: Double = 3) {
        // Row by row (the matrix is row-major), every column's sums at once.
        let p = x.columns
        var count = [Double](repeating: 0, count: p), sum = count, sq = count, mean = count
        x.values.withUnsafeBufferPointer { v in
            for r in 0..<x.rows {
                let row = v.baseAddress! + r * p
                for c in 0..<p where row[c].isFinite { count[c] += 1; sum[c] += row[c] }
            }
            for c in 0..<p { mean[c] = count[c] > 0 ? sum[c] / count[c] : 0 }
            for r in 0..<x.rows {
                let row = v.baseAddress! + r * p
                for c in 0..<p where row[c].isFinite { sq[c] += (row[c] - mean[c]) * (row[c] - mean[c]) }
            }
        }
        self.mean = mean
        scale = (0..<p).map { c in
            let sd = count[c] > 1 ? (sq[c] / (count[c] - 1)).squareRoot() : 0
            return sd > 1e-300 ? 1 / sd : 0
        }
        self.clip = clip
    }

    init(mean: [Double], scale: [Double], clip: Double) {
        self.mean = mean
        self.scale = scale
        self.clip = clip
    }

    /// The standardized matrix (no NaN left).
    public func apply(_ x: FeatureMatrix) -> FeatureMatrix {
        var out = x.values
        for r in 0..<x.rows {
            for c in 0..<x.columns {
                let v = out[r * x.columns + c]
                out[r * x.columns + c] = v.isFinite ? Swift.min(Swift.max((v - mean[c]) * scale[c], -clip), clip) : 0
            }
        }
        return FeatureMatrix(rows: x.rows, columns: x.columns, values: out)
    }

    func write(_ w: inout PayloadWriter) {
        w.doubles(mean); w.doubles(scale); w.double(clip)
    }

    static func read(_ r: inout PayloadReader) throws -> Standardizer {
        Standardizer(mean: try r.doubles(), scale: try r.doubles(), clip: try r.double())
    }
}

/// What a model is trained to predict from the forward return: the return itself, the return
/// minus its date's mean, or its cross-sectional rank mapped to [−0.5, 0.5] (robust to the odd
/// extreme return; Qlib's `CSRankNorm` does the like). Predictions are then scores in those
/// units; calibration maps them back to expected returns.
public enum TargetTransform: String, Sendable, CaseIterable {
    case raw, demeaned, rank

    /// Ranks of the defined values of `range` mapped to [−0.5, 0.5] (ties averaged).
    static func centredRanks(_ y: [Double], _ range: Range<Int>, into out: inout [Double]) {
        var order = CrossSectionOrder()
        var ranks = [Double](repeating: .nan, count: range.count)
        let n = y.withUnsafeBufferPointer { b in
            order.sort(b.baseAddress! + range.lowerBound, symbols: range.count)
            return ranks.withUnsafeMutableBufferPointer { r in order.ranks(b.baseAddress! + range.lowerBound, include: { _ in true }, into: r.baseAddress!) }
        }
        for (k, i) in range.enumerated() where y[i].isFinite {
            out[i] = n > 1 ? (ranks[k] - 1) / Double(n - 1) - 0.5 : 0
        }
    }

    public func apply(_ y: [Double], dateRanges: [Range<Int>]) -> [Double] {
        guard self != .raw else { return y }
        var out = y
        for range in dateRanges {
            let defined = range.filter { y[$0].isFinite }
            guard !defined.isEmpty else { continue }
            switch self {
            case .raw: break
            case .demeaned:
                let m = defined.reduce(0.0) { $0 + y[$1] } / Double(defined.count)
                for i in defined { out[i] = y[i] - m }
            case .rank:
                Self.centredRanks(y, range, into: &out)
            }
        }
        return out
    }
}
