/// Order lifecycle events: decisions (submitted, escalation, waits) and what the broker or
/// simulated exchange answered (accepted, rejected, cancelled, fills).

public struct OrderSubmitted: Hashable, Sendable {
    public var orderID: UInt64
    public var tradeID: UInt64
    public var symbol: SymbolID
    public var side: Side
    public var type: OrderType
    public var quantity: Quantity
    public var limitPrice: Price?
    public init(orderID: UInt64, tradeID: UInt64, symbol: SymbolID, side: Side, type: OrderType,
                quantity: Quantity, limitPrice: Price? = nil) {
        self.orderID = orderID
        self.tradeID = tradeID
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.limitPrice = limitPrice
    }
}

public struct OrderAccepted: Hashable, Sendable {
    public var orderID: UInt64
    /// The broker's own id for the order; empty for the simulated exchange.
    public var brokerOrderID: String
    public init(orderID: UInt64, brokerOrderID: String = "") {
        self.orderID = orderID
        self.brokerOrderID = brokerOrderID
    }
}

public struct OrderRejected: Hashable, Sendable {
    public var orderID: UInt64
    public var reason: String
    public init(orderID: UInt64, reason: String) { self.orderID = orderID; self.reason = reason }
}

public struct OrderCancelled: Hashable, Sendable {
    public var orderID: UInt64
    public var reason: String
    public init(orderID: UInt64, reason: String) { self.orderID = orderID; self.reason = reason }
}

public struct Fill: Hashable, Sendable {
    public var orderID: UInt64
    public var symbol: SymbolID
    public var side: Side
    public var quantity: Quantity
    public var price: Price
    public var fees: Price
    public var liquidity: Liquidity
    public init(orderID: UInt64, symbol: SymbolID, side: Side, quantity: Quantity, price: Price,
                fees: Price = .zero, liquidity: Liquidity = .unknown) {
        self.orderID = orderID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.price = price
        self.fees = fees
        self.liquidity = liquidity
    }
}

/// The rest of a trade was sent as a market order (e.g. the cutoff time was reached).
public struct Escalation: Hashable, Sendable {
    public var tradeID: UInt64
    public var orderID: UInt64
    public var symbol: SymbolID
    public var side: Side
    public var quantity: Quantity
    public var reason: String
    public init(tradeID: UInt64, orderID: UInt64, symbol: SymbolID, side: Side, quantity: Quantity, reason: String) {
        self.tradeID = tradeID
        self.orderID = orderID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.reason = reason
    }
}

/// An order waited for the rate limiter; nothing is dropped, every wait is recorded.
public struct RateLimitWait: Hashable, Sendable {
    public var orderID: UInt64
    public var until: Timestamp
    public var queueDepth: UInt32
    public init(orderID: UInt64, until: Timestamp, queueDepth: UInt32) {
        self.orderID = orderID
        self.until = until
        self.queueDepth = queueDepth
    }
}
