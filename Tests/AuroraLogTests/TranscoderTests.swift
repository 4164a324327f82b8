import Testing
@testable import AuroraLog
import AuroraModel

/// A framed record's canonical bytes made by copying (`RecordTranscoder`) must be exactly the
/// ones the full decode and re-encode make, for every input: sound records, records a writer
/// never makes, and damaged ones (where both must fail). Otherwise `verify` and `info` would
/// compute another digest than the rest of the engine.
@Suite("Framed to canonical by bytes")
struct TranscoderTests {
    /// The canonical bytes of a framed stream and the headers it gave, or the error.
    struct Outcome: Equatable {
        var canonical: [UInt8] = []
        var headers: [String] = []
        var failed = false
    }

    /// Reads `framed` as a digesting pass does: transcodable kinds by their bytes (as headers
    /// when `headers`, else whole), the rest decoded and re-encoded.
    static func transcoded(_ framed: [UInt8], headers: Bool) -> Outcome { read(framed, transcoding: true, headers: headers) }

    /// Reads `framed` as `verify` does: each record first offered to the light path
    /// (`decodeLight`: headers and bars as values, and fills too when `fills`), which leaves what
    /// it does not take to `decode`.
    static func light(_ framed: [UInt8], skipping: KindSet = KindSet(), fills: Bool = false) -> Outcome {
        read(framed, transcoding: true, headers: true, light: true, skipping: skipping, fills: fills)
    }

    /// The reference: every record decoded whole and re-encoded (`fills`: each fill noted with its value).
    static func reference(_ framed: [UInt8], skipping: KindSet = KindSet(), fills: Bool = false) -> Outcome {
        read(framed, transcoding: false, headers: false, skipping: skipping, fills: fills)
    }

