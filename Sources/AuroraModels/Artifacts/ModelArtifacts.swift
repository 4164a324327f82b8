import AuroraLog
import Foundation

/// One entry of `models.json`, the index `aurora research train` writes beside the artifacts:
/// which file holds which model, its SHA-256, the label and dates it was trained on, its
/// features in order and what fitting it found.
public struct ModelArtifactEntry: Codable, Sendable, Equatable {
    public var name: String
    public var kind: String
    public var digest: String
    public var file: String
    public var label: String
    public var trainFirst: String
    public var trainLast: String
    public var features: [String]
    public var fit: FitReport

    public init(name: String, kind: String, digest: String, file: String, label: String, trainFirst: String, trainLast: String,
                features: [String], fit: FitReport) {
        self.name = name
        self.kind = kind
        self.digest = digest
        self.file = file
        self.label = label
        self.trainFirst = trainFirst
        self.trainLast = trainLast
        self.features = features
        self.fit = fit
    }
}

/// A folder of artifacts, read and checked: every model `models.json` lists is there, its bytes
/// hash to the listed digest, it decodes, and its features are the listed ones. A mismatch is
/// an error naming the file and what differs; nothing is predicted with a model that changed
/// after it was indexed.
public enum ModelArtifacts {
    public static let indexFile = "models.json"

    /// The models of `folder` in the index's order, each with its entry.
    public static func load(_ folder: String) throws -> [(TrainedModel, ModelArtifactEntry)] {
        let indexPath = (folder as NSString).appendingPathComponent(indexFile)
        guard let data = FileManager.default.contents(atPath: indexPath) else {
            throw ModelError("\(indexPath): no model index (a folder written by `aurora research train --out`)")
        }
        let entries: [ModelArtifactEntry]
        // As `research train` writes it: snake_case keys, non-finite numbers as strings.
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in ArtifactKey(snake: path.last?.stringValue ?? "") }
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { entries = try decoder.decode([ModelArtifactEntry].self, from: data) } catch {
            throw ModelError("\(indexPath): not a model index: \(Self.reason(error))")
        }
        guard !entries.isEmpty else { throw ModelError("\(indexPath): lists no models") }
        return try entries.map { entry in
            let path = (folder as NSString).appendingPathComponent(entry.file)
            guard let bytes = FileManager.default.contents(atPath: path) else { throw ModelError("\(path): missing (listed in \(indexFile) for \(entry.name))") }
            let digest = hexString(sha256([UInt8](bytes)))
            guard digest == entry.digest else {
                throw ModelError("\(path): digest \(digest.prefix(16))… does not match \(entry.digest.prefix(16))… in \(indexFile): the artifact changed after it was trained")
            }
            let model: TrainedModel
            do { model = try TrainedModel.decode([UInt8](bytes)) } catch let e as ModelError { throw ModelError("\(path): \(e.description)") }
            guard model.featureNames == entry.features else {
                let extra = model.featureNames.filter { !entry.features.contains($0) }, missing = entry.features.filter { !model.featureNames.contains($0) }
                throw ModelError("\(path): its features do not match \(indexFile)" + (extra.isEmpty ? "" : "; not listed: \(extra.prefix(5).joined(separator: ", "))")
                                 + (missing.isEmpty ? "" : "; listed but absent: \(missing.prefix(5).joined(separator: ", "))")
                                 + (extra.isEmpty && missing.isEmpty ? "; same features in another order" : ""))
            }
            guard model.kind.rawValue == entry.kind, model.name == entry.name else {
                throw ModelError("\(path): holds \(model.name) (\(model.kind.rawValue)), \(indexFile) says \(entry.name) (\(entry.kind))")
            }
            return (model, entry)
        }
    }

    static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing key \(key.stringValue)"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c), DecodingError.dataCorrupted(let c):
            "\(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        default: "\(error)"
        }
    }
}

/// `in_sample_rank_ic` → `inSampleRankIC`: snake_case back to the property names, whose
/// acronyms (IC) the encoder lowered.
struct ArtifactKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    init(snake: String) {
        let parts = snake.split(separator: "_").map(String.init)
        guard let first = parts.first else { self.init(stringValue: snake); return }
        let rest = parts.dropFirst().map { $0 == "ic" ? "IC" : $0.prefix(1).uppercased() + $0.dropFirst() }
        self.init(stringValue: first + rest.joined())
    }
}
