/// What a strategy sees at one moment: the bars that closed at `timestamp` (all symbols at once,
/// so strategies can rank across them) and the latest known close of every symbol.
public struct MarketSnapshot: Sendable {
    public var timestamp: Timestamp
    /// Bars ending at `timestamp`, ascending by symbol id; symbols without a bar here are absent.
    public var bars: [Bar]
    /// Latest known close per symbol id (this bar or an earlier one); nil before a symbol's first bar.
    public var lastClose: [Price?]
    /// Symbol names by id.
    public var symbolNames: [String]

    public init(timestamp: Timestamp, bars: [Bar], lastClose: [Price?], symbolNames: [String]) {
        self.timestamp = timestamp
        self.bars = bars
        self.lastClose = lastClose
        self.symbolNames = symbolNames
    }

    /// The latest known price of `symbol`.
    public func price(_ symbol: SymbolID) -> Price? {
        symbol.index < lastClose.count ? lastClose[symbol.index] : nil
    }

    /// Latest known prices by symbol, for code that wants a dictionary. Built on each call: iterate
    /// `bars` or `lastClose` (both in symbol order) where the order matters or speed does.
    public var prices: [SymbolID: Price] {
        var out: [SymbolID: Price] = [:]
        out.reserveCapacity(lastClose.count)
        for (i, p) in lastClose.enumerated() { if let p { out[SymbolID(i)] = p } }
        return out
    }
}
