import AuroraModel

/// What one record turned out to be.
enum DecodedRecord: Sendable {
    case event(Event)
    /// A string definition (framed streams only); already added to the decoder's table.
    case stringDefinition
    /// A kind this version does not know: skipped by its length, header kept for sequence checks.
    case unknown(kind: UInt64, sequence: UInt64, timestamp: Timestamp)
    /// A kind the reader asked not to see (`RecordDecoder.skipping`): header only, payload not built.
    case skipped(sequence: UInt64, timestamp: Timestamp)
    /// A kind asked for as headers only (`RecordDecoder.headersOnly`): its canonical record is
    /// already written, its payload never built. `FrameDecoder` gathers these as `headers`.
    case header(EventHeader)
    /// A run of such headers, in order, at these places of the frame's header array; the first
    /// is event `firstSequence`.
    case headers(Range<Int>, firstSequence: UInt64)
    /// A run of bars read as values (`RecordDecoder.decodeLight`), in order, at these places of
    /// the frame's bar array.
    case bars(Range<Int>)
    /// A run of fills read as values (`RecordDecoder.fillsAsValues`), at these places of the
    /// frame's fill array.
    case fills(Range<Int>)
}

/// What `RecordDecoder.decodeLight` did with a record: appended it to the headers or the bars,
/// passed over it (a kind not asked for, or a bar whose payload no one needs), passed over a bar
/// of a symbol the load does not keep (`barSymbols`: nothing of it is handed on, not even that it
/// came, so the bars either side stay one run), or left it for `decode`.
enum LightRecord {
    case header, bar, fill, skipped, otherSymbol, other
}

/// The symbols (by log id) whose bars a load keeps: fixed once made, and shared by the threads
/// decoding ahead.
final class SymbolMask: Sendable {
    private let kept: [Bool]

    init(_ ids: Set<SymbolID>) {
        var kept = [Bool](repeating: false, count: (ids.map { Int($0.rawValue) }.max() ?? -1) + 1)
        for id in ids { kept[Int(id.rawValue)] = true }
        self.kept = kept
    }

    @inline(__always) func contains(_ id: UInt64) -> Bool { id < UInt64(kept.count) && kept[Int(id)] }
}

/// A bar as a log holds it: the bar, its sequence and its time.
public struct LoggedBar: Sendable {
    public var bar: Bar
    public var sequence: UInt64
    public var timestamp: Timestamp
}

/// A fill as a log holds it: the fill, its sequence and its time.
public struct LoggedFill: Sendable {
    public var fill: Fill
    public var sequence: UInt64
    public var timestamp: Timestamp
}

/// Decodes records written by `RecordEncoder` with the same (framed or canonical) context rules.
final class RecordDecoder {
    let canonical: Bool
    private var previousSequence: UInt64 = .max
    private var previousTimestamp: Int64 = 0
    private(set) var eventTimestamp: Int64 = 0
    /// The sequence of the last record decoded that was not a string definition (its time is
    /// `eventTimestamp`): read by the frame checks without looking into the record.
    private(set) var eventSequence: UInt64 = 0
    var previousBarSymbol: UInt32 = 0
    let lastClose = SymbolTable64()
    private var strings: [String] = []
    /// Each frame string's canonical spelling (as the decoded `String` spells it), by id, kept
    /// while transcoding: a record naming a string is copied with the spelling put in.
    let spellings = StringSpellings()
    var stringCount: Int { strings.count }
    /// Scratch for `transcode`: where the payload names strings.
    var stringRefs = NameList()
    /// Kinds whose payloads are not built. Bars are still read, for the delta context of the
    /// bars after them.
    var skipping = KindSet()
    /// Kinds returned as headers when their payload transcodes (`RecordTranscoder`), their
    /// canonical records appended to `transcodeInto`; the others are decoded as usual.
    var headersOnly = KindSet()
    /// Where records of transcodable kinds get their canonical bytes copied (and bars theirs
    /// written from the bar just read); `canonicalWritten` says the last record decoded got them
    /// there (whole or header).
    var transcodeInto: ByteBuffer?
    private(set) var canonicalWritten = false
    /// `decodeLight` takes bars as values, never built as events (a reader loading bars by the
    /// hundred thousand); `decode` reads only those it leaves, which do not read at all.
    var barsAsValues = false
    /// Bars come as `.skipped`, their payloads not even read, as no bar after them needs their
    /// delta context: a frame decoder that skips bars, or a digester given their canonical
    /// records by the writer. (A bar skipped without it is still read, for that context.)
    var skipsBarPayloads = false
    /// `decodeLight` also takes fills as values, with their canonical records (a pass that folds
    /// the portfolio and digests: `verify`), never built as events.
    var fillsAsValues = false
    /// With `barsAsValues` and no canonical records made: the only symbols whose bars are read.
    /// Another symbol's bar is passed over once its symbol is known (the delta context of later
    /// bars needs nothing else of it: closes are kept per symbol).
    var barSymbols: SymbolMask?

