import AuroraData
import AuroraKernel
import AuroraStats
import AuroraModel
import AuroraExecution
import AuroraStrategies

/// Fixed benchmark inputs: each workload is a configuration over the seeded synthetic universe
/// and the digest its log must have. A benchmark that runs faster but writes a different digest
/// has changed the results, and says so.
public struct BenchmarkWorkload: Sendable {
    public var name: String
    public var summary: String
    public var config: AuroraConfig
    /// The run digest of the workload's log, recorded when the workload was defined or its results
    /// were intentionally changed.
    public var expectedDigest: String

    public static let all: [BenchmarkWorkload] = [momentum, alpha, twap, large]

    public static func named(_ name: String) -> BenchmarkWorkload? { all.first { $0.name == name } }

    /// The default backtest: momentum on 100 synthetic symbols × 504 days.
    public static let momentum = BenchmarkWorkload(
        name: "momentum", summary: "momentum(20, 5%) on 100 symbols × 504 days",
        config: AuroraConfig(), expectedDigest: "dbf81a1cda02c8a801129924df6dc6fb88ceace202d166b30aae35b7217190dd")

    public static let alpha: BenchmarkWorkload = {
        var settings = AlphaSettings()
        settings.strategy = AlphaStrategyConfig(alphaNames: ["momentum_20d", "mean_reversion", "cross_sectional_momentum"],
                                                longThreshold: 0.25, shortThreshold: -0.25, maxPositions: 10)
        settings.strategy.sectorNeutral = true
        var c = AuroraConfig()
        c.strategy = .alpha(settings)
        c.portfolio.equalWeight.maxPositionWeight = 0.05
        return BenchmarkWorkload(name: "alpha", summary: "3 alphas, sector-neutral, on 100 symbols × 504 days", config: c,
                                 expectedDigest: "0da3c3ae30da576f55f8277da09115c57bf633af52d1678d55b88e9baca23400")
    }()

    public static let twap: BenchmarkWorkload = {
        var settings = AlphaSettings()
        settings.strategy = AlphaStrategyConfig(alphaNames: ["momentum_20d", "mean_reversion"], longThreshold: 0.25,
                                                shortThreshold: -0.25, maxPositions: 5)
        var c = AuroraConfig()
        c.strategy = .alpha(settings)
        var twap = TWAPAlgorithm()
        twap.participationCap = 0.05
        c.execution.twap = twap
        c.execution.common.fractionalShares = false
        c.data.synthetic.symbolCount = 30
        c.data.synthetic.sectorCount = 5
        c.data.synthetic.days = 20
        c.data.synthetic.timeframe = .minute
        return BenchmarkWorkload(name: "twap", summary: "alpha decisions, TWAP over 30 symbols × 20 sessions of minute bars",
                                 config: c, expectedDigest: "c62b85422cc6b0d971684e3983dbc85b77b5e913fe47e192b27ba62349b19cf4")
    }()

    public static let large: BenchmarkWorkload = {
        var c = AuroraConfig()
        c.data.synthetic.symbolCount = 500
        c.data.synthetic.sectorCount = 11
        c.data.synthetic.days = 1000
        return BenchmarkWorkload(name: "large", summary: "momentum on 500 symbols × 1000 days", config: c,
                                 expectedDigest: "367e18242f8db288756d57f17d96db9fcaebeb2d6aceeee88c8c5ca6178bc0a1")
    }()
}
