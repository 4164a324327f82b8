import Testing
@testable import AuroraLog
import AuroraModel

@Suite("Codec round trips")
struct CodecPropertyTests {
    @Test("canonical decode(encode(e)) is bit-identical for every kind", arguments: EventKind.allCases)
    func canonicalRoundTrip(kind: EventKind) throws {
        var gen = EventGenerator(seed: UInt64(kind.rawValue) * 7919, symbolCount: 1 << 20)
        for i in 0..<2_000 {
            let event = Event(sequence: gen.uint64(), timestamp: gen.time(), payload: gen.payload(kind))
            let bytes = EventCodec.canonicalBytes(event)
            let decoded = try EventCodec.decodeCanonical(bytes)
            #expect(EventCodec.canonicalBytes(decoded) == bytes, "case \(i) of \(kind.name)")
            #expect(decoded.kind == kind)
            #expect(decoded.sequence == event.sequence && decoded.timestamp == event.timestamp)
        }
    }

    @Test("framed records round-trip with context across a whole frame", arguments: EventKind.allCases)
    func framedRoundTrip(kind: EventKind) throws {
        var gen = EventGenerator(seed: UInt64(kind.rawValue) &* 104_729, symbolCount: 300)
        let encoder = RecordEncoder(canonical: false)
        let frame = ByteBuffer()
        var events: [Event] = []
        var sequence = gen.uint64() >> 1
        for _ in 0..<1_000 {
            // Times in a frame are arbitrary Int64s here: the codec must not rely on their order.
            let e = Event(sequence: sequence, timestamp: gen.time(), payload: gen.payload(kind))
            sequence &+= 1
            encoder.encode(e, into: frame)
            events.append(e)
        }
        let decoder = RecordDecoder(canonical: false)
        var reader = ByteReader(frame.bytes)
        var decoded: [Event] = []
        while !reader.isAtEnd {
            if case .event(let e) = try decoder.decode(&reader) { decoded.append(e) }
        }
        #expect(decoded.count == events.count)
        for (a, b) in zip(events, decoded) { #expect(bitIdentical(a, b)) }
    }

    @Test("NaN payloads, signed zero and infinities keep their bits")
    func specialDoubles() throws {
        let specials: [Double] = [.nan, -.nan, .signalingNaN, Double(nan: 0x3_FFFF, signaling: true), -0.0, 0.0, .infinity, -.infinity]
        for v in specials {
            let e = Event(sequence: 1, timestamp: Timestamp(rawValue: 0), payload: .alphaValue(AlphaValue(alpha: "a", symbol: SymbolID(0), value: v)))
            guard case .alphaValue(let a) = try EventCodec.decodeCanonical(EventCodec.canonicalBytes(e)).payload else {
                Issue.record("wrong kind"); return
            }
            #expect(a.value.bitPattern == v.bitPattern)
        }
    }

    @Test("a typical daily bar costs few bytes before compression")
    func compactBars() {
        let encoder = RecordEncoder(canonical: false)
        let frame = ByteBuffer()
        func bar(_ s: Int, _ close: Int64, sequence: UInt64) -> Event {
            Event(sequence: sequence, timestamp: Timestamp(rawValue: 1_600_000_000_000_000_000),
                  payload: .bar(Bar(symbol: SymbolID(s), timeframe: .day, open: Price(rawValue: (close - 12) * 10_000_000),
                                    high: Price(rawValue: (close + 30) * 10_000_000), low: Price(rawValue: (close - 40) * 10_000_000),
                                    close: Price(rawValue: close * 10_000_000), volume: Quantity(rawValue: 1_944_854 * 1_000_000))))
        }
        encoder.encode(bar(0, 15_000, sequence: 10), into: frame)
        let before = frame.count
        encoder.encode(bar(0, 15_023, sequence: 11), into: frame)
        #expect(frame.count - before <= 17, "second bar of a symbol took \(frame.count - before) bytes: \(Array(frame.bytes[before...]))")
    }

    @Test("records of unknown kinds are skipped by their length")
    func unknownKindsSkipped() throws {
        let encoder = RecordEncoder(canonical: false)
        let frame = ByteBuffer()
        encoder.encode(Event(sequence: 0, timestamp: Timestamp(rawValue: 5), payload: .sessionEnd(SessionEnd(reason: "x"))), into: frame)
        // A record from a future version: kind 99, sequence delta 0, time delta 0, then 3 payload bytes.
        frame.append([6, 99, 0, 0, 0xAA, 0xBB, 0xCC])
        // The encoder never saw the foreign record, so its delta (0) is relative to event 0; a newer
        // writer would have counted it. The reader follows the stream: the next event is 2.
        encoder.encode(Event(sequence: 1, timestamp: Timestamp(rawValue: 5), payload: .sessionEnd(SessionEnd(reason: "y"))), into: frame)
        let decoder = RecordDecoder(canonical: false)
        var reader = ByteReader(frame.bytes)
        var kinds: [String] = []
        while !reader.isAtEnd {
            switch try decoder.decode(&reader) {
            case .event(let e): kinds.append("\(e.kind.name)@\(e.sequence)")
            case .unknown(let k, let s, _): kinds.append("unknown\(k)@\(s)")
            case .skipped(let s, _): kinds.append("skipped@\(s)")
            case .stringDefinition, .header, .headers, .bars, .fills: break
            }
        }
        #expect(kinds == ["session_end@0", "unknown99@1", "session_end@2"])
    }

    @Test("malformed bytes are errors, never crashes")
    func fuzzedRecordsDoNotCrash() {
        var rng = SeededRandom(seed: 99)
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? EventCodec.decodeCanonical(bytes)
            let decoder = RecordDecoder(canonical: false)
            bytes.withUnsafeBytes { raw in
                var reader = ByteReader(raw)
                while !reader.isAtEnd, (try? decoder.decode(&reader)) != nil {}
            }
        }
    }

