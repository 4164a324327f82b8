/// A price or currency amount in fixed point: `rawValue` units of 10⁻⁹.
///
/// The same scale as Databento's DBN, so prices from any venue are exact and comparable
/// without floating-point rounding.
public struct Price: RawRepresentable, Hashable, Comparable, Sendable {
    public var rawValue: Int64
    public static let scale: Int64 = 1_000_000_000
    public static let decimals = 9
    public static let zero = Price(rawValue: 0)

    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }

    /// The nearest representable price, or nil when `value` is not finite or out of range.
    public init?(_ value: Double) {
        guard let raw = fixedPointRaw(value, scale: Price.scale) else { return nil }
        self.rawValue = raw
    }

    public var doubleValue: Double { Double(rawValue) / Double(Self.scale) }
    @inlinable public static func < (lhs: Price, rhs: Price) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The largest amount a price holds: 9,223,372,036.854775807.
    public static let max = Price(rawValue: .max)

    /// The nearest price, held at the ends of the range (a fee too large to represent is charged
    /// as the largest one, never wrapped or dropped); NaN is zero.
    public init(saturating value: Double) {
        if let p = Price(value) { self = p } else { self = value > 0 ? .max : value < 0 ? Price(rawValue: -.max) : .zero }
    }
}

/// A quantity (shares, contracts, volume) in fixed point: `rawValue` units of 10⁻⁶.
///
/// Micro-units allow fractional shares while bar volumes up to 9.2·10¹² still fit.
public struct Quantity: RawRepresentable, Hashable, Comparable, Sendable {
    public var rawValue: Int64
    public static let scale: Int64 = 1_000_000
    public static let decimals = 6
    public static let zero = Quantity(rawValue: 0)

    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }

    public init?(_ value: Double) {
        guard let raw = fixedPointRaw(value, scale: Quantity.scale) else { return nil }
        self.rawValue = raw
    }

    public var doubleValue: Double { Double(rawValue) / Double(Self.scale) }
    @inlinable public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Int64 {
    /// `v` rounded to the nearest integer, held at ±`Int64.max` where it does not fit and 0 for
    /// NaN: raw amounts scaled by a ratio from the data (a split of 10⁻³⁰⁰ or 10⁵⁷ new shares per
    /// old) must saturate rather than trap the run.
    public init(saturatingRounded v: Double) {
        let r = v.rounded()
        if r >= 9.223372036854775807e18 { self = .max } else if r <= -9.223372036854775807e18 { self = -.max } else if r.isNaN { self = 0 } else { self = Int64(r) }
    }
}

@usableFromInline
func fixedPointRaw(_ value: Double, scale: Int64) -> Int64? {
    guard value.isFinite else { return nil }
    let scaled = (value * Double(scale)).rounded()
    // 2^63 is exactly representable; anything at or above it does not fit.
    guard scaled > -9.223372036854775807e18, scaled < 9.223372036854775807e18 else { return nil }
    return Int64(scaled)
}

extension Price: CustomStringConvertible {
    public var description: String { formatFixedPoint(rawValue, decimals: Self.decimals) }
}

extension Quantity: CustomStringConvertible {
    public var description: String { formatFixedPoint(rawValue, decimals: Self.decimals) }
}

/// Exact decimal text of a fixed-point value, trailing zeros removed ("15.07", "-3", "0.000001").
public func formatFixedPoint(_ raw: Int64, decimals: Int) -> String {
    var scale: UInt64 = 1
    for _ in 0..<decimals { scale *= 10 }
    let magnitude = raw.magnitude
    var whole = magnitude / scale
    var fraction = magnitude % scale
    var digits = decimals
    if fraction != 0 {
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
    }
    // Digits written from the right into a stack buffer, then one string (inline when it fits
    // in 15 bytes, as most prices do): prices print millions of times (`cat`, reports).
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { out in
        var n = 48
        func put(_ byte: UInt8) { n -= 1; out[n] = byte }
        if fraction != 0 {
            for _ in 0..<digits { put(UInt8(48 + fraction % 10)); fraction /= 10 }
            put(46)
        }
        repeat { put(UInt8(48 + whole % 10)); whole /= 10 } while whole > 0
        if raw < 0 { put(45) }
        return String(decoding: UnsafeBufferPointer(rebasing: out[n..<48]), as: UTF8.self)
    }
}
