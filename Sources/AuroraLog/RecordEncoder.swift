import AuroraModel

/// Encodes events as records. One instance per frame stream (framed) or for digests (canonical).
///
/// Framed records use context that resets at every frame start: sequence and time deltas, bar
/// prices as deltas against the same symbol's previous close, and strings as references to
/// string-definition records. Canonical records use no context at all, so an event's canonical
/// bytes do not depend on where frame boundaries fell; the run digest hashes those.
final class RecordEncoder {
    let canonical: Bool
    private let body = ByteBuffer(capacity: 256)
    var previousSequence: UInt64 = .max
    var previousTimestamp: Int64 = 0
    private var eventTimestamp: Int64 = 0
    var previousBarSymbol: UInt32 = 0
    let lastClose = SymbolTable64()
    /// The last bar's timeframe and its decimal code (`.max`, never a code, for none or the escape).
    var barTimeframe: (raw: Int64, code: UInt64) = (0, .max)
    private var stringIDs: [String: UInt64] = [:]
    /// The last string looked up: records in a row mostly name the same one (an alpha, a reason),
    /// and comparing it costs less than hashing it.
    private var lastString: (text: String, id: UInt64)?
    /// Where string-definition records go: the frame being built, ahead of the record that uses them.
    /// Set only for the length of one `encode` call, whose caller holds the buffer: unowned, so
    /// setting it costs no retain and release per event (1% of a replay).
    private unowned(unsafe) var pendingDirectives: ByteBuffer?
    /// Where the last record's payload starts in `body`, and the strings it named by frame id:
    /// where each id's bytes lie in `body`, and the string (the canonical form spells it out).
    private var payloadStart = 0
    private var payloadStrings = NameList()
    /// The last record's body (its bytes after the length prefix): `body`'s bytes, or its place
    /// in the frame when it was written there directly. Read only before that buffer is next
    /// written (`appendLastAsCanonical`, `appendLastNames`, right after the record).
    private var lastBody = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Frame ids of a signal's contributions, resolved before its record is written directly.
    private var contributionIDs: [UInt64] = []
    /// Each frame string's canonical spelling, by id: copied, not re-read from the `String`, each
    /// time a record naming it is made canonical.
    private let spellings = StringSpellings()

    init(canonical: Bool) { self.canonical = canonical }

    /// Forgets all context; called at the start of every frame.
    func reset() {
        previousSequence = .max
        previousTimestamp = 0
        previousBarSymbol = 0
        lastClose.zero()
        stringIDs.removeAll(keepingCapacity: true)
        lastString = nil
        spellings.removeAll()
    }

    /// Appends the event's record (and any string definitions it needs first) to `out`.
    func encode(_ event: Event, into out: ByteBuffer) {
        encode(event.payload, sequence: event.sequence, timestamp: event.timestamp.rawValue, into: out)
    }

    /// The same as `encode(Event(…))`, from the parts: the writer's path, which never builds the event.
    func encode(_ payload: EventPayload, sequence: UInt64, timestamp: Int64, into out: ByteBuffer) {
        if case .bar(let bar) = payload {
            encodeBarRecord(sequence: sequence, timestamp: timestamp, bar, into: out)
            return
        }
        beginRecord(payload.kind, sequence: sequence, timestamp: timestamp, into: out)
        encodePayload(payload)
        endRecord(into: out)
    }

    /// A signal's record, the same as `encode(.signal(signal), …)` without the enum around it:
    /// the writer's path for the events a cross-sectional strategy logs most of. When every
    /// alpha it names is already a frame string, written straight into `out` (`encodeSignalBody`).
    func encodeRecord(_ signal: Signal, sequence: UInt64, timestamp: Int64, into out: ByteBuffer) {
        if !canonical, resolveContributionIDs(signal.contributions) {
            // Kind, header, symbol, direction, score, rank, count; each name and value; the forecast.
            let bound = 1 + 30 + 10 + 1 + 8 + 10 + 10 + 18 * signal.contributions.count + 18
            writeDirect(.signal, sequence: sequence, timestamp: timestamp, bound: bound, into: out) { w, bodyStart in
                encodeSignalBody(signal, &w, bodyStart)
            }
            return
        }
        beginRecord(.signal, sequence: sequence, timestamp: timestamp, into: out)
        encode(signal)
        endRecord(into: out)
    }

