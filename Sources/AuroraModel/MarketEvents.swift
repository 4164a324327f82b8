/// Input events from market data and the clock.

/// An OHLCV bar. The event's timestamp is the bar's end, the moment its values are known.
public struct Bar: Hashable, Sendable {
    public var symbol: SymbolID
    public var timeframe: Timeframe
    public var open: Price
    public var high: Price
    public var low: Price
    public var close: Price
    public var volume: Quantity

    @inlinable
    public init(symbol: SymbolID, timeframe: Timeframe, open: Price, high: Price, low: Price, close: Price, volume: Quantity) {
        self.symbol = symbol
        self.timeframe = timeframe
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }
}

/// A trade print or a top-of-book quote. Fields a kind does not carry are nil.
public struct PriceUpdate: Hashable, Sendable {
    public var symbol: SymbolID
    public var kind: PriceUpdateKind
    public var price: Price?
    public var size: Quantity?
    public var bid: Price?
    public var bidSize: Quantity?
    public var ask: Price?
    public var askSize: Quantity?

    public init(symbol: SymbolID, kind: PriceUpdateKind, price: Price? = nil, size: Quantity? = nil,
                bid: Price? = nil, bidSize: Quantity? = nil, ask: Price? = nil, askSize: Quantity? = nil) {
        self.symbol = symbol
        self.kind = kind
        self.price = price
        self.size = size
        self.bid = bid
        self.bidSize = bidSize
        self.ask = ask
        self.askSize = askSize
    }
}

/// A timer has fired: one the kernel scheduled (a TWAP slice time, the completion cutoff, …), or a
/// live session's wall-clock tick (purpose `clock`), an input that moves time between bars.
public struct TimerFired: Hashable, Sendable {
    public var timerID: UInt64
    public var purpose: String
    public init(timerID: UInt64, purpose: String) { self.timerID = timerID; self.purpose = purpose }

    /// The purpose of a live session's wall-clock ticks.
    public static let clockPurpose = "clock"
    public var isClock: Bool { purpose == Self.clockPurpose }
}
