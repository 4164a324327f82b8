import Aurora
import AuroraTestSupport
import Foundation
import Testing

extension Int64 {
    /// The ratio of two fixed-point prices, as the alphas compute it from doubles.
    func doubleRatio(_ other: Int64) -> Double { Price(rawValue: self).doubleValue / Price(rawValue: other).doubleValue }
}

@Suite("Point-in-time data and ETF residuals")
struct ExternalAndResidualTests {
    static func read(_ csv: String, symbols: [String] = ["AAA", "BBB"]) throws -> ExternalData {
        try Array(csv.utf8).withUnsafeBytes { try ExternalData.read(bytes: $0, path: "ext.csv", symbols: symbols, timeZone: "America/New_York") }
    }

    /// Three daily bars per symbol, 2020-03-02 … 2020-03-04, closing at 16:00 New York time.
    static func series() throws -> BarSeries {
        var s = BarSeries(symbols: ["AAA", "BBB"], timeframe: .day)
        for (k, day) in ["2020-03-02", "2020-03-03", "2020-03-04", "2020-03-05"].enumerated() {
            let t = try TimeText.parse("\(day)T16:00:00-05:00")
            for sym in 0..<2 {
                let p = Price(saturating: 10 + Double(k + sym))
                s.append(end: t.rawValue, Bar(symbol: SymbolID(sym), timeframe: .day, open: p, high: p, low: p, close: p, volume: Quantity(rawValue: 1_000_000)))
            }
        }
        return s
    }

    @Test("a value is visible from its as_of plus the lag, the newest one wins, and it ages out")
    func asOf() throws {
        let data = try Self.read("symbol,as_of,field,value\nAAA,2020-03-02,eps,1.5\nAAA,2020-03-03,eps,2.5\nBBB,2020-03-01,eps,-1\nZZZ,2020-03-02,eps,9\n")
        #expect(data.unknownSymbolRows == 1 && data.unknownSymbolExamples == ["5: ZZZ"])
        // The horizon (2 days) counts from as_of: on 03-05 the 03-03 value is 2 days 16 hours old.
        for (lag, expected) in [(0, [1.5, 2.5, 2.5, Double.nan]), (1, [Double.nan, 1.5, 2.5, Double.nan])] {
            var sources: [any FeatureSource] = [ExternalSource(data, settings: ExternalSettings(lagDays: lag, maxAgeDays: 2), symbolCount: 2)]
            let (panel, _) = try PanelBuilder.build(try Self.series(), sources: &sources)
            for d in 0..<4 {
                let got = panel.value(0, d, 0)
                #expect(got.isNaN ? expected[d].isNaN : got == expected[d], "lag \(lag), date \(d): \(got) vs \(expected[d])")
            }
            #expect(panel.value(0, 0, 1) == -1)
        }
    }

    @Test("bad rows name the file, line and column: a duplicate, a bad date, a bad number, a missing column")
    func badInput() {
        func message(_ csv: String) -> String {
            do { _ = try Self.read(csv); return "" } catch { return "\(error)" }
        }
        #expect(message("symbol,as_of,field,value\nAAA,2020-03-02,eps,1\nAAA,2020-03-02,eps,2\n").contains("ext.csv:3: duplicate: eps of AAA as of 2020-03-02 is already on line 2"))
        #expect(message("symbol,as_of,field,value\nAAA,2020-13-45,eps,1\n").contains("ext.csv:2 (column as_of)"))
        #expect(message("symbol,as_of,field,value\nAAA,2020-03-02,eps,abc\n").contains("ext.csv:2 (column value): \"abc\" is not a finite number"))
        #expect(message("symbol,as_of,field,value\nAAA,2020-03-02,eps,nan\n").contains("is not a finite number"))
        #expect(message("symbol,date,field,value\n").contains("missing column as_of"))
        #expect(message("symbol,as_of,field,value\nAAA,2020-03-02,eps\n").contains("ext.csv:2: expected 4 fields"))
    }

    @Test("ETF residuals: a stock that is 1.5 × its ETF plus noise has a beta near 1.5 and residuals near the noise")
    func residuals() throws {
        var rng = SeededGenerator(seed: 3)
        var stocks = BarSeries(symbols: ["STK"], timeframe: .day)
        var etfs = BarSeries(symbols: ["ETF"], timeframe: .day)
        var s = 50.0, e = 100.0
        var noise: [Double] = []
        for day in 0..<200 {
            let t = Int64(day + 18_000) * 86_400_000_000_000 + 75_600_000_000_000
            let re = (rng.normal()) * 0.01, eps = rng.normal() * 0.002
            if day > 0 { e *= 1 + re; s *= 1 + 1.5 * re + eps }
            noise.append(day > 0 ? eps : .nan)
            let ps = Price(saturating: s), pe = Price(saturating: e)
            stocks.append(end: t, Bar(symbol: SymbolID(0), timeframe: .day, open: ps, high: ps, low: ps, close: ps, volume: Quantity(rawValue: 1)))
            etfs.append(end: t, Bar(symbol: SymbolID(0), timeframe: .day, open: pe, high: pe, low: pe, close: pe, volume: Quantity(rawValue: 1)))
        }
        let dates = stocks.steps.map(\.time.rawValue)
        var sources: [any FeatureSource] = [ETFResidualSource(window: 60, horizons: [1, 5], etfs: ETFCloses(etfs, dates: dates),
                                                              etfOfSymbol: ["ETF"], fallback: nil,
                                                              alphas: [MomentumAlpha(name: "momentum_5d", lookback: 5)],
                                                              etfAlphas: [MomentumAlpha(name: "momentum_5d", lookback: 5)])]
        let (panel, _) = try PanelBuilder.build(stocks, sources: &sources)
        #expect(panel.names == ["ETFBETA60", "ETFRES1", "ETFRES5", "momentum_5d_etfres"])
        // The alpha transform: the stock's momentum minus beta times the ETF's, from the same bars.
        for d in 70..<200 {
            let own = stocks.close[d] .doubleRatio(stocks.close[d - 5]) - 1, etf = etfs.close[d].doubleRatio(etfs.close[d - 5]) - 1
            #expect(abs(panel.value(3, d, 0) - (own - panel.value(0, d, 0) * etf)) < 1e-12)
            #expect(abs(panel.value(3, d, 0)) < 0.03, "what is left is the stock's own noise")
        }
        #expect(panel.value(0, 60, 0).isNaN, "the beta needs 60 returns before today")
        #expect(!panel.value(0, 61, 0).isNaN)
        for d in 100..<200 {
            #expect(abs(panel.value(0, d, 0) - 1.5) < 0.05)
            #expect(abs(panel.value(1, d, 0) - noise[d]) < 0.001)
        }
    }

    @Test("the SPDR map covers the shared sector file's sectors", .enabled(if: Paths.hasSharedData, "../shared/data is absent"))
    func spdr() throws {
        let sectors = try SectorMap.load(path: Paths.shared("sp500-sectors-2018.csv"))
        let names = Set(sectors.sectorOf.values)
        #expect(names.allSatisfy { SectorETFMap.spdr.etfOf[$0] != nil }, "unmapped: \(names.filter { SectorETFMap.spdr.etfOf[$0] == nil })")
    }
}