    /// An alpha value's record, the same as `encode(.alphaValue(value), …)`; written straight
    /// into `out` when its alpha is already a frame string (all but a frame's first of each).
    func encodeRecord(_ value: AlphaValue, sequence: UInt64, timestamp: Int64, into out: ByteBuffer) {
        if !canonical, let id = definedID(value.alpha) {
            writeDirect(.alphaValue, sequence: sequence, timestamp: timestamp, bound: 1 + 30 + 10 + 10 + 8, into: out) { w, bodyStart in
                name(id, &w, bodyStart)
                w.varint(UInt64(value.symbol.rawValue))
                w.fixed(value.value.bitPattern)
            }
            return
        }
        beginRecord(.alphaValue, sequence: sequence, timestamp: timestamp, into: out)
        encode(value)
        endRecord(into: out)
    }

    /// A record written in place at the end of `out`, the same bytes `beginRecord`, the payload's
    /// encoder and `endRecord` give, without staging it in `body` and copying it: `payload` writes
    /// at most `bound` bytes less the header's (and names no string not yet defined in the frame).
    @inline(__always)
    private func writeDirect(_ kind: EventKind, sequence: UInt64, timestamp: Int64, bound: Int, into out: ByteBuffer,
                             _ payload: (inout RawWriter, UnsafeMutablePointer<UInt8>) -> Void) {
        // Room for the longest length prefix too: the body is moved up behind it when it is 128
        // bytes or more (a signal with many contributions), which one byte cannot say.
        out.reserve(bound + 10)
        let start = out.base + out.count
        let bodyStart = start + 1
        var w = RawWriter(p: bodyStart)
        w.varint(UInt64(kind.rawValue))
        w.varint(sequence &- previousSequence &- 1)
        w.zigzag(timestamp &- previousTimestamp)
        previousSequence = sequence
        previousTimestamp = timestamp
        eventTimestamp = timestamp
        payloadStart = bodyStart.distance(to: w.p)
        payloadStrings.removeAll()
        payload(&w, bodyStart)
        let length = bodyStart.distance(to: w.p)
        let prefix = varintSize(UInt64(length))
        if prefix > 1 { (start + prefix).update(from: bodyStart, count: length) }
        var p = RawWriter(p: start)
        p.varint(UInt64(length))
        out.count += prefix + length
        lastBody = UnsafeRawBufferPointer(start: start + prefix, count: length)
    }

    /// A frame string's id in a directly written record, noted as `string` notes it.
    @inline(__always)
    private func name(_ id: UInt64, _ w: inout RawWriter, _ bodyStart: UnsafeMutablePointer<UInt8>) {
        let from = bodyStart.distance(to: w.p)
        w.varint(id)
        payloadStrings.append((from, bodyStart.distance(to: w.p), Int(id)))
    }

    /// `encode(_: Signal)` through a raw writer, with the contributions' ids already resolved.
    @inline(__always)
    private func encodeSignalBody(_ e: Signal, _ w: inout RawWriter, _ bodyStart: UnsafeMutablePointer<UInt8>) {
        w.varint(UInt64(e.symbol.rawValue))
        w.byte(e.direction.rawValue)
        w.fixed(e.score.bitPattern)
        w.zigzag(Int64(e.rank))
        w.varint(UInt64(e.contributions.count))
        for k in e.contributions.indices {
            name(contributionIDs[k], &w, bodyStart)
            w.fixed(e.contributions[k].value.bitPattern)
        }
        if e.expectedReturn != nil || e.confidence != nil {
            optionalF64(e.expectedReturn, &w)
            optionalF64(e.confidence, &w)
        }
    }

