import AuroraLog

/// Parses decimal text ("15.07", "-3", "1.5e6") straight into fixed point with `scale` decimals,
/// without going through Double, so prices keep exactly the digits the file has.
enum DecimalParser {
    enum Failure: Error { case empty, invalid, outOfRange }

    static func parse(_ text: UnsafeRawBufferPointer, decimals: Int) throws(Failure) -> Int64 {
        var i = 0
        let n = text.count
        // Leading and trailing spaces are common in hand-edited files.
        var end = n
        while i < end, text[i] == 0x20 { i += 1 }
        while end > i, text[end - 1] == 0x20 { end -= 1 }
        guard i < end else { throw .empty }
        var negative = false
        if text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        var dropped = false
        var roundUp = false
        while i < end {
            let c = text[i]
            if c >= 0x30 && c <= 0x39 {
                if mantissa <= (UInt64.max - 9) / 10 {
                    mantissa = mantissa * 10 + UInt64(c - 0x30)
                    if seenPoint { fractionDigits += 1 }
                } else if seenPoint {
                    // Beyond 19 significant digits: remember only how to round.
                    if !dropped { roundUp = c >= 0x35 }
                    dropped = true
                } else {
                    throw .outOfRange
                }
                digits += 1
            } else if c == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                break
            } else {
                throw .invalid
            }
            i += 1
        }
        guard digits > 0 else { throw .invalid }
        var exponent = 0
        if i < end {
            i += 1
            var expNegative = false
            if i < end, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                expNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end else { throw .invalid }
            while i < end {
                let c = text[i]
                guard c >= 0x30 && c <= 0x39 else { throw .invalid }
                exponent = exponent * 10 + Int(c - 0x30)
                guard exponent < 400 else { throw .outOfRange }
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        // value = mantissa · 10^(exponent − fractionDigits); we want value · 10^decimals.
        var shift = decimals + exponent - fractionDigits
        var value = mantissa
        if shift >= 0 {
            while shift > 0 {
                let (m, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw .outOfRange }
                value = m
                shift -= 1
            }
        } else {
            // More digits than the scale holds: round half away from zero.
            roundUp = false
            while shift < 0 {
                roundUp = value % 10 >= 5
                value /= 10
                shift += 1
            }
            if roundUp { value += 1 }
        }
        guard value <= UInt64(Int64.max) else { throw .outOfRange }
        return negative ? -Int64(value) : Int64(value)
    }
}
