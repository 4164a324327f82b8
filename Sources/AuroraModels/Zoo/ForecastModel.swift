import AuroraLog

/// A fitted model: predicts a cross-section, and is bytes that say exactly what it is. The
/// zoo's types conform; `ModelTrainer` fits them and `TrainedModel` wraps one with what it was
/// trained on.
public protocol ForecastModel: Sendable {
    var kind: ModelKind { get }
    /// One prediction per row of one cross-section (NaN features are each type's business: see
    /// its docs).
    func predict(_ x: FeatureMatrix) throws -> [Double]
    /// The same for rows of several dates at once, `dateRanges` giving each date's rows (the
    /// rank model ranks within each; the others predict row by row).
    func predict(_ x: FeatureMatrix, dateRanges: [Range<Int>]) throws -> [Double]
    /// The fitted state, exactly (the same data and hyperparameters give the same bytes).
    func payload() -> [UInt8]
}

extension ForecastModel {
    public func predict(_ x: FeatureMatrix, dateRanges: [Range<Int>]) throws -> [Double] { try predict(x) }
}

/// How to train one model: its name in logs and configs, its type, its hyperparameters
/// (one value each, or a list of candidates chosen on validation dates inside the training
/// window), and what it predicts.
public struct ModelSpec: Sendable, Equatable {
    public var name: String
    public var kind: ModelKind
    /// Candidates per hyperparameter; a single value is fixed. Missing ones take the defaults.
    public var candidates: [String: [Double]]
    public var target: TargetTransform

    public init(name: String, kind: ModelKind, candidates: [String: [Double]] = [:], target: TargetTransform = .rank) {
        self.name = name
        self.kind = kind
        self.candidates = candidates
        self.target = target
    }

    /// Every combination of the candidates, defaults filled in, in a fixed order.
    public func grid() throws -> [[String: Double]] {
        var combos: [[String: Double]] = [[:]]
        for key in candidates.keys.sorted() {
            combos = combos.flatMap { c in (candidates[key] ?? []).map { v in c.merging([key: v]) { $1 } } }
        }
        return try combos.map { c in try kind.resolve(c).get() }
    }
}

/// A model as trained: its spec's name and type, the hyperparameters used, the target, the
/// features it reads (in order), the fitted model, and its identity — the SHA-256 of its bytes.
public struct TrainedModel: Sendable {
    public let name: String
    public let hyperparameters: [String: Double]
    public let target: TargetTransform
    public let featureNames: [String]
    public let model: any ForecastModel
    /// The artifact: a header (format, type, name, hyperparameters, target, features) and the payload.
    public let bytes: [UInt8]

    public var kind: ModelKind { model.kind }
    public var digest: String { hexString(sha256(bytes)) }

    static let magic: [UInt8] = Array("AURORA-MODEL".utf8)
    static let formatVersion: UInt64 = 1

    public init(name: String, hyperparameters: [String: Double], target: TargetTransform, featureNames: [String], model: any ForecastModel) {
        self.name = name
        self.hyperparameters = hyperparameters
        self.target = target
        self.featureNames = featureNames
        self.model = model
        var w = PayloadWriter()
        w.raw(Self.magic)
        w.varint(Self.formatVersion)
        w.string(model.kind.rawValue)
        w.string(name)
        let keys = hyperparameters.keys.sorted()
        w.varint(UInt64(keys.count))
        for k in keys { w.string(k); w.double(hyperparameters[k] ?? 0) }
        w.string(target.rawValue)
        w.varint(UInt64(featureNames.count))
        for f in featureNames { w.string(f) }
        w.raw(model.payload())
        bytes = w.bytes
    }

    /// Reads an artifact back; refuses what is not one, a newer format, or a damaged payload.
    public static func decode(_ bytes: [UInt8]) throws -> TrainedModel {
        var r = PayloadReader(bytes)
        do {
            guard try r.raw() == magic else { throw ModelError("not an Aurora model artifact") }
            let version = try r.varint()
            guard version <= formatVersion else { throw ModelError("model format \(version) is newer than this engine's \(formatVersion)") }
            let kindText = try r.string()
            guard let kind = ModelKind(rawValue: kindText) else { throw ModelError("unknown model type \"\(kindText)\"") }
            let name = try r.string()
            var hyper: [String: Double] = [:]
            for _ in 0..<(try r.varint()) { let k = try r.string(); hyper[k] = try r.double() }
            guard let target = TargetTransform(rawValue: try r.string()) else { throw ModelError("unknown target") }
            var features: [String] = []
            let n = try r.varint()
            guard n <= UInt64(bytes.count) else { throw ModelError("feature count \(n) does not fit the artifact") }
            for _ in 0..<n { features.append(try r.string()) }
            var payload = PayloadReader(try r.raw())
            guard r.isAtEnd else { throw ModelError("\(r.remaining) bytes after the model") }
            let model = try ModelTrainer.decode(kind, &payload, columns: features.count)
            let trained = TrainedModel(name: name, hyperparameters: hyper, target: target, featureNames: features, model: model)
            guard trained.bytes == bytes else { throw ModelError("the artifact does not read back to its own bytes") }
            return trained
        } catch let e as PayloadError {
            throw ModelError("damaged model artifact: \(e.description)")
        }
    }

    /// Predictions for a cross-section whose columns are `names` (the model's features must be
    /// there, in any order).
    public func predict(_ x: FeatureMatrix, names: [String], dateRanges: [Range<Int>]? = nil) throws -> [Double] {
        let ranges = dateRanges ?? [0..<x.rows]
        guard names != featureNames else { return try model.predict(x, dateRanges: ranges) }
        var index: [Int] = []
        for f in featureNames {
            guard let i = names.firstIndex(of: f) else { throw ModelError("model \(name) reads feature \(f), which the data does not have") }
            index.append(i)
        }
        var values = [Double](repeating: .nan, count: x.rows * featureNames.count)
        for r in 0..<x.rows { for (c, i) in index.enumerated() { values[r * featureNames.count + c] = x[r, i] } }
        return try model.predict(FeatureMatrix(rows: x.rows, columns: featureNames.count, values: values), dateRanges: ranges)
    }
}