    @inline(__always)
    private func optionalF64(_ v: Double?, _ w: inout RawWriter) {
        if let v { w.byte(1); w.fixed(v.bitPattern) } else { w.byte(0) }
    }

    /// The frame ids of the contributions' alphas into `contributionIDs`; false when one is not
    /// yet a frame string (the record then takes `body`, which defines it).
    @inline(__always)
    private func resolveContributionIDs(_ contributions: [AlphaContribution]) -> Bool {
        // Grown, never emptied: the first `contributions.count` entries are this signal's.
        if contributionIDs.count < contributions.count {
            contributionIDs.append(contentsOf: repeatElement(0, count: contributions.count - contributionIDs.count))
        }
        for k in contributions.indices {
            guard let id = definedID(contributions[k].alpha) else { return false }
            contributionIDs[k] = id
        }
        return true
    }

    /// The record's header into `body`; string definitions its payload needs go to `out` first.
    @inline(__always)
    private func beginRecord(_ kind: EventKind, sequence: UInt64, timestamp: Int64, into out: ByteBuffer) {
        body.removeAll()
        pendingDirectives = out
        body.appendVarint(UInt64(kind.rawValue))
        if canonical {
            body.appendVarint(sequence)
            body.appendZigzag(timestamp)
        } else {
            body.appendVarint(sequence &- previousSequence &- 1)
            body.appendZigzag(timestamp &- previousTimestamp)
            previousSequence = sequence
            previousTimestamp = timestamp
        }
        eventTimestamp = timestamp
        payloadStart = body.count
        payloadStrings.removeAll()
    }

    @inline(__always)
    private func endRecord(into out: ByteBuffer) {
        pendingDirectives = nil
        out.appendLengthPrefixed(body)
        lastBody = body.bytes
    }

    /// The canonical record of the (non-bar) event this framed encoder just encoded, made from its
    /// payload bytes: the same in both forms but for strings, named by frame id here and spelled
    /// out there. False (nothing appended) from a canonical encoder, and for a bar, whose framed
    /// record holds deltas (`encodeBarRecord` writes both forms directly).
    func appendLastAsCanonical(kind: EventKind, sequence: UInt64, timestamp: Int64, to out: ByteBuffer) -> Bool {
        guard !canonical, kind != .bar else { return false }
        spellings.appendRecord(kind: UInt64(kind.rawValue), sequence: sequence, timestamp: timestamp, payload: lastBody,
                               from: payloadStart, names: payloadStrings, to: out)
        return true
    }

    /// Where the last (non-bar) record's payload named strings, as places in the frame it was
    /// just appended to (`frameEnd`: the frame's size after it), added to `names`: what lets the
    /// thread behind copy this writer's payloads without reading them
    /// (`FrameDigester.canonical(ownFrame:bars:names:into:)`).
    @inline(__always)
    func appendLastNames(frameEnd: Int, to names: inout NameList) {
        guard !payloadStrings.isEmpty else { return }
        let bodyStart = frameEnd - lastBody.count
        for k in 0..<payloadStrings.count {
            let n = payloadStrings[k]
            names.append((bodyStart + n.start, bodyStart + n.end, n.id))
        }
    }

    private func encodePayload(_ payload: EventPayload) {
        switch payload {
        case .manifest(let e): encode(e)
        case .symbolDefinition(let e): encode(e)
        case .bar: preconditionFailure("bars take encodeBarRecord")
        case .priceUpdate(let e): encode(e)
        case .timer(let e): encode(e)
        case .alphaValue(let e): encode(e)
        case .signal(let e): encode(e)
        case .targetPosition(let e): encode(e)
        case .plannedTrade(let e): encode(e)
        case .orderSlice(let e): encode(e)
        case .orderSubmitted(let e): encode(e)
        case .orderAccepted(let e): encode(e)
        case .orderRejected(let e): encode(e)
        case .orderCancelled(let e): encode(e)
        case .fill(let e): encode(e)
        case .escalation(let e): encode(e)
        case .rateLimitWait(let e): encode(e)
        case .sessionStart(let e): encode(e)
        case .sessionEnd(let e): encode(e)
        case .checkpoint(let e): encode(e)
        case .alphaWeights(let e): encode(e)
        case .connection(let e): encode(e)
        case .inputNotice(let e): encode(e)
        case .extension(let e): encode(e)
        case .corporateAction(let e): encode(e)
        }
    }