    /// `RecordTranscoder.kindSet`, held here: a static's lazy initialisation is checked on every
    /// access (`swift_once`), once per record on a full pass.
    private let transcodable = RecordTranscoder.kindSet

    /// Symbol ids above this are refused rather than sizing per-symbol state after them.
    static let maxSymbols = 1 << 24

    init(canonical: Bool) { self.canonical = canonical }

    func reset() {
        previousSequence = .max
        previousTimestamp = 0
        previousBarSymbol = 0
        lastClose.zero()
        strings.removeAll(keepingCapacity: true)
        spellings.removeAll()
    }

    func decode(_ reader: inout ByteReader) throws(RecordError) -> DecodedRecord {
        // Only a transcoding decoder ever sets it.
        if canonicalWritten { canonicalWritten = false }
        let length = try reader.readVarint()
        guard length <= UInt64(reader.remaining) else { throw .truncated }
        var r = try reader.subReader(Int(length))
        let kindCode = try r.readVarint()
        if kindCode == 0 {
            guard !canonical else { throw .malformed("string definition in a canonical record") }
            let utf8 = try r.readBytes(r.remaining)
            var string = String(decoding: utf8, as: UTF8.self)
            strings.append(string)
            if transcodeInto != nil { string.withUTF8 { spellings.add($0) } }
            return .stringDefinition
        }
        let sequence: UInt64
        let timestamp: Int64
        if canonical && kindCode == UInt64(EventKind.bar.rawValue) {
            sequence = try r.readLittleEndian(UInt64.self)
            timestamp = try r.readLittleEndian(Int64.self)
        } else if canonical {
            sequence = try r.readVarint()
            timestamp = try r.readZigzag()
        } else {
            sequence = previousSequence &+ 1 &+ (try r.readVarint())
            timestamp = previousTimestamp &+ (try r.readZigzag())
            previousSequence = sequence
            previousTimestamp = timestamp
        }
        eventTimestamp = timestamp
        eventSequence = sequence
        if kindCode == UInt64(EventKind.bar.rawValue) {
            // Most records are bars: skip the generic payload switch.
            if skipsBarPayloads { return .skipped(sequence: sequence, timestamp: Timestamp(rawValue: timestamp)) }
            let bar = try decodeBar(&r)
            if skipping.contains(kindCode) || transcodeInto == nil && !(barSymbols?.contains(UInt64(bar.symbol.rawValue)) ?? true) {
                return .skipped(sequence: sequence, timestamp: Timestamp(rawValue: timestamp))
            }
            if let out = transcodeInto {
                appendCanonicalBarRecord(sequence: sequence, timestamp: timestamp, bar, to: out)
                canonicalWritten = true
            }
            return .event(Event(sequence: sequence, timestamp: Timestamp(rawValue: timestamp), payload: .bar(bar)))
        }
        guard kindCode <= UInt64(UInt8.max), let kind = EventKind(rawValue: UInt8(kindCode)) else {
            return .unknown(kind: kindCode, sequence: sequence, timestamp: Timestamp(rawValue: timestamp))
        }
        if skipping.contains(kindCode) { return .skipped(sequence: sequence, timestamp: Timestamp(rawValue: timestamp)) }
        if let out = transcodeInto, transcodable.contains(kindCode),
           let header = transcode(kind, code: kindCode, payload: r.rest, sequence: sequence, timestamp: timestamp, into: out) {
            if headersOnly.contains(kindCode) { return .header(header.header(sequence: sequence)) }
            // Wanted whole: decoded below, its canonical record already made from the bytes.
            canonicalWritten = true
        }
        // Trailing bytes after the fields this version knows are newer optional fields: ignored.
        let payload = try decodePayload(kind, &r)
        return .event(Event(sequence: sequence, timestamp: Timestamp(rawValue: timestamp), payload: payload))
    }

