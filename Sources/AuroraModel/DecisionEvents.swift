/// Decision events: what the strategy and planner derived from inputs.

public struct AlphaValue: Hashable, Sendable {
    public var alpha: String
    public var symbol: SymbolID
    public var value: Double
    public init(alpha: String, symbol: SymbolID, value: Double) {
        self.alpha = alpha
        self.symbol = symbol
        self.value = value
    }
}

/// One alpha's weighted part of a combined score.
public struct AlphaContribution: Hashable, Sendable {
    public var alpha: String
    public var value: Double
    public init(alpha: String, value: Double) { self.alpha = alpha; self.value = value }
}

public struct Signal: Hashable, Sendable {
    public var symbol: SymbolID
    public var direction: SignalDirection
    public var score: Double
    /// Position in the cross-sectional ranking (0 = best), or -1 when the strategy does not rank.
    public var rank: Int32
    public var contributions: [AlphaContribution]
    /// The return the strategy expects over its holding horizon, when it forecasts one (a
    /// calibrated model's), and how sure it is (0…1): what cost-aware and risk-budgeting portfolio
    /// constructors size by. Absent for strategies that only rank.
    public var expectedReturn: Double?
    public var confidence: Double?
    public init(symbol: SymbolID, direction: SignalDirection, score: Double, rank: Int32 = -1,
                contributions: [AlphaContribution] = [], expectedReturn: Double? = nil, confidence: Double? = nil) {
        self.symbol = symbol
        self.direction = direction
        self.score = score
        self.rank = rank
        self.contributions = contributions
        self.expectedReturn = expectedReturn
        self.confidence = confidence
    }
}

/// The position the sizer wants to hold; quantity is signed (negative = short).
public struct TargetPosition: Hashable, Sendable {
    public var symbol: SymbolID
    public var quantity: Quantity
    public var weight: Double
    public init(symbol: SymbolID, quantity: Quantity, weight: Double) {
        self.symbol = symbol
        self.quantity = quantity
        self.weight = weight
    }
}

public struct PlannedTrade: Hashable, Sendable {
    public var planID: UInt64
    public var tradeID: UInt64
    public var symbol: SymbolID
    public var side: Side
    public var quantity: Quantity
    public var priority: Int32
    public var limitPrice: Price?
    public init(planID: UInt64, tradeID: UInt64, symbol: SymbolID, side: Side, quantity: Quantity,
                priority: Int32, limitPrice: Price? = nil) {
        self.planID = planID
        self.tradeID = tradeID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.priority = priority
        self.limitPrice = limitPrice
    }
}

/// A child of a planned trade, scheduled for one moment of the execution window.
public struct OrderSlice: Hashable, Sendable {
    public var tradeID: UInt64
    public var sliceIndex: UInt32
    public var orderID: UInt64
    public var symbol: SymbolID
    public var scheduledTime: Timestamp
    public var quantity: Quantity
    public init(tradeID: UInt64, sliceIndex: UInt32, orderID: UInt64, symbol: SymbolID,
                scheduledTime: Timestamp, quantity: Quantity) {
        self.tradeID = tradeID
        self.sliceIndex = sliceIndex
        self.orderID = orderID
        self.symbol = symbol
        self.scheduledTime = scheduledTime
        self.quantity = quantity
    }
}

/// The alpha weights in force from this event on, and the model that chose them.
public struct AlphaWeights: Hashable, Sendable {
    public var model: String
    public var weights: [AlphaContribution]
    public init(model: String, weights: [AlphaContribution]) {
        self.model = model
        self.weights = weights
    }
}
