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
    private var headers: [EventHeader] = []
    private var barValues: [LoggedBar] = []
    /// Never written: this decoder does not take fills as values.
    private var fillValues: [LoggedFill] = []

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
            guard let bars, barAt < bars.count, barAt + 1 + Int(bars[barAt]) <= bars.count else {
                throw .malformed("the frame holds more bars than the writer gave canonical records for")
            }
            let end = barAt + 1 + Int(bars[barAt])
            batch.append(UnsafeRawBufferPointer(rebasing: bars[barAt..<end]))
            barAt = end
        }
        while !r.isAtEnd {
            // Bars and most other records the light way (no `DecodedRecord` made, no optional
            // buffer unwrapped per record); the rest take the full decode.
            switch decoder.decodeLight(&r, out: batch, canonicalToo: true, headers: &headers, bars: &barValues, fills: &fillValues) {
            case .header:
                if headers.count >= 1024 { headers.removeAll(keepingCapacity: true) }
            case .bar:
                if barValues.count >= 1024 { barValues.removeAll(keepingCapacity: true) }
            case .fill:
                assertionFailure("a digester's decoder does not take fills as values")
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
