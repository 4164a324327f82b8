import AuroraModel

/// What a full pass needs of an event it does not fold: where it stands and what it names.
public struct EventHeader: Sendable {
    public var kind: EventKind
    public var sequence: UInt64
    public var timestamp: Timestamp
    public var symbol: SymbolID?
}

/// A header as a frame's decoder keeps it: 16 bytes instead of `EventHeader`'s 32 (a `verify`
/// writes and reads a million of them), its sequence given by its run, no symbol a reserved id.
struct StoredHeader: Sendable {
    var timestamp: Int64
    var symbol: UInt32
    var kind: EventKind

    static let noSymbol = UInt32.max

    init(kind: EventKind, timestamp: Int64, symbol: UInt32?) {
        self.timestamp = timestamp
        self.symbol = symbol ?? Self.noSymbol
        self.kind = kind
    }

    var symbolID: SymbolID? { symbol == Self.noSymbol ? nil : SymbolID(rawValue: symbol) }

    func header(sequence: UInt64) -> EventHeader {
        EventHeader(kind: kind, sequence: sequence, timestamp: Timestamp(rawValue: timestamp), symbol: symbolID)
    }
}

/// Consecutive headers of a frame, in order: events of consecutive sequences.
public struct HeaderRun: RandomAccessCollection, Sendable {
    let stored: ArraySlice<StoredHeader>
    public let firstSequence: UInt64

    public var startIndex: Int { 0 }
    public var endIndex: Int { stored.count }

    public subscript(position: Int) -> EventHeader {
        stored[stored.startIndex + position].header(sequence: firstSequence &+ UInt64(position))
    }
}

/// Framed → canonical at the byte level: the two forms of a (non-bar) record differ only in its
/// header (deltas against absolute sequence and time) and in its strings (frame ids against
/// spelled out), so the canonical record is a new header and the framed payload copied with each
/// string's spelling put in place of its id — no `Event` built, none re-encoded. `verify`, `info`
/// and the write-behind digest read most of a log this way.
///
/// A payload is copied only when it is exactly what `RecordEncoder` writes for the value the
/// decoder would read: every field valid (as the decoder checks it), varints minimal, decimals
/// at their own exponent, nothing trailing. Anything else — damage, a hand-made log, a newer
/// writer's trailing field — returns nil and takes the full decode, whose canonical record (or
/// error) is then the one: the digest never depends on which path read a record.
enum RecordTranscoder {
    /// Kinds transcoded this way (as headers where asked for: `RecordDecoder.headersOnly`).
    static let kinds: Set<EventKind> = [.alphaValue, .signal, .targetPosition, .plannedTrade, .orderSlice, .orderSubmitted,
                                        .orderAccepted, .orderRejected, .orderCancelled, .fill, .escalation, .rateLimitWait]
    static let kindSet: KindSet = {
        var set = KindSet()
        for kind in kinds { set.insert(UInt64(kind.rawValue)) }
        return set
    }()
}

extension RecordDecoder {
    /// How many frame strings `transcode` may name (all, unless some were defined while no
    /// spelling was kept), with the scratch list of where they are named cleared.
    private func spellingsForTranscode() -> Int {
        stringRefs.removeAll()
        return spellings.count == stringCount ? spellings.count : 0
    }

    /// Appends the canonical record of a `kind` payload (framed bytes `payload`) to `out` and
    /// returns the header, or returns nil with nothing appended.
    /// `code`: the kind's raw value, as read (spares a call for it per record).
    func transcode(_ kind: EventKind, code: UInt64, payload: UnsafeRawBufferPointer, sequence: UInt64, timestamp: Int64,
                   into out: ByteBuffer) -> StoredHeader? {
        guard let base = payload.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var s = PayloadScanner(base: base, end: payload.count)
        var symbol: UInt32?
        // Only kinds that name strings touch the decoder's string tables (the others stay off
        // its arrays: most records are of those).
        switch kind {
        case .alphaValue:
            s.strings = spellingsForTranscode()
            s.string(&stringRefs)
            symbol = s.symbol()
            s.f64()
        case .signal:
            symbol = s.symbol()
            s.enumeration(SignalDirection.self)
            s.f64()
            s.int32()
            let count = s.varint()
            if count > 0 { s.strings = spellingsForTranscode() }
            var i: UInt64 = 0
            while i < count && s.ok {
                s.string(&stringRefs)
                s.f64()
                i += 1
            }
            if !s.isAtEnd {
                let hasReturn = s.presence()
                if hasReturn { s.f64() }
                let hasConfidence = s.presence()
                if hasConfidence { s.f64() }
                // The encoder writes the pair only when one of them is there.
                if !hasReturn && !hasConfidence { return nil }
            }
        case .targetPosition:
            symbol = s.symbol()
            s.decimal()
            s.f64()
        case .plannedTrade:
            _ = s.varint()
            _ = s.varint()
            symbol = s.symbol()
            s.enumeration(Side.self)
            s.decimal()
            s.int32()
            if s.presence() { s.decimal() }
        case .orderSlice:
            _ = s.varint()
            s.uint32()
            _ = s.varint()
            symbol = s.symbol()
            _ = s.varint()
            s.decimal()
        case .orderSubmitted:
            _ = s.varint()
            _ = s.varint()
            symbol = s.symbol()
            s.enumeration(Side.self)
            s.enumeration(OrderType.self)
            s.decimal()
            if s.presence() { s.decimal() }
        case .orderAccepted, .orderRejected, .orderCancelled:
            _ = s.varint()
            s.strings = spellingsForTranscode()
            s.string(&stringRefs)
        case .fill:
            _ = s.varint()
            symbol = s.symbol()
            s.enumeration(Side.self)
            s.decimal()
            s.decimal()
            s.decimal()
            s.enumeration(Liquidity.self)
        case .escalation:
            _ = s.varint()
            _ = s.varint()
            symbol = s.symbol()
            s.enumeration(Side.self)
            s.decimal()
            s.strings = spellingsForTranscode()
            s.string(&stringRefs)
        case .rateLimitWait:
            _ = s.varint()
            _ = s.varint()
            s.uint32()
        default:
            return nil
        }
        guard s.ok, s.isAtEnd else { return nil }
        // A string-free payload's kind never cleared the list (it is the decoder's, and most
        // records name no string): an empty buffer stands in, which also spares a retain of the
        // list's storage per record (clearing it for every record and passing it cost `verify` 4%).
        if s.named > 0 {
            spellings.appendRecord(kind: code, sequence: sequence, timestamp: timestamp, payload: payload, from: 0,
                                   names: stringRefs, to: out)
        } else {
            spellings.appendRecord(kind: code, sequence: sequence, timestamp: timestamp, payload: payload, from: 0,
                                   names: UnsafeBufferPointer(start: nil, count: 0), to: out)
        }
        return StoredHeader(kind: kind, timestamp: timestamp, symbol: symbol)
    }
}

