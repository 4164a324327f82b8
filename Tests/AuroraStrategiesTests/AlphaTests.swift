import Foundation
import Testing
import AuroraTestSupport
import AuroraRun
@testable import AuroraStrategies
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraLog
import AuroraModel

@Suite("Cross-sectional operators")
struct CrossSectionTests {
    func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { ($0.isNaN && $1.isNaN) || abs($0 - $1) < 1e-12 }
    }

    @Test("published vectors: demean, demean within groups, demeaned factor weights")
    func published() {
        #expect(close(CrossSection.demean([1.5, 2.5, 3.5, 1.0]), [-0.625, 0.375, 1.375, -1.125]))
        #expect(close(CrossSection.demean([1.5, 2.5, 3.5, 1.0], groups: [1, 1, 2, 2]), [-0.5, 0.5, 1.25, -1.25]))
        #expect(close(CrossSection.factorWeights([3, 4, 2, 1]), [0.125, 0.375, -0.125, -0.375]))
    }

    @Test("rank (average ties), percentile rank, z-score (ddof 1), winsorize; NaN stays out")
    func operators() {
        #expect(close(CrossSection.rank([3, 1, .nan, 3, 2]), [3.5, 1, .nan, 3.5, 2]))
        #expect(close(CrossSection.rank([5, 1, 7, 2], groups: [0, 0, 1, 1]), [2, 1, 2, 1]))
        #expect(close(CrossSection.percentileRank([10, 30, 20]), [-0.5, 0.5, 0]))
        #expect(close(CrossSection.percentileRank([4, .nan]), [0, .nan]))
        // Sample sd of [1, 2, 3, 4] is 1.2909944487358056.
        #expect(close(CrossSection.zscore([1, 2, 3, 4]), [-1.161895003862225, -0.3872983346207417, 0.3872983346207417, 1.161895003862225]))
        #expect(close(CrossSection.zscore([1, 1, 1]), [.nan, .nan, .nan]))
        #expect(close(CrossSection.winsorize([1, 2, 3, 4, 100], lower: 0, upper: 0.75), [1, 2, 3, 4, 4]))
        #expect(close(CrossSection.winsorize([0, 10, 20, 30, 40], lower: 0.1, upper: 0.9), [4, 10, 20, 30, 36]))
        #expect(abs(CrossSection.rankCorrelation([1, 2, 3, 4], [10, 20, 40, 30]) - 0.8) < 1e-12)
    }
}

@Suite("Alphas")
struct AlphaComputationTests {
    static func universe(days: Int = 80, symbols: Int = 8) throws -> BarSeries {
        var u = SyntheticUniverse()
        u.symbolCount = symbols
        u.sectorCount = 2
        u.days = days
        return try u.generate()
    }

    /// Runs an alpha over the series, calling `check` with each step's closes-so-far and values.
    func walk(_ alpha: inout some Alpha, _ series: BarSeries, _ check: ([[Double]], [Double]) -> Void) {
        var history = [[Double]](repeating: [], count: series.symbols.count)
        var values: [Double] = []
        var last = [Price?](repeating: nil, count: series.symbols.count)
        for range in series.groups {
            let bars = range.map { series.bar($0) }
            for b in bars { history[b.symbol.index].append(b.close.doubleValue); last[b.symbol.index] = b.close }
            alpha.step(MarketSnapshot(timestamp: Timestamp(rawValue: series.end[range.lowerBound]), bars: bars, lastClose: last,
                                      symbolNames: series.symbols), into: &values)
            check(history, values)
        }
    }

