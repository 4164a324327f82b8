import AuroraModel
import Foundation
import AuroraLog

/// A deterministic universe of synthetic stocks: the embedded default data.
///
/// Daily log-returns of stock i in sector k on day t:
///
///     r = drift_i + beta_i·m_t + s_{k,t} + e_{i,t} + momentum·(mean of r_i over days t−60…t−21) − reversal·r_{i,t−1}
///
/// with market m ~ N(0, marketVolatility), sector s ~ N(0, sectorVolatility), idiosyncratic
/// e ~ N(0, idiosyncraticVolatility), beta_i ~ U(0.6, 1.4), drift_i ~ N(0, driftDispersion). The
/// momentum and reversal terms are weak, but give alpha strategies something real to find.
/// Opens gap from the previous close; highs and lows extend beyond open and close; volume grows
/// with the size of the move. Days are Monday–Friday (no holidays); daily bars end at 16:00
/// New York time; intraday bars are 1-minute bars of the 09:30–16:00 session, stamped at their end.
/// Everything comes from one seeded generator: the same parameters give the same bars.
public struct SyntheticUniverse: MarketDataSource, Sendable {
    public var symbolCount = 100
    public var sectorCount = 10
    public var days = 504
    /// First session, `YYYY-MM-DD` (moved forward to a weekday).
    public var startDate = "2020-01-02"
    /// `.day` or `.minute`.
    public var timeframe: Timeframe = .day
    public var seed: UInt64 = 42
    public var marketVolatility = 0.010
    public var sectorVolatility = 0.007
    public var idiosyncraticVolatility = 0.016
    public var driftDispersion = 0.0004
    public var momentum = 0.25
    public var reversal = 0.04

    public init() {}

    public var sourceDescription: String {
        "synthetic:symbols=\(symbolCount),sectors=\(sectorCount),days=\(days),start=\(startDate),timeframe=\(timeframe),seed=\(seed)"
    }

    public var symbols: [String] { (0..<symbolCount).map { String(format: "SYN%03d", $0) } }

    /// Sector of each symbol, by symbol order: the `Symbol,Name,Sector` map alphas can group by.
    public var sectors: [String] { (0..<symbolCount).map { "Sector \(($0 % max(sectorCount, 1)) + 1)" } }

    public func validate() throws {
        guard (1...100_000).contains(symbolCount) else { throw DataError("synthetic symbols must be 1...100000, not \(symbolCount)") }
        guard (1...symbolCount).contains(sectorCount) else { throw DataError("synthetic sectors must be 1...\(symbolCount), not \(sectorCount)") }
        guard (1...100_000).contains(days) else { throw DataError("synthetic days must be 1...100000, not \(days)") }
        guard timeframe == .day || timeframe == .minute else { throw DataError("synthetic timeframe must be 1d or 1m, not \(timeframe)") }
        guard let first = try? TimeText.parse(startDate) else { throw DataError("synthetic start \"\(startDate)\" is not a date YYYY-MM-DD") }
        let perDay = timeframe == .minute ? 390 : 1
        let bars = symbolCount.multipliedReportingOverflow(by: days).partialValue.multipliedReportingOverflow(by: perDay)
        guard bars.partialValue <= Self.maxBars, !bars.overflow, symbolCount * days <= Self.maxBars else {
            throw DataError("synthetic universe of \(symbolCount) symbols × \(days) days\(perDay > 1 ? " × 390 minutes" : "") is too large: at most \(Self.maxBars) bars")
        }
        // Weekdays only: the last session is at most days × 7/5 + 3 calendar days after the first.
        let lastDay = first.rawValue / 86_400_000_000_000 + Int64(days) * 7 / 5 + 3
        guard lastDay < Self.lastRepresentableDay else {
            throw DataError("synthetic universe of \(days) days from \(startDate) ends after 2262-04-11, the last day Aurora's times reach")
        }
    }

    /// The largest universe generated (about 3 GB of bars in memory).
    public static let maxBars = 50_000_000
    /// 2262-04-11, the last whole day of nanosecond timestamps.
    static let lastRepresentableDay: Int64 = Int64.max / 86_400_000_000_000 - 1

    public func loadUnscanned() throws -> (BarSeries, DataReport) {
        (try generate(), DataReport())
    }