    /// The bulk of a pass that takes bars as values and some kinds as headers (`verify`, `info`,
    /// loading bars): such a record goes straight into `bars`, `fills` (`fillsAsValues`) or
    /// `headers`, its canonical record into `out`, with no `DecodedRecord` made, copied and
    /// destroyed (which cost `verify` an eighth of its time); a record of a kind not asked for
    /// (`skipping`, bars aside) or a bar whose payload no one needs (`skipsBarPayloads`) is passed
    /// over. `out` is written only when `canonicalToo`: a non-optional buffer, as unwrapping an
    /// optional one cost a retain and a release per record. Anything else — a string definition, a
    /// kind wanted whole, a payload that does not transcode, a record that does not read — returns
    /// `.other` with the reader and the decoder as they were, for `decode` to read: the two paths
    /// give the same values, bytes and errors.
    @inline(__always)
    func decodeLight(_ reader: inout ByteReader, out: ByteBuffer, canonicalToo: Bool, headers: inout [StoredHeader],
                     bars: inout [LoggedBar], fills: inout [LoggedFill]) -> LightRecord {
        guard !canonical else { return .other }
        do throws(RecordError) {
            var r = reader
            let length = try r.readVarint()
            guard length <= UInt64(r.remaining) else { return .other }
            var body = try r.subReader(Int(length))
            let kindCode = try body.readVarint()
            let isBar = kindCode == UInt64(EventKind.bar.rawValue)
            // A bar is passed over only when no bar needs its delta context (`skipsBarPayloads`);
            // one skipped without it is read by `decode`.
            let skipped = isBar ? skipsBarPayloads : skipping.contains(kindCode)
            var isFill = false
            if isBar {
                guard skipped || (barsAsValues && !skipping.contains(kindCode)) else { return .other }
            } else if !skipped {
                guard canonicalToo else { return .other }
                isFill = fillsAsValues && kindCode == UInt64(EventKind.fill.rawValue)
                guard isFill || headersOnly.contains(kindCode) else { return .other }
            }
            let sequence = previousSequence &+ 1 &+ (try body.readVarint())
            let timestamp = previousTimestamp &+ (try body.readZigzag())
            var otherSymbol = false
            if isBar && !skipped, !canonicalToo, let barSymbols {
                var peek = body
                let s = UInt64(bitPattern: Int64(previousBarSymbol) &+ (try peek.readZigzag()))
                // An id out of range is for `decode` to report.
                guard s < UInt64(Self.maxSymbols) else { return .other }
                if !barSymbols.contains(s) {
                    previousBarSymbol = UInt32(s)
                    otherSymbol = true
                }
            }
            // A skipped record is passed over as `decode` passes over it: only its header is read.
            if otherSymbol {
                // Passed over: its symbol is all a later bar needs of it.
            } else if isBar && !skipped {
                // Its delta context (symbol, closes) changes only once the whole bar has been read.
                let bar = try decodeBar(&body)
                if canonicalToo { appendCanonicalBarRecord(sequence: sequence, timestamp: timestamp, bar, to: out) }
                bars.append(LoggedBar(bar: bar, sequence: sequence, timestamp: Timestamp(rawValue: timestamp)))
            } else if !skipped {
                // The fill is read before anything is written: one that does not read leaves `out` as it was.
                var fill: Fill?
                if isFill {
                    var payload = body
                    fill = try decodeFill(&payload)
                }
                guard let kind = EventKind(rawValue: UInt8(truncatingIfNeeded: kindCode)),
                      let header = transcode(kind, code: kindCode, payload: body.rest, sequence: sequence, timestamp: timestamp, into: out)
                else { return .other }
                // Transcoded, the payload is exactly what the encoder writes for the fill just read.
                if let fill {
                    fills.append(LoggedFill(fill: fill, sequence: sequence, timestamp: Timestamp(rawValue: timestamp)))
                } else {
                    headers.append(header)
                }
            }
            previousSequence = sequence
            previousTimestamp = timestamp
            eventSequence = sequence
            eventTimestamp = timestamp
            if canonicalWritten { canonicalWritten = false }
            reader = r
            return skipped ? .skipped : otherSymbol ? .otherSymbol : isBar ? .bar : isFill ? .fill : .header
        } catch {
            return .other
        }
    }

