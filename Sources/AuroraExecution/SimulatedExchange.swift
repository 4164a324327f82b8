import AuroraModel

/// How the simulated exchange prices and sizes fills against intraday bars.
public struct FillModel: Sendable, Equatable {
    public enum PriceSource: String, Sendable, CaseIterable {
        case open, close
        /// (high + low + close) / 3
        case typical
        /// (open + high + low + close) / 4, a stand-in for the bar's VWAP
        case vwapProxy = "vwap_proxy"
    }

    public var price: PriceSource = .vwapProxy
    /// At most this fraction of a bar's volume per symbol (all orders together); nil: no cap.
    /// Escalated orders ignore it: they must complete.
    public var participationCap: Double? = 0.1
    /// Fixed slippage against the trader, in basis points.
    public var slippageBps: Double = 0
    /// Square-root impact: impactBps × √(fill quantity ÷ bar volume), against the trader.
    public var impactBps: Double = 0
    public var costPerShare: Double = 0
    public var costBps: Double = 0
    /// A fill's fee is at least this (the first fill of an order pays it; later ones the rest).
    public var minimumPerOrder: Double = 0

    public init() {}
}

/// An order resting at the simulated exchange.
public struct WorkingOrder: Sendable, Equatable {
    public var orderID: UInt64
    public var tradeID: UInt64
    public var symbol: SymbolID
    public var side: Side
    public var type: OrderType
    public var limitPrice: Price?
    public var remaining: Quantity
    /// Orders sent at or after a bar's end trade from the next bar on.
    public var submittedAt: Timestamp
    /// Escalated market orders are not held back by the participation cap.
    public var uncapped: Bool
    var feesPaid: Double = 0

    public init(orderID: UInt64, tradeID: UInt64, symbol: SymbolID, side: Side, type: OrderType, limitPrice: Price? = nil,
                remaining: Quantity, submittedAt: Timestamp, uncapped: Bool = false) {
        self.orderID = orderID
        self.tradeID = tradeID
        self.symbol = symbol
        self.side = side
        self.type = type
        self.limitPrice = limitPrice
        self.remaining = remaining
        self.submittedAt = submittedAt
        self.uncapped = uncapped
    }
}

extension FillModel {
    /// The fee of a fill of `shares` at `price` for an order that has paid `alreadyPaid` so far:
    /// per share plus basis points, topped up so the order pays at least `minimumPerOrder`.
    func fee(shares: Double, price: Double, alreadyPaid: Double = 0) -> Double {
        let fee = costPerShare * shares + costBps / 10_000 * shares * price
        return alreadyPaid + fee < minimumPerOrder ? minimumPerOrder - alreadyPaid : fee
    }
}

/// Fills working orders against each bar: the model price, a participation cap shared by all
/// orders on the symbol in that bar (the rest waits for later bars), slippage and costs. A bar
/// with no volume fills nothing; a symbol without a bar fills nothing: no invented prices.
public struct SimulatedExchange: Sendable {
    public var model: FillModel

    public init(model: FillModel = FillModel()) { self.model = model }

    /// Matches `orders` (in the given order: priority first) against `bar`, which ended at `time`.
    public func match(_ orders: inout [WorkingOrder], bar: Bar, at time: Timestamp) -> [Fill] {
        let volume = bar.volume.doubleValue
        guard volume > 0 else { return [] }
        var room = model.participationCap.map { $0 * volume } ?? .infinity
        let base: Double = switch model.price {
        case .open: bar.open.doubleValue
        case .close: bar.close.doubleValue
        case .typical: (bar.high.doubleValue + bar.low.doubleValue + bar.close.doubleValue) / 3
        case .vwapProxy: (bar.open.doubleValue + bar.high.doubleValue + bar.low.doubleValue + bar.close.doubleValue) / 4
        }
        var fills: [Fill] = []
        for i in orders.indices where orders[i].symbol == bar.symbol && orders[i].remaining.rawValue > 0 && orders[i].submittedAt < time {
            var price = base
            if orders[i].type == .limit, let limit = orders[i].limitPrice?.doubleValue {
                if orders[i].side == .buy {
                    guard bar.low.doubleValue <= limit else { continue }
                    price = min(price, limit)
                } else {
                    guard bar.high.doubleValue >= limit else { continue }
                    price = max(price, limit)
                }
            }
            let wanted = orders[i].remaining.doubleValue
            let allowed = orders[i].uncapped ? wanted : min(wanted, room)
            let shares = Quantity(rawValue: min(orders[i].remaining.rawValue, Int64((allowed * Double(Quantity.scale)).rounded(.down))))
            guard shares.rawValue > 0 else { continue }
            let q = shares.doubleValue
            if !orders[i].uncapped { room -= q }
            let sign: Double = orders[i].side == .buy ? 1 : -1
            let slip = model.slippageBps + model.impactBps * (q / volume).squareRoot()
            if orders[i].type == .market { price *= 1 + sign * slip / 10_000 }
            let fee = model.fee(shares: q, price: price, alreadyPaid: orders[i].feesPaid)
            orders[i].feesPaid += fee
            orders[i].remaining = Quantity(rawValue: orders[i].remaining.rawValue - shares.rawValue)
            fills.append(Fill(orderID: orders[i].orderID, symbol: bar.symbol, side: orders[i].side, quantity: shares,
                              price: Price(price) ?? bar.close, fees: Price(saturating: fee), liquidity: .taker))
        }
        return fills
    }
}
