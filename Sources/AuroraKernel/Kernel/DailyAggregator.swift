import AuroraModel

/// Builds one day's daily bars from its intraday bars, per symbol.
struct DailyAggregator {
    private var open: [Int64], high: [Int64], low: [Int64], close: [Int64], volume: [Int64]
    private var seen: [Bool]
    private var order: [Int] = []

    init(symbolCount n: Int) {
        open = Array(repeating: 0, count: n); high = open; low = open; close = open; volume = open
        seen = Array(repeating: false, count: n)
    }

    mutating func add(_ bars: [Bar]) {
        for b in bars {
            let s = b.symbol.index
            if !seen[s] {
                seen[s] = true
                order.append(s)
                open[s] = b.open.rawValue
                high[s] = b.high.rawValue
                low[s] = b.low.rawValue
                volume[s] = 0
            }
            high[s] = max(high[s], b.high.rawValue)
            low[s] = min(low[s], b.low.rawValue)
            close[s] = b.close.rawValue
            volume[s] &+= b.volume.rawValue
        }
    }

    /// The day's bars in ascending symbol order; the aggregator starts a new day.
    mutating func take() -> [Bar] {
        order.sort()
        defer {
            for s in order { seen[s] = false }
            order.removeAll(keepingCapacity: true)
        }
        return order.map { s in
            Bar(symbol: SymbolID(s), timeframe: .day, open: Price(rawValue: open[s]), high: Price(rawValue: high[s]),
                low: Price(rawValue: low[s]), close: Price(rawValue: close[s]), volume: Quantity(rawValue: volume[s]))
        }
    }
}
