import AuroraLog

/// The XGBoost models: boosted trees (depth-wise or leaf-wise), a random forest and the linear
/// booster. Features go in as they are (trees do not care for scale) and a missing value is
/// XGBoost's own missing value: each split learns which way it goes.
public struct BoostedModel: ForecastModel {
    public let kind: ModelKind
    /// The booster in XGBoost's own format: the model's state.
    public let bytes: [UInt8]
    private let booster: XGBoost.Booster
    /// Its predictions of its own training rows, when it was just fitted (not part of its state).
    let fitted: [Double]?

    init(kind: ModelKind, bytes: [UInt8], fitted: [Double]? = nil) throws {
        self.kind = kind
        self.bytes = bytes
        self.booster = try XGBoost.load(bytes)
        self.fitted = fitted
    }

    /// XGBoost's parameters for a kind's hyperparameters, and the boosting rounds.
    static func parameters(_ kind: ModelKind, _ h: [String: Double], baseScore: Double) -> (parameters: [(String, String)], rounds: Int) {
        func v(_ key: String) -> String { ModelKind.text(h[key] ?? 0) }
        var p: [(String, String)] = [("nthread", "2"), ("seed", "0"), ("verbosity", "0"), ("objective", "reg:squarederror"),
                                     ("base_score", "\(baseScore)")]
        let tree: [(String, String)] = [("tree_method", "hist"), ("max_bin", v("max_bin")), ("min_child_weight", v("min_child_weight")),
                                        ("subsample", v("subsample"))]
        switch kind {
        case .xgboost:
            p += tree + [("booster", "gbtree"), ("eta", v("eta")), ("max_depth", v("max_depth")), ("colsample_bytree", v("colsample_bytree")),
                         ("lambda", v("lambda"))]
            return (p, Int(h["rounds"] ?? 1))
        case .xgbLossguide:
            p += tree + [("booster", "gbtree"), ("grow_policy", "lossguide"), ("max_leaves", v("max_leaves")), ("max_depth", v("max_depth")),
                         ("eta", v("eta")), ("colsample_bytree", v("colsample_bytree")), ("lambda", v("lambda"))]
            return (p, Int(h["rounds"] ?? 1))
        case .randomForest:
            // One round of many trees, each on a sample of rows and of features at every split,
            // with full steps (eta 1): XGBoost's documented random-forest recipe.
            p += tree + [("booster", "gbtree"), ("num_parallel_tree", v("trees")), ("eta", "1"), ("max_depth", v("max_depth")),
                         ("colsample_bynode", v("colsample_bynode"))]
            return (p, 1)
        case .xgbLinear:
            // Cyclic coordinate descent: the "shotgun" updater runs in parallel and is not deterministic.
            p += [("booster", "gblinear"), ("updater", "coord_descent"), ("feature_selector", "cyclic"), ("eta", v("eta")),
                  ("lambda", v("lambda")), ("alpha", v("alpha"))]
            return (p, Int(h["rounds"] ?? 1))
        default:
            return (p, 0)
        }
    }

    static func fit(_ kind: ModelKind, _ hyper: [String: Double], _ context: FitContext) throws -> BoostedModel {
        guard context.data.rows > 0 else { throw ModelError("\(kind.rawValue): no training rows") }
        let (parameters, rounds) = parameters(kind, hyper, baseScore: context.mean)
        let matrix = kind == .xgbLinear ? try context.plainMatrix() : try context.boosterMatrix(maxBin: Int(hyper["max_bin"] ?? 64))
        let (bytes, fitted) = try XGBoost.train(matrix, parameters: parameters, rounds: rounds)
        return try BoostedModel(kind: kind, bytes: bytes, fitted: fitted)
    }

    /// Trees predict in place; the linear booster cannot (XGBoost 1.7), so it goes through a DMatrix.
    public func predict(_ x: FeatureMatrix) throws -> [Double] {
        guard kind != .xgbLinear else { return x.rows == 0 ? [] : try XGBoost.predict(booster, try XGBoost.matrix(x)) }
        return try XGBoost.predict(booster, x)
    }

    func predict(_ matrix: XGBoost.Matrix) throws -> [Double] { try XGBoost.predict(booster, matrix) }

    public func payload() -> [UInt8] {
        var w = PayloadWriter()
        w.raw(bytes)
        return w.bytes
    }

    static func decode(_ kind: ModelKind, _ r: inout PayloadReader) throws -> BoostedModel {
        try BoostedModel(kind: kind, bytes: try r.raw())
    }
}
