import AuroraData
import AuroraKernel
import AuroraStats
import AuroraModel

public struct AlphaLoaderConfig: Sendable, Equatable {
    /// How long a loaded table is reused, in minutes of the loader's clock.
    public var cacheTTLMinutes: Int
    /// Calendar days of bars before `start` that a load feeds to the alpha, so that rolling
    /// windows are full at `start` (momentum_20d needs 21 bars, about 30 calendar days).
    public var lookbackDays: Int

    public init(cacheTTLMinutes: Int = 60, lookbackDays: Int = 45) {
        self.cacheTTLMinutes = max(0, cacheTTLMinutes)
        self.lookbackDays = max(0, lookbackDays)
    }
}

/// Alpha values as a table: `values[d * symbols.count + s]`, NaN where undefined.
public struct AlphaTable: Sendable, Equatable {
    public var name: String
    public var dates: [Timestamp]
    public var symbols: [String]
    public var values: [Double]

    public func value(date d: Int, symbol s: Int) -> Double { values[d * symbols.count + s] }

    /// The row for `date` as [symbol: value], undefined values left out.
    public func row(_ date: Timestamp) -> [String: Double] {
        guard let d = dates.firstIndex(of: date) else { return [:] }
        var out: [String: Double] = [:]
        for (s, name) in symbols.enumerated() where !value(date: d, symbol: s).isNaN { out[name] = value(date: d, symbol: s) }
        return out
    }

    public static func == (a: AlphaTable, b: AlphaTable) -> Bool {
        a.name == b.name && a.dates == b.dates && a.symbols == b.symbols
            && a.values.map(\.bitPattern) == b.values.map(\.bitPattern)
    }
}

/// Computes alphas over a bar series in batch: `loadAlpha` for a date range, `alphaForDate` for one
/// date. A value at a date uses only bars up to and including that date (the alpha is stepped
/// through the series and stopped there). Loaded tables are cached for `cacheTTLMinutes` of the
/// loader's clock, which the caller sets from event time (`now`), never the wall clock, so a
/// backtest and its replay hit and miss the cache identically; `hits` and `misses` count them.
public final class AlphaLoader {
    public let config: AlphaLoaderConfig
    public let series: BarSeries
    public let registry: AlphaRegistry
    /// The loader's clock: set it from the kernel's time before each call.
    public var now = Timestamp(rawValue: 0)
    public private(set) var hits = 0
    public private(set) var misses = 0
    private var cache: [String: (table: AlphaTable, loadedAt: Timestamp)] = [:]

    public init(series: BarSeries, config: AlphaLoaderConfig = AlphaLoaderConfig(), registry: AlphaRegistry = .builtIn) {
        self.series = series
        self.config = config
        self.registry = registry
    }

    /// The alpha for `symbols` at every bar time in [start, end].
    public func loadAlpha(_ name: String, symbols: [String], start: Timestamp, end: Timestamp) throws -> AlphaTable {
        let key = "\(name)|\(symbols.joined(separator: ","))|\(start.rawValue)|\(end.rawValue)"
        let ttl = Int64(config.cacheTTLMinutes) * 60 * Timestamp.nanosecondsPerSecond
        if let cached = cache[key], now.rawValue - cached.loadedAt.rawValue < ttl, now >= cached.loadedAt {
            hits += 1
            return cached.table
        }
        misses += 1
        let table = try compute(name, symbols: symbols, start: start, end: end)
        cache[key] = (table, now)
        return table
    }

    /// The alpha's values for `symbols` at `date` (undefined ones left out).
    public func alphaForDate(_ name: String, symbols: [String], date: Timestamp) throws -> [String: Double] {
        try loadAlpha(name, symbols: symbols, start: date, end: date).row(date)
    }

    private func compute(_ name: String, symbols: [String], start: Timestamp, end: Timestamp) throws -> AlphaTable {
        guard var alpha = registry.make(name) else {
            throw DataError("unknown alpha \"\(name)\"; known: \(registry.names.joined(separator: ", "))")
        }
        var columns: [Int] = []
        for name in symbols {
            guard let i = series.symbols.firstIndex(of: name) else { throw DataError("unknown symbol \"\(name)\"") }
            columns.append(i)
        }
        let from = start.rawValue - Int64(config.lookbackDays) * 86_400 * Timestamp.nanosecondsPerSecond
        var table = AlphaTable(name: name, dates: [], symbols: symbols, values: [])
        var lastClose = [Price?](repeating: nil, count: series.symbols.count)
        var values: [Double] = []
        var bars: [Bar] = []
        for step in series.steps {
            let t = step.time.rawValue
            if t < from { continue }
            if t > end.rawValue { break }   // nothing after `end` is ever read
            series.bars(step.range, into: &bars)
            for b in bars { lastClose[b.symbol.index] = b.close }
            let snapshot = MarketSnapshot(timestamp: Timestamp(rawValue: t), bars: bars, lastClose: lastClose, symbolNames: series.symbols)
            alpha.step(snapshot, into: &values)
            if t >= start.rawValue {
                table.dates.append(Timestamp(rawValue: t))
                table.values.append(contentsOf: columns.map { values[$0] })
            }
        }
        return table
    }
}
