import AuroraModel

/// Hashes a frame's records as canonical records, from the frame's bytes: the write-behind
/// thread digests each frame it writes this way, so the kernel's thread adds nothing to the digest
/// itself. The same bytes reach the hash in the same order as when the writer encodes each event
/// canonically as it appends it (tested one thread against two).
final class FrameDigester {
    private let decoder = RecordDecoder(canonical: false)
    private let encoder = RecordEncoder(canonical: true)
    private let batch = ByteBuffer(capacity: 1 << 16)
    private let decisionsOnly: Bool
    /// Where `decodeLight` puts the headers of what it transcodes and the bars it reads (neither
    /// used here: their canonical records are; cleared now and then).
    private var headers: [StoredHeader] = []
    private var barValues: [LoggedBar] = []
    /// Never written: this decoder does not take fills as values.
    private var fillValues: [LoggedFill] = []
    /// For `canonical(ownFrame:…)`: the frame's strings as spelled.
    private let spellings = StringSpellings()

    /// `decisionsOnly`: inputs are skipped by their length, never built or hashed (a replay's
    /// decisions digest).
    init(decisionsOnly: Bool = false) {
        self.decisionsOnly = decisionsOnly
        if decisionsOnly { decoder.skipping = KindSet(allBut: Set(EventKind.allCases.filter { !$0.isInput })) }
        // Nothing here needs an event's value: what can be copied to canonical is.
        decoder.headersOnly = RecordTranscoder.kindSet
        decoder.transcodeInto = batch
    }

    /// `bars`: the frame's bars' canonical records, in order, when the writer made them as it
    /// appended (it holds each bar as a value; decoding them again here would cost more).
    func add(frame raw: UnsafeRawBufferPointer, bars: UnsafeRawBufferPointer? = nil, to hasher: SHA256Hasher) throws(RecordError) {
        try canonical(frame: raw, bars: bars) { hasher.update($0.bytes) }
    }

    /// The frame's canonical records, all of them, into `out` (to be hashed later, in order).
    func canonical(frame raw: UnsafeRawBufferPointer, bars: UnsafeRawBufferPointer? = nil, into out: ByteBuffer) throws(RecordError) {
        try canonical(frame: raw, bars: bars) { out.append($0.bytes) }
    }

    /// The canonical records of a frame this process's writer encoded, hashed: `bars` holds its
    /// bars' canonical records and `names` where its payloads name strings, in order (the
    /// encoder's own account, `RecordEncoder.appendLastNames`). Every other record is copied with
    /// its header made absolute and its strings spelled, its payload never read: the bytes are the
    /// encoder's, so there is nothing to check in them, where a frame read from a file is checked
    /// field by field (`add(frame:bars:to:)`). Throws, hashing nothing of the frame, if the
    /// frame, bars and names do not fit together; a place left out of `names` could not be seen,
    /// which is why only the writer's own account is taken.
    func add(ownFrame raw: UnsafeRawBufferPointer, bars: UnsafeRawBufferPointer, names: NameList, to hasher: SHA256Hasher) throws(RecordError) {
        batch.removeAll()
        try canonical(ownFrame: raw, bars: bars, names: names, into: batch)
        hasher.update(batch.bytes)
    }

