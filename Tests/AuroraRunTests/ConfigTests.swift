import Testing
import AuroraTestSupport
import AuroraRun
import AuroraExecution
import AuroraStrategies
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraModel
import AuroraLog

@Suite("Configuration")
struct ConfigTests {
    @Test("the example configs load")
    func examples() throws {
        let (momentum, _) = try ConfigReader.load(path: Paths.fixture("backtest-momentum.yaml"))
        #expect(momentum.strategy == .momentum(lookback: 20, threshold: 0.05))
        #expect(momentum == AuroraConfig())   // the example spells out the defaults
        let (macd, _) = try ConfigReader.load(path: Paths.fixture("backtest-macd.yaml"))
        #expect(macd.strategy == .macd(fast: 12, slow: 26, signal: 9))
        #expect(macd.execution.common.fractionalShares == false && macd.execution.common.costBps == 1 && macd.portfolio.equalWeight.maxPositionWeight == 0.15)
        #expect(macd.data.source == "fixtures/bars-daily.csv")
    }

    @Test("write then read gives an equal configuration")
    func roundTrip() throws {
        var c = AuroraConfig()
        c.strategy = .macd(fast: 5, slow: 35, signal: 5)
        c.portfolio.initialCash = 2_500_000.5
        c.portfolio.equalWeight.holdPolicy = .keep
        c.execution.common.fill = .close
        c.execution.common.costBps = 0.25
        c.data.source = "data/my file.csv"
        c.data.symbols = ["BRK.B", "true", "123"]
        c.data.start = "2020-01-02"
        c.data.synthetic.seed = 7
        c.data.synthetic.timeframe = .minute
        let yaml = ConfigWriter.yaml(c)
        #expect(try ConfigReader.parse(yaml) == c)
        #expect(ConfigWriter.yaml(try ConfigReader.parse(yaml)) == yaml)
    }

    @Test("bad configs name the key and the line", arguments: [
        ("strategy:\n  type: momentum\n  lookbak: 3\n", "config:3: strategy.lookbak: unknown key"),
        ("strategy:\n  type: vwap\n", "config:2: strategy.type: unknown strategy \"vwap\""),
        ("portfolio:\n  hold_policy: sometimes\n", "config:2: portfolio.hold_policy: \"sometimes\" is not one of: exit, keep"),
        ("execution:\n  cost_bps: -1\n", "config:2: execution.cost_bps: must be at least 0, not -1"),
        ("portfolio:\n  initial_cash: lots\n", "config:2: portfolio.initial_cash: \"lots\" is not a number"),
        ("strategy:\n  type: macd\n  fast: 30\n  slow: 20\n", "config:4: strategy.slow: must be greater than fast (30)"),
        ("data:\n  start: yesterday\n", "config:2: data.start: \"yesterday\" is not a date"),
        ("data:\n  synthetic:\n    timeframe: 5m\n", "config:3: data.synthetic.timeframe: \"5m\" is not 1d or 1m"),
        ("risk: high\n", "config:1: risk: unknown key; expected one of: strategy, portfolio, execution, data, log"),
        ("strategy: [1, 2\n", "config: not valid YAML"),
    ])
    func errors(yaml: String, message: String) { expectConfigError(yaml, message) }

    // Scalars are composed without YAML's implicit types (no resolver rules: compiling their
    // regular expressions cost every command ~3 ms); each key reads its value's text itself.
    @Test("values are read from their text as written, whatever YAML's implicit types would make of them")
    func scalarsAsText() throws {
        let c = try ConfigReader.parse("""
            strategy: {type: momentum, lookback: "12", threshold: 5e-2}
            portfolio: {max_position: .25}
            execution: {fractional_shares: yes}
            """)
        #expect(c.strategy == .momentum(lookback: 12, threshold: 0.05))
        #expect(c.portfolio.equalWeight.maxPositionWeight == 0.25)
        #expect(c.execution.common.fractionalShares == true)
        expectConfigError("strategy:\n  type: momentum\n  lookback: 0x10\n", "config:3: strategy.lookback: \"0x10\" is not a whole number")
        expectConfigError("portfolio:\n  initial_cash: ~\n", "config:2: portfolio.initial_cash: \"~\" is not a number")
        expectConfigError("true: 1\n", "config:1: true: unknown key")
    }
}

@Suite("Strategies")
struct StrategyTests {
    func snapshot(_ t: Int64, _ closes: [Double]) -> MarketSnapshot {
        let bars = closes.enumerated().map { i, c in
            Bar(symbol: SymbolID(i), timeframe: .day, open: Price(c)!, high: Price(c)!, low: Price(c)!, close: Price(c)!, volume: .zero)
        }
        return MarketSnapshot(timestamp: Timestamp(rawValue: t), bars: bars, lastClose: bars.map(\.close), symbolNames: ["A", "B"])
    }