    /// A varint as the format defines it: seven bits a byte, low first, the high bit on all but the last.
    private static func referenceVarint(_ value: UInt64) -> [UInt8] {
        var v = value, out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
        return out
    }

    @Test("varints through a pointer and into a buffer are the format's, byte for byte, at every length's edges and at random")
    func varintsMatchTheFormat() {
        var rng = SeededRandom(seed: 11)
        var values: [UInt64] = [0, 1, 0x7F, 0x80, .max, 1 << 63, (1 << 63) - 1]
        for bits in stride(from: 7, through: 63, by: 7) { values += [(1 << UInt64(bits)) - 1, 1 << UInt64(bits), (1 << UInt64(bits)) + 1] }
        for _ in 0..<20_000 { values.append(UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...63, using: &rng)) }
        // Nanosecond times, zigzagged as a canonical header writes them: the nine-byte path.
        for _ in 0..<2_000 {
            let t = Int64.random(in: 1_300_000_000_000_000_000...1_900_000_000_000_000_000, using: &rng) * (Bool.random(using: &rng) ? 1 : -1)
            values.append(UInt64(bitPattern: (t << 1) ^ (t >> 63)))
        }
        let buffer = ByteBuffer(), raw = ByteBuffer()
        for v in values {
            let expected = Self.referenceVarint(v)
            buffer.removeAll()
            buffer.append(0xEE)  // not at the buffer's start: the count moves on from where it was
            buffer.appendVarint(v)
            raw.removeAll()
            raw.reserve(16)
            var w = RawWriter(p: raw.base)
            w.varint(v)
            raw.count = raw.base.distance(to: w.p)
            #expect(raw.array == expected, "\(v)")
            #expect(buffer.array == [0xEE] + expected, "\(v)")
            var r = ByteReader(raw.bytes)
            #expect((try? r.readVarint()) == v && r.isAtEnd, "\(v)")
        }
    }
}

@Suite("Decimal normal form")
struct DecimalNormalFormTests {
    /// The plain definition: strip trailing zeros one at a time, to the cap; zero gets the cap.
    private static func reference(_ v: Int64) -> (Int64, Int) {
        if v == 0 { return (0, DecimalCode.maxExponent) }
        var x = v, k = 0
        while k < DecimalCode.maxExponent && x % 10 == 0 { x /= 10; k += 1 }
        return (x, k)
    }

    @Test("one value and four together agree with stripping zeros one by one, at the edges and at random")
    func matchesDefinition() {
        var rng = SeededRandom(seed: 5)
        var values: [Int64] = [0, 1, -1, 10, -10, .max, .min, .min + 1, 1_000_000_000_000_000_000, -9_000_000_000_000_000_000,
                               3 * 1_000_000_000_000_000, 100_000_000_000_000, 123_450_000_000, -7_000_000]
        for _ in 0..<20_000 {
            let digits = Int64.random(in: 1...999_999, using: &rng) * (Bool.random(using: &rng) ? 1 : -1)
            let scale = powersOfTen[Int.random(in: 0...12, using: &rng)]
            values.append(digits.multipliedReportingOverflow(by: scale).partialValue)
        }
        for v in values {
            let (q, k) = decimalNormalForm(v)
            #expect(q == Self.reference(v).0 && k == Self.reference(v).1, "\(v)")
        }
        for i in stride(from: 0, to: values.count - 4, by: 3) {
            var (a, b, c, d) = (values[i], values[i + 1], values[i + 2], i % 7 == 0 ? 0 : values[i + 3])
            let original = [a, b, c, d]
            let k = commonDecimalNormalForm(&a, &b, &c, &d)
            let expected = original.map { Self.reference($0).1 }.min()!
            #expect(k == expected, "\(original)")
            #expect([a, b, c, d] == original.map { $0 / powersOfTen[expected] }, "\(original)")
        }
        var zeros: (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
        #expect(commonDecimalNormalForm(&zeros.0, &zeros.1, &zeros.2, &zeros.3) == DecimalCode.maxExponent)
    }
}
