extension Timestamp {
    /// ISO 8601 in UTC: `2013-02-08T21:00:00Z`, with as many fraction digits as needed.
    public var iso8601: String {
        let ns = rawValue
        var days = ns / 86_400_000_000_000
        var rest = ns % 86_400_000_000_000
        if rest < 0 { rest += 86_400_000_000_000; days -= 1 }
        let (y, m, d) = civilFromDays(days)
        let secondsOfDay = rest / 1_000_000_000
        var fraction = rest % 1_000_000_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var year = String(y)
        if y >= 0 && y < 1000 { year = String(repeating: "0", count: 4 - year.count) + year }
        var text = "\(year)-\(two(m))-\(two(d))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):\(two(secondsOfDay % 60))"
        if fraction != 0 {
            var digits = 9
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            let f = String(fraction)
            text += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return text + "Z"
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
