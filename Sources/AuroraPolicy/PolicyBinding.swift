import AuroraLog
import AuroraModel

/// A policy rule that bound at a decision step, and what it cut (`policy_binding` records).
///
/// - `cost`: trades whose expected return did not beat their cost; per name `before` is the
///   expected return in the trade's direction, `after` the round-trip cost it had to beat (times
///   the margin, which is `limit`); `measureBefore` the trades with a forecast, `measureAfter`
///   those suppressed.
/// - `name`, `sector`, `net`, `gross`: a limit on the target book; per name the weight wanted
///   (`before`) and allowed (`after`); `measureBefore`/`measureAfter` the exposure (|w|, a
///   sector's |Σ w|, |Σ w|, Σ|w|) against `limit`; `group` the sector.
/// - `turnover_daily`, `turnover_weekly`, `turnover_monthly`: the budget left in the window
///   (`limit`), Σ|Δw| wanted and traded; per name the weight change wanted and allowed.
public struct PolicyBinding: Sendable, Codable, Equatable {
    public var rule: String
    public var group: String
    public var limit: Double
    public var measureBefore: Double
    public var measureAfter: Double
    public var symbols: [String]
    public var before: [Double]
    public var after: [Double]

    public init(rule: String, group: String = "", limit: Double, measureBefore: Double, measureAfter: Double,
                symbols: [String], before: [Double], after: [Double]) {
        self.rule = rule
        self.group = group
        self.limit = limit
        self.measureBefore = measureBefore
        self.measureAfter = measureAfter
        self.symbols = symbols
        self.before = before
        self.after = after
    }
}

public enum PolicyBindingCodec: ExtensionCodec {
    public static let name = "policy_binding"
    public static let version: UInt16 = 1
    public static func encode(_ v: PolicyBinding, into w: inout PayloadWriter) {
        w.string(v.rule); w.string(v.group); w.double(v.limit); w.double(v.measureBefore); w.double(v.measureAfter)
        w.varint(UInt64(v.symbols.count))
        for s in v.symbols { w.string(s) }
        w.doubles(v.before); w.doubles(v.after)
    }
    public static func decode(_ r: inout PayloadReader, version: UInt16) throws -> PolicyBinding {
        let rule = try r.string(), group = try r.string(), limit = try r.double(), mb = try r.double(), ma = try r.double()
        let n = try r.varint()
        guard n <= UInt64(r.remaining) else { throw PayloadError("\(name): \(n) symbols do not fit") }
        let symbols = try (0..<n).map { _ in try r.string() }
        return PolicyBinding(rule: rule, group: group, limit: limit, measureBefore: mb, measureAfter: ma, symbols: symbols,
                             before: try r.doubles(), after: try r.doubles())
    }
}
