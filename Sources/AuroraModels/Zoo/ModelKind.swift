/// The model types, each with its hyperparameters: names, defaults, ranges. LightGBM and
/// CatBoost have no Debian package, so the leaf-wise tree growth LightGBM is known for comes
/// from XGBoost (`grow_policy: lossguide`).
public enum ModelKind: String, CaseIterable, Sendable, Codable {
    /// Ordinary least squares (minimum-norm, LAPACK `dgelsd` on the normal equations).
    case ols
    /// L2-penalized least squares (LAPACK `dposv`): (X'X/n + λI) β = X'y/n.
    case ridge
    /// L1 (glmnet's objective, α = 1), coordinate descent.
    case lasso
    /// glmnet's elastic net: (1/2n)‖y − Xβ‖² + λ[(1 − α)/2 ‖β‖² + α‖β‖₁], coordinate descent.
    case elasticNet = "elastic_net"
    /// Ridge on cross-sectional ranks: each feature and the target ranked within its date.
    case rankLinear = "rank_linear"
    /// Gradient-boosted trees (XGBoost `gbtree`, histogram method, depth-wise growth).
    case xgboost
    /// A random forest (XGBoost: one round of `num_parallel_tree` trees, row and column sampling).
    case randomForest = "random_forest"
    /// XGBoost's linear booster (`gblinear`, coordinate descent).
    case xgbLinear = "xgb_linear"
    /// Boosted trees grown leaf-wise (`grow_policy: lossguide`, LightGBM's strategy).
    case xgbLossguide = "xgb_lossguide"

    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var defaultValue: Double
        public var min: Double
        public var max: Double
        public var integer: Bool
    }

    public var parameters: [Parameter] {
        func p(_ name: String, _ d: Double, _ lo: Double, _ hi: Double, integer: Bool = false) -> Parameter {
            Parameter(name: name, defaultValue: d, min: lo, max: hi, integer: integer)
        }
        let trees = [p("eta", 0.1, 0.001, 1), p("max_depth", 4, 1, 16, integer: true), p("min_child_weight", 50, 0, 1e6),
                     p("subsample", 0.5, 0.05, 1), p("colsample_bytree", 0.5, 0.05, 1), p("lambda", 1, 0, 1e6),
                     p("max_bin", 64, 8, 1024, integer: true)]
        switch self {
        case .ols: return []
        case .ridge: return [p("lambda", 1, 0, 1e6)]
        case .rankLinear: return [p("lambda", 0.1, 0, 1e6)]
        case .lasso: return [p("lambda", 0.001, 0, 1e6), p("max_iterations", 1000, 1, 1e6, integer: true)]
        case .elasticNet: return [p("lambda", 0.001, 0, 1e6), p("alpha", 0.5, 0, 1), p("max_iterations", 1000, 1, 1e6, integer: true)]
        case .xgboost: return [p("rounds", 60, 1, 10_000, integer: true)] + trees
        case .xgbLossguide: return [p("rounds", 60, 1, 10_000, integer: true), p("max_leaves", 15, 2, 4096, integer: true)] + trees
        case .randomForest:
            return [p("trees", 40, 1, 10_000, integer: true), p("max_depth", 5, 1, 16, integer: true), p("min_child_weight", 50, 0, 1e6),
                    p("subsample", 0.5, 0.05, 1), p("colsample_bynode", 0.3, 0.05, 1), p("max_bin", 64, 8, 1024, integer: true)]
        case .xgbLinear: return [p("rounds", 50, 1, 10_000, integer: true), p("eta", 0.5, 0.001, 1), p("lambda", 0, 0, 1e6), p("alpha", 0, 0, 1e6)]
        }
    }

    public var usesXGBoost: Bool { [.xgboost, .randomForest, .xgbLinear, .xgbLossguide].contains(self) }

    /// The hyperparameters with every default filled in, or a message naming the key that is
    /// unknown or out of range.
    public func resolve(_ given: [String: Double]) -> Result<[String: Double], ModelError> {
        var out: [String: Double] = [:]
        for p in parameters { out[p.name] = p.defaultValue }
        for (name, value) in given.sorted(by: { $0.key < $1.key }) {
            guard let p = parameters.first(where: { $0.name == name }) else {
                let known = parameters.map(\.name).joined(separator: ", ")
                return .failure(ModelError("\(name): not a hyperparameter of \(rawValue)\(known.isEmpty ? " (it takes none)" : "; it takes \(known)")"))
            }
            guard value.isFinite, value >= p.min, value <= p.max else {
                return .failure(ModelError("\(name): \(Self.text(value)) is out of range (\(Self.text(p.min)) to \(Self.text(p.max)))"))
            }
            guard !p.integer || value == value.rounded() else { return .failure(ModelError("\(name): \(Self.text(value)) is not a whole number")) }
            out[name] = value
        }
        return .success(out)
    }

    static func text(_ v: Double) -> String { v.isFinite && v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)" }
}
