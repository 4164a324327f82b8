extension Timestamp {
    /// ISO 8601 in UTC: `2013-02-08T21:00:00Z`, with as many fraction digits as needed.
    public var iso8601: String {
        String(unsafeUninitializedCapacity: Self.iso8601MaxBytes) { writeISO8601(into: $0) }
    }

    /// Longest `iso8601` text: a 20-digit year, the rest of the form, nine fraction digits.
    public static let iso8601MaxBytes = 48

    /// Writes `iso8601`'s bytes into `out` (at least `iso8601MaxBytes` long) and returns how many:
    /// renderers that print millions of times write them where they go, with no string between.
    public func writeISO8601(into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let ns = rawValue
        var days = ns / 86_400_000_000_000
        var rest = ns % 86_400_000_000_000
        if rest < 0 { rest += 86_400_000_000_000; days -= 1 }
        let (y, m, d) = civilFromDays(days)
        let secondsOfDay = rest / 1_000_000_000
        var fraction = rest % 1_000_000_000
        var n = 0
        func put(_ byte: UInt8) { out[n] = byte; n += 1 }
        func digits(_ v: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 { put(UInt8(48 + (v / divisor) % 10)); divisor /= 10 }
        }
        if y >= 0 && y < 10_000 { digits(y, 4) } else { for b in String(y).utf8 { put(b) } }
        put(45); digits(m, 2); put(45); digits(d, 2); put(84)
        digits(secondsOfDay / 3600, 2); put(58); digits(secondsOfDay / 60 % 60, 2); put(58); digits(secondsOfDay % 60, 2)
        if fraction != 0 {
            var width = 9
            while fraction % 10 == 0 { fraction /= 10; width -= 1 }
            put(46); digits(fraction, width)
        }
        put(90)
        return n
    }
}

/// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's algorithm).
public func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}