    private func decodePayload(_ kind: EventKind, _ r: inout ByteReader) throws(RecordError) -> EventPayload {
        switch kind {
        case .manifest: .manifest(try decodeManifest(&r))
        case .symbolDefinition: .symbolDefinition(try decodeSymbolDefinition(&r))
        case .bar: .bar(try decodeBar(&r))
        case .priceUpdate: .priceUpdate(try decodePriceUpdate(&r))
        case .timer: .timer(try decodeTimer(&r))
        case .alphaValue: .alphaValue(try decodeAlphaValue(&r))
        case .signal: .signal(try decodeSignal(&r))
        case .targetPosition: .targetPosition(try decodeTargetPosition(&r))
        case .plannedTrade: .plannedTrade(try decodePlannedTrade(&r))
        case .orderSlice: .orderSlice(try decodeOrderSlice(&r))
        case .orderSubmitted: .orderSubmitted(try decodeOrderSubmitted(&r))
        case .orderAccepted: .orderAccepted(try decodeOrderAccepted(&r))
        case .orderRejected: .orderRejected(try decodeOrderRejected(&r))
        case .orderCancelled: .orderCancelled(try decodeOrderCancelled(&r))
        case .fill: .fill(try decodeFill(&r))
        case .escalation: .escalation(try decodeEscalation(&r))
        case .rateLimitWait: .rateLimitWait(try decodeRateLimitWait(&r))
        case .sessionStart: .sessionStart(try decodeSessionStart(&r))
        case .sessionEnd: .sessionEnd(try decodeSessionEnd(&r))
        case .checkpoint: .checkpoint(try decodeCheckpoint(&r))
        case .alphaWeights: .alphaWeights(try decodeAlphaWeights(&r))
        case .connection: .connection(try decodeConnection(&r))
        case .inputNotice: .inputNotice(try decodeInputNotice(&r))
        case .extension: .extension(try decodeExtension(&r))
        case .corporateAction: .corporateAction(try decodeCorporateAction(&r))
        }
    }

    // MARK: primitives

    @inline(__always) func u8(_ r: inout ByteReader) throws(RecordError) -> UInt8 { try r.readByte() }
    @inline(__always) func varint(_ r: inout ByteReader) throws(RecordError) -> UInt64 { try r.readVarint() }
    @inline(__always) func zigzag(_ r: inout ByteReader) throws(RecordError) -> Int64 { try r.readZigzag() }
    @inline(__always) func f64(_ r: inout ByteReader) throws(RecordError) -> Double {
        Double(bitPattern: try r.readLittleEndian(UInt64.self))
    }

    func u32(_ r: inout ByteReader, _ what: String) throws(RecordError) -> UInt32 {
        let v = try r.readVarint()
        guard v <= UInt64(UInt32.max) else { throw .malformed("\(what) \(v) does not fit 32 bits") }
        return UInt32(v)
    }

