import AuroraData
import AuroraModel
import AuroraStrategies

/// A few ETFs' bars on the panel's dates: their closes (`[date × etfs + etf]`, NaN where an ETF
/// has no bar that day) and each date's bars, for alphas computed on the ETFs themselves.
public struct ETFCloses: Sendable {
    public var names: [String]
    public var closes: [Double]
    /// The ETFs' bars ending at each date (ascending by ETF).
    public var bars: [[Bar]]

    /// The bars of `series` (bars of the ETFs) on each of `dates`, matched by bar end time.
    public init(_ series: BarSeries, dates: [Int64]) {
        names = series.symbols
        let E = names.count
        var index: [Int64: Int] = [:]
        for (d, t) in dates.enumerated() { index[t] = d }
        closes = [Double](repeating: .nan, count: dates.count * E)
        bars = Array(repeating: [], count: dates.count)
        for i in 0..<series.count {
            guard let d = index[series.end[i]] else { continue }
            closes[d * E + Int(series.symbol[i])] = Double(series.close[i]) / Double(Price.scale)
            bars[d].append(series.bar(i))
        }
    }

    public func column(_ name: String) -> Int? { names.firstIndex(of: name) }
}

/// Each stock's returns against its sector ETF's: `ETFBETA{w}` is the slope of the stock's
/// returns on the ETF's over its last `window` returns *before* today (estimated from the past
/// only), `ETFRES{h}` the sum of its last h residual returns r − β·r_ETF, the residual of
/// today included. A return spans the stock's own bars (a gap day is in the return), and the
/// ETF's return is taken over the same span; where the sector ETF has no price, the map's
/// fallback (the market) stands in.
///
/// As an alpha transform: for each alpha given, `<alpha>_etfres` is the stock's alpha value minus
/// β times the same alpha computed on its sector ETF's own bars (a momentum net of its sector's
/// momentum, in proportion to the stock's exposure).
public struct ETFResidualSource: FeatureSource {
    public let window: Int
    public let horizons: [Int]
    private let etfs: ETFCloses
    private let column: [Int?]
    private let fallback: Int?
    private var previous: [(close: Double, date: Int)?]
    private var pairs: [[(x: Double, y: Double)]]
    private var residuals: [[Double]]
    private var stockAlphas: [any Alpha], etfAlphas: [any Alpha]
    private var stockValues: [[Double]], etfValues: [[Double]]
    private var etfLast: [Price?]

    public init(window: Int, horizons: [Int], etfs: ETFCloses, etfOfSymbol: [String?], fallback: String?, alphas: [any Alpha] = [],
                etfAlphas: [any Alpha] = []) {
        self.window = window
        self.horizons = horizons
        self.etfs = etfs
        self.column = etfOfSymbol.map { $0.flatMap(etfs.column) }
        self.fallback = fallback.flatMap(etfs.column)
        previous = Array(repeating: nil, count: etfOfSymbol.count)
        pairs = Array(repeating: [], count: etfOfSymbol.count)
        residuals = Array(repeating: [], count: etfOfSymbol.count)
        stockAlphas = alphas
        self.etfAlphas = etfAlphas
        stockValues = Array(repeating: [], count: alphas.count)
        etfValues = Array(repeating: [], count: alphas.count)
        etfLast = Array(repeating: nil, count: etfs.names.count)
    }

    public var names: [String] { ["ETFBETA\(window)"] + horizons.map { "ETFRES\($0)" } + stockAlphas.map { "\($0.name)_etfres" } }

    public mutating func step(_ snapshot: MarketSnapshot, date d: Int, into out: UnsafeMutableBufferPointer<Double>) {
        let S = snapshot.symbolNames.count
        let longest = horizons.max() ?? 1
        stepAlphas(snapshot, date: d)
        for bar in snapshot.bars {
            let s = bar.symbol.index
            guard s < previous.count else { continue }
            let close = bar.close.doubleValue
            defer { previous[s] = (close, d) }
            // The beta of today is estimated from the returns before today: read before this one joins.
            let beta = slope(pairs[s])
            writeAlphaResiduals(s, beta: beta, S: S, into: out)
            guard let before = previous[s], let rETF = etfReturn(s, from: before.date, to: d) else { continue }
            let r = close / before.close - 1
            out[s] = beta
            let residual = r - beta * rETF
            pairs[s].append((rETF, r))
            if pairs[s].count > window { pairs[s].removeFirst() }
            residuals[s].append(residual)
            if residuals[s].count > longest { residuals[s].removeFirst() }
            for (k, h) in horizons.enumerated() where residuals[s].count >= h {
                out[(k + 1) * S + s] = residuals[s].suffix(h).reduce(0, +)
            }
        }
    }

    /// Steps every alpha on the stocks' snapshot and on the ETFs' bars of the date.
    private mutating func stepAlphas(_ snapshot: MarketSnapshot, date d: Int) {
        guard !stockAlphas.isEmpty else { return }
        for b in etfs.bars[d] { etfLast[b.symbol.index] = b.close }
        let etfSnapshot = MarketSnapshot(timestamp: snapshot.timestamp, bars: etfs.bars[d], lastClose: etfLast, symbolNames: etfs.names)
        for k in stockAlphas.indices {
            stockAlphas[k].step(snapshot, into: &stockValues[k])
            etfAlphas[k].step(etfSnapshot, into: &etfValues[k])
        }
    }

    /// `<alpha>_etfres` of symbol s: its alpha minus beta times its ETF's (the fallback's where
    /// the sector ETF's alpha is undefined).
    private func writeAlphaResiduals(_ s: Int, beta: Double, S: Int, into out: UnsafeMutableBufferPointer<Double>) {
        let first = 1 + horizons.count
        for k in stockAlphas.indices {
            let own = s < stockValues[k].count ? stockValues[k][s] : .nan
            var etf = Double.nan
            for e in [column[s], fallback] {
                guard let e, e < etfValues[k].count, !etfValues[k][e].isNaN else { continue }
                etf = etfValues[k][e]
                break
            }
            out[(first + k) * S + s] = own - beta * etf
        }
    }

    private func etfReturn(_ s: Int, from a: Int, to b: Int) -> Double? {
        let E = etfs.names.count
        for e in [column[s], fallback] {
            guard let e else { continue }
            let p0 = etfs.closes[a * E + e], p1 = etfs.closes[b * E + e]
            if p0 > 0 && p1 > 0 { return p1 / p0 - 1 }
        }
        return nil
    }

    /// OLS slope of y on x over a full window; NaN before the window fills or without spread.
    private func slope(_ p: [(x: Double, y: Double)]) -> Double {
        guard p.count >= window else { return .nan }
        let n = Double(p.count)
        let mx = p.reduce(0) { $0 + $1.x } / n, my = p.reduce(0) { $0 + $1.y } / n
        var sxy = 0.0, sxx = 0.0
        for q in p { sxy += (q.x - mx) * (q.y - my); sxx += (q.x - mx) * (q.x - mx) }
        return sxx > 0 ? sxy / sxx : .nan
    }
}
