/// How the ensemble weighs its models: by each model's trailing out-of-sample Rank IC over the
/// last `window` dates whose labels are known, floored at `floor` (0: a model with a negative
/// record weighs nothing), normalized to sum to one; equal weights while no model has a record.
public struct EnsembleSettings: Sendable, Equatable, Codable {
    public var window = 60
    public var floor = 0.0
    /// Dates of record a model needs before its IC counts (until then, equal weights).
    public var minDates = 10

    public init(window: Int = 60, floor: Double = 0, minDates: Int = 10) {
        self.window = window
        self.floor = floor
        self.minDates = minDates
    }
}

/// Each model's out-of-sample Rank IC, date by date, as the labels become known: what the
/// ensemble weights, the promotion rules and the monitor read.
public struct ModelScoreboard: Sendable {
    public let models: [String]
    /// Per model: (prediction date, Rank IC), in date order.
    public private(set) var history: [[(date: Int, ic: Double)]]

    public init(models: [String]) {
        self.models = models
        history = Array(repeating: [], count: models.count)
    }

    /// Model m's Rank IC for its predictions of date `date`, now that their labels are known.
    public mutating func record(_ m: Int, date: Int, ic: Double) {
        guard ic.isFinite else { return }
        history[m].append((date, ic))
    }

    /// The mean Rank IC of model m over its last `window` recorded dates before `date`, and how
    /// many there were.
    public func trailing(_ m: Int, before date: Int, window: Int) -> (mean: Double, dates: Int) {
        let past = history[m].lazy.filter { $0.date < date }.suffix(window)
        guard !past.isEmpty else { return (.nan, 0) }
        return (past.reduce(0) { $0 + $1.ic } / Double(past.count), past.count)
    }

    /// The ensemble's weights in force at `date`; `active[m]` false leaves a (retired) model out.
    public func weights(before date: Int, settings: EnsembleSettings, active: [Bool]? = nil) -> [Double] {
        let on = active ?? Array(repeating: true, count: models.count)
        let records = models.indices.map { trailing($0, before: date, window: settings.window) }
        let known = models.indices.filter { on[$0] && records[$0].dates >= settings.minDates }
        guard !known.isEmpty else {
            let n = Double(on.filter { $0 }.count)
            return on.map { $0 && n > 0 ? 1 / n : 0 }
        }
        var raw = [Double](repeating: 0, count: models.count)
        for m in known { raw[m] = max(records[m].mean, settings.floor) }
        let total = raw.reduce(0, +)
        guard total > 0 else { return on.map { _ in 0 } }
        return raw.map { $0 / total }
    }
}

/// A cross-section's predictions made comparable across models: z-scores (ddof 1) over the
/// symbols each model predicts; NaN stays NaN.
public enum PredictionScale {
    public static func zscores(_ v: [Double]) -> [Double] {
        let defined = v.filter(\.isFinite)
        guard defined.count > 1 else { return v.map { _ in .nan } }
        let m = defined.reduce(0, +) / Double(defined.count)
        let sd = (defined.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(defined.count - 1)).squareRoot()
        guard sd > 0 else { return v.map { $0.isFinite ? 0 : .nan } }
        return v.map { $0.isFinite ? ($0 - m) / sd : .nan }
    }

    /// Σ w_m z_m over the models with a weight, per symbol; NaN where no weighted model predicts.
    public static func combine(_ z: [[Double]], weights: [Double]) -> [Double] {
        guard let n = z.first?.count else { return [] }
        var out = [Double](repeating: .nan, count: n)
        for (m, w) in weights.enumerated() where w != 0 {
            for s in 0..<n where z[m][s].isFinite { out[s] = out[s].isNaN ? w * z[m][s] : out[s] + w * z[m][s] }
        }
        return out
    }
}