    @Test("momentum_20d is close_t / close_{t−20} − 1 once 21 closes exist")
    func momentum() throws {
        var alpha = MomentumAlpha()
        try walk(&alpha, Self.universe()) { history, values in
            for (s, h) in history.enumerated() {
                if h.count < 21 { #expect(values[s].isNaN) } else { #expect(abs(values[s] - (h[h.count - 1] / h[h.count - 21] - 1)) < 1e-12) }
            }
        }
    }

    @Test("mean_reversion's rolling sums equal a direct computation over the window")
    func meanReversion() throws {
        var alpha = MeanReversionAlpha()
        try walk(&alpha, Self.universe(days: 120)) { history, values in
            for (s, h) in history.enumerated() where h.count >= 20 {
                let w = Array(h.suffix(20))
                let mean = w.reduce(0, +) / 20
                let sd = (w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 19).squareRoot()
                #expect(abs(values[s] - -(h[h.count - 1] - mean) / sd) < 1e-8)
            }
        }
    }

    @Test("cross_sectional_momentum is momentum's percentile rank across the universe")
    func crossSectional() throws {
        var alpha = CrossSectionalMomentumAlpha()
        var momentum = MomentumAlpha()
        var expected: [Double] = []
        let series = try Self.universe()
        var last = [Price?](repeating: nil, count: series.symbols.count)
        var values: [Double] = []
        for range in series.groups {
            let bars = range.map { series.bar($0) }
            for b in bars { last[b.symbol.index] = b.close }
            let snapshot = MarketSnapshot(timestamp: Timestamp(rawValue: series.end[range.lowerBound]), bars: bars, lastClose: last, symbolNames: series.symbols)
            momentum.step(snapshot, into: &expected)
            alpha.step(snapshot, into: &values)
            let got: [UInt64] = values.map(\.bitPattern)
            let want: [UInt64] = CrossSection.percentileRank(expected).map(\.bitPattern)
            #expect(got == want)
        }
    }
}

@Suite("Alpha strategy")
struct AlphaStrategyTests {
    @Test("the usage examples: equal weights over three alphas; the default strategy's weights")
    func usage() throws {
        let equal = EqualWeightModel().computeWeights(["a", "b", "c"], WeightContext(date: Timestamp(rawValue: 0)))
        let third: Double = 1.0 / 3
        #expect(equal.weights == ["a": third, "b": third, "c": third])
        let strategy = try AlphaStrategy(config: AlphaStrategyConfig())
        #expect(strategy.currentWeights() == ["momentum_20d": 0.5, "mean_reversion": 0.5])
        let fixed = try AlphaStrategy(config: AlphaStrategyConfig(alphaWeights: ["momentum_20d": 0.7, "mean_reversion": 0.3]))
        #expect(fixed.currentWeights() == ["momentum_20d": 0.7, "mean_reversion": 0.3])
        #expect(throws: AlphaStrategy.ConfigurationError.self) { try AlphaStrategy(config: AlphaStrategyConfig(alphaNames: ["nope"])) }
        #expect(throws: AlphaStrategy.ConfigurationError.self) { try AlphaStrategy(config: AlphaStrategyConfig(alphaNames: [])) }
    }

