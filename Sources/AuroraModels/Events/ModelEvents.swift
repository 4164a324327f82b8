import AuroraLog
import AuroraModel

/// What the model strategy decides, as extension records in the log (`docs/LOG_FORMAT.md`
/// lists them): a retrain and what it produced, a calibration refitted, a model promoted,
/// retired or loaded. Predictions are alpha values (one per model and symbol, and `ensemble`),
/// the ensemble's weights an `alpha_weights` event, expected returns on the signals: those
/// kinds exist already and every reader knows them.
public struct ModelRetrain: Sendable, Codable, Equatable {
    public var model: String
    public var kind: String
    /// Bar times of the first and last training dates.
    public var trainFirst: Int64
    public var trainLast: Int64
    public var rows: Int
    public var features: Int
    /// SHA-256 of the feature names, in order: two retrains read the same features when equal.
    public var featuresDigest: String
    public var hyperparameters: [String: Double]
    /// SHA-256 of the model's bytes.
    public var digest: String
    public var inSampleRankIC: Double
    /// NaN when there was no choice to validate.
    public var validationRankIC: Double
    public var labelHorizon: Int
    public var labelPrice: String
}

public enum ModelRetrainCodec: ExtensionCodec {
    public static let name = "model_retrain"
    public static let version: UInt16 = 1
    public static func encode(_ v: ModelRetrain, into w: inout PayloadWriter) {
        w.string(v.model); w.string(v.kind); w.int(v.trainFirst); w.int(v.trainLast); w.varint(UInt64(v.rows)); w.varint(UInt64(v.features))
        w.string(v.featuresDigest)
        let keys = v.hyperparameters.keys.sorted()
        w.varint(UInt64(keys.count))
        for k in keys { w.string(k); w.double(v.hyperparameters[k] ?? 0) }
        w.string(v.digest); w.double(v.inSampleRankIC); w.double(v.validationRankIC); w.varint(UInt64(v.labelHorizon)); w.string(v.labelPrice)
    }
    public static func decode(_ r: inout PayloadReader, version: UInt16) throws -> ModelRetrain {
        let model = try r.string(), kind = try r.string(), first = try r.int(), last = try r.int()
        let rows = Int(clamping: try r.varint()), features = Int(clamping: try r.varint()), fd = try r.string()
        var h: [String: Double] = [:]
        let n = try r.varint()
        guard n <= UInt64(r.remaining) else { throw PayloadError("\(name): \(n) hyperparameters do not fit") }
        for _ in 0..<n { let k = try r.string(); h[k] = try r.double() }
        return ModelRetrain(model: model, kind: kind, trainFirst: first, trainLast: last, rows: rows, features: features, featuresDigest: fd,
                            hyperparameters: h, digest: try r.string(), inSampleRankIC: try r.double(), validationRankIC: try r.double(),
                            labelHorizon: Int(clamping: try r.varint()), labelPrice: try r.string())
    }
}

/// A calibration refitted: bin edges on the ensemble score, each bin's expected excess return,
/// its standard error and the pairs behind it.
public struct CalibrationRecord: Sendable, Codable, Equatable {
    public var edges: [Double]
    public var expected: [Double]
    public var standardError: [Double]
    public var counts: [Int]
}

public enum CalibrationCodec: ExtensionCodec {
    public static let name = "model_calibration"
    public static let version: UInt16 = 1
    public static func encode(_ v: CalibrationRecord, into w: inout PayloadWriter) {
        w.doubles(v.edges); w.doubles(v.expected); w.doubles(v.standardError)
        w.varint(UInt64(v.counts.count))
        for c in v.counts { w.varint(UInt64(c)) }
    }
    public static func decode(_ r: inout PayloadReader, version: UInt16) throws -> CalibrationRecord {
        let edges = try r.doubles(), expected = try r.doubles(), se = try r.doubles()
        let n = try r.varint()
        guard n <= UInt64(r.remaining) else { throw PayloadError("\(name): \(n) counts do not fit") }
        return CalibrationRecord(edges: edges, expected: expected, standardError: se, counts: try (0..<n).map { _ in Int(clamping: try r.varint()) })
    }
}

/// A decision about a model, with its evidence: its Rank IC (and, for a promotion, the
/// champion's) over the blocks that decided it.
public struct ModelDecision: Sendable, Codable, Equatable {
    public enum Action: String, Sendable, Codable, CaseIterable { case retired, promoted, loaded, failed }
    public var action: Action
    public var model: String
    /// The champion before a promotion (the model it replaced).
    public var previous: String
    public var evidence: [Double]
    public var challengerEvidence: [Double]
    public var reason: String
    /// The label the models predict (and the evidence is measured on).
    public var labelHorizon: Int
    public var labelPrice: String

    public init(action: Action, model: String, previous: String = "", evidence: [Double] = [], challengerEvidence: [Double] = [],
                reason: String, labelHorizon: Int = 0, labelPrice: String = "") {
        self.action = action
        self.model = model
        self.previous = previous
        self.evidence = evidence
        self.challengerEvidence = challengerEvidence
        self.reason = reason
        self.labelHorizon = labelHorizon
        self.labelPrice = labelPrice
    }
}

public enum ModelDecisionCodec: ExtensionCodec {
    public static let name = "model_decision"
    public static let version: UInt16 = 1
    public static func encode(_ v: ModelDecision, into w: inout PayloadWriter) {
        w.string(v.action.rawValue); w.string(v.model); w.string(v.previous); w.doubles(v.evidence); w.doubles(v.challengerEvidence); w.string(v.reason)
        w.varint(UInt64(v.labelHorizon)); w.string(v.labelPrice)
    }
    public static func decode(_ r: inout PayloadReader, version: UInt16) throws -> ModelDecision {
        let text = try r.string()
        guard let action = ModelDecision.Action(rawValue: text) else { throw PayloadError("\(name): unknown action \(text)") }
        return ModelDecision(action: action, model: try r.string(), previous: try r.string(), evidence: try r.doubles(),
                             challengerEvidence: try r.doubles(), reason: try r.string(), labelHorizon: Int(clamping: try r.varint()),
                             labelPrice: try r.string())
    }
}
