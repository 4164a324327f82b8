import AuroraModel
import Foundation

/// Where an axis puts its ticks and what it writes there: "nice" numbers (1, 2 or 5 × 10ᵏ) for
/// values, and calendar steps (minutes, hours, days, months, years) for times, so daily and
/// intraday runs both get readable labels.
public enum Ticks {
    /// About `count` round values covering `lo...hi`, ascending.
    public static func values(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [] }
        if hi <= lo { return [lo] }
        let raw = (hi - lo) / Double(max(count, 1))
        let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var out: [Double] = []
        var v = (lo / step).rounded(.up) * step
        while v <= hi + step * 1e-9 && out.count < 50 {
            out.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return out
    }

    /// A time tick: where (seconds since 1970, UTC) and its label.
    public struct TimeTick: Sendable, Equatable {
        public var seconds: Double
        public var label: String
    }

    /// About `count` calendar ticks within `lo...hi` (seconds since 1970, UTC).
    public static func times(_ lo: Double, _ hi: Double, count: Int = 6) -> [TimeTick] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return lo.isFinite ? [TimeTick(seconds: lo, label: Civil(seconds: lo).day)] : [] }
        let span = hi - lo, target = span / Double(max(count, 1))
        let minute = 60.0, hour = 3_600.0, day = 86_400.0
        let fixed: [(Double, (Civil) -> String)] = [
            (minute, { $0.clock }), (5 * minute, { $0.clock }), (15 * minute, { $0.clock }), (30 * minute, { $0.clock }),
            (hour, { $0.clock }), (2 * hour, { $0.clock }), (3 * hour, { $0.clock }), (6 * hour, { $0.clock }), (12 * hour, { $0.clock }),
            (day, { $0.monthDay }), (2 * day, { $0.monthDay }), (7 * day, { $0.monthDay }), (14 * day, { $0.monthDay }),
        ]
        if let (step, label) = fixed.first(where: { $0.0 >= target }) {
            var out: [TimeTick] = []
            var t = (lo / step).rounded(.up) * step
            while t <= hi && out.count < 60 {
                out.append(TimeTick(seconds: t, label: label(Civil(seconds: t))))
                t += step
            }
            return out
        }
        let months = target / (30.44 * day)
        let step = [1, 2, 3, 6, 12, 24, 60, 120].first { Double($0) >= months } ?? 120
        var c = Civil(seconds: lo)
        var m = c.year * 12 + (c.month - 1)
        if c.dayOfMonth != 1 || c.secondsOfDay != 0 { m += 1 }
        m = (m + step - 1) / step * step
        var out: [TimeTick] = []
        while out.count < 60 {
            c = Civil(year: m / 12, month: m % 12 + 1, day: 1)
            let t = c.epochSeconds
            if t > hi { break }
            out.append(TimeTick(seconds: t, label: step >= 12 ? String(c.year) : c.yearMonth))
            m += step
        }
        return out
    }
}

/// A UTC calendar date and time from seconds since 1970 (proleptic Gregorian), without
/// Foundation's calendar: report axes ask for thousands of them.
public struct Civil: Sendable, Equatable {
    public var year: Int, month: Int, dayOfMonth: Int, secondsOfDay: Int

    public init(seconds: Double) {
        let s = Int(seconds.rounded(.down))
        let days = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        secondsOfDay = s - days * 86_400
        let (y, m, d) = civilFromDays(Int64(days))
        year = Int(y)
        month = Int(m)
        dayOfMonth = Int(d)
    }

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        dayOfMonth = day
        secondsOfDay = 0
    }

    public var epochSeconds: Double {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + dayOfMonth - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Double((era * 146_097 + doe - 719_468) * 86_400 + secondsOfDay)
    }

    private func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
    public var day: String { "\(year)-\(two(month))-\(two(dayOfMonth))" }
    public var yearMonth: String { "\(year)-\(two(month))" }
    public var monthDay: String { "\(two(month))-\(two(dayOfMonth))" }
    public var clock: String { secondsOfDay == 0 ? monthDay : "\(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60))" }
}