    @Test("signals rewritten in place equal signals built fresh, as bars come and go and scores turn undefined")
    func signalsReused() throws {
        let series = try AlphaComputationTests.universe(days: 60, symbols: 12)
        let config = AlphaStrategyConfig(alphaNames: ["momentum_20d", "mean_reversion"], maxPositions: 3)
        // One strategy's callers keep every signal array it returned (so it must build new ones),
        // the other's drop each at once (so it rewrites the last one in place).
        var kept = try AlphaStrategy(config: config), reused = try AlphaStrategy(config: config)
        var held: [[Signal]] = []
        var heldPrints: [[UInt64]] = []
        func fingerprint(_ signals: [Signal]) -> [UInt64] {
            signals.flatMap { [UInt64($0.symbol.rawValue), $0.score.bitPattern] + $0.contributions.map(\.value.bitPattern) }
        }
        var last = [Price?](repeating: nil, count: series.symbols.count)
        var step = 0, defined = 0, sizes = Set<Int>()
        for range in series.groups {
            // Some steps lose a few symbols' bars: fewer signals than the step before, then more.
            let bars = range.map { series.bar($0) }.filter { step % 5 != 3 || $0.symbol.index % 3 != 0 }
            for b in bars { last[b.symbol.index] = b.close }
            let snapshot = MarketSnapshot(timestamp: Timestamp(rawValue: series.end[range.lowerBound]), bars: bars, lastClose: last,
                                          symbolNames: series.symbols)
            let a = kept.generateSignals(snapshot)
            held.append(a)
            heldPrints.append(fingerprint(a))
            let b = reused.generateSignals(snapshot)
            #expect(a.count == b.count && zip(a, b).allSatisfy { x, y in
                x.symbol == y.symbol && x.direction == y.direction && x.score.bitPattern == y.score.bitPattern && x.rank == y.rank
                    && x.contributions.map(\.alpha) == y.contributions.map(\.alpha)
                    && x.contributions.map(\.value.bitPattern) == y.contributions.map(\.value.bitPattern)
                    && x.expectedReturn == nil && y.expectedReturn == nil && x.confidence == nil && y.confidence == nil
            }, "step \(step)")
            defined += b.filter { !$0.contributions.isEmpty }.count
            sizes.insert(b.count)
            step += 1
        }
        #expect(defined > 100 && sizes.count > 1)
        // What the first caller kept was never rewritten under it.
        #expect(held.map(fingerprint) == heldPrints)
    }

    @Test("a custom alpha registered by name runs from a configuration and replays")
    func customAlpha() throws {
        var registry = ComponentRegistry.builtIn
        registry.alphas.register("my_momentum") { MomentumAlpha(name: "my_momentum", lookback: 5) }
        let yaml = "strategy:\n  type: alpha\n  alphas: [my_momentum]\n  max_positions: 2\ndata:\n  synthetic: {symbols: 6, sectors: 2, days: 30}\n"
        #expect(throws: ConfigError.self) { try ConfigReader.parse(yaml) }
        var engine = BacktestEngine(config: try ConfigReader.parse(yaml, registry: registry), logPath: Paths.temporary("custom.alog"))
        engine.registry = registry
        let result = try engine.runMulti()
        #expect(result.trades.count > 0)
        #expect(try ReplayEngine.replay(path: engine.logPath, registry: registry).identical)
    }

    @Test("IC weights: proportional to positive mean Rank IC over the window, floored, normalized; equal as a fallback")
    func icWeights() {
        let model = ICWeightModel(window: 2)
        let r = model.computeWeights(["a", "b", "c"], WeightContext(date: Timestamp(rawValue: 0),
                                                                   rankICs: ["a": [0.9, 0.1, 0.3], "b": [0.1, 0.1], "c": [-0.5, -0.2]]))
        let a: Double = r.weights["a"] ?? -1, b: Double = r.weights["b"] ?? -1
        #expect(abs(a - 0.2 / 0.3) < 1e-12)
        #expect(abs(b - 0.1 / 0.3) < 1e-12)
        #expect(r.weights["c"] == 0)
        let none = model.computeWeights(["a", "b"], WeightContext(date: Timestamp(rawValue: 0), rankICs: ["a": [-0.1]]))
        #expect(none.weights == ["a": 0.5, "b": 0.5] && none.metadata["fallback"] != nil)
    }

    func backtest(_ series: BarSeries, _ settings: AlphaSettings, path: String) throws -> [Event] {
        var config = AuroraConfig()
        config.strategy = .alpha(settings)
        let writer = try LogWriter.create(path: path)
        let manifest = Manifest(formatVersion: 1, engineVersion: "t", properties: [KeyValue("portfolio.initial_cash", "1000000")])
        _ = try RunFactory.backtest(config, series: series, manifest: manifest, sink: writer)
        try writer.close()
        let cursor = try LogReader(path: path).events()
        var out: [Event] = []
        while let e = try cursor.next() { out.append(e) }
        return out
    }

    @Test("look-ahead: changing every bar after t changes no alpha, weight or signal at or before t")
    func noLookAhead() throws {
        let series = try AlphaComputationTests.universe(days: 120, symbols: 12)
        let cut = series.end[series.count / 2]
        var changed = series
        var rng: UInt64 = 99
        for i in 0..<changed.count where changed.end[i] > cut {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1
            let factor = 0.5 + Double(rng >> 40) / Double(1 << 24)
            changed.close[i] = Int64(Double(changed.close[i]) * factor / 1e7).clamped(min: 1) * 10_000_000
            changed.high[i] = max(changed.high[i], changed.close[i])
            changed.low[i] = min(changed.low[i], changed.close[i])
        }
        var settings = AlphaSettings()
        settings.strategy.alphaNames = ["momentum_20d", "mean_reversion", "cross_sectional_momentum"]
        settings.strategy.sectorNeutral = true
        settings.strategy.maxPositions = 3
        settings.weightModel = .ic(window: 10)
        let decided: Set<EventKind> = [.alphaValue, .alphaWeights, .signal]
        let dir = Paths.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let a = try backtest(series, settings, path: dir + "/a.alog").filter { decided.contains($0.kind) && $0.timestamp.rawValue <= cut }
        let b = try backtest(changed, settings, path: dir + "/b.alog").filter { decided.contains($0.kind) && $0.timestamp.rawValue <= cut }
        #expect(a.count > 500)
        #expect(a.map(EventCodec.canonicalBytes) == b.map(EventCodec.canonicalBytes))
        let after = try backtest(changed, settings, path: dir + "/c.alog").filter { decided.contains($0.kind) && $0.timestamp.rawValue > cut }
        let before = try backtest(series, settings, path: dir + "/d.alog").filter { decided.contains($0.kind) && $0.timestamp.rawValue > cut }
        #expect(after.map(EventCodec.canonicalBytes) != before.map(EventCodec.canonicalBytes))   // the change did reach later decisions

        let loaderA = AlphaLoader(series: series), loaderB = AlphaLoader(series: changed)
        for name in ["momentum_20d", "mean_reversion", "cross_sectional_momentum"] {
            let x = try loaderA.alphaForDate(name, symbols: series.symbols, date: Timestamp(rawValue: cut))
            let y = try loaderB.alphaForDate(name, symbols: series.symbols, date: Timestamp(rawValue: cut))
            #expect(!x.isEmpty && x == y)
        }
    }

    @Test("never NaN in a trade; symbols without a full history HOLD with no score")
    func noNaNTrades() throws {
        let series = try AlphaComputationTests.universe(days: 40, symbols: 10)
        var settings = AlphaSettings()
        settings.strategy.maxPositions = 2
        let events = try backtest(series, settings, path: Paths.temporary("alpha.alog"))
        for e in events {
            switch e.payload {
            case .signal(let s): if s.score.isNaN { #expect(s.direction == .hold && s.rank == -1 && s.contributions.isEmpty) }
            case .targetPosition(let t): #expect(t.weight.isFinite)
            case .fill(let f): #expect(f.quantity.rawValue > 0 && f.price.rawValue > 0)
            default: break
            }
        }
        // mean_reversion needs 20 closes: nothing is bought or sold before the 20th bar.
        let firstTrade = events.first { $0.kind == .plannedTrade }
        let twentieth = series.end[series.groups[19].lowerBound]
        #expect((firstTrade?.timestamp.rawValue ?? 0) >= twentieth)
    }
}