    // MARK: primitives shared by the payload codecs

    @inline(__always) func u8(_ v: UInt8) { body.append(v) }
    @inline(__always) func varint(_ v: UInt64) { body.appendVarint(v) }
    @inline(__always) func zigzag(_ v: Int64) { body.appendZigzag(v) }
    @inline(__always) func f64(_ v: Double) { body.appendLittleEndian(v.bitPattern) }
    @inline(__always) func symbol(_ s: SymbolID) { body.appendVarint(UInt64(s.rawValue)) }
    @inline(__always) func price(_ p: Price) { decimal(p.rawValue) }
    @inline(__always) func quantity(_ q: Quantity) { decimal(q.rawValue) }
    /// Times inside a payload are stored relative to the event's own timestamp (usually close).
    @inline(__always) func time(_ t: Timestamp) { body.appendZigzag(t.rawValue &- eventTimestamp) }

    func optionalPrice(_ p: Price?) {
        if let p { u8(1); price(p) } else { u8(0) }
    }

    func optionalQuantity(_ q: Quantity?) {
        if let q { u8(1); quantity(q) } else { u8(0) }
    }

    func bytes(_ b: [UInt8]) {
        body.appendVarint(UInt64(b.count))
        body.append(b)
    }

    func string(_ s: String) {
        if canonical {
            var s = s
            s.withUTF8 { utf8 in
                body.appendVarint(UInt64(utf8.count))
                body.append(UnsafeRawBufferPointer(utf8))
            }
            return
        }
        let start = body.count
        if let id = definedID(s) {
            body.appendVarint(id)
            payloadStrings.append((start, body.count, Int(id)))
            return
        }
        let id = UInt64(stringIDs.count)
        stringIDs[s] = id
        lastString = (s, id)
        var s = s
        s.withUTF8 { utf8 in
            if let out = pendingDirectives {
                // A string definition: kind 0, then the UTF-8 bytes; its id is its position in the frame.
                out.appendVarint(UInt64(utf8.count + 1))
                out.appendVarint(0)
                out.append(UnsafeRawBufferPointer(utf8))
            }
            spellings.add(utf8)
        }
        body.appendVarint(id)
        payloadStrings.append((start, body.count, Int(id)))
    }

    /// The id of a string this frame already defines: the one named last first (records in a row
    /// mostly name the same one, and comparing it costs less than hashing it), then the table.
    @inline(__always)
    private func definedID(_ s: String) -> UInt64? {
        if let last = lastString, last.text == s { return last.id }
        guard let id = stringIDs[s] else { return nil }
        lastString = (s, id)
        return id
    }

    /// A fixed-point integer as (value / 10^k, k): prices and sizes are mostly round decimals,
    /// so dropping the trailing zeros makes them 1–4 bytes instead of 6–9.
    @inline(__always) func decimal(_ raw: Int64) {
        if let code = decimalCode(raw) {
            body.appendVarint(code)
        } else {
            body.appendVarint(UInt64(DecimalCode.escape))
            body.appendZigzag(raw)
        }
    }
}

/// Bytes `appendVarint` takes for `v`.
@inline(__always) func varintSize(_ v: UInt64) -> Int { v == 0 ? 1 : (64 - v.leadingZeroBitCount + 6) / 7 }

enum DecimalCode {
    /// Exponent nibble meaning "the full zigzag value follows".
    static let escape = 15
    static let maxExponent = 14
}