    @Test("momentum: HOLD while warming up, then the sign of close / close[lookback] − 1 beyond the threshold")
    func momentum() {
        var s = MomentumStrategy(lookback: 2, threshold: 0.05)
        #expect(s.generateSignals(snapshot(1, [100, 100])).map(\.direction) == [.hold, .hold])
        #expect(s.generateSignals(snapshot(2, [103, 97])).map(\.direction) == [.hold, .hold])
        let third = s.generateSignals(snapshot(3, [106, 94]))
        #expect(third.map(\.direction) == [.buy, .sell])
        #expect(abs(third[0].score - 0.06) < 1e-12)
        #expect(s.generateSignals(snapshot(4, [104, 99])).map(\.direction) == [.hold, .hold])   // 104/103, 99/97
    }

    @Test("MACD: BUY above the signal line in an uptrend, SELL in a downtrend")
    func macd() {
        var s = MACDStrategy(fast: 3, slow: 6, signal: 3)
        var last: [Signal] = []
        for t in 0..<30 { last = s.generateSignals(snapshot(Int64(t), [100 + Double(t * t) * 0.1, 100 - Double(t * t) * 0.05])) }
        #expect(last.map(\.direction) == [.buy, .sell])
        var warm = MACDStrategy(fast: 3, slow: 6, signal: 3)
        #expect(warm.generateSignals(snapshot(0, [1, 1])).map(\.direction) == [.hold, .hold])
    }

    @Test("the synthetic universe is deterministic, well-formed, and has gap-free daily and minute bars")
    func synthetic() throws {
        var u = SyntheticUniverse()
        u.symbolCount = 12
        u.sectorCount = 3
        u.days = 30
        let a = try u.generate(), b = try u.generate()
        #expect(a.close == b.close && a.end == b.end && a.volume == b.volume)
        #expect(a.count == 12 * 30)
        let report = DataReport.scan(a)
        #expect(report.totalGaps == 0 && report.brokenBarCount == 0 && report.zeroVolumeBars == 0)
        #expect(Timestamp(rawValue: a.end[0]).iso8601 == "2020-01-02T21:00:00Z")
        u.seed = 43
        #expect(try u.generate().close != a.close)
        u.timeframe = .minute
        u.days = 2
        let m = try u.generate()
        #expect(m.count == 12 * 390 * 2)
        #expect(Timestamp(rawValue: m.end[0]).iso8601 == "2020-01-02T14:31:00Z")
        #expect(Timestamp(rawValue: m.end[m.count - 1]).iso8601 == "2020-01-03T21:00:00Z")
        #expect(zip(m.end, m.end.dropFirst()).allSatisfy { $0 <= $1 })
    }
}

@Suite("Bad data and ranges")
struct BadDataTests {
    func run(_ configure: (inout AuroraConfig) -> Void) throws -> BacktestResult {
        var c = AuroraConfig()
        c.data.synthetic.symbolCount = 10
        c.data.synthetic.sectorCount = 2
        c.data.synthetic.days = 40
        configure(&c)
        return try BacktestEngine(config: c, logPath: Paths.temporary("bad.alog")).runMulti()
    }

    @Test("an unknown symbol, an empty range, a missing file and a reversed range are clear errors")
    func errors() {
        #expect(throws: DataError.self) { try run { $0.data.symbols = ["NOPE"] } }
        #expect(throws: DataError.self) { try run { $0.data.start = "2030-01-01" } }
        #expect(throws: DataError.self) { try run { $0.data.source = "/no/such.csv" } }
        do {
            _ = try run { $0.data.start = "2020-03-01"; $0.data.end = "2020-02-01" }
            Issue.record("a reversed range ran")
        } catch {
            #expect("\(error)".contains("empty"))
        }
    }