/// Walks a payload field by field as `RecordDecoder` would read it, without building values:
/// `ok` turns false at the first field the decoder would refuse or the encoder would have
/// written differently.
private struct PayloadScanner {
    let base: UnsafePointer<UInt8>
    let end: Int
    /// How many frame strings have a spelling (ids at or above are refused), and how many
    /// the payload named.
    var strings = 0
    private(set) var named = 0
    var position = 0
    var ok = true

    init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
    }

    var isAtEnd: Bool { position >= end }

    /// A varint as `ByteBuffer.appendVarint` writes it: at most ten bytes and no zero last byte
    /// after the first (the decoder would read such padding; the encoder never writes it).
    @inline(__always) mutating func varint() -> UInt64 {
        guard position < end else { ok = false; return 0 }
        let first = base[position]
        position += 1
        if first < 0x80 { return UInt64(first) }
        var result = UInt64(first & 0x7F)
        var shift: UInt64 = 7
        while true {
            guard position < end else { ok = false; return 0 }
            let b = base[position]
            position += 1
            if shift == 63 && b > 1 { ok = false; return 0 }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 {
                if b == 0 { ok = false }
                return result
            }
            shift += 7
            if shift > 63 { ok = false; return 0 }
        }
    }

    @inline(__always) mutating func byte() -> UInt8 {
        guard position < end else { ok = false; return 0 }
        defer { position += 1 }
        return base[position]
    }

    @inline(__always) mutating func f64() {
        guard end - position >= 8 else { ok = false; return }
        position += 8
    }

    /// A string named by frame id: where the id lies, for its spelling to replace it.
    @inline(__always) mutating func string(_ refs: inout NameList) {
        let start = position
        let id = varint()
        guard ok, id < UInt64(strings) else { ok = false; return }
        refs.append((start, position, Int(id)))
        named += 1
    }

    @inline(__always) mutating func symbol() -> UInt32 {
        let v = varint()
        guard v < UInt64(RecordDecoder.maxSymbols) else { ok = false; return 0 }
        return UInt32(v)
    }

    @inline(__always) mutating func uint32() {
        if varint() > UInt64(UInt32.max) { ok = false }
    }

    @inline(__always) mutating func int32() {
        let z = varint()
        if Int32(exactly: Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)) == nil { ok = false }
    }

    @inline(__always) mutating func enumeration<E: RawRepresentable>(_: E.Type) where E.RawValue == UInt8 {
        if E(rawValue: byte()) == nil { ok = false }
    }

    /// A presence flag: 0 or 1, anything else refused.
    @inline(__always) mutating func presence() -> Bool {
        let b = byte()
        if b > 1 { ok = false }
        return b == 1
    }

    /// A decimal as `RecordEncoder.decimal` writes it: the value's own exponent (trailing zeros,
    /// capped; zero at the cap), never the escape (rare: the full decode takes it).
    @inline(__always) mutating func decimal() {
        let v = varint()
        let k = Int(v & 0xF)
        guard k <= DecimalCode.maxExponent else { ok = false; return }
        let z = v >> 4
        let q = Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)
        if k < DecimalCode.maxExponent && q % 10 == 0 { ok = false; return }
        if q.multipliedReportingOverflow(by: powersOfTen[k]).overflow { ok = false }
    }
}
