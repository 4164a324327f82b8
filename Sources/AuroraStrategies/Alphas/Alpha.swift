import AuroraModel
import AuroraStats
import AuroraData
import AuroraKernel

/// A per-symbol score computed from bars, one cross-section per step.
///
/// `step` sees the bars that closed at this step and writes every symbol's value into `values`
/// (indexed by symbol id, NaN where the alpha is undefined: no bar now or too little history).
/// It may use only these bars and earlier ones, so a value at t never depends on anything after t.
/// Implementations keep rolling state: constant work per symbol per bar where the math allows.
public protocol Alpha {
    var name: String { get }
    /// Bars of a symbol's own history the alpha needs before it is defined (nil: not known).
    var requiredBars: Int? { get }
    mutating func step(_ snapshot: MarketSnapshot, into values: inout [Double])
}

extension Alpha {
    public var requiredBars: Int? { nil }
}

/// Alphas by name, so configurations can refer to them. The built-ins are registered; add your
/// own with `register` before building a strategy from a configuration.
public struct AlphaRegistry: Sendable {
    public typealias Factory = @Sendable () -> any Alpha
    private var factories: [String: Factory] = [:]
    /// Registration order, so listings are deterministic.
    public private(set) var names: [String] = []

    public init() {}

    /// An alpha with one window parameter: `{name: momentum, lookback: 60}` in a configuration
    /// is the instance named `momentum_60d`, and that name (the one logs carry) makes it again.
    public struct Family: Sendable {
        public var base: String
        public var parameter: String
        public var defaultValue: Int
        /// The instance's name for a value (`momentum` + 60 → `momentum_60d`).
        public var suffix: String
        public var make: @Sendable (_ name: String, _ value: Int) -> any Alpha

        public func name(_ value: Int) -> String { "\(base)_\(value)\(suffix)" }

        /// The value a name of this family carries, if it is one.
        func value(in name: String) -> Int? {
            guard name.hasPrefix(base + "_"), name.hasSuffix(suffix) else { return nil }
            let digits = name.dropFirst(base.count + 1).dropLast(suffix.count)
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let v = Int(digits), v >= 1, v <= Self.maxValue, "\(v)" == digits else { return nil }
            return v
        }

        public static let maxValue = 10_000
    }
    public private(set) var families: [Family] = []

    public static let builtIn: AlphaRegistry = {
        var r = AlphaRegistry()
        r.register("momentum_20d") { MomentumAlpha(name: "momentum_20d", lookback: 20) }
        r.register("mean_reversion") { MeanReversionAlpha(name: "mean_reversion", window: 20) }
        r.register("cross_sectional_momentum") { CrossSectionalMomentumAlpha(name: "cross_sectional_momentum", lookback: 20) }
        r.register(Family(base: "momentum", parameter: "lookback", defaultValue: 20, suffix: "d") { MomentumAlpha(name: $0, lookback: $1) })
        r.register(Family(base: "mean_reversion", parameter: "window", defaultValue: 20, suffix: "") { MeanReversionAlpha(name: $0, window: $1) })
        r.register(Family(base: "cross_sectional_momentum", parameter: "lookback", defaultValue: 20, suffix: "d") {
            CrossSectionalMomentumAlpha(name: $0, lookback: $1)
        })
        return r
    }()

    public mutating func register(_ name: String, _ factory: @escaping Factory) {
        if factories[name] == nil { names.append(name) }
        factories[name] = factory
    }

    public mutating func register(_ family: Family) {
        families.removeAll { $0.base == family.base }
        families.append(family)
    }

    public func family(_ base: String) -> Family? { families.first { $0.base == base } }

    public func make(_ name: String) -> (any Alpha)? {
        if let f = factories[name] { return f() }
        for family in families { if let v = family.value(in: name) { return family.make(name, v) } }
        return nil
    }

    public func contains(_ name: String) -> Bool { factories[name] != nil || families.contains { $0.value(in: name) != nil } }

    /// Names and families, for messages (`momentum_20d, …, momentum_{lookback}d`).
    public var listing: String {
        (names + families.map { "\($0.base)_{\($0.parameter)}\($0.suffix)" }).joined(separator: ", ")
    }
}
