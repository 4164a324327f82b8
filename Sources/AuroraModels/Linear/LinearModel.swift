import AuroraLog
import AuroraStats

/// The linear models: ordinary least squares, ridge, lasso, elastic net (features standardized
/// on the training rows, clipped to ±3, a missing value taken as the training mean), and ridge
/// on cross-sectional ranks. Prediction = intercept + Σ β·z.
public struct LinearModel: ForecastModel {
    public let kind: ModelKind
    /// nil for the rank model, which ranks each cross-section instead.
    let standardizer: Standardizer?
    public let intercept: Double
    public let coefficients: [Double]

    static func fit(_ kind: ModelKind, _ hyper: [String: Double], _ context: FitContext) throws -> LinearModel {
        guard context.data.rows > 0 else { throw ModelError("\(kind.rawValue): no training rows") }
        let standardizer: Standardizer?, gram: [Double], xty: [Double], mean: Double
        if kind == .rankLinear {
            (gram, xty, mean) = try context.rankedNormalEquations()
            standardizer = nil
        } else {
            let n = try context.normalEquations()
            (standardizer, gram, xty, mean) = (n.0, n.gram, n.xty, n.mean)
        }
        let lambda = hyper["lambda"] ?? 0
        let beta: [Double]
        switch kind {
        case .ols: beta = try LinearAlgebra.solveMinimumNorm(gram, xty)
        case .ridge, .rankLinear: beta = try LinearAlgebra.solveRidge(gram, xty, lambda: max(lambda, 1e-12))
        case .lasso:
            beta = CoordinateDescent.solve(gram, xty, lambda: lambda, alpha: 1, maxIterations: Int(hyper["max_iterations"] ?? 1000))
        case .elasticNet:
            beta = CoordinateDescent.solve(gram, xty, lambda: lambda, alpha: hyper["alpha"] ?? 0.5,
                                           maxIterations: Int(hyper["max_iterations"] ?? 1000))
        default: throw ModelError("\(kind.rawValue) is not a linear model")
        }
        return LinearModel(kind: kind, standardizer: standardizer, intercept: mean, coefficients: beta)
    }

    public func predict(_ x: FeatureMatrix) throws -> [Double] { try predict(x, dateRanges: [0..<x.rows]) }

    public func predict(_ x: FeatureMatrix, dateRanges: [Range<Int>]) throws -> [Double] {
        guard x.columns == coefficients.count else { throw ModelError("\(kind.rawValue): \(x.columns) features given, \(coefficients.count) expected") }
        guard let standardizer else { return predict(transformed: Self.ranked(x, dateRanges: dateRanges)) }
        // Standardized on the fly, in the order `apply` then `predict(transformed:)` would add:
        // the same numbers without a second matrix.
        let p = x.columns, clip = standardizer.clip
        guard p > 0, x.rows > 0 else { return [Double](repeating: intercept, count: x.rows) }
        var out = [Double](repeating: 0, count: x.rows)
        x.values.withUnsafeBufferPointer { v in
            standardizer.mean.withUnsafeBufferPointer { mean in
                standardizer.scale.withUnsafeBufferPointer { scale in
                    coefficients.withUnsafeBufferPointer { beta in
                        for r in 0..<x.rows {
                            let row = v.baseAddress! + r * p
                            var s = intercept
                            for c in 0..<p {
                                let value = row[c]
                                let z = value.isFinite ? Swift.min(Swift.max((value - mean[c]) * scale[c], -clip), clip) : 0
                                s += beta[c] * z
                            }
                            out[r] = s
                        }
                    }
                }
            }
        }
        return out
    }

    /// Predictions of rows already standardized (or ranked).
    func predict(transformed z: FeatureMatrix) -> [Double] {
        let p = z.columns
        guard p > 0 else { return [Double](repeating: intercept, count: z.rows) }
        return z.values.withUnsafeBufferPointer { v in
            coefficients.withUnsafeBufferPointer { beta in
                (0..<z.rows).map { r in
                    let row = v.baseAddress! + r * p
                    var s = intercept
                    for c in 0..<p { s += beta[c] * row[c] }
                    return s
                }
            }
        }
    }

    public func payload() -> [UInt8] {
        var w = PayloadWriter()
        w.bool(standardizer != nil)
        standardizer?.write(&w)
        w.double(intercept)
        w.doubles(coefficients)
        return w.bytes
    }

    static func decode(_ kind: ModelKind, _ r: inout PayloadReader, columns: Int) throws -> LinearModel {
        let standardizer = try r.bool() ? try Standardizer.read(&r) : nil
        let model = LinearModel(kind: kind, standardizer: standardizer, intercept: try r.double(), coefficients: try r.doubles())
        guard model.coefficients.count == columns, standardizer.map({ $0.mean.count == columns && $0.scale.count == columns }) ?? true else {
            throw ModelError("\(kind.rawValue): the coefficients do not match the \(columns) features")
        }
        return model
    }

    /// Each feature ranked within each date's rows, mapped to [−0.5, 0.5]; a missing value is 0.
    static func ranked(_ x: FeatureMatrix, dateRanges: [Range<Int>]) -> FeatureMatrix {
        var out = [Double](repeating: 0, count: x.rows * x.columns)
        let longest = dateRanges.map(\.count).max() ?? 0
        var column = [Double](repeating: 0, count: longest), ranks = column
        var order = CrossSectionOrder()
        x.values.withUnsafeBufferPointer { v in
            column.withUnsafeMutableBufferPointer { col in
                ranks.withUnsafeMutableBufferPointer { rk in
                    for range in dateRanges {
                        let n = range.count
                        for c in 0..<x.columns {
                            for (k, r) in range.enumerated() { col[k] = v[r * x.columns + c] }
                            order.sort(col.baseAddress!, symbols: n)
                            let defined = order.ranks(col.baseAddress!, include: { _ in true }, into: rk.baseAddress!)
                            guard defined > 1 else { continue }
                            for (k, r) in range.enumerated() where col[k].isFinite {
                                out[r * x.columns + c] = (rk[k] - 1) / Double(defined - 1) - 0.5
                            }
                        }
                    }
                }
            }
        }
        return FeatureMatrix(rows: x.rows, columns: x.columns, values: out)
    }
}

/// glmnet's coordinate descent with covariance updates, on the normal equations: for each
/// feature in turn, β_j = S(b_j − Σ_{k≠j} G_jk β_k, λα) / (G_jj + λ(1 − α)), S the soft
/// threshold, until no coefficient moves by more than 1e-9 (scaled by its feature's spread).
/// Cyclic in a fixed order, so it is deterministic.
enum CoordinateDescent {
    static func solve(_ gram: [Double], _ b: [Double], lambda: Double, alpha: Double, maxIterations: Int) -> [Double] {
        let p = b.count
        var beta = [Double](repeating: 0, count: p)
        var gBeta = [Double](repeating: 0, count: p)
        let l1 = lambda * alpha, l2 = lambda * (1 - alpha)
        for _ in 0..<maxIterations {
            var moved = 0.0
            for j in 0..<p {
                let gjj = gram[j * p + j]
                guard gjj > 0 else { continue }
                let r = b[j] - gBeta[j] + gjj * beta[j]
                let next = (r > l1 ? r - l1 : (r < -l1 ? r + l1 : 0)) / (gjj + l2)
                let delta = next - beta[j]
                guard delta != 0 else { continue }
                beta[j] = next
                for k in 0..<p { gBeta[k] += delta * gram[k * p + j] }
                moved = max(moved, abs(delta) * gjj.squareRoot())
            }
            if moved < 1e-9 { break }
        }
        return beta
    }
}
