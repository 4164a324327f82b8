import Aurora
import AuroraTestSupport
import Foundation
import Testing

/// Nothing at date t may depend on anything after t: every bar, ETF price and outside value
/// after t is changed (and a split is added after t), and every feature, transform and
/// neutralized value at or before t must stay bit-identical.
@Suite("Look-ahead")
struct LookAheadTests {
    static let symbols = 24, days = 140, cut = 90

    struct World {
        var sectors: SectorMap
        var series: BarSeries
        var etfs: BarSeries
        var external: String
    }

    static func world() throws -> World {
        var universe = SyntheticUniverse()
        universe.symbolCount = symbols
        universe.sectorCount = 4
        universe.days = days
        let (series, _) = try universe.load()
        let dates = series.steps.map(\.time.rawValue)
        var etfs = BarSeries(symbols: ["E1", "E2", "E3", "E4"], timeframe: .day)
        var rng = SeededGenerator(seed: 5)
        var level = [100.0, 100.0, 100.0, 100.0]
        for t in dates {
            for e in 0..<4 {
                level[e] *= 1 + 0.01 * (Double(rng.next() % 2001) / 1000 - 1)
                let p = Price(saturating: level[e])
                etfs.append(end: t, Bar(symbol: SymbolID(e), timeframe: .day, open: p, high: p, low: p, close: p, volume: Quantity(rawValue: 1_000_000_000)))
            }
        }
        var csv = "symbol,as_of,field,value\n"
        for (k, t) in dates.enumerated() where k % 7 == 0 {
            let day = TimeText.localDate(Timestamp(rawValue: t), timeZone: "America/New_York")
            for s in stride(from: 0, to: symbols, by: 3) { csv += "\(series.symbols[s]),\(day),eps_surprise,\(Double((k * 31 + s * 17) % 100) / 10 - 5)\n" }
        }
        let sectors = SectorMap(Dictionary(uniqueKeysWithValues: zip(universe.symbols, universe.sectors).map { ($0, $1) }))
        return World(sectors: sectors, series: series, etfs: etfs, external: csv)
    }

    /// The same world with everything after the cut changed.
    static func perturbed(_ w: World) throws -> World {
        var out = w
        let cutTime = w.series.steps[cut].time.rawValue
        var rng = SeededGenerator(seed: 99)
        func scale(_ x: Int64, _ f: Double) -> Int64 { Int64((Double(x) * f).rounded()) }
        for i in 0..<out.series.count where out.series.end[i] > cutTime {
            let f = 0.5 + Double(rng.next() % 1000) / 1000
            out.series.open[i] = scale(out.series.open[i], f); out.series.high[i] = scale(out.series.high[i], f)
            out.series.low[i] = scale(out.series.low[i], f); out.series.close[i] = scale(out.series.close[i], f)
            out.series.volume[i] = scale(out.series.volume[i], 0.3 + Double(rng.next() % 1000) / 500)
        }
        for i in 0..<out.etfs.count where out.etfs.end[i] > cutTime {
            let f = 0.8 + Double(rng.next() % 400) / 1000
            out.etfs.open[i] = scale(out.etfs.open[i], f); out.etfs.high[i] = out.etfs.open[i]
            out.etfs.low[i] = out.etfs.open[i]; out.etfs.close[i] = out.etfs.open[i]
        }
        let split = w.series.steps[cut + 5].time.rawValue - 20 * 3_600_000_000_000
        out.series.actions.append(ScheduledAction(effective: split, action: CorporateAction(symbol: SymbolID(2), kind: .split, exDate: "later", ratio: 4)))
        out.series.sortActions()
        let cutDay = TimeText.localDate(Timestamp(rawValue: cutTime), timeZone: "America/New_York")
        out.external = w.external.split(separator: "\n").map { line -> String in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 4, f[1] != "as_of", String(f[1]) > cutDay else { return String(line) }
            return "\(f[0]),\(f[1]),\(f[2]),\(Double(f[3])! * -3 + 1)"
        }.joined(separator: "\n") + "\n\(w.series.symbols[1]),\(TimeText.localDate(Timestamp(rawValue: w.series.steps[cut + 1].time.rawValue), timeZone: "America/New_York")),eps_surprise,42\n"
        return out
    }

