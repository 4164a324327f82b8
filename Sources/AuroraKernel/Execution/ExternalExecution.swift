import AuroraModel
import AuroraData
import AuroraStats

/// Execution by a broker outside the kernel (a paper exchange or a real gateway): each decided
/// trade becomes one market order, logged as submitted; the session sends it, and whatever the
/// broker answers comes back as input events. The model only keeps the open quantity per symbol,
/// so the next decision is sized net of orders the broker has not finished.
public struct ExternalExecution: ExecutionModel, Sendable {
    private var open: [UInt64: (symbol: Int, remaining: Int64)] = [:]
    private var openBySymbol: [Int64]
    private var nextOrderID: UInt64 = 1
    public let skippedTrades = 0

    public init(symbolCount: Int) {
        openBySymbol = Array(repeating: 0, count: symbolCount)
    }

    public mutating func onDecisionBars(_ bars: [Bar], at timestamp: Timestamp) -> [EventPayload] { [] }

    public mutating func submit(_ trade: DecidedTrade, at timestamp: Timestamp) -> [EventPayload] {
        let orderID = nextOrderID
        nextOrderID += 1
        let signed = trade.side == .buy ? trade.quantity.rawValue : -trade.quantity.rawValue
        open[orderID] = (trade.symbol.index, signed)
        openBySymbol[trade.symbol.index] &+= signed
        return [
            .plannedTrade(PlannedTrade(planID: trade.planID, tradeID: trade.tradeID, symbol: trade.symbol, side: trade.side,
                                       quantity: trade.quantity, priority: 0)),
            .orderSubmitted(OrderSubmitted(orderID: orderID, tradeID: trade.tradeID, symbol: trade.symbol, side: trade.side,
                                           type: .market, quantity: trade.quantity)),
        ]
    }

    public mutating func onBrokerAnswer(_ answer: EventPayload, at timestamp: Timestamp) -> [EventPayload] {
        switch answer {
        case .fill(let f):
            guard var order = open[f.orderID] else { return [] }
            let signed = f.side == .buy ? f.quantity.rawValue : -f.quantity.rawValue
            // A fill never counts for more than what was still open.
            let take = order.remaining > 0 ? min(signed, order.remaining) : max(signed, order.remaining)
            order.remaining -= take
            openBySymbol[order.symbol] &-= take
            open[f.orderID] = order.remaining == 0 ? nil : order
        case .orderRejected(let r): close(r.orderID)
        case .orderCancelled(let c): close(c.orderID)
        default: break
        }
        return []
    }

    public func openQuantities() -> [Int64]? { open.isEmpty ? nil : openBySymbol }

    /// The broker re-sizes its open orders at a split; the open quantities here follow.
    public mutating func onCorporateAction(_ action: CorporateAction, at timestamp: Timestamp) -> [EventPayload] {
        guard action.kind == .split, action.ratio > 0, action.symbol.index < openBySymbol.count else { return [] }
        for (id, order) in open where order.symbol == action.symbol.index {
            open[id] = (order.symbol, Int64(saturatingRounded: Double(order.remaining) * action.ratio))
        }
        openBySymbol[action.symbol.index] = open.values.filter { $0.symbol == action.symbol.index }.reduce(0) { $0 &+ $1.remaining }
        return []
    }

    /// Orders still open stay with the broker; the session cancels them there.
    public mutating func finish(at timestamp: Timestamp, reason: String) -> [EventPayload] { [] }

    private mutating func close(_ orderID: UInt64) {
        guard let order = open.removeValue(forKey: orderID) else { return }
        openBySymbol[order.symbol] &-= order.remaining
    }
}
