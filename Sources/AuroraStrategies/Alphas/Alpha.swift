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
    mutating func step(_ snapshot: MarketSnapshot, into values: inout [Double])
}

/// Alphas by name, so configurations can refer to them. The built-ins are registered; add your
/// own with `register` before building a strategy from a configuration.
public struct AlphaRegistry: Sendable {
    public typealias Factory = @Sendable () -> any Alpha
    private var factories: [String: Factory] = [:]
    /// Registration order, so listings are deterministic.
    public private(set) var names: [String] = []

    public init() {}

    public static let builtIn: AlphaRegistry = {
        var r = AlphaRegistry()
        r.register("momentum_20d") { MomentumAlpha(name: "momentum_20d", lookback: 20) }
        r.register("mean_reversion") { MeanReversionAlpha(name: "mean_reversion", window: 20) }
        r.register("cross_sectional_momentum") { CrossSectionalMomentumAlpha(name: "cross_sectional_momentum", lookback: 20) }
        return r
    }()

    public mutating func register(_ name: String, _ factory: @escaping Factory) {
        if factories[name] == nil { names.append(name) }
        factories[name] = factory
    }

    public func make(_ name: String) -> (any Alpha)? { factories[name]?() }
    public func contains(_ name: String) -> Bool { factories[name] != nil }
}
