import AuroraData
import AuroraModel
import Foundation

/// MessagePack (msgpack.org's specification), both ways, for Alpaca's market-data stream: the
/// server sends it to clients that ask with `Content-Type: application/msgpack` (as Alpaca's
/// SDKs do), and such clients send their own messages in it. Values are the JSON-like ones the
/// wire builders make (`[String: Any]`, arrays, strings, numbers, booleans, null); a string under
/// one of `timeKeys` holding an RFC 3339 time goes out as a msgpack timestamp (extension −1), the
/// way Alpaca sends bar and trade times.
public enum MessagePack {
    public struct DecodeError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func encode(_ value: Any, timeKeys: Set<String> = ["t"]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, key: nil, timeKeys: timeKeys, into: &out)
        return out
    }

    private static func write(_ value: Any, key: String?, timeKeys: Set<String>, into out: inout [UInt8]) {
        func be<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) } }
        func length(_ n: Int, fix: UInt8, fixMax: Int, _ c16: UInt8, _ c32: UInt8, c8: UInt8? = nil) {
            if n <= fixMax { out.append(fix | UInt8(n)) }
            else if let c8, n <= 0xFF { out.append(c8); out.append(UInt8(n)) }
            else if n <= 0xFFFF { out.append(c16); be(UInt16(n)) }
            else { out.append(c32); be(UInt32(n)) }
        }
        switch value {
        case is NSNull:
            out.append(0xC0)
        case let b as Bool:
            out.append(b ? 0xC3 : 0xC2)
        case let i as Int:
            if i >= 0 && i < 128 { out.append(UInt8(i)) }
            else if i < 0 && i >= -32 { out.append(UInt8(bitPattern: Int8(i))) }
            else { out.append(0xD3); be(Int64(i)) }
        case let d as Double:
            out.append(0xCB); be(d.bitPattern)
        case let s as String:
            if let key, timeKeys.contains(key), let t = try? TimeText.parse(s) {
                // Timestamp 96: nanoseconds (u32) and seconds (i64) after the epoch.
                let seconds = t.rawValue >= 0 ? t.rawValue / 1_000_000_000 : (t.rawValue - 999_999_999) / 1_000_000_000
                out += [0xC7, 12, 0xFF]
                be(UInt32(t.rawValue - seconds * 1_000_000_000)); be(Int64(seconds))
                return
            }
            let bytes = Array(s.utf8)
            length(bytes.count, fix: 0xA0, fixMax: 31, 0xDA, 0xDB, c8: 0xD9)
            out += bytes
        case let a as [Any]:
            length(a.count, fix: 0x90, fixMax: 15, 0xDC, 0xDD)
            for v in a { write(v, key: nil, timeKeys: timeKeys, into: &out) }
        case let m as [String: Any]:
            length(m.count, fix: 0x80, fixMax: 15, 0xDE, 0xDF)
            for k in m.keys.sorted() {
                write(k, key: nil, timeKeys: timeKeys, into: &out)
                write(m[k] ?? NSNull(), key: k, timeKeys: timeKeys, into: &out)
            }
        case let n as NSNumber:
            write(n.doubleValue, key: key, timeKeys: timeKeys, into: &out)
        default:
            write(String(describing: value), key: key, timeKeys: timeKeys, into: &out)
        }
    }

    /// One value; maps become `[String: Any]` (non-string keys are an error), timestamps their
    /// RFC 3339 text, binary data base64 text. Anything malformed is a `DecodeError`.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Any {
        var i = 0
        let v = try read(bytes, &i, depth: 0)
        guard i == bytes.count else { throw DecodeError(description: "\(bytes.count - i) bytes after the message") }
        return v
    }

    private static func read(_ b: [UInt8], _ i: inout Int, depth: Int) throws(DecodeError) -> Any {
        func fail(_ m: String) -> DecodeError { DecodeError(description: "msgpack: \(m) at byte \(i)") }
        guard depth < 64 else { throw fail("nested too deeply") }
        func take(_ n: Int) throws(DecodeError) -> ArraySlice<UInt8> {
            guard n >= 0, i + n <= b.count else { throw fail("message ends early") }
            defer { i += n }
            return b[i..<(i + n)]
        }
        func uint(_ n: Int) throws(DecodeError) -> UInt64 { try take(n).reduce(0) { $0 << 8 | UInt64($1) } }
        func text(_ n: Int) throws(DecodeError) -> String {
            guard let s = String(bytes: try take(n), encoding: .utf8) else { throw fail("a string that is not UTF-8") }
            return s
        }
        func array(_ n: Int) throws(DecodeError) -> [Any] {
            var out: [Any] = []
            for _ in 0..<n { out.append(try read(b, &i, depth: depth + 1)) }
            return out
        }
        func map(_ n: Int) throws(DecodeError) -> [String: Any] {
            var out: [String: Any] = [:]
            for _ in 0..<n {
                guard let k = try read(b, &i, depth: depth + 1) as? String else { throw fail("a map key that is not a string") }
                out[k] = try read(b, &i, depth: depth + 1)
            }
            return out
        }
        let c = try take(1).first ?? 0
        switch c {
        case 0x00...0x7F: return Int(c)
        case 0x80...0x8F: return try map(Int(c & 0x0F))
        case 0x90...0x9F: return try array(Int(c & 0x0F))
        case 0xA0...0xBF: return try text(Int(c & 0x1F))
        case 0xE0...0xFF: return Int(Int8(bitPattern: c))
        case 0xC0: return NSNull()
        case 0xC2: return false
        case 0xC3: return true
        case 0xC4, 0xC5, 0xC6: return Data(try take(Int(try uint(1 << Int(c - 0xC4))))).base64EncodedString()
        case 0xCA: return Double(Float(bitPattern: UInt32(try uint(4))))
        case 0xCB: return Double(bitPattern: try uint(8))
        case 0xCC, 0xCD, 0xCE: return Int(try uint(1 << Int(c - 0xCC)))
        case 0xCF:
            let v = try uint(8)
            guard v <= UInt64(Int.max) else { throw fail("an integer beyond 2⁶³") }
            return Int(v)
        case 0xD0: return Int(Int8(truncatingIfNeeded: try uint(1)))
        case 0xD1: return Int(Int16(truncatingIfNeeded: try uint(2)))
        case 0xD2: return Int(Int32(truncatingIfNeeded: try uint(4)))
        case 0xD3: return Int(Int64(bitPattern: try uint(8)))
        case 0xD9, 0xDA, 0xDB: return try text(Int(try uint(1 << Int(c - 0xD9))))
        case 0xDC, 0xDD: return try array(Int(try uint(c == 0xDC ? 2 : 4)))
        case 0xDE, 0xDF: return try map(Int(try uint(c == 0xDE ? 2 : 4)))
        case 0xD4...0xD8, 0xC7...0xC9:
            let n: Int
            switch c {
            case 0xD4...0xD8: n = 1 << Int(c - 0xD4)
            default: n = Int(try uint(1 << Int(c - 0xC7)))
            }
            let type = Int8(bitPattern: try take(1).first ?? 0)
            let payload = Array(try take(n))
            guard type == -1 else { return Data(payload).base64EncodedString() }
            return try timestamp(payload, fail)
        default: throw fail("unknown type byte 0x\(String(c, radix: 16))")
        }
    }

    private static func timestamp(_ p: [UInt8], _ fail: (String) -> DecodeError) throws(DecodeError) -> String {
        func value(_ s: ArraySlice<UInt8>) -> UInt64 { s.reduce(0) { $0 << 8 | UInt64($1) } }
        let (seconds, nanos): (Int64, Int64)
        switch p.count {
        case 4: (seconds, nanos) = (Int64(value(p[0..<4])), 0)
        case 8:
            let v = value(p[0..<8])
            (seconds, nanos) = (Int64(v & 0x3_FFFF_FFFF), Int64(v >> 34))
        case 12: (seconds, nanos) = (Int64(bitPattern: value(p[4..<12])), Int64(value(p[0..<4])))
        default: throw fail("a timestamp of \(p.count) bytes")
        }
        let (ns, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, nanos < 1_000_000_000 else { throw fail("a timestamp out of range") }
        return Timestamp(rawValue: ns &+ nanos).iso8601
    }
}
