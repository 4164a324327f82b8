/// The length of a bar in nanoseconds (a 1-minute bar, a daily bar, …).
public struct Timeframe: RawRepresentable, Hashable, Comparable, Sendable {
    public var rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }

    public static func seconds(_ s: Int64) -> Timeframe { Timeframe(rawValue: s * Timestamp.nanosecondsPerSecond) }
    public static let minute = Timeframe.seconds(60)
    public static let hour = Timeframe.seconds(3_600)
    public static let day = Timeframe.seconds(86_400)

    @inlinable public static func < (lhs: Timeframe, rhs: Timeframe) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Parses "1d", "5m", "1h", "30s", "250ms" (and "1min", "1day").
    public init?(text: String) {
        let lower = text.lowercased()
        guard let split = lower.firstIndex(where: { !$0.isNumber }), split != lower.startIndex,
              let count = Int64(lower[..<split]), count > 0 else { return nil }
        let unit: Int64
        switch lower[split...] {
        case "ns": unit = 1
        case "us": unit = 1_000
        case "ms": unit = 1_000_000
        case "s", "sec": unit = 1_000_000_000
        case "m", "min": unit = 60_000_000_000
        case "h", "hour": unit = 3_600_000_000_000
        case "d", "day": unit = 86_400_000_000_000
        default: return nil
        }
        let (value, overflow) = count.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        self.rawValue = value
    }
}

extension Timeframe: CustomStringConvertible {
    public var description: String {
        let units: [(Int64, String)] = [
            (86_400_000_000_000, "d"), (3_600_000_000_000, "h"), (60_000_000_000, "m"),
            (1_000_000_000, "s"), (1_000_000, "ms"), (1_000, "us"), (1, "ns"),
        ]
        for (unit, name) in units where rawValue != 0 && rawValue % unit == 0 {
            return "\(rawValue / unit)\(name)"
        }
        return "\(rawValue)ns"
    }
}
