import AuroraKernel
import AuroraModel

/// TWAP as a registered execution algorithm: `execution: {algorithm: twap, twap: {…}}`. Each
/// day's decisions execute over the next session's minute bars in `slices` slices between
/// `start` and `cutoff` (New York times), through a rate limit and the simulated exchange.
public struct TWAPAlgorithm: ExecutionAlgorithm, Equatable {
    public static let name = "twap"
    public static let section: String? = "twap"
    static let keys = ["slices", "start", "cutoff", "rate_limit", "fill_price", "participation_cap", "slippage_bps", "impact_bps",
                       "minimum_per_order"]

    public var slices = 10
    /// Session-local times (New York) of the first slice and of the cutoff, minutes after midnight.
    public var startMinutes = 9 * 60 + 30
    public var cutoffMinutes = 15 * 60 + 30
    public var rateLimitPerMinute = 200
    public var fillPrice: FillModel.PriceSource = .vwapProxy
    /// Fraction of each bar's volume; nil: no cap.
    public var participationCap: Double? = 0.1
    public var slippageBps = 0.0
    public var impactBps = 0.0
    public var minimumPerOrder = 0.0

    public init() {}

    public init(section: (any ConfigSection)?) throws {
        guard let t = section else { return }
        try t.allow(Self.keys)
        if let v = try t.int("slices", min: 1, max: 10_000) { slices = v }
        if let v = try t.sessionTime("start") { startMinutes = v }
        if let v = try t.sessionTime("cutoff") { cutoffMinutes = v }
        guard startMinutes < cutoffMinutes else { throw t.error("cutoff", "must be after start") }
        if let v = try t.int("rate_limit", min: 1, max: 1_000_000) { rateLimitPerMinute = v }
        if let v = try t.choice("fill_price", FillModel.PriceSource.self) { fillPrice = v }
        if let text = try t.string("participation_cap"), ["none", "null", "~"].contains(text.lowercased()) {
            participationCap = nil
        } else if let cap = try t.double("participation_cap", min: 0, max: 1) {
            guard cap > 0 else { throw t.error("participation_cap", "must be above 0 (or none)") }
            participationCap = cap
        }
        if let v = try t.double("slippage_bps", min: 0, max: 10_000) { slippageBps = v }
        if let v = try t.double("impact_bps", min: 0, max: 10_000) { impactBps = v }
        if let v = try t.double("minimum_per_order", min: 0, max: 1_000_000) { minimumPerOrder = v }
    }

    public var canonicalLines: [String] {
        ["slices: \(slices)", "start: \(ConfigText.sessionTime(startMinutes))", "cutoff: \(ConfigText.sessionTime(cutoffMinutes))",
         "rate_limit: \(rateLimitPerMinute)", "fill_price: \(fillPrice.rawValue)",
         "participation_cap: \(participationCap.map(ConfigText.number) ?? "none")", "slippage_bps: \(ConfigText.number(slippageBps))",
         "impact_bps: \(ConfigText.number(impactBps))", "minimum_per_order: \(ConfigText.number(minimumPerOrder))"]
    }

    public var needsIntradayBars: Bool { true }

    public func tradingCosts(_ common: ExecutionCommon) -> TradingCosts {
        TradingCosts(bps: common.costBps, perShare: common.costPerShare, slippageBps: slippageBps, impactBps: impactBps)
    }

    public func makeModel(_ common: ExecutionCommon, symbols: [String]) -> AnyExecutionModel {
        var fill = FillModel()
        fill.price = fillPrice
        fill.participationCap = participationCap
        fill.slippageBps = slippageBps
        fill.impactBps = impactBps
        fill.costPerShare = common.costPerShare
        fill.costBps = common.costBps
        fill.minimumPerOrder = minimumPerOrder
        return AnyExecutionModel(TWAPExecution(settings: self, fill: fill, fractionalShares: common.fractionalShares,
                                               symbolCount: symbols.count, externalFills: common.externalFills))
    }
}