@Suite("Alpha loader")
struct AlphaLoaderTests {
    @Test("tables use only bars up to each date; the TTL cache runs on the loader's clock")
    func cache() throws {
        let series = try AlphaComputationTests.universe(days: 60)
        let loader = AlphaLoader(series: series, config: AlphaLoaderConfig(cacheTTLMinutes: 5, lookbackDays: 40))
        let start = Timestamp(rawValue: series.end[series.groups[40].lowerBound])
        let end = Timestamp(rawValue: series.end[series.count - 1])
        let table = try loader.loadAlpha("momentum_20d", symbols: ["SYN001", "SYN003"], start: start, end: end)
        #expect(table.dates.count == 20)
        #expect(table.values.count == 40)
        #expect(!table.values.contains { $0.isNaN })
        #expect(loader.misses == 1 && loader.hits == 0)
        _ = try loader.loadAlpha("momentum_20d", symbols: ["SYN001", "SYN003"], start: start, end: end)
        #expect(loader.hits == 1)
        loader.now = Timestamp(rawValue: 4 * 60 * 1_000_000_000)
        _ = try loader.loadAlpha("momentum_20d", symbols: ["SYN001", "SYN003"], start: start, end: end)
        #expect(loader.hits == 2)
        loader.now = Timestamp(rawValue: 5 * 60 * 1_000_000_000)
        _ = try loader.loadAlpha("momentum_20d", symbols: ["SYN001", "SYN003"], start: start, end: end)
        #expect(loader.misses == 2)
        // A one-date load equals that row of the range load.
        let row = try loader.alphaForDate("momentum_20d", symbols: ["SYN001", "SYN003"], date: start)
        let expectedRow: [String: Double] = ["SYN001": table.value(date: 0, symbol: 0), "SYN003": table.value(date: 0, symbol: 1)]
        #expect(row == expectedRow)
        #expect(throws: DataError.self) { try loader.loadAlpha("nope", symbols: [], start: start, end: end) }
        #expect(throws: DataError.self) { try loader.loadAlpha("momentum_20d", symbols: ["ZZZ"], start: start, end: end) }
    }
}

