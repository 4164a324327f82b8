import AuroraModel

/// Bars are most of a market-data log, so they get the compact layout:
///
///     symbol      zigzag delta from the previous bar's symbol in the frame (ids ascend within a timestamp)
///     timeframe   decimal
///     exponents   u8: low nibble k for prices, high nibble for volume (trailing decimal zeros)
///     close       zigzag (close − this symbol's previous close in the frame) / 10^k
///     open        zigzag (open − close) / 10^k
///     high        zigzag (high − max(open, close)) / 10^k      ≥ 0 for a consistent bar
///     low         zigzag (min(open, close) − low) / 10^k        ≥ 0 for a consistent bar
///     volume      zigzag volume / 10^k'
///
/// Canonical records (hashed for the digest, never stored) are fixed-width instead: after the
/// kind, sequence u64, timestamp i64, symbol u32, timeframe, open, high, low, close, volume i64,
/// all little-endian, 69 bytes: plain stores are cheaper than varints on this path. All
/// arithmetic wraps, so any Int64 values (also inconsistent bars) round-trip exactly.
extension RecordEncoder {
    /// Longest possible bar record body: kind, 2 headers, symbol, timeframe (≤ 10 bytes each),
    /// the exponent byte and five values (≤ 10 each). Under 128, so the length is one byte.
    static let maxBarRecord = 1 + 10 + 10 + 10 + 20 + 1 + 50

    /// Writes a bar's whole record (length, header, payload) straight into `out`.
    func encodeBarRecord(sequence: UInt64, timestamp: Int64, _ b: Bar, into out: ByteBuffer) {
        if canonical {
            appendCanonicalBarRecord(sequence: sequence, timestamp: timestamp, b, to: out)
            return
        }
        out.reserve(Self.maxBarRecord + 1)
        let start = out.base + out.count
        var w = RawWriter(p: start + 1)
        w.varint(UInt64(EventKind.bar.rawValue))
        let s = b.symbol.rawValue
        w.varint(sequence &- previousSequence &- 1)
        w.zigzag(timestamp &- previousTimestamp)
        previousSequence = sequence
        previousTimestamp = timestamp
        w.zigzag(Int64(s) &- Int64(previousBarSymbol))
        previousBarSymbol = s
        let index = Int(s)
        lastClose.ensure(index)
        let previousClose = lastClose.base[index]
        lastClose.base[index] = b.close.rawValue
        // Every bar of a run mostly has the same timeframe: its code is worked out once.
        let timeframe = b.timeframe.rawValue
        if timeframe == barTimeframe.raw, barTimeframe.code != .max {
            w.varint(barTimeframe.code)
        } else {
            w.decimal(timeframe)
            barTimeframe = (timeframe, decimalCode(timeframe) ?? .max)
        }
        let open = b.open.rawValue, close = b.close.rawValue
        var d0 = close &- previousClose
        var d1 = open &- close
        var d2 = b.high.rawValue &- max(open, close)
        var d3 = min(open, close) &- b.low.rawValue
        let k = commonDecimalNormalForm(&d0, &d1, &d2, &d3)
        let (volume, kv) = decimalNormalForm(b.volume.rawValue)
        w.byte(UInt8(k) | UInt8(kv) << 4)
        w.zigzag(d0)
        w.zigzag(d1)
        w.zigzag(d2)
        w.zigzag(d3)
        w.zigzag(volume)
        let length = start.distance(to: w.p) - 1
        start.pointee = UInt8(length)
        out.count += length + 1
    }
}

/// A bar's canonical record (length, kind, fixed-width fields) straight into `out`: made by the
/// canonical encoder and, while transcoding, by the decoder from the bar it has just read.
@inline(__always)
func appendCanonicalBarRecord(sequence: UInt64, timestamp: Int64, _ b: Bar, to out: ByteBuffer) {
    out.reserve(RecordEncoder.maxBarRecord + 1)
    let start = out.base + out.count
    var w = RawWriter(p: start + 1)
    w.varint(UInt64(EventKind.bar.rawValue))
    w.fixed(sequence)
    w.fixed(timestamp)
    w.fixed(b.symbol.rawValue)
    w.fixed(b.timeframe.rawValue)
    w.fixed(b.open.rawValue)
    w.fixed(b.high.rawValue)
    w.fixed(b.low.rawValue)
    w.fixed(b.close.rawValue)
    w.fixed(b.volume.rawValue)
    let length = start.distance(to: w.p) - 1
    start.pointee = UInt8(length)
    out.count += length + 1
}

extension RecordDecoder {
    func decodeBar(_ r: inout ByteReader) throws(RecordError) -> Bar {
        if canonical {
            let s = try r.readLittleEndian(UInt32.self)
            guard s < UInt32(Self.maxSymbols) else { throw .malformed("symbol id \(s) out of range") }
            return Bar(symbol: SymbolID(rawValue: s), timeframe: Timeframe(rawValue: try r.readLittleEndian(Int64.self)),
                       open: Price(rawValue: try r.readLittleEndian(Int64.self)), high: Price(rawValue: try r.readLittleEndian(Int64.self)),
                       low: Price(rawValue: try r.readLittleEndian(Int64.self)), close: Price(rawValue: try r.readLittleEndian(Int64.self)),
                       volume: Quantity(rawValue: try r.readLittleEndian(Int64.self)))
        }
        let s = UInt64(bitPattern: Int64(previousBarSymbol) &+ (try r.readZigzag()))
        guard s < UInt64(Self.maxSymbols) else { throw .malformed("symbol id \(s) out of range") }
        let symbol = UInt32(s)
        let timeframe = try decimal(&r)
        let exponents = try r.readByte()
        let k = Int(exponents & 0xF), kv = Int(exponents >> 4)
        guard k <= DecimalCode.maxExponent, kv <= DecimalCode.maxExponent else { throw .malformed("bar exponent out of range") }
        let d0 = try scaled(&r, k)
        let d1 = try scaled(&r, k)
        let d2 = try scaled(&r, k)
        let d3 = try scaled(&r, k)
        let volume = try scaled(&r, kv)
        previousBarSymbol = symbol
        let index = Int(symbol)
        lastClose.ensure(index)
        let close = lastClose.base[index] &+ d0
        let open = close &+ d1
        lastClose.base[index] = close
        return Bar(symbol: SymbolID(rawValue: symbol), timeframe: Timeframe(rawValue: timeframe),
                   open: Price(rawValue: open), high: Price(rawValue: max(open, close) &+ d2),
                   low: Price(rawValue: min(open, close) &- d3), close: Price(rawValue: close),
                   volume: Quantity(rawValue: volume))
    }

    @inline(__always)
    private func scaled(_ r: inout ByteReader, _ k: Int) throws(RecordError) -> Int64 {
        let (value, overflow) = (try r.readZigzag()).multipliedReportingOverflow(by: powersOfTen[k])
        guard !overflow else { throw .malformed("bar field overflows") }
        return value
    }
}
