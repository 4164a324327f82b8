import AuroraModel
import AuroraData
import AuroraStats

/// Cash, positions and P&L, as the portfolio reducer rebuilds them from a log.
///
/// Money is in Double (currency units); positions keep the log's exact fixed-point quantities.
/// Sums over symbols always run in ascending symbol id, so every fold gives identical bits.
public struct PortfolioState: Sendable, Equatable {
    public var initialCash: Double = 0
    public var cash: Double = 0
    /// Position per symbol id, in `Quantity` raw units (10⁻⁶ shares); negative is short.
    public var positions: [Int64] = []
    /// Average entry price per share of the open position (0 when flat).
    public var averageCost: [Double] = []
    /// Last known close per symbol (0 before its first bar).
    public var lastPrice: [Double] = []
    /// P&L closed out by fills, before fees.
    public var realizedPnL: Double = 0
    public var fees: Double = 0
    /// Traded notional, summed over all fills.
    public var turnover: Double = 0
    public var fillCount: Int = 0
    /// Cash dividends received (paid, when short), included in `cash`.
    public var dividends: Double = 0
    /// Time of the last event folded in.
    public var timestamp = Timestamp(rawValue: 0)
    /// Sequence of the last event folded in.
    public var sequence: UInt64 = 0

    public init() {}

    public func quantity(_ s: SymbolID) -> Double {
        s.index < positions.count ? Double(positions[s.index]) / Double(Quantity.scale) : 0
    }

    /// Σ position × last price (net market value).
    public var netExposure: Double {
        var total = 0.0
        for i in positions.indices where positions[i] != 0 {
            total += Double(positions[i]) / Double(Quantity.scale) * lastPrice[i]
        }
        return total
    }

    /// Σ |position × last price|.
    public var grossExposure: Double {
        var total = 0.0
        for i in positions.indices where positions[i] != 0 {
            total += abs(Double(positions[i]) / Double(Quantity.scale) * lastPrice[i])
        }
        return total
    }

    /// Cash plus positions marked at their last known prices.
    public var equity: Double { cash + netExposure }

    /// Σ position × (last price − average cost).
    public var unrealizedPnL: Double {
        var total = 0.0
        for i in positions.indices where positions[i] != 0 {
            total += Double(positions[i]) / Double(Quantity.scale) * (lastPrice[i] - averageCost[i])
        }
        return total
    }

    /// The symbols with an open position, ascending.
    public var openSymbols: [SymbolID] {
        positions.indices.filter { positions[$0] != 0 }.map { SymbolID($0) }
    }

    mutating func ensureSymbol(_ index: Int) {
        guard index >= positions.count else { return }
        let grow = index + 1 - positions.count
        positions.append(contentsOf: repeatElement(0, count: grow))
        averageCost.append(contentsOf: repeatElement(0, count: grow))
        lastPrice.append(contentsOf: repeatElement(0, count: grow))
    }
}