    /// `skipping`: kinds passed over, each noted with its place as a reader would learn of it.
    /// `fills`: every fill noted with its value, read as one (light) or whole.
    private static func read(_ framed: [UInt8], transcoding: Bool, headers: Bool, light: Bool = false,
                             skipping: KindSet = KindSet(), fills: Bool = false) -> Outcome {
        let decoder = RecordDecoder(canonical: false)
        decoder.skipping = skipping
        if headers { decoder.headersOnly = RecordTranscoder.kindSet }
        decoder.barsAsValues = light
        decoder.fillsAsValues = light && fills
        let out = ByteBuffer()
        if transcoding { decoder.transcodeInto = out }
        let encoder = RecordEncoder(canonical: true)
        var outcome = Outcome()
        var lightHeaders: [StoredHeader] = []
        var lightBars: [LoggedBar] = []
        var lightFills: [LoggedFill] = []
        framed.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            do throws(RecordError) {
                while !r.isAtEnd {
                    if light {
                        switch decoder.decodeLight(&r, out: out, canonicalToo: true, headers: &lightHeaders, bars: &lightBars,
                                                   fills: &lightFills) {
                        case .header:
                            let h = lightHeaders[lightHeaders.count - 1].header(sequence: decoder.eventSequence)
                            outcome.headers.append(describe(h.kind, h.sequence, h.timestamp, h.symbol))
                            continue
                        case .bar:
                            let b = lightBars[lightBars.count - 1]
                            outcome.headers.append(describe(.bar, b.sequence, b.timestamp, b.bar.symbol))
                            continue
                        case .fill:
                            let f = lightFills[lightFills.count - 1]
                            outcome.headers.append(describe(.fill, f.sequence, f.timestamp, f.fill.symbol) + " \(f.fill)")
                            continue
                        case .skipped:
                            outcome.headers.append("skipped \(decoder.eventSequence) \(decoder.eventTimestamp)")
                            continue
                        case .otherSymbol:
                            Issue.record("no symbol left out while canonical records are made")
                            continue
                        case .other:
                            break
                        }
                    }
                    switch try decoder.decode(&r) {
                    case .event(let e):
                        if !decoder.canonicalWritten { encoder.encode(e, into: out) }
                        var described = describe(e.kind, e.sequence, e.timestamp, e.payload.symbol)
                        if fills, case .fill(let f) = e.payload { described += " \(f)" }
                        outcome.headers.append(described)
                    case .header(let h):
                        outcome.headers.append(describe(h.kind, h.sequence, h.timestamp, h.symbol))
                    case .skipped(let sequence, let timestamp):
                        outcome.headers.append("skipped \(sequence) \(timestamp.rawValue)")
                    default:
                        continue
                    }
                }
            } catch {
                outcome.failed = true
            }
        }
        outcome.canonical = Array(out.bytes)
        return outcome
    }

    static func describe(_ kind: EventKind, _ sequence: UInt64, _ timestamp: Timestamp, _ symbol: SymbolID?) -> String {
        "\(kind.name) \(sequence) \(timestamp.rawValue) \(symbol.map { String($0.rawValue) } ?? "-")"
    }

    /// One event's framed record (with the string definitions it needs first), and where the
    /// event's own record begins.
    static func framed(_ event: Event) -> (bytes: [UInt8], recordStart: Int) {
        let encoder = RecordEncoder(canonical: false)
        let frame = ByteBuffer()
        encoder.encode(event, into: frame)
        let bytes = Array(frame.bytes)
        var start = 0
        while true {
            let (length, size) = varint(bytes, at: start)
            if start + size + Int(length) >= bytes.count { return (bytes, start) }
            start += size + Int(length)
        }
    }

    /// A varint's value and size at `at` (test inputs are well formed there).
    static func varint(_ bytes: [UInt8], at: Int) -> (UInt64, Int) {
        var value: UInt64 = 0
        var i = 0
        while true {
            let b = bytes[at + i]
            value |= UInt64(b & 0x7F) << (7 * UInt64(i))
            i += 1
            if b < 0x80 { return (value, i) }
        }
    }

    static func varintBytes(_ v: UInt64) -> [UInt8] {
        let b = ByteBuffer()
        b.appendVarint(v)
        return Array(b.bytes)
    }

    /// `sound` with one byte flipped, inserted or deleted, and where.
    static func damaged(_ sound: [UInt8], using gen: inout EventGenerator) -> ([UInt8], Int) {
        var bytes = sound
        let at = Int.random(in: 0..<bytes.count, using: &gen.rng)
        switch Int.random(in: 0..<3, using: &gen.rng) {
        case 0: bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &gen.rng)
        case 1: bytes.insert(UInt8.random(in: 0...255, using: &gen.rng), at: at)
        default: bytes.remove(at: at)
        }
        return (bytes, at)
    }

    static func lengthPrefixed(_ body: [UInt8]) -> [UInt8] {
        let b = ByteBuffer()
        b.appendVarint(UInt64(body.count))
        b.append(body)
        return Array(b.bytes)
    }

    @Test("sound records of every transcodable kind: the same bytes as the full decode, headers or whole",
          arguments: RecordTranscoder.kinds.sorted { $0.rawValue < $1.rawValue })
    func soundRecords(kind: EventKind) {
        var gen = EventGenerator(seed: UInt64(kind.rawValue) &* 6_700_417, symbolCount: 1 << 20)
        for i in 0..<3_000 {
            let event = Event(sequence: gen.uint64() >> 1, timestamp: gen.time(), payload: gen.payload(kind))
            let (bytes, _) = Self.framed(event)
            let expected = Self.reference(bytes)
            #expect(!expected.failed)
            #expect(Self.transcoded(bytes, headers: true) == expected, "case \(i) of \(kind.name)")
            #expect(Self.transcoded(bytes, headers: false) == expected, "case \(i) of \(kind.name), whole")
            #expect(Self.light(bytes) == expected, "case \(i) of \(kind.name), light")
            #expect(Self.light(bytes, fills: true) == Self.reference(bytes, fills: true), "case \(i) of \(kind.name), light, fills as values")
        }
    }

    @Test("bars, whose framed records are deltas: the decoder's canonical records equal the encoder's over a whole frame")
    func bars() {
        var gen = EventGenerator(seed: 977, symbolCount: 40)
        let encoder = RecordEncoder(canonical: false)
        let frame = ByteBuffer()
        for i in 0..<5_000 {
            let kind: EventKind = i % 7 == 3 ? .fill : .bar
            encoder.encode(Event(sequence: UInt64(i), timestamp: gen.time(), payload: gen.payload(kind)), into: frame)
        }
        let bytes = Array(frame.bytes)
        let expected = Self.reference(bytes)
        #expect(!expected.failed && expected.headers.count == 5_000)
        #expect(Self.transcoded(bytes, headers: true) == expected)
        #expect(Self.transcoded(bytes, headers: false) == expected)
        #expect(Self.light(bytes) == expected)
        let withFills = Self.reference(bytes, fills: true)
        #expect(withFills.headers.filter { $0.hasPrefix("fill ") }.count == 714)
        #expect(Self.light(bytes, fills: true) == withFills)
    }

    @Test("bars, fills and signals with a byte damaged, taken by the light path: the same records, bytes or failure as the full decode")
    func damagedBarFrames() {
        var gen = EventGenerator(seed: 4_099, symbolCount: 60)
        let encoder = RecordEncoder(canonical: false)
        let frame = ByteBuffer()
        for i in 0..<400 {
            let kind: EventKind = i % 5 == 2 ? .fill : (i % 7 == 4 ? .signal : .bar)
            encoder.encode(Event(sequence: UInt64(i), timestamp: gen.time(), payload: gen.payload(kind)), into: frame)
        }
        let sound = Array(frame.bytes)
        #expect(Self.light(sound) == Self.reference(sound))
        #expect(Self.light(sound, fills: true) == Self.reference(sound, fills: true))
        var failed = 0
        for i in 0..<2_000 {
            let (bytes, at) = Self.damaged(sound, using: &gen)
            let expected = Self.reference(bytes)
            if expected.failed { failed += 1 }
            #expect(Self.light(bytes) == expected, "case \(i): byte \(at)")
            #expect(Self.light(bytes, fills: true) == Self.reference(bytes, fills: true), "case \(i): byte \(at), fills as values")
        }
        // Both kinds of outcome were compared: damage that still reads, and damage that does not.
        #expect(failed > 100 && failed < 1_900)
    }

    @Test("kinds passed over, taken by the light path from a damaged frame: the same records, places, bytes or failure as the full decode",
          arguments: [[EventKind.fill], [.bar], [.signal, .bar]])
    func damagedFramesSkipping(kept: [EventKind]) {
        var gen = EventGenerator(seed: 8_191, symbolCount: 60)
        let encoder = RecordEncoder(canonical: false)
        let frame = ByteBuffer()
        for i in 0..<400 {
            let kind: EventKind = i % 5 == 2 ? .fill : (i % 7 == 4 ? .signal : (i % 11 == 6 ? .plannedTrade : .bar))
            encoder.encode(Event(sequence: UInt64(i), timestamp: gen.time(), payload: gen.payload(kind)), into: frame)
        }
        let skipping = KindSet(allBut: Set(kept))
        let sound = Array(frame.bytes)
        let expected = Self.reference(sound, skipping: skipping)
        #expect(!expected.failed && expected.headers.count == 400)
        #expect(expected.headers.contains { $0.hasPrefix("skipped") })
        #expect(Self.light(sound, skipping: skipping) == expected)
        var failed = 0
        for i in 0..<2_000 {
            let (bytes, at) = Self.damaged(sound, using: &gen)
            let expected = Self.reference(bytes, skipping: skipping)
            if expected.failed { failed += 1 }
            #expect(Self.light(bytes, skipping: skipping) == expected, "case \(i): byte \(at)")
            #expect(Self.light(bytes, skipping: skipping, fills: true) == Self.reference(bytes, skipping: skipping, fills: true),
                    "case \(i): byte \(at), fills as values")
        }
        #expect(failed > 100 && failed < 1_900)
    }

    @Test("damaged and hand-made records: the same bytes or the same failure as the full decode",
          arguments: RecordTranscoder.kinds.sorted { $0.rawValue < $1.rawValue })
    func mutatedRecords(kind: EventKind) {
        var gen = EventGenerator(seed: UInt64(kind.rawValue) &* 2_147_483_647, symbolCount: 4_000)
        var accepted = 0
        for i in 0..<3_000 {
            let event = Event(sequence: gen.uint64() >> 1, timestamp: gen.time(), payload: gen.payload(kind))
            let (bytes, start) = Self.framed(event)
            // The event's record body, after its length; mutated past the kind byte, then re-prefixed.
            var body = Array(bytes[(start + Self.varint(bytes, at: start).1)...])
            let at = Int.random(in: 1..<max(2, body.count), using: &gen.rng)
            switch Int.random(in: 0..<5, using: &gen.rng) {
            case 0: if at < body.count { body[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &gen.rng) }
            case 1: body.insert(UInt8.random(in: 0...255, using: &gen.rng), at: min(at, body.count))
            case 2: if at < body.count { body.remove(at: at) }
            case 3: body.insert(contentsOf: [0x80 | UInt8.random(in: 0...127, using: &gen.rng), 0x00].prefix(Int.random(in: 1...2, using: &gen.rng)), at: min(at, body.count))
            default: body.append(UInt8.random(in: 0...255, using: &gen.rng))
            }
            var definitions = Array(bytes[..<start])
            // Sometimes a string definition's bytes instead: invalid UTF-8 must be spelled as the
            // decoded `String` spells it (replacement characters), not copied.
            if definitions.count > 2, Int.random(in: 0..<4, using: &gen.rng) == 0 {
                definitions[Int.random(in: 2..<definitions.count, using: &gen.rng)] = [0xFF, 0xC3, 0x80, 0x00].randomElement(using: &gen.rng)!
                body = Array(bytes[(start + Self.varint(bytes, at: start).1)...])
            }
            let mutated = definitions + Self.lengthPrefixed(body)
            let expected = Self.reference(mutated)
            if !expected.failed { accepted += 1 }
            #expect(Self.transcoded(mutated, headers: true) == expected, "case \(i) of \(kind.name): \(mutated)")
            #expect(Self.transcoded(mutated, headers: false) == expected, "case \(i) of \(kind.name), whole: \(mutated)")
            #expect(Self.light(mutated) == expected, "case \(i) of \(kind.name), light: \(mutated)")
            #expect(Self.light(mutated, fills: true) == Self.reference(mutated, fills: true), "case \(i) of \(kind.name), light, fills as values")
        }
        // Most mutations still decode (a flipped bit in a value): the equal bytes were checked, not only failures.
        #expect(accepted > 500)
    }

    @Test("a padded varint, a decimal off its own exponent and a trailing byte are read, and canonicalised as the full decode does")
    func notTheWritersForm() {
        let kind = EventKind.targetPosition.rawValue
        let weight: [UInt8] = [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]  // 1.0
        let cases: [[UInt8]] = [
            [kind, 0, 0, 0x83, 0x00, 0x20 | 2] + weight,  // symbol 3 padded to two bytes; quantity 1 × 10^2
            [kind, 0, 0, 3] + Self.varintBytes(200 << 4) + weight,  // quantity 100 as (q 100, k 0): the writer says (q 1, k 2)
            [kind, 0, 0, 3, 0x0E] + weight,               // zero at the cap: the writer's own form
            [kind, 0, 0, 3, 0x00] + weight,               // zero at k 0
            [kind, 0, 0, 3, 0x20 | 2] + weight + [7],     // a trailing byte a newer writer might add
        ]
        for (i, body) in cases.enumerated() {
            let framed = Self.lengthPrefixed(body)
            let expected = Self.reference(framed)
            #expect(!expected.failed, "case \(i)")
            #expect(Self.transcoded(framed, headers: true) == expected, "case \(i)")
            #expect(Self.light(framed) == expected, "case \(i), light")
        }
        // Only the writer's own form is copied: the others take the full decode.
        let decoder = RecordDecoder(canonical: false)
        decoder.headersOnly = RecordTranscoder.kindSet
        decoder.transcodeInto = ByteBuffer()
        for (i, body) in cases.enumerated() {
            decoder.reset()
            let framed = Self.lengthPrefixed(body)
            let record = framed.withUnsafeBytes { raw in
                var r = ByteReader(raw)
                return try? decoder.decode(&r)
            }
            let copied: Bool = if case .header? = record { true } else { false }
            #expect(copied == (i == 2), "case \(i)")
        }
    }
}
