import AuroraModel
import AuroraStrategies

/// Something that turns each bar time's market snapshot into features: the Alpha158 engine, a
/// registered alpha, the ETF residuals. It sees the snapshot a strategy would see (prices
/// adjusted as of that date) and only the past, so a feature at t never depends on a later bar.
public protocol FeatureSource {
    var names: [String] { get }
    /// Writes the features of date `date` at `out[feature × symbolCount + symbol]`; `out` holds
    /// NaN on entry, so a source leaves undefined values alone.
    mutating func step(_ snapshot: MarketSnapshot, date: Int, into out: UnsafeMutableBufferPointer<Double>)
}

/// Alpha158 as a feature source.
public struct Alpha158Source: FeatureSource {
    public private(set) var engine: Alpha158Engine
    public init(settings: Alpha158Settings = Alpha158Settings()) { engine = Alpha158Engine(settings: settings) }
    public var names: [String] { engine.names }

    public mutating func step(_ snapshot: MarketSnapshot, date: Int, into out: UnsafeMutableBufferPointer<Double>) {
        engine.step(snapshot.bars, symbolCount: snapshot.symbolNames.count, into: out)
    }
}

/// Any alpha as one feature: its value per symbol, as the alpha strategy would log it. Alphas
/// registered by users (`AlphaRegistry.register`) are features the same way.
public struct AlphaFeature: FeatureSource {
    public private(set) var alpha: any Alpha
    private var values: [Double] = []

    public init(_ alpha: any Alpha) { self.alpha = alpha }
    public var names: [String] { [alpha.name] }

    public mutating func step(_ snapshot: MarketSnapshot, date: Int, into out: UnsafeMutableBufferPointer<Double>) {
        alpha.step(snapshot, into: &values)
        for (s, v) in values.enumerated() where s < out.count { out[s] = v }
    }
}
