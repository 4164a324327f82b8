/// One set of training rows and one target, with what several models can share computed once:
/// the labelled rows, the standardization and normal equations every penalized least-squares
/// model solves (OLS, ridge, lasso and elastic net differ only in the solve), the ranked
/// matrix of the rank model, and the XGBoost matrix whose quantile sketch all boosters reuse.
/// Fitting five models on one fold costs little more than the most expensive of them.
final class FitContext {
    let data: TrainingSet
    let y: [Double]
    private var standardized: (Standardizer, [Double], [Double], Double)?
    private var ranked: ([Double], [Double], Double)?
    /// The transformed rows the normal equations came from, for in-sample predictions.
    private(set) var standardizedRows: FeatureMatrix?
    private(set) var rankedRows: FeatureMatrix?
    private var matrices: [Int: XGBoost.Matrix] = [:]
    private var plain: XGBoost.Matrix?
    private let memory: TrainingMemory?

    /// `data`'s rows with a defined target (rows without one teach nothing).
    init(_ data: TrainingSet, target: [Double], memory: TrainingMemory? = nil) {
        self.memory = memory
        let keep = (0..<data.rows).filter { target[$0].isFinite }
        self.data = keep.count == data.rows ? data : data.subset(keep)
        self.y = keep.count == data.rows ? target : keep.map { target[$0] }
    }

    var mean: Double { y.reduce(0, +) / Double(max(y.count, 1)) }

    /// The standardizer, X'X/n and X'y/n of the standardized rows, and the target's mean.
    func normalEquations() throws -> (Standardizer, gram: [Double], xty: [Double], mean: Double) {
        if let s = standardized { return s }
        let standardizer = Standardizer(fitting: data.x)
        let z = standardizer.apply(data.x)
        standardizedRows = z
        let (gram, xty) = try LinearAlgebra.normalEquations(z, centred)
        standardized = (standardizer, gram, xty, mean)
        return (standardizer, gram, xty, mean)
    }

    /// The same for the rows ranked within their dates.
    func rankedNormalEquations() throws -> (gram: [Double], xty: [Double], mean: Double) {
        if let r = ranked { return r }
        let z = LinearModel.ranked(data.x, dateRanges: data.dateRanges)
        rankedRows = z
        let (gram, xty) = try LinearAlgebra.normalEquations(z, centred)
        ranked = (gram, xty, mean)
        return (gram, xty, mean)
    }

    /// The rows as a plain XGBoost matrix (the linear booster reads values, not bins).
    func plainMatrix() throws -> XGBoost.Matrix {
        if let m = plain { return m }
        let m = try XGBoost.matrix(data.x, labels: y)
        plain = m
        return m
    }

    /// The rows as XGBoost's quantile matrix for `maxBin` bins, labels set: built once and shared
    /// by every booster of the context, its cuts sketched here or taken from the memory's.
    func boosterMatrix(maxBin: Int) throws -> XGBoost.Matrix {
        if let m = matrices[maxBin] { return m }
        let reference = memory?.reference(maxBin)
        let m = try XGBoost.quantileMatrix(data.x, labels: y, maxBin: maxBin, reference: reference)
        if reference == nil { memory?.remember(m, maxBin: maxBin) }
        matrices[maxBin] = m
        return m
    }

    private var centred: [Double] { let m = mean; return y.map { $0 - m } }

    /// The model's predictions of the context's own rows, from what the context already holds
    /// (the transformed rows, the XGBoost matrix) rather than transforming them again.
    func inSamplePredictions(_ model: any ForecastModel) throws -> [Double] {
        if let linear = model as? LinearModel, let z = linear.kind == .rankLinear ? rankedRows : standardizedRows {
            return linear.predict(transformed: z)
        }
        if let boosted = model as? BoostedModel, let fitted = boosted.fitted, fitted.count == data.rows { return fitted }
        return try model.predict(data.x)
    }
}

/// What a series of retrains keeps from one to the next: the histogram cuts of the boosted
/// models. Sketching the quantiles of every feature is most of what fitting a small booster
/// costs, so cuts are sketched from one training window and reused for the next `refreshEvery`
/// ones — always from an earlier window, so no cut is ever placed by data a model has not yet
/// seen. The sequence of retrains is the same in a run and its replay, so are the cuts.
public final class TrainingMemory: @unchecked Sendable {
    public let refreshEvery: Int
    private var cuts: [Int: (matrix: XGBoost.Matrix, uses: Int)] = [:]

    public init(refreshEvery: Int = 12) { self.refreshEvery = refreshEvery }

    /// The matrix whose cuts a new one takes, or nil when it is time to sketch anew.
    func reference(_ maxBin: Int) -> XGBoost.Matrix? {
        guard let c = cuts[maxBin], c.uses < refreshEvery else { return nil }
        cuts[maxBin] = (c.matrix, c.uses + 1)
        return c.matrix
    }

    /// A matrix that sketched its own cuts: the reference from now on.
    func remember(_ m: XGBoost.Matrix, maxBin: Int) { cuts[maxBin] = (m, 0) }
}
