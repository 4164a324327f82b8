/// A point in time as UTC nanoseconds since the Unix epoch.
///
/// Integer nanoseconds keep time exact and totally ordered; the range covers 1677–2262.
public struct Timestamp: RawRepresentable, Hashable, Comparable, Sendable {
    public var rawValue: Int64

    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
    @inlinable public init(nanoseconds: Int64) { self.rawValue = nanoseconds }

    public static let nanosecondsPerSecond: Int64 = 1_000_000_000

    @inlinable public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Seconds since the epoch, rounded toward negative infinity.
    public var epochSeconds: Int64 {
        let (q, r) = rawValue.quotientAndRemainder(dividingBy: Self.nanosecondsPerSecond)
        return r < 0 ? q - 1 : q
    }
}