@Suite("Sector maps")
struct SectorMapTests {
    @Test("a Symbol,Name,Sector file; unmapped symbols are reported and grouped together")
    func grouping() throws {
        let path = Paths.temporary("sectors.csv")
        try "Symbol,Name,Sector\nA,\"Alpha, Inc.\",Tech\nB,Beta,Energy\nC,Gamma,Tech\n".write(toFile: path, atomically: true, encoding: .utf8)
        let map = try SectorMap.load(path: path)
        let g = map.groups(for: ["A", "B", "C", "D", "E"])
        #expect(g.sectors == ["Energy", "Tech", "(unmapped)"])
        #expect(g.groups == [1, 0, 1, 2, 2])
        #expect(g.unmapped == ["D", "E"])
        try "Ticker,Sector\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: DataError.self) { try SectorMap.load(path: path) }
    }

    @Test("the shared S&P sector map covers the S&P file but for a few renamed tickers",
          .enabled(if: Paths.hasSharedData, "../shared/data is absent: sector map check skipped"))
    func sharedMap() throws {
        let map = try SectorMap.load(path: Paths.shared("sp500-sectors-2018.csv"))
        #expect(map.sectorOf.count == 505)
        #expect(Set(map.sectorOf.values).count == 11)
        #expect(map.sectorOf["AAPL"] == "Information Technology")
    }
}

extension Int64 {
    func clamped(min lower: Int64) -> Int64 { Swift.max(self, lower) }
}

@Suite("Alpha strategy ranking")
struct AlphaRankingTests {
    @Test("scores ranked through packed keys come out in the order the plain comparison gives, ties and -0 included")
    func packedKeysKeepTheOrder() {
        var rng = SplitMix64(seed: 11)
        for round in 0..<200 {
            let n = 1 + Int(rng.next() % 600)
            // Few distinct values, so ties are common; signs, zeros of both signs and huge magnitudes mixed in.
            let palette: [Double] = [0, -0.0, 1, -1, 0.5, -0.25, 1e300, -1e300, 3.25, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
            let score = (0..<n).map { _ in rng.next() % 3 == 0 ? palette[Int(rng.next() % UInt64(palette.count))] : Double(Int64(rng.next() % 2001) - 1000) / 7 }
            let symbols = (0..<n).filter { _ in rng.next() % 5 != 0 }
            let plain = symbols.sorted { score[$0] != score[$1] ? score[$0] > score[$1] : $0 < $1 }
            #expect(AlphaStrategy.byScoreDescending(symbols, score) == plain, "round \(round)")
        }
    }
}

/// A small deterministic generator for the test above.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