    @Test("gaps, missing values and broken bars are reported per symbol and date; no trade at a missing price")
    func reported() throws {
        let csv = """
        date,open,high,low,close,volume,Name
        2020-01-02,10,11,9,10,100,A
        2020-01-03,10,11,9,10.5,100,A
        2020-01-06,10,11,9,11,0,A
        2020-01-07,10,13,9,12,100,A
        2020-01-02,20,21,19,20,100,B
        2020-01-03,,21,19,20,100,B
        2020-01-07,20,21,19,21,100,B
        """
        let path = Paths.temporary("gaps.csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try run {
            $0.data.source = path
            $0.strategy = .momentum(lookback: 1, threshold: 0)
        }
        #expect(result.data.skippedRows == 1)
        #expect(result.data.skippedExamples.first?.hasSuffix("gaps.csv:7: missing value: 2020-01-03,,21,19,20,100,B") == true, "\(result.data.skippedExamples)")
        #expect(result.data.gapsBySymbol.map(\.symbol) == ["B"])
        #expect(result.data.gapsBySymbol.first?.missing == 2)
        #expect(result.data.gapsBySymbol.first?.first.iso8601 == "2020-01-03T21:00:00Z")
        #expect(result.data.zeroVolumeBars == 1)
        // The scan runs beside the run: its findings are those of the prepared bars scanned in line.
        var data = AuroraConfig().data
        data.source = path
        let inline = try PreparedData.load(data)
        let unscanned = try PreparedData.load(data, scanned: false)
        #expect(unscanned.report.gapsBySymbol.isEmpty && unscanned.report.zeroVolumeBars == 0)
        #expect(result.data.gapsBySymbol.map { "\($0.symbol) \($0.missing) \($0.first)" }
                == inline.report.gapsBySymbol.map { "\($0.symbol) \($0.missing) \($0.first)" })
        #expect(result.data.zeroVolumeBars == inline.report.zeroVolumeBars)
        #expect(result.data.brokenBars == inline.report.brokenBars && result.data.brokenBarCount == inline.report.brokenBarCount)
        // Every fill happened at a price the data has for that symbol at that time.
        #expect(result.trades.allSatisfy { t in
            t.symbol == "A" ? [10.0].contains(t.price.doubleValue) : t.price.doubleValue == 20
        })
    }
}

@Suite("Alpha configuration")
struct AlphaConfigTests {
    @Test("the example alpha configs load; save then load gives an equal config; a dictionary parses")
    func examples() throws {
        let c = try loadAlphaConfig(Paths.fixture("alpha.yaml"))
        guard case .alpha(let a) = c.strategy else { Issue.record("not an alpha strategy"); return }
        #expect(a.strategy.alphaNames == ["momentum_20d", "mean_reversion", "cross_sectional_momentum"])
        #expect(a.strategy.longThreshold == 0.25 && a.strategy.shortThreshold == -0.25 && a.strategy.maxPositions == 10)
        #expect(a.strategy.sectorNeutral && a.weightModel == .equal)
        let path = Paths.temporary("saved.yaml")
        try saveAlphaConfig(c, path)
        #expect(try loadAlphaConfig(path) == c)

        let sp = try loadAlphaConfig(Paths.fixture("alpha-sp500.yaml"))
        guard case .alpha(let s) = sp.strategy else { Issue.record("not an alpha strategy"); return }
        #expect(s.weightModel == .ic(window: 60) && s.sectorMap == "../shared/data/sp500-sectors-2018.csv")
        try saveAlphaConfig(sp, path)
        #expect(try loadAlphaConfig(path) == sp)

        let d = try parseAlphaConfig(["strategy": ["type": "alpha", "alphas": ["momentum_20d", "mean_reversion"],
                                                   "weights": ["momentum_20d": 0.25, "mean_reversion": 0.75],
                                                   "thresholds": ["long": 1, "short": -1], "refresh": "daily", "max_positions": 5]])
        guard case .alpha(let fromDictionary) = d.strategy else { Issue.record("not an alpha strategy"); return }
        #expect(fromDictionary.strategy.alphaWeights == ["momentum_20d": 0.25, "mean_reversion": 0.75])
        #expect(fromDictionary.strategy.maxPositions == 5)
    }

    @Test("validation names the key and line", arguments: [
        ("strategy:\n  type: alpha\n  alphas: []\n", "config:3: strategy.alphas: needs at least one alpha"),
        ("strategy:\n  type: alpha\n  alphas: [momentum_20d, magic]\n", "config:3: strategy.alphas: unknown alpha \"magic\""),
        ("strategy:\n  type: alpha\n  alphas: [momentum_20d, mean_reversion]\n  weights: {momentum_20d: 0.5, mean_reversion: 0.6}\n",
         "config:4: strategy.weights: weights sum to 1.1"),
        ("strategy:\n  type: alpha\n  alphas: [momentum_20d]\n  weights: {momentum_20d: 0.5, other: 0.5}\n", "config:4: strategy.weights.other: unknown key"),
        ("strategy:\n  type: alpha\n  thresholds: {long: -1, short: 1}\n", "config:3: strategy.thresholds: long (-1.0) must be greater than short (1.0)"),
        ("strategy:\n  type: alpha\n  refresh: weekly\n", "config:3: strategy.refresh: \"weekly\" is not one of: daily, intraday"),
        ("strategy:\n  type: alpha\n  max_positions: 0\n", "config:3: strategy.max_positions: must be at least 1"),
        ("strategy:\n  type: alpha\n  weight_model: {type: magic}\n", "config:3: strategy.weight_model: unknown weight model \"magic\""),
        ("strategy:\n  type: alpha\n  neutral: true\n", "config:3: strategy.neutral: unknown key"),
    ])
    func validation(yaml: String, message: String) { expectConfigError(yaml, message) }
}

