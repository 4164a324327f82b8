import AuroraData
import AuroraKernel

/// The policy layer as one portfolio constructor (`portfolio.construction: policy`), composed in
/// config from optional parts applied in this order: a cost filter (trade only when the
/// expected return beats the round trip's cost), sizing (equal, or by confidence over trailing
/// volatility), risk limits (per name, per sector, net, gross) and a turnover budget (Σ|Δw|
/// per day, week and month). Every part that binds logs a `policy_binding` record of what it cut.
///
/// ```yaml
/// portfolio:
///   construction: policy
///   sizing: {method: risk, volatility_window: 20}
///   cost_filter: {margin: 1}
///   limits: {gross: 1, net: 0.1, name: 0.05, sector: 0.2}
///   turnover: {daily: 0.25, weekly: 0.8, monthly: 2}
/// ```
public struct PolicyConstruction: PortfolioConstruction, Equatable {
    public static let name = "policy"
    public static let keys = ["sizing", "cost_filter", "limits", "turnover", "hold_policy"]

    public struct Sizing: Sendable, Equatable {
        public enum Method: String, Sendable, CaseIterable {
            /// Every traded name the same size.
            case equal
            /// Size ∝ confidence ÷ trailing volatility (confidence 1 where the signal gives none).
            case risk
        }
        public var method: Method = .equal
        /// Bar times of close-to-close returns behind a name's volatility.
        public var volatilityWindow = 20
        public init(method: Method = .equal, volatilityWindow: Int = 20) {
            self.method = method
            self.volatilityWindow = volatilityWindow
        }
    }

    /// A trade into a position is made only when its expected return, in the trade's direction,
    /// exceeds `margin` × the estimated round-trip cost (at the largest position a name may take).
    public struct CostFilter: Sendable, Equatable {
        public var margin = 1.0
        public init(margin: Double = 1) { self.margin = margin }
    }

    /// Limits on the target book, as fractions of equity.
    public struct Limits: Sendable, Equatable {
        /// Σ|w|: what the sized book spends.
        public var gross = 1.0
        /// |Σ w|, or no limit.
        public var net: Double?
        /// |w| per name.
        public var name = 0.10
        /// |Σ w| within each sector, or no limit.
        public var sector: Double?
        /// `Symbol,Name,Sector` CSV; the synthetic universe brings its own sectors.
        public var sectorMap: String?
        public init(gross: Double = 1, net: Double? = nil, name: Double = 0.10, sector: Double? = nil, sectorMap: String? = nil) {
            self.gross = gross
            self.net = net
            self.name = name
            self.sector = sector
            self.sectorMap = sectorMap
        }
    }

    /// Σ|Δw| allowed per decision step, per 5 and per 21 of them (a trading week and month on
    /// daily bars); nil leaves that window free.
    public struct Turnover: Sendable, Equatable {
        public var daily: Double?
        public var weekly: Double?
        public var monthly: Double?
        public init(daily: Double? = nil, weekly: Double? = nil, monthly: Double? = nil) {
            self.daily = daily
            self.weekly = weekly
            self.monthly = monthly
        }
    }

    public var sizing = Sizing()
    public var costFilter: CostFilter?
    public var limits = Limits()
    public var turnover: Turnover?
    public var holdPolicy: HoldPolicy = .exit

    public init(sizing: Sizing = Sizing(), costFilter: CostFilter? = nil, limits: Limits = Limits(), turnover: Turnover? = nil,
                holdPolicy: HoldPolicy = .exit) {
        self.sizing = sizing
        self.costFilter = costFilter
        self.limits = limits
        self.turnover = turnover
        self.holdPolicy = holdPolicy
    }

    public init(section: any ConfigSection) throws {
        self.init()
        if let s = try section.section("sizing") {
            try s.allow(["method", "volatility_window"])
            if let v = try s.choice("method", Sizing.Method.self) { sizing.method = v }
            if let v = try s.int("volatility_window", min: 2, max: 10_000) { sizing.volatilityWindow = v }
        }
        if let s = try section.section("cost_filter") {
            try s.allow(["margin"])
            costFilter = CostFilter(margin: try s.double("margin", min: 0, max: 1_000) ?? 1)
        }
        if let s = try section.section("limits") {
            try s.allow(["gross", "net", "name", "sector", "sector_map"])
            if let v = try s.double("gross", min: 0, max: 100) { limits.gross = v }
            limits.net = try s.double("net", min: 0, max: 100)
            if let v = try s.double("name", min: 0, max: 100) { limits.name = v }
            limits.sector = try s.double("sector", min: 0, max: 100)
            limits.sectorMap = try s.string("sector_map")
        }
        if let s = try section.section("turnover") {
            try s.allow(["daily", "weekly", "monthly"])
            let t = Turnover(daily: try s.double("daily", min: 0, max: 1_000), weekly: try s.double("weekly", min: 0, max: 1_000),
                             monthly: try s.double("monthly", min: 0, max: 1_000))
            guard t.daily != nil || t.weekly != nil || t.monthly != nil else {
                throw section.error("turnover", "give at least one of daily, weekly, monthly (Σ|Δw| as a fraction of equity)")
            }
            turnover = t
        }
        if let v = try section.choice("hold_policy", HoldPolicy.self) { holdPolicy = v }
    }

    public var canonicalLines: [String] {
        func n(_ v: Double) -> String { ConfigText.number(v) }
        var lines = ["sizing: {method: \(sizing.method.rawValue), volatility_window: \(sizing.volatilityWindow)}"]
        if let c = costFilter { lines.append("cost_filter: {margin: \(n(c.margin))}") }
        var l = ["gross: \(n(limits.gross))", "name: \(n(limits.name))"]
        if let v = limits.net { l.append("net: \(n(v))") }
        if let v = limits.sector { l.append("sector: \(n(v))") }
        if let v = limits.sectorMap { l.append("sector_map: \(ConfigText.quoted(v))") }
        lines.append("limits: {\(l.joined(separator: ", "))}")
        if let t = turnover {
            let parts = [("daily", t.daily), ("weekly", t.weekly), ("monthly", t.monthly)].compactMap { k, v in v.map { "\(k): \(n($0))" } }
            lines.append("turnover: {\(parts.joined(separator: ", "))}")
        }
        lines.append("hold_policy: \(holdPolicy.rawValue)")
        return lines
    }

    public func makeConstructor(fractionalShares: Bool) -> any PortfolioConstructor {
        PolicyConstructor(self, setup: ConstructionSetup(fractionalShares: fractionalShares), sectorOf: nil)
    }

    public func makeConstructor(_ setup: ConstructionSetup) throws -> any PortfolioConstructor {
        var sectors = setup.sectors
        if let path = limits.sectorMap {
            let map = try SectorMap.load(path: path)
            sectors = setup.symbols.map { map.sectorOf[$0] ?? SectorMap.unmapped }
        }
        if limits.sector != nil && sectors == nil {
            throw DataError("portfolio.limits.sector needs portfolio.limits.sector_map (a Symbol,Name,Sector CSV) for this data")
        }
        return PolicyConstructor(self, setup: setup, sectorOf: sectors)
    }
}