    /// The same, into `out`.
    func canonical(ownFrame raw: UnsafeRawBufferPointer, bars: UnsafeRawBufferPointer, names: NameList, into out: ByteBuffer) throws(RecordError) {
        spellings.removeAll()
        var r = ByteReader(raw)
        var previousSequence: UInt64 = .max
        var previousTimestamp: Int64 = 0
        var barAt = 0
        var nameAt = 0
        while !r.isAtEnd {
            let length = try r.readVarint()
            guard length <= UInt64(r.remaining) else { throw .truncated }
            let start = r.position
            let end = start + Int(length)
            var body = try r.subReader(Int(length))
            let kind = try body.readVarint()
            if kind == 0 {
                spellings.add(body.rest.assumingMemoryBound(to: UInt8.self))
                continue
            }
            let sequence = previousSequence &+ 1 &+ (try body.readVarint())
            let timestamp = previousTimestamp &+ (try body.readZigzag())
            previousSequence = sequence
            previousTimestamp = timestamp
            if kind == UInt64(EventKind.bar.rawValue) {
                try Self.copyGivenBar(bars, at: &barAt, to: out)
                continue
            }
            let firstName = nameAt
            while nameAt < names.count, names[nameAt].start < end {
                let name = names[nameAt]
                guard name.start >= start + body.position, name.end <= end, name.id < spellings.count else {
                    throw .malformed("a string the writer named outside its record or before defining it")
                }
                nameAt += 1
            }
            spellings.appendRecord(kind: kind, sequence: sequence, timestamp: timestamp, payload: UnsafeRawBufferPointer(rebasing: raw[0..<end]),
                                   from: start + body.position, names: names, firstName..<nameAt, to: out)
        }
        guard barAt == bars.count, nameAt == names.count else {
            throw .malformed("the writer gave canonical records or string places the frame does not hold")
        }
    }

    /// Copies the next of the canonical bar records the writer gave (one length byte, a bar's
    /// being under 128, then the record) from `at` to `out`.
    @inline(__always)
    private static func copyGivenBar(_ bars: UnsafeRawBufferPointer, at: inout Int, to out: ByteBuffer) throws(RecordError) {
        guard at < bars.count, at + 1 + Int(bars[at]) <= bars.count else {
            throw .malformed("the frame holds more bars than the writer gave canonical records for")
        }
        let end = at + 1 + Int(bars[at])
        out.append(UnsafeRawBufferPointer(rebasing: bars[at..<end]))
        at = end
    }

    private func canonical(frame raw: UnsafeRawBufferPointer, bars: UnsafeRawBufferPointer?, _ take: (ByteBuffer) -> Void) throws(RecordError) {
        decoder.reset()
        batch.removeAll()
        // A decisions digest skips every bar, so none needs the delta context of the bars before it.
        decoder.skipsBarPayloads = bars != nil || decisionsOnly
        decoder.barsAsValues = !decoder.skipsBarPayloads
        var r = ByteReader(raw)
        var barAt = 0
        /// A record passed over: a decisions digest's input or bar, or else a bar the writer gave the
        /// canonical record of (nothing else is skipped then), the next given: one length byte (a
        /// bar's is under 128) and the record.
        func passedOver() throws(RecordError) {
            guard !decisionsOnly else { return }
            guard let bars else { throw .malformed("the frame holds more bars than the writer gave canonical records for") }
            try Self.copyGivenBar(bars, at: &barAt, to: batch)
        }
        while !r.isAtEnd {
            // Bars and most other records the light way (no `DecodedRecord` made, no optional
            // buffer unwrapped per record); the rest take the full decode.
            switch decoder.decodeLight(&r, out: batch, canonicalToo: true, headers: &headers, bars: &barValues, fills: &fillValues) {
            case .header:
                if headers.count >= 1024 { headers.removeAll(keepingCapacity: true) }
            case .bar:
                if barValues.count >= 1024 { barValues.removeAll(keepingCapacity: true) }
            case .fill, .otherSymbol:
                assertionFailure("a digester's decoder takes neither fills as values nor only some symbols' bars")
            case .skipped:
                try passedOver()
            case .other:
                switch try decoder.decode(&r) {
                case .event(let event): if !decoder.canonicalWritten { encoder.encode(event, into: batch) }
                case .header: break
                case .stringDefinition: continue
                // The light path passes over every record `decode` would skip; this says the same.
                case .skipped where decoder.skipsBarPayloads: try passedOver()
                case .unknown, .skipped, .headers, .bars, .fills: throw .malformed("a record the writer cannot have written")
                }
            }
            if batch.count >= 1 << 16 {
                take(batch)
                batch.removeAll()
            }
        }
        if let bars, decoder.skipsBarPayloads, barAt != bars.count {
            throw .malformed("the writer gave canonical records for bars the frame does not hold")
        }
        take(batch)
    }
}
