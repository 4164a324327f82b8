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
/// Canonical records use previous symbol 0 and previous close 0. All arithmetic wraps, so any
/// Int64 values (also inconsistent bars) round-trip exactly.
extension RecordEncoder {
    func encode(_ b: Bar) {
        let s = b.symbol.rawValue
        var previousClose: Int64 = 0
        if canonical {
            varint(UInt64(s))
        } else {
            zigzag(Int64(s) &- Int64(previousBarSymbol))
            previousBarSymbol = s
            let index = Int(s)
            if index >= lastClose.count { lastClose.append(contentsOf: repeatElement(0, count: index + 1 - lastClose.count)) }
            previousClose = lastClose[index]
            lastClose[index] = b.close.rawValue
        }
        decimal(b.timeframe.rawValue)
        let open = b.open.rawValue, close = b.close.rawValue
        let d0 = close &- previousClose
        let d1 = open &- close
        let d2 = b.high.rawValue &- max(open, close)
        let d3 = min(open, close) &- b.low.rawValue
        let k = min(decimalExponent(d0), decimalExponent(d1), decimalExponent(d2), decimalExponent(d3))
        let volume = b.volume.rawValue
        let kv = decimalExponent(volume)
        u8(UInt8(k) | UInt8(kv) << 4)
        let p = powersOfTen[k]
        zigzag(d0 / p)
        zigzag(d1 / p)
        zigzag(d2 / p)
        zigzag(d3 / p)
        zigzag(volume / powersOfTen[kv])
    }
}

extension RecordDecoder {
    func decodeBar(_ r: inout ByteReader) throws(RecordError) -> Bar {
        let s: UInt64
        if canonical {
            s = try r.readVarint()
        } else {
            s = UInt64(bitPattern: Int64(previousBarSymbol) &+ (try r.readZigzag()))
        }
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
        var previousClose: Int64 = 0
        if !canonical {
            previousBarSymbol = symbol
            let index = Int(symbol)
            if index >= lastClose.count { lastClose.append(contentsOf: repeatElement(0, count: index + 1 - lastClose.count)) }
            previousClose = lastClose[index]
        }
        let close = previousClose &+ d0
        let open = close &+ d1
        if !canonical { lastClose[Int(symbol)] = close }
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
