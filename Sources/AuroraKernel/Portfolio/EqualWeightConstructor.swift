import AuroraModel

/// The reference sizing: BUY and SELL names share `grossExposure` equally, no name above
/// `maxPositionWeight`; HOLD means no position (`exit`) or no change (`keep`).
public struct EqualWeightConstructor: PortfolioConstructor, Sendable {
    public var settings: EqualWeightConstruction
    public var fractionalShares: Bool

    public init(settings: EqualWeightConstruction = EqualWeightConstruction(), fractionalShares: Bool = true) {
        self.settings = settings
        self.fractionalShares = fractionalShares
    }

    public var name: String { EqualWeightConstruction.name }

    public mutating func targets(for signals: [Signal], in context: PortfolioContext) -> [PortfolioTarget] {
        var active = 0
        for s in signals where s.direction != .hold { active += 1 }
        // Positions nothing will change this step (no signal, a kept HOLD, or no bar to trade at)
        // still take their share of the gross budget: the active names are sized around them.
        let kept = keptWeight(signals, context)
        let budget = max(0, settings.grossExposure - kept)
        let weight = active > 0 ? min(budget / Double(active), settings.maxPositionWeight) : 0
        var out: [PortfolioTarget] = []
        out.reserveCapacity(signals.count)
        for signal in signals {
            let w: Double
            switch signal.direction {
            case .buy: w = weight
            case .sell: w = -weight
            case .hold:
                if settings.holdPolicy == .keep { continue }
                w = 0
            }
            guard let close = context.close(signal.symbol) else { continue }
            let q = targetShares(weight: w, equity: context.equity, price: close.doubleValue, fractional: fractionalShares)
            out.append(PortfolioTarget(symbol: signal.symbol, weight: w, quantity: q))
        }
        return out
    }

    /// Σ |position × last price| ÷ equity over held symbols that this step's targets leave alone.
    private func keptWeight(_ signals: [Signal], _ context: PortfolioContext) -> Double {
        guard context.equity > 0 else { return 0 }
        var total = 0.0
        var k = 0
        for i in context.positions.indices where context.positions[i] != 0 {
            while k < signals.count && signals[k].symbol.index < i { k += 1 }
            let signal = k < signals.count && signals[k].symbol.index == i ? signals[k] : nil
            let changes = signal.map { $0.direction != .hold || settings.holdPolicy == .exit } ?? false
            let tradable = i < context.barOf.count && context.barOf[i] >= 0
            guard !(changes && tradable), i < context.lastPrice.count else { continue }
            total += abs(Double(context.positions[i]) / Double(Quantity.scale) * context.lastPrice[i])
        }
        return total / context.equity
    }
}

/// The equal-weight constructor's settings: `portfolio: {gross_exposure, max_position, hold_policy}`.
public struct EqualWeightConstruction: PortfolioConstruction, Equatable {
    public static let name = "equal_weight"
    public static let keys = ["gross_exposure", "max_position", "hold_policy"]
    /// Σ |weight| of the target book: BUY and SELL names share it equally…
    public var grossExposure = 1.0
    /// …but no name gets more than this weight.
    public var maxPositionWeight = 0.10
    public var holdPolicy: HoldPolicy = .exit

    public init(grossExposure: Double = 1.0, maxPositionWeight: Double = 0.10, holdPolicy: HoldPolicy = .exit) {
        self.grossExposure = grossExposure
        self.maxPositionWeight = maxPositionWeight
        self.holdPolicy = holdPolicy
    }

    public init(section: any ConfigSection) throws {
        self.init()
        if let v = try section.double("gross_exposure", min: 0, max: 100) { grossExposure = v }
        if let v = try section.double("max_position", min: 0, max: 100) { maxPositionWeight = v }
        if let v = try section.choice("hold_policy", HoldPolicy.self) { holdPolicy = v }
    }

    public var canonicalLines: [String] {
        ["gross_exposure: \(ConfigText.number(grossExposure))", "max_position: \(ConfigText.number(maxPositionWeight))",
         "hold_policy: \(holdPolicy.rawValue)"]
    }

    public func makeConstructor(fractionalShares: Bool) -> any PortfolioConstructor {
        EqualWeightConstructor(settings: self, fractionalShares: fractionalShares)
    }
}
