import AuroraModel

/// The codec of one extension record kind: how its values become payload bytes and back. A
/// module that logs its own decisions defines one (its `name` is the record's kind, its
/// `version` the payload schema's: bump it when the layout changes, and read old versions in
/// `decode`); registered with the run layer, it lets `aurora cat` show the record's fields.
public protocol ExtensionCodec: SendableMetatype {
    associatedtype Value: Encodable & SendableMetatype
    static var name: String { get }
    static var version: UInt16 { get }
    static func encode(_ value: Value, into writer: inout PayloadWriter)
    static func decode(_ reader: inout PayloadReader, version: UInt16) throws -> Value
}

extension ExtensionCodec {
    /// The value as an event payload, ready to log.
    public static func record(_ value: Value) -> EventPayload {
        var w = PayloadWriter()
        encode(value, into: &w)
        return .extension(ExtensionRecord(name: name, version: version, payload: w.bytes))
    }

    /// The value of a record of this kind (an error for another kind, a newer version, or bytes
    /// that are not such a value).
    public static func value(of record: ExtensionRecord) throws -> Value {
        guard record.name == name else { throw PayloadError("a \(record.name) record is not a \(name)") }
        guard record.version <= version else { throw PayloadError("\(name) version \(record.version) is newer than this reader's \(version)") }
        var r = PayloadReader(record.payload)
        let value = try decode(&r, version: record.version)
        guard r.isAtEnd else { throw PayloadError("\(name): \(r.remaining) bytes left after the value") }
        return value
    }
}

public struct PayloadError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Writes an extension payload: the log's own encodings (varints, zigzag integers, doubles by
/// their bits, length-prefixed strings), so payloads are compact and exact.
public struct PayloadWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    public init() {}

    public mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    public mutating func int(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
    public mutating func double(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    public mutating func string(_ s: String) { raw(Array(s.utf8)) }
    public mutating func raw(_ b: [UInt8]) { varint(UInt64(b.count)); bytes.append(contentsOf: b) }
    public mutating func doubles(_ values: [Double]) { varint(UInt64(values.count)); for v in values { double(v) } }
}

/// Reads what a `PayloadWriter` wrote; every read is checked against the payload's end.
public struct PayloadReader: Sendable {
    private let bytes: [UInt8]
    private var position = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { position == bytes.count }
    public var remaining: Int { bytes.count - position }

    public mutating func varint() throws -> UInt64 {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw PayloadError("payload ends inside a number") }
            let b = bytes[position]
            position += 1
            guard shift < 64, shift < 63 || b <= 1 else { throw PayloadError("a number does not fit 64 bits") }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }
    public mutating func int() throws -> Int64 { let z = try varint(); return Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1) }
    public mutating func double() throws -> Double {
        guard remaining >= 8 else { throw PayloadError("payload ends inside a double") }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return Double(bitPattern: bits)
    }
    public mutating func bool() throws -> Bool {
        guard position < bytes.count else { throw PayloadError("payload ends inside a flag") }
        defer { position += 1 }
        switch bytes[position] {
        case 0: return false
        case 1: return true
        case let b: throw PayloadError("flag \(b) is neither 0 nor 1")
        }
    }
    public mutating func raw() throws -> [UInt8] {
        let n = try varint()
        guard n <= UInt64(remaining) else { throw PayloadError("payload ends inside a field of \(n) bytes") }
        defer { position += Int(n) }
        return Array(bytes[position..<(position + Int(n))])
    }
    public mutating func string() throws -> String { String(decoding: try raw(), as: UTF8.self) }
    public mutating func doubles() throws -> [Double] {
        let n = try varint()
        guard n <= UInt64(remaining / 8) else { throw PayloadError("payload ends inside a list of \(n) doubles") }
        return try (0..<n).map { _ in try double() }
    }
}