    static func panel(_ w: World) throws -> FeaturePanel {
        let dates = w.series.steps.map(\.time.rawValue)
        let sectors = w.sectors
        let groups = sectors.groups(for: w.series.symbols)
        let map = SectorETFMap(Dictionary(uniqueKeysWithValues: groups.sectors.enumerated().map { ($1, "E\($0 % 4 + 1)") }), fallback: "E1")
        let external = try Array(w.external.utf8).withUnsafeBytes {
            try ExternalData.read(bytes: $0, path: "external.csv", symbols: w.series.symbols, timeZone: "America/New_York")
        }
        var sources: [any FeatureSource] = [
            Alpha158Source(), AlphaFeature(MomentumAlpha(name: "momentum_20d", lookback: 20)),
            ETFResidualSource(window: 20, horizons: [1, 5], etfs: ETFCloses(w.etfs, dates: dates),
                              etfOfSymbol: map.etfs(for: w.series.symbols, sectors: sectors).etf, fallback: "E1",
                              alphas: [MomentumAlpha(name: "momentum_10d", lookback: 10)],
                              etfAlphas: [MomentumAlpha(name: "momentum_10d", lookback: 10)]),
            ExternalSource(external, settings: ExternalSettings(lagDays: 1, maxAgeDays: 30), symbolCount: w.series.symbols.count),
        ]
        var (panel, _) = try PanelBuilder.build(w.series, sources: &sources)
        // Transforms and neutralization as research.yaml applies them, on copies of a few features.
        let base = panel.featureCount
        let copies = ["ROC20", "momentum_20d", "ETFRES5", "eps_surprise"]
        let first = try panel.add(copies.map { "\($0)_neutral" } + copies.map { "\($0)_ranked" })
        for (k, name) in copies.enumerated() {
            let f = try #require(panel.index(of: name))
            let column = panel.withColumn(f) { (c: UnsafeBufferPointer<Double>) in Array(c) }
            panel.set(first + k, column)
            panel.set(first + copies.count + k, column)
            CrossSectionTransform.winsorize(lower: 0.05, upper: 0.95).apply(to: &panel, feature: first + k)
            CrossSectionTransform.zscore.apply(to: &panel, feature: first + k, groups: groups.groups)
            CrossSectionTransform.rank.apply(to: &panel, feature: first + copies.count + k, groups: groups.groups)
        }
        #expect(panel.featureCount == base + 2 * copies.count)
        return panel
    }

    @Test("changing every bar, ETF price and outside value after t (and a split after t) changes nothing at or before t")
    func nothingPeeks() throws {
        let w = try Self.world()
        let a = try Self.panel(w), b = try Self.panel(try Self.perturbed(w))
        #expect(a.names == b.names)
        var same = 0, laterChanged = 0
        for f in 0..<a.featureCount {
            for d in 0..<a.dateCount {
                for s in 0..<a.symbolCount {
                    let x = a.value(f, d, s), y = b.value(f, d, s)
                    let equal = x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
                    if d <= Self.cut {
                        #expect(equal, "\(a.names[f]) of symbol \(s) on date \(d) changed: \(x) → \(y)")
                        same += 1
                    } else if !equal {
                        laterChanged += 1
                    }
                }
            }
        }
        #expect(same > 0)
        #expect(laterChanged > a.featureCount * 10, "the perturbation does reach the dates after t")
        for name in ["ETFRES5", "eps_surprise", "momentum_20d_neutral", "momentum_10d_etfres"] {
            let f = try #require(a.index(of: name))
            #expect(a.coverage(f) > 100, "\(name) is defined on many cells")
        }
    }

    @Test("walk-forward folds and their purges read no value: the same splits after the perturbation")
    func splitsIgnoreValues() throws {
        var settings = WalkForwardSettings()
        settings.train = 40; settings.test = 20
        let spec = LabelSpec(horizon: 5)
        let a = PurgedSplitter.walkForward(dates: Self.days, labelEnd: spec.end(of:), settings: settings)
        let b = PurgedSplitter.walkForward(dates: Self.days, labelEnd: spec.end(of:), settings: settings)
        #expect(a == b)
        for fold in a { #expect(fold.train.allSatisfy { spec.end(of: $0) < fold.test[0].lowerBound }, "no training label reaches its test block") }
    }
}
