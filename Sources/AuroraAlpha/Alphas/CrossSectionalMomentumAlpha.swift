import AuroraModel

/// The `lookback`-bar momentum of each symbol ranked across the universe at each step: the
/// average-tie percentile rank mapped to [−0.5, 0.5] (lowest −0.5, highest +0.5, one symbol 0).
public struct CrossSectionalMomentumAlpha: Alpha, Sendable {
    public let name: String
    private var momentum: MomentumAlpha
    private var raw: [Double] = []

    public init(name: String = "cross_sectional_momentum", lookback: Int = 20) {
        self.name = name
        self.momentum = MomentumAlpha(name: name, lookback: lookback)
    }

    public mutating func step(_ snapshot: MarketSnapshot, into values: inout [Double]) {
        momentum.step(snapshot, into: &raw)
        values = CrossSection.percentileRank(raw)
    }
}
