import Aurora
import AuroraTestSupport
import Foundation
import Testing

@Suite("Alpha158")
struct Alpha158Tests {
    @Test("158 features in Qlib's order: 9 candles, 4 price ratios, 29 operators × 5 windows")
    func names() {
        let names = Alpha158.names()
        #expect(names.count == 158)
        #expect(Set(names).count == 158)
        #expect(Array(names.prefix(14)) == ["KMID", "KLEN", "KMID2", "KUP", "KUP2", "KLOW", "KLOW2", "KSFT", "KSFT2",
                                           "OPEN0", "HIGH0", "LOW0", "VWAP0", "ROC5"])
        #expect(names.suffix(2) == ["VSUMD30", "VSUMD60"])
        #expect(Alpha158Settings().featureCount == 158)
    }

    @Test("every feature equals a plainly written reference on the synthetic universe (1e-9 relative)")
    func synthetic() throws {
        var universe = SyntheticUniverse()
        universe.symbolCount = 30
        universe.days = 200
        let (series, _) = try universe.load()
        try Self.checkAgainstReference(series, symbols: Array(0..<30), sampleDates: 40, seed: 7)
    }

    @Test("every feature equals a plainly written reference on the shared S&P file (1e-9 relative)",
          .enabled(if: Paths.hasSharedData, "../shared/data is absent: the S&P exactness check is skipped"))
    func sp500() throws {
        var data = DataConfig()
        data.source = Paths.shared("sp500-daily-2013-2016.csv")
        data.symbols = ["AAPL", "AMZN", "BRK.B", "CHK", "GE", "JPM", "MSFT", "NFLX", "T", "WYNN", "XOM", "ZTS"]
        let (series, _, _) = try PreparedData.load(data)
        try Self.checkAgainstReference(series, symbols: Array(series.symbols.indices), sampleDates: 60, seed: 11)
    }

    @Test("min_periods: NaN until a window is full by default; with 1, values from the first bars")
    func minPeriods() throws {
        var universe = SyntheticUniverse()
        universe.symbolCount = 3
        universe.sectorCount = 3
        universe.days = 12
        let (series, _) = try universe.load()
        var strict: [any FeatureSource] = [Alpha158Source()]
        var loose: [any FeatureSource] = [Alpha158Source(settings: Alpha158Settings(minPeriods: 1))]
        let (a, _) = try PanelBuilder.build(series, sources: &strict)
        let (b, _) = try PanelBuilder.build(series, sources: &loose)
        let ma5 = try #require(a.index(of: "MA5")), ma10 = try #require(a.index(of: "MA10")), std5 = try #require(a.index(of: "STD5"))
        #expect(a.value(ma5, 3, 0).isNaN)
        #expect(!a.value(ma5, 4, 0).isNaN)
        #expect((0..<12).allSatisfy { a.value(ma10, $0, 0).isNaN == ($0 < 9) })
        #expect(!b.value(ma5, 0, 0).isNaN)
        #expect(b.value(std5, 0, 0).isNaN, "a standard deviation of one value is undefined (ddof 1)")
        #expect(!b.value(std5, 1, 0).isNaN)
        #expect(b.value(ma5, 4, 0) == a.value(ma5, 4, 0), "a full window gives the same value either way")
    }

    /// Builds the panel, then for each chosen symbol and a sample of its rows compares every
    /// feature with the reference.
    static func checkAgainstReference(_ series: BarSeries, symbols: [Int], sampleDates: Int, seed: UInt64) throws {
        var sources: [any FeatureSource] = [Alpha158Source()]
        let (panel, _) = try PanelBuilder.build(series, sources: &sources)
        var rng = SeededGenerator(seed: seed)
        var checked = 0, defined = 0
        for s in symbols {
            var rows = ReferenceAlpha158.Rows(open: [], high: [], low: [], close: [], volume: [])
            var dateOfRow: [Int] = []
            let dateIndex = Dictionary(uniqueKeysWithValues: panel.dates.enumerated().map { ($1, $0) })
            for i in 0..<series.count where Int(series.symbol[i]) == s {
                let b = series.bar(i)
                rows.open.append(b.open.doubleValue); rows.high.append(b.high.doubleValue); rows.low.append(b.low.doubleValue)
                rows.close.append(b.close.doubleValue); rows.volume.append(b.volume.doubleValue)
                dateOfRow.append(dateIndex[series.end[i]] ?? -1)
            }
            guard !dateOfRow.isEmpty else { continue }
            var sample = (0..<sampleDates).map { _ in Int(rng.next() % UInt64(dateOfRow.count)) }
            sample += [0, min(4, dateOfRow.count - 1), min(59, dateOfRow.count - 1), min(60, dateOfRow.count - 1), dateOfRow.count - 1]
            for r in sample {
                for (f, name) in panel.names.enumerated() {
                    let got = panel.value(f, dateOfRow[r], s)
                    let want = ReferenceAlpha158.value(name, rows, at: r)
                    checked += 1
                    if want.isNaN || got.isNaN {
                        #expect(want.isNaN && got.isNaN, "\(name) of \(series.symbols[s]) at row \(r): engine \(got), reference \(want)")
                        continue
                    }
                    defined += 1
                    let tolerance = 1e-9 * max(abs(want), abs(got)) + 1e-12
                    #expect(abs(got - want) <= tolerance, "\(name) of \(series.symbols[s]) at row \(r): engine \(got), reference \(want)")
                }
            }
        }
        #expect(defined > checked / 2, "most sampled values are defined (\(defined) of \(checked))")
    }
}
