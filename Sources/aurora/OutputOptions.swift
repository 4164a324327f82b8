import ArgumentParser
import Foundation

/// `--format table|json`, shared by the commands that print one report.
struct TableOrJSON: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
    @Option(name: .long, help: "table or json.") var format: Format = .table
}

/// JSON written by `JSONEncoder` from `Encodable` values: keys sorted (so output is stable),
/// strings escaped as JSON requires, non-finite numbers as strings ("nan", "inf").
enum JSONOutput {
    static func text(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Any JSON value, to embed JSON rendered elsewhere (an event's line) in an `Encodable` report.
enum JSONValue: Encodable {
    case null, bool(Bool), number(Double), integer(Int64), string(String), array([JSONValue]), object([(String, JSONValue)])

    /// The value of a JSON text (null when it is not JSON).
    init(parsing text: String) {
        guard let any = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
            self = .null
            return
        }
        self = JSONValue(any)
    }

    init(_ any: Any) {
        switch any {
        case let n as NSNumber where String(cString: n.objCType) == "c": self = .bool(n.boolValue)
        case let n as NSNumber where ["d", "f"].contains(String(cString: n.objCType)): self = .number(n.doubleValue)
        case let n as NSNumber: self = .integer(n.int64Value)
        case let s as String: self = .string(s)
        case let a as [Any]: self = .array(a.map(JSONValue.init))
        case let o as [String: Any]: self = .object(o.keys.sorted().map { ($0, JSONValue(o[$0] as Any)) })
        default: self = .null
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b): var c = encoder.singleValueContainer(); try c.encode(b)
        case .number(let d): var c = encoder.singleValueContainer(); try c.encode(d)
        case .integer(let i): var c = encoder.singleValueContainer(); try c.encode(i)
        case .string(let s): var c = encoder.singleValueContainer(); try c.encode(s)
        case .array(let a): var c = encoder.unkeyedContainer(); for v in a { try c.encode(v) }
        case .object(let o):
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in o { try c.encode(v, forKey: Key(stringValue: k)) }
        }
    }
}
