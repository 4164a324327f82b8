import AuroraModel
#if canImport(Glibc)
import Glibc
#endif

/// Canonical, context-free bytes of single events: the form the run digest is computed over.
public enum EventCodec {
    /// The event's canonical record (length prefix included).
    public static func canonicalBytes(_ event: Event) -> [UInt8] {
        let encoder = RecordEncoder(canonical: true)
        let out = ByteBuffer(capacity: 128)
        encoder.encode(event, into: out)
        return out.array
    }

    /// Decodes one canonical record; the bytes must hold exactly one.
    public static func decodeCanonical(_ bytes: [UInt8]) throws -> Event {
        try bytes.withUnsafeBytes { raw throws(LogError) -> Event in
            var reader = ByteReader(raw)
            let decoder = RecordDecoder(canonical: true)
            let record: DecodedRecord
            do throws(RecordError) {
                record = try decoder.decode(&reader)
            } catch {
                throw LogError(path: "<bytes>", .corrupt(error.message))
            }
            guard reader.isAtEnd else { throw LogError(path: "<bytes>", .corrupt("bytes after the record")) }
            guard case .event(let event) = record else {
                throw LogError(path: "<bytes>", .corrupt("not an event record of a known kind"))
            }
            return event
        }
    }
}

/// Compares two events by their canonical bytes, encoded into buffers it keeps between calls (no
/// allocation per event).
public final class CanonicalComparer {
    private let encoder = RecordEncoder(canonical: true)
    private let first = ByteBuffer(capacity: 256)
    private let second = ByteBuffer(capacity: 256)

    public init() {}

    /// Encodes both; whether their bytes are equal.
    public func same(_ a: Event, _ b: Event) -> Bool {
        first.removeAll()
        second.removeAll()
        encoder.encode(a, into: first)
        encoder.encode(b, into: second)
        return first.count == second.count && memcmp(first.base, second.base, first.count) == 0
    }
}
