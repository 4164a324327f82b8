import AuroraModel

/// What a portfolio constructor sees at a decision step.
public struct PortfolioContext: Sendable {
    public var timestamp: Timestamp
    /// Equity marked at this step's closes.
    public var equity: Double
    /// Held quantity per symbol id in `Quantity` raw units, orders still open at a broker included.
    public var positions: [Int64]
    /// Last known price per symbol id (0 before its first bar).
    public var lastPrice: [Double]
    /// This step's bars, ascending by symbol; a symbol without a bar here cannot be traded now.
    public var bars: [Bar]
    /// Index into `bars` of each symbol id's bar this step, -1 without one.
    public var barOf: [Int32]
    /// This step's bars as the strategy saw them: adjusted for splits and dividends since the
    /// run began, so returns computed from them across a split are true returns (what a
    /// constructor's volatility estimate reads). In the order of `bars`.
    public var adjustedBars: [Bar]

    public init(timestamp: Timestamp, equity: Double, positions: [Int64], lastPrice: [Double], bars: [Bar], barOf: [Int32],
                adjustedBars: [Bar]? = nil) {
        self.timestamp = timestamp
        self.equity = equity
        self.positions = positions
        self.lastPrice = lastPrice
        self.bars = bars
        self.barOf = barOf
        self.adjustedBars = adjustedBars ?? bars
    }

    /// The symbol's close this step, or nil when it has no bar now.
    public func close(_ s: SymbolID) -> Price? {
        guard s.index < barOf.count, barOf[s.index] >= 0 else { return nil }
        return bars[Int(barOf[s.index])].close
    }
}

/// A position the constructor wants: signed weight of equity and the quantity it comes to.
public struct PortfolioTarget: Sendable, Equatable {
    public var symbol: SymbolID
    public var weight: Double
    /// Signed, in `Quantity` raw units.
    public var quantity: Int64
    public init(symbol: SymbolID, weight: Double, quantity: Int64) {
        self.symbol = symbol
        self.weight = weight
        self.quantity = quantity
    }
}

/// Turns a step's signals (each with its direction and score, and where the strategy gives them
/// an expected return and a confidence) and the portfolio's state into target positions. The
/// kernel logs a target, a planned trade and an order for each target that differs from what is
/// held; symbols without a target keep their position. Signals arrive ascending by symbol, each
/// for a symbol with a bar this step. A constructor that binds a constraint says so through
/// `takeExplanations` (logged before the targets).
public protocol PortfolioConstructor {
    var name: String { get }
    mutating func targets(for signals: [Signal], in context: PortfolioContext) -> [PortfolioTarget]
    mutating func takeExplanations() -> [EventPayload]
}

extension PortfolioConstructor {
    public mutating func takeExplanations() -> [EventPayload] { [] }
}

/// weight × equity ÷ price in fixed-point shares: rounded to 10⁻⁶ (fractional) or toward zero to
/// whole shares; 0 when there is no equity left to size with (a negative equity would flip every
/// target), no price, or the result does not fit.
public func targetShares(weight: Double, equity: Double, price: Double, fractional: Bool) -> Int64 {
    guard weight != 0, price > 0, equity.isFinite, equity > 0 else { return 0 }
    let shares = weight * equity / price
    let raw = fractional ? (shares * Double(Quantity.scale)).rounded() : shares.rounded(.towardZero) * Double(Quantity.scale)
    guard raw.isFinite, abs(raw) < 9.2e18 else { return 0 }
    return Int64(raw)
}

/// A portfolio constructor as a plug-in of the configuration: its name (`portfolio.construction`),
/// its keys in `portfolio`, read and written canonically, and the constructor it builds.
public protocol PortfolioConstruction: Sendable {
    static var name: String { get }
    static var keys: [String] { get }
    init(section: any ConfigSection) throws
    /// Its settings as canonical YAML `key: value` lines, in a fixed order.
    var canonicalLines: [String] { get }
    func makeConstructor(fractionalShares: Bool) -> any PortfolioConstructor
    /// The constructor for a run, knowing its symbols, their sectors where the data gives them,
    /// and what trading costs (by default, `makeConstructor(fractionalShares:)`).
    func makeConstructor(_ setup: ConstructionSetup) throws -> any PortfolioConstructor
}

extension PortfolioConstruction {
    public func makeConstructor(_ setup: ConstructionSetup) throws -> any PortfolioConstructor {
        makeConstructor(fractionalShares: setup.fractionalShares)
    }
}

/// What a run tells its portfolio constructor before the first step.
public struct ConstructionSetup: Sendable {
    public var fractionalShares: Bool
    public var symbols: [String]
    /// Each symbol's sector, when the data brings them (the synthetic universe does).
    public var sectors: [String]?
    /// What a trade costs under the run's execution model.
    public var costs: TradingCosts

    public init(fractionalShares: Bool = true, symbols: [String] = [], sectors: [String]? = nil, costs: TradingCosts = TradingCosts()) {
        self.fractionalShares = fractionalShares
        self.symbols = symbols
        self.sectors = sectors
        self.costs = costs
    }
}

/// The execution model's costs as a constructor estimates them before trading: fees per share
/// and in basis points, fixed slippage in basis points, and square-root impact (impact_bps ×
/// √(shares ÷ bar volume)), each paid on both legs of a round trip.
public struct TradingCosts: Sendable, Equatable {
    public var bps: Double
    public var perShare: Double
    public var slippageBps: Double
    public var impactBps: Double

    public init(bps: Double = 0, perShare: Double = 0, slippageBps: Double = 0, impactBps: Double = 0) {
        self.bps = bps
        self.perShare = perShare
        self.slippageBps = slippageBps
        self.impactBps = impactBps
    }

    /// Entering and leaving a position of `shares` at `price`, as a fraction of its value; a
    /// `volume` of 0 or less leaves impact out.
    public func roundTrip(price: Double, shares: Double, volume: Double) -> Double {
        guard price > 0 else { return .infinity }
        let impact = volume > 0 ? impactBps * (abs(shares) / volume).squareRoot() : 0
        return 2 * ((bps + slippageBps + impact) / 10_000 + perShare / price)
    }
}