    func i32(_ r: inout ByteReader, _ what: String) throws(RecordError) -> Int32 {
        let v = try r.readZigzag()
        guard let narrow = Int32(exactly: v) else { throw .malformed("\(what) \(v) does not fit 32 bits") }
        return narrow
    }

    @inline(__always) func symbol(_ r: inout ByteReader) throws(RecordError) -> SymbolID {
        let v = try r.readVarint()
        guard v < UInt64(Self.maxSymbols) else { throw .malformed("symbol id \(v) out of range") }
        return SymbolID(rawValue: UInt32(v))
    }

    @inline(__always) func price(_ r: inout ByteReader) throws(RecordError) -> Price {
        Price(rawValue: try decimal(&r))
    }

    @inline(__always) func quantity(_ r: inout ByteReader) throws(RecordError) -> Quantity {
        Quantity(rawValue: try decimal(&r))
    }

    @inline(__always) func time(_ r: inout ByteReader) throws(RecordError) -> Timestamp {
        Timestamp(rawValue: eventTimestamp &+ (try r.readZigzag()))
    }

    func optionalPrice(_ r: inout ByteReader) throws(RecordError) -> Price? {
        try presence(&r) ? try price(&r) : nil
    }

    func optionalQuantity(_ r: inout ByteReader) throws(RecordError) -> Quantity? {
        try presence(&r) ? try quantity(&r) : nil
    }

    private func presence(_ r: inout ByteReader) throws(RecordError) -> Bool {
        switch try r.readByte() {
        case 0: false
        case 1: true
        case let b: throw .malformed("presence flag \(b) is neither 0 nor 1")
        }
    }

    func bytes(_ r: inout ByteReader) throws(RecordError) -> [UInt8] {
        let n = try r.readVarint()
        guard n <= UInt64(r.remaining) else { throw .truncated }
        return Array(try r.readBytes(Int(n)))
    }

    func string(_ r: inout ByteReader) throws(RecordError) -> String {
        if canonical {
            let n = try r.readVarint()
            guard n <= UInt64(r.remaining) else { throw .truncated }
            return String(decoding: try r.readBytes(Int(n)), as: UTF8.self)
        }
        let id = try r.readVarint()
        guard id < UInt64(strings.count) else { throw .malformed("string reference \(id) was never defined") }
        return strings[Int(id)]
    }

    @inline(__always)
    func decimal(_ r: inout ByteReader) throws(RecordError) -> Int64 {
        let v = try r.readVarint()
        let k = Int(v & 0xF)
        if k == DecimalCode.escape {
            guard v == UInt64(DecimalCode.escape) else { throw .malformed("bad decimal escape") }
            return try r.readZigzag()
        }
        guard k <= DecimalCode.maxExponent else { throw .malformed("decimal exponent \(k) out of range") }
        let z = v >> 4
        let q = Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)
        let (value, overflow) = q.multipliedReportingOverflow(by: powersOfTen[k])
        guard !overflow else { throw .malformed("decimal value overflows") }
        return value
    }

    func enumeration<E: RawRepresentable>(_ r: inout ByteReader, _: E.Type) throws(RecordError) -> E where E.RawValue == UInt8 {
        let raw = try r.readByte()
        guard let value = E(rawValue: raw) else { throw .malformed("unknown \(E.self) value \(raw)") }
        return value
    }
}

/// A set of kind codes (0...255) as four words: read per record, so no array and no reference count.
struct KindSet: Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}

    var isEmpty: Bool { words.0 | words.1 | words.2 | words.3 == 0 }

    /// Every known kind but `kept`.
    init(allBut kept: Set<EventKind>) {
        for kind in EventKind.allCases where !kept.contains(kind) { insert(UInt64(kind.rawValue)) }
    }

    mutating func insert(_ code: UInt64) {
        let bit = UInt64(1) << (code & 63)
        switch code >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    @inline(__always) func contains(_ code: UInt64) -> Bool {
        let bit = UInt64(1) << (code & 63)
        switch code >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        case 3: return words.3 & bit != 0
        default: return false
        }
    }
}