/// 10^k, k in 0...18: a literal, which the compiler lays out in read-only memory (built with
/// `map` it was initialised lazily, and every read checked that it was: `swift_once` once per
/// decimal decoded, 1.5% of `verify`).
let powersOfTen: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
                            10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
                            1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000,
                            1_000_000_000_000_000_000]

/// `v` without its trailing decimal zeros, and how many there were, capped at
/// `DecimalCode.maxExponent` (zero gets the cap): the exponent k and v / 10^k in one pass, each
/// step's quotient serving both the divisibility test and the division. Branch-free: prices mix
/// 2, 3 and 4 decimals row by row, so branches here mispredict.
@inline(__always)
func decimalNormalForm(_ v: Int64) -> (quotient: Int64, exponent: Int) {
    var x = v
    var k = 0
    var q = x / 100_000_000
    var exact = x &- q &* 100_000_000 == 0
    x = exact ? q : x
    k &+= exact ? 8 : 0
    q = x / 10_000
    exact = x &- q &* 10_000 == 0
    x = exact ? q : x
    k &+= exact ? 4 : 0
    q = x / 100
    exact = x &- q &* 100 == 0
    x = exact ? q : x
    k &+= exact ? 2 : 0
    // 8 + 4 + 2 is the cap: a last 10 only below it.
    q = x / 10
    exact = x &- q &* 10 == 0 && k != DecimalCode.maxExponent
    x = exact ? q : x
    k &+= exact ? 1 : 0
    return (x, k)
}

/// The same for four values at once, with one exponent for all: the largest k (to the cap) such
/// that 10^k divides each; the values are divided in place. A bar's price deltas share theirs.
@inline(__always)
func commonDecimalNormalForm(_ a: inout Int64, _ b: inout Int64, _ c: inout Int64, _ d: inout Int64) -> Int {
    var k = 0
    commonDecimalStep(&a, &b, &c, &d, &k, 100_000_000, 8)
    commonDecimalStep(&a, &b, &c, &d, &k, 10_000, 4)
    commonDecimalStep(&a, &b, &c, &d, &k, 100, 2)
    commonDecimalStep(&a, &b, &c, &d, &k, 10, 1)
    return k
}

/// Divides all four by `m` = 10^n when it divides each and k + n stays within the cap.
@inline(__always)
private func commonDecimalStep(_ a: inout Int64, _ b: inout Int64, _ c: inout Int64, _ d: inout Int64, _ k: inout Int,
                               _ m: Int64, _ n: Int) {
    let qa = a / m, qb = b / m, qc = c / m, qd = d / m
    // Remainders or'ed together: zero only when every one is.
    let exact = (a &- qa &* m) | (b &- qb &* m) | (c &- qc &* m) | (d &- qd &* m) == 0 && k &+ n <= DecimalCode.maxExponent
    a = exact ? qa : a
    b = exact ? qb : b
    c = exact ? qc : c
    d = exact ? qd : d
    k &+= exact ? n : 0
}

/// Per-symbol previous closes behind a stable pointer: the hot path reads and writes it without
/// the exclusivity bookkeeping a mutable array property of a class costs.
final class SymbolTable64 {
    private(set) var base: UnsafeMutablePointer<Int64>
    private(set) var capacity: Int

    init() {
        capacity = 1024
        base = .allocate(capacity: capacity)
        base.initialize(repeating: 0, count: capacity)
    }

    deinit { base.deallocate() }

    /// Makes `index` addressable (new slots are 0).
    @inline(__always) func ensure(_ index: Int) {
        if index >= capacity { grow(index) }
    }

    private func grow(_ index: Int) {
        var newCapacity = capacity * 2
        while newCapacity <= index { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<Int64>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: capacity)
        (newBase + capacity).initialize(repeating: 0, count: newCapacity - capacity)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    func zero() { base.update(repeating: 0, count: capacity) }
}
