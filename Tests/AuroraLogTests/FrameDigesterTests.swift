import Testing
@testable import AuroraLog
import AuroraModel

/// The write-behind digest and `replay`'s decisions digest take a frame's canonical records from
/// its framed bytes (`FrameDigester`): they must be exactly the records the canonical encoder makes
/// of each event, in order, however the bars come (read back, given by the writer, or skipped).
@Suite("Frame digester")
struct FrameDigesterTests {
    /// A frame of every kind, bars most often, and its events; with what a writer digesting behind
    /// hands over with it: its bars' canonical records and where its payloads name strings.
    static func frame(seed: UInt64) -> (framed: [UInt8], events: [Event], bars: [UInt8], names: NameList) {
        var gen = EventGenerator(seed: seed, symbolCount: 50)
        let encoder = RecordEncoder(canonical: false)
        let frame = ByteBuffer(), bars = ByteBuffer()
        var names = NameList()
        var events: [Event] = []
        for i in 0..<3_000 {
            let kind: EventKind = Int.random(in: 0..<10, using: &gen.rng) < 4 ? .bar : gen.pick(EventKind.self)
            let event = Event(sequence: UInt64(i), timestamp: gen.time(), payload: gen.payload(kind))
            encoder.encode(event, into: frame)
            if case .bar(let b) = event.payload {
                appendCanonicalBarRecord(sequence: event.sequence, timestamp: event.timestamp.rawValue, b, to: bars)
            } else {
                encoder.appendLastNames(frameEnd: frame.count, to: &names)
            }
            events.append(event)
        }
        return (Array(frame.bytes), events, Array(bars.bytes), names)
    }

    static func canonical(_ events: [Event]) -> [UInt8] {
        let encoder = RecordEncoder(canonical: true)
        let out = ByteBuffer()
        for e in events { encoder.encode(e, into: out) }
        return Array(out.bytes)
    }

    @Test("every kind, bars read back, given by the writer, or skipped with the inputs", arguments: [3 as UInt64, 17, 92_821])
    func sameRecords(seed: UInt64) throws {
        let (framed, events, givenBars, _) = Self.frame(seed: seed)
        #expect(Set(events.map(\.kind)).count == EventKind.allCases.count)
        try framed.withUnsafeBytes { raw in
            try givenBars.withUnsafeBytes { bars in
                let expected = Self.canonical(events)
                let read = ByteBuffer(), given = ByteBuffer(), decisions = ByteBuffer()
                let digester = FrameDigester()
                try digester.canonical(frame: raw, into: read)
                try digester.canonical(frame: raw, bars: bars, into: given)
                #expect(read.array == expected)
                #expect(given.array == expected)
                try FrameDigester(decisionsOnly: true).canonical(frame: raw, into: decisions)
                #expect(decisions.array == Self.canonical(events.filter { !$0.kind.isInput }))
                // Fewer bars given than the frame holds: refused, not hashed short.
                let short = UnsafeRawBufferPointer(rebasing: bars[..<(bars.count - 10)])
                #expect(throws: RecordError.self) { try digester.canonical(frame: raw, bars: short, into: ByteBuffer()) }
            }
        }
    }

    @Test("a frame this writer encoded, copied unread with the encoder's own string places: the same records; places or bars that do not fit are refused", arguments: [5 as UInt64, 23])
    func ownFrame(seed: UInt64) throws {
        let (framed, events, bars, names) = Self.frame(seed: seed)
        #expect(names.count > 100)
        // A place past the frame's last record (the account and the frame do not fit together).
        // (A place left out cannot be seen: these records are copied on the encoder's word.)
        var extra = names
        extra.append((start: Int.max - 1, end: Int.max, id: 0))
        let digester = FrameDigester()
        try framed.withUnsafeBytes { raw in
            try bars.withUnsafeBytes { given in
                let copied = ByteBuffer()
                try digester.canonical(ownFrame: raw, bars: given, names: names, into: copied)
                #expect(copied.array == Self.canonical(events))
                #expect(throws: RecordError.self) { try digester.canonical(ownFrame: raw, bars: given, names: extra, into: ByteBuffer()) }
                let short = UnsafeRawBufferPointer(rebasing: given[..<(given.count - 10)])
                #expect(throws: RecordError.self) { try digester.canonical(ownFrame: raw, bars: short, names: names, into: ByteBuffer()) }
                // Hashing: nothing of a frame that does not fit, the records of one that does.
                let hasher = SHA256Hasher(), expected = SHA256Hasher()
                #expect(throws: RecordError.self) { try digester.add(ownFrame: raw, bars: given, names: extra, to: hasher) }
                try digester.add(ownFrame: raw, bars: given, names: names, to: hasher)
                Self.canonical(events).withUnsafeBytes { expected.update($0) }
                #expect(hasher.digest() == expected.digest())
            }
        }
    }
}