    public func generate() throws -> BarSeries {
        try validate()
        var rng = SeededGenerator(seed: seed)
        let n = symbolCount
        let sectorOf = (0..<n).map { $0 % sectorCount }
        let beta = (0..<n).map { _ in 0.6 + 0.8 * rng.uniform() }
        let drift = (0..<n).map { _ in driftDispersion * rng.normal() }
        var price = (0..<n).map { _ in 20 + 180 * rng.uniform() }
        var history = [[Double]](repeating: [], count: n)   // past daily returns, newest last
        var series = BarSeries(symbols: symbols, timeframe: timeframe)
        let perDay = timeframe == .minute ? 390 : 1
        series.reserve(days * n * perDay)

        var parser = try TimeParser(timeZone: "America/New_York", epochUnit: .seconds, sessionCloseMinutes: 0)
        let first = try TimeText.parse(startDate)
        var day = first.rawValue / 86_400_000_000_000
        var dayReturns = [Double](repeating: 0, count: n)
        for _ in 0..<days {
            while (day + 3) % 7 >= 5 { day += 1 }   // 1970-01-01 was a Thursday; skip Saturday and Sunday
            let market = marketVolatility * rng.normal()
            let sector = (0..<sectorCount).map { _ in sectorVolatility * rng.normal() }
            for i in 0..<n {
                let h = history[i]
                var expected = drift[i]
                if h.count >= 60 {
                    var sum = 0.0
                    for r in h[(h.count - 60)..<(h.count - 20)] { sum += r }
                    expected += momentum * sum / 40
                }
                if let last = h.last { expected -= reversal * last }
                dayReturns[i] = expected + beta[i] * market + sector[sectorOf[i]] + idiosyncraticVolatility * rng.normal()
            }
            let sessionOpen = day * 86_400 + 9 * 3600 + 30 * 60
            for i in 0..<n {
                let start = price[i] * exp(0.15 * idiosyncraticVolatility * rng.normal())
                if perDay == 1 {
                    let close = price[i] * exp(dayReturns[i])
                    let end = try parser.toUTC(localSeconds: day * 86_400 + 16 * 3600, nanos: 0, offset: nil)
                    series.append(end: end, makeBar(i, open: start, close: close, volatility: idiosyncraticVolatility, rng: &rng))
                    price[i] = close
                } else {
                    var level = start
                    let step = (dayReturns[i] - log(start / price[i])) / Double(perDay)
                    let noise = idiosyncraticVolatility / Double(perDay).squareRoot()
                    for m in 0..<perDay {
                        let next = level * exp(step + noise * rng.normal())
                        let end = try parser.toUTC(localSeconds: sessionOpen + Int64(m + 1) * 60, nanos: 0, offset: nil)
                        series.append(end: end, makeBar(i, open: level, close: next, volatility: noise, rng: &rng))
                        level = next
                    }
                    price[i] = level
                }
                history[i].append(dayReturns[i])
                if history[i].count > 60 { history[i].removeFirst() }
            }
            day += 1
        }
        // Intraday bars were generated symbol by symbol within a day; put them in series order.
        if perDay > 1 { series = series.sortedByTime() }
        return series
    }

    private func makeBar(_ i: Int, open: Double, close: Double, volatility: Double, rng: inout SeededGenerator) -> Bar {
        let o = cents(open), c = cents(close)
        let h = max(o, c) + cents(abs(rng.normal()) * volatility * 0.4 * max(open, close))
        let l = max(1, min(o, c) - cents(abs(rng.normal()) * volatility * 0.4 * min(open, close)))
        let move = abs(log(close / open)) / max(volatility, 1e-9)
        let drawn = (exp(13 + 0.3 * Double(i % 7)) * (0.5 + 0.5 * move) * (0.8 + 0.4 * rng.uniform())).rounded()
        let shares = drawn.isFinite ? min(drawn, 1e12) : 1e12
        return Bar(symbol: SymbolID(i), timeframe: timeframe, open: Price(rawValue: o * 10_000_000),
                   high: Price(rawValue: h * 10_000_000), low: Price(rawValue: l * 10_000_000),
                   close: Price(rawValue: c * 10_000_000), volume: Quantity(rawValue: Int64(shares) * Quantity.scale))
    }

    /// A price in whole cents, at least one cent and at most a billion dollars (centuries of drift
    /// can compound a price past what fixed point holds).
    private func cents(_ value: Double) -> Int64 {
        let c = (value * 100).rounded()
        guard c.isFinite else { return c > 0 ? 100_000_000_000 : 1 }
        return Int64(min(max(c, 1), 100_000_000_000))
    }
}

extension BarSeries {
    /// The same bars in (time, symbol) order.
    func sortedByTime() -> BarSeries {
        let order = (0..<count).sorted { end[$0] != end[$1] ? end[$0] < end[$1] : symbol[$0] < symbol[$1] }
        var out = BarSeries(symbols: symbols, timeframe: timeframe)
        out.reserve(count)
        for i in order { out.append(end: end[i], bar(i)) }
        return out
    }
}
