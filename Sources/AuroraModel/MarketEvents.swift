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
///
/// Stored as raw values with a bit each for whether they are there: six `Optional` prices and
/// sizes take 16 bytes apiece, which made this the largest payload and every `EventPayload`
/// (so every event passed around) 97 bytes; this way it is 56.
public struct PriceUpdate: Hashable, Sendable {
    public var symbol: SymbolID
    public var kind: PriceUpdateKind
    /// Bit i set: field i below is there (0 price, 1 size, 2 bid, 3 bid size, 4 ask, 5 ask size).
    /// An absent field's raw value is always 0, so equal updates hash alike.
    private var present: UInt8 = 0
    private var rawPrice: Int64 = 0
    private var rawSize: Int64 = 0
    private var rawBid: Int64 = 0
    private var rawBidSize: Int64 = 0
    private var rawAsk: Int64 = 0
    private var rawAskSize: Int64 = 0

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

    public var price: Price? {
        get { has(0) ? Price(rawValue: rawPrice) : nil }
        set { rawPrice = set(0, newValue?.rawValue) }
    }
    public var size: Quantity? {
        get { has(1) ? Quantity(rawValue: rawSize) : nil }
        set { rawSize = set(1, newValue?.rawValue) }
    }
    public var bid: Price? {
        get { has(2) ? Price(rawValue: rawBid) : nil }
        set { rawBid = set(2, newValue?.rawValue) }
    }
    public var bidSize: Quantity? {
        get { has(3) ? Quantity(rawValue: rawBidSize) : nil }
        set { rawBidSize = set(3, newValue?.rawValue) }
    }
    public var ask: Price? {
        get { has(4) ? Price(rawValue: rawAsk) : nil }
        set { rawAsk = set(4, newValue?.rawValue) }
    }
    public var askSize: Quantity? {
        get { has(5) ? Quantity(rawValue: rawAskSize) : nil }
        set { rawAskSize = set(5, newValue?.rawValue) }
    }

    @inline(__always) private func has(_ bit: UInt8) -> Bool { present & (1 << bit) != 0 }

    /// Marks field `bit` there or not and returns the raw value to store (0 when absent).
    @inline(__always) private mutating func set(_ bit: UInt8, _ raw: Int64?) -> Int64 {
        if let raw {
            present |= 1 << bit
            return raw
        }
        present &= ~(1 << bit)
        return 0
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
