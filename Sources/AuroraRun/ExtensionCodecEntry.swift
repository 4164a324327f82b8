import AuroraLog
import AuroraModel
import Foundation

/// A registered extension codec, type-erased: what `aurora cat` uses to show a record's fields.
public struct ExtensionCodecEntry: Sendable {
    public let name: String
    private let render: @Sendable (ExtensionRecord) -> String?

    public init<C: ExtensionCodec>(_: C.Type) {
        name = C.name
        render = { record in
            guard let value = try? C.value(of: record) else { return nil }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The record's fields as a JSON object, or nil when its bytes are not this codec's value.
    public func fields(_ record: ExtensionRecord) -> String? { render(record) }
}
