import Foundation
import AuroraModel
import AuroraLog

/// Parses the time stamps bar files use and turns local times into UTC nanoseconds.
///
/// Accepted: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fraction]]` (or with `T`), either optionally
/// followed by `Z` or an offset `±HH:MM` / `±HHMM`, and all-digit epoch values.
struct TimeParser {
    enum Failure: Error { case invalid(String), unknownZone(String) }

    struct Parsed {
        /// UTC nanoseconds; for date-only text, the session close of that local date.
        var nanoseconds: Int64
        var dateOnly: Bool
    }

    private let zone: TimeZone
    private let epochUnit: EpochUnit
    private let sessionCloseSeconds: Int64
    /// UTC offsets by local hour: offsets only change on the hour in every zone that matters here.
    private var offsetByLocalHour: [Int64: Int64] = [:]

    init(timeZone: String, epochUnit: EpochUnit, sessionCloseMinutes: Int) throws(Failure) {
        guard let zone = TimeZone(identifier: timeZone) else { throw .unknownZone(timeZone) }
        self.zone = zone
        self.epochUnit = epochUnit
        self.sessionCloseSeconds = Int64(sessionCloseMinutes) * 60
    }

    mutating func parse(_ t: UnsafeRawBufferPointer) throws(Failure) -> Parsed {
        var end = t.count
        var start = 0
        while start < end, t[start] == 0x20 { start += 1 }
        while end > start, t[end - 1] == 0x20 { end -= 1 }
        let n = end - start
        guard n > 0 else { throw .invalid("empty time") }
        @inline(__always) func digit(_ i: Int) throws(Failure) -> Int64 {
            let c = t[start + i]
            guard c >= 0x30 && c <= 0x39 else { throw .invalid("expected a digit at position \(i + 1)") }
            return Int64(c - 0x30)
        }
        @inline(__always) func number(_ from: Int, _ count: Int) throws(Failure) -> Int64 {
            var v: Int64 = 0
            for i in from..<(from + count) { v = v * 10 + (try digit(i)) }
            return v
        }
        if n < 10 || t[start + 4] != UInt8(ascii: "-") {
            return Parsed(nanoseconds: try epoch(t, start, end), dateOnly: false)
        }
        guard t[start + 7] == UInt8(ascii: "-") else { throw .invalid("expected YYYY-MM-DD") }
        let year = try number(0, 4), month = try number(5, 2), day = try number(8, 2)
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year, month) else {
            // As written (its digits and dashes are checked): "2020-13-01", not "2020-13-1".
            throw .invalid("no such date \(String(decoding: UnsafeRawBufferPointer(rebasing: t[start..<start + 10]), as: UTF8.self))")
        }
        let days = daysFromCivil(year, month, day)
        var i = 10
        guard n > 10 else {
            return Parsed(nanoseconds: try toUTC(localSeconds: days * 86_400 + sessionCloseSeconds, nanos: 0, offset: nil),
                          dateOnly: true)
        }
        guard t[start + 10] == UInt8(ascii: " ") || t[start + 10] == UInt8(ascii: "T"), n >= 16,
              t[start + 13] == UInt8(ascii: ":") else { throw .invalid("expected a time HH:MM after the date") }
        let hour = try number(11, 2), minute = try number(14, 2)
        var second: Int64 = 0
        var nanos: Int64 = 0
        i = 16
        if i < n, t[start + i] == UInt8(ascii: ":") {
            guard i + 3 <= n else { throw .invalid("expected seconds") }
            second = try number(i + 1, 2)
            i += 3
            if i < n, t[start + i] == UInt8(ascii: ".") {
                i += 1
                var scale: Int64 = 100_000_000
                var any = false
                while i < n, t[start + i] >= 0x30, t[start + i] <= 0x39 {
                    nanos += Int64(t[start + i] - 0x30) * scale
                    scale /= 10
                    any = true
                    i += 1
                }
                guard any else { throw .invalid("expected digits after the decimal point") }
            }
        }
        guard hour < 24, minute < 60, second < 61 else { throw .invalid("no such time of day") }
        var offset: Int64?
        if i < n {
            let c = t[start + i]
            if c == UInt8(ascii: "Z") && i + 1 == n {
                offset = 0
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                let rest = n - i - 1
                let oh: Int64, om: Int64
                if rest == 5, t[start + i + 3] == UInt8(ascii: ":") {
                    oh = try number(i + 1, 2); om = try number(i + 4, 2)
                } else if rest == 4 {
                    oh = try number(i + 1, 2); om = try number(i + 3, 2)
                } else if rest == 2 {
                    oh = try number(i + 1, 2); om = 0
                } else {
                    throw .invalid("bad UTC offset")
                }
                offset = (oh * 3600 + om * 60) * (c == UInt8(ascii: "-") ? -1 : 1)
            } else {
                throw .invalid("unexpected text after the time")
            }
        }
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        return Parsed(nanoseconds: try toUTC(localSeconds: local, nanos: nanos, offset: offset), dateOnly: false)
    }

    /// Local wall-clock seconds (as if UTC) to UTC nanoseconds, using `offset` when the text gave one.
    mutating func toUTC(localSeconds: Int64, nanos: Int64, offset: Int64?) throws(Failure) -> Int64 {
        let utcOffset: Int64
        if let offset {
            utcOffset = offset
        } else {
            let hourKey = localSeconds >= 0 ? localSeconds / 3600 : (localSeconds - 3599) / 3600
            if let cached = offsetByLocalHour[hourKey] {
                utcOffset = cached
            } else {
                // Guess with the offset at the same instant read as UTC, then correct once.
                let guess = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds))))
                let refined = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds - guess))))
                utcOffset = refined
                offsetByLocalHour[hourKey] = refined
            }
        }
        let (seconds, o1) = (localSeconds - utcOffset).multipliedReportingOverflow(by: Timestamp.nanosecondsPerSecond)
        let (total, o2) = seconds.addingReportingOverflow(nanos)
        guard !o1, !o2 else { throw .invalid("time out of range") }
        return total
    }

    private func epoch(_ t: UnsafeRawBufferPointer, _ start: Int, _ end: Int) throws(Failure) -> Int64 {
        var v: Int64 = 0
        var negative = false
        var i = start
        if t[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard i < end else { throw .invalid("not a time") }
        while i < end {
            let c = t[i]
            guard c >= 0x30 && c <= 0x39 else { throw .invalid("not a date, date-time or epoch number") }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c - 0x30))
            guard !o1, !o2 else { throw .invalid("epoch value out of range") }
            v = a
            i += 1
        }
        let (ns, overflow) = v.multipliedReportingOverflow(by: epochUnit.nanoseconds)
        guard !overflow else { throw .invalid("epoch value out of range") }
        return negative ? -ns : ns
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil-from-days inverse).
func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}