@Suite("Execution configuration")
struct ExecutionConfigTests {
    @Test("the TWAP example loads and round-trips")
    func example() throws {
        let c = try loadAlphaConfig(Paths.fixture("alpha-twap.yaml"))
        let twap = try #require(c.execution.twap)
        #expect(twap.slices == 10)
        #expect(twap.startMinutes == 9 * 60 + 45 && twap.cutoffMinutes == 15 * 60 + 30)
        #expect(twap.participationCap == 0.05 && twap.impactBps == 10)
        let path = Paths.temporary("twap.yaml")
        try saveAlphaConfig(c, path)
        #expect(try loadAlphaConfig(path) == c)
    }

    @Test("validation names the key and line", arguments: [
        ("execution:\n  algorithm: vwap\n", "config:2: execution.algorithm: \"vwap\" is not one of: immediate, twap"),
        ("execution:\n  twap:\n    slices: 5\n", "config:3: execution.twap: settings of another algorithm than execution.algorithm (immediate)"),
        ("execution:\n  algorithm: twap\n  twap:\n    start: \"15:00\"\n    cutoff: \"10:00\"\n", "config:5: execution.twap.cutoff: must be after start"),
        ("execution:\n  algorithm: twap\n  twap:\n    cutoff: \"17:30\"\n", "config:4: execution.twap.cutoff: 17:30 is outside the session 09:30–16:00"),
        ("execution:\n  algorithm: twap\n  twap:\n    slices: 0\n", "config:4: execution.twap.slices: must be at least 1"),
        ("execution:\n  algorithm: twap\n  twap:\n    participation_cap: 0\n", "config:4: execution.twap.participation_cap: must be above 0"),
        ("execution:\n  algorithm: twap\n  twap:\n    fill_price: mid\n", "config:4: execution.twap.fill_price: \"mid\" is not one of"),
        ("execution:\n  algorithm: twap\n  twap:\n    rate_limit: 0\n", "config:4: execution.twap.rate_limit: must be at least 1"),
    ])
    func errors(yaml: String, message: String) { expectConfigError(yaml, message) }

    @Test("TWAP on daily data is a clear error")
    func needsIntraday() throws {
        var c = AuroraConfig()
        c.execution.algorithm = TWAPAlgorithm()
        c.data.synthetic.symbolCount = 5
        c.data.synthetic.sectorCount = 1
        c.data.synthetic.days = 30
        var engine = BacktestEngine(config: c, logPath: Paths.temporary("x.alog"))
        #expect(throws: DataError.self) { try engine.runMulti() }
        engine.config.execution.algorithm = ImmediateAlgorithm()
        #expect(try engine.runMulti().trades.count >= 0)
    }
}

/// Parsing `yaml` fails with an error that starts with `message` (file, line, key, what).
func expectConfigError(_ yaml: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try ConfigReader.parse(yaml)
        Issue.record("accepted: \(yaml)", sourceLocation: sourceLocation)
    } catch {
        #expect("\(error)".hasPrefix(message), "\(error)", sourceLocation: sourceLocation)
    }
}

@Suite("No decisions")
struct NoDecisionTests {
    @Test("strategy none: every bar logged, no signal or order; it round-trips, refuses other keys and replays identically")
    func none() throws {
        var config = try ConfigReader.parse("strategy:\n  type: none\n")
        #expect(config.strategy == .noDecisions)
        #expect(try ConfigReader.parse(ConfigWriter.yaml(config)) == config)
        expectConfigError("strategy:\n  type: none\n  lookback: 5\n", "config:3: strategy.lookback")
        config.data.synthetic.symbolCount = 20
        config.data.synthetic.days = 60
        let path = Paths.temporary("none.alog")
        let result = try BacktestEngine(config: config, logPath: path).runMulti()
        let reader = try LogReader(path: path)
        let cursor = reader.events()
        var kinds: [EventKind: Int] = [:]
        while let e = try cursor.next() { kinds[e.kind, default: 0] += 1 }
        #expect(kinds[.bar] == 20 * 60)
        #expect(kinds[.signal] == nil && kinds[.fill] == nil && kinds[.orderSubmitted] == nil)
        #expect(result.log.eventCount == UInt64(kinds.values.reduce(0, +)))
        #expect(try ReplayEngine.replay(path: path).identical)
    }
}
