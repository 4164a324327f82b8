import Foundation
import Testing
import AuroraTestSupport
import AuroraRun
import AuroraData
import AuroraKernel
import AuroraLog
import AuroraModel
import AuroraStrategies

@Suite("Data sources configured like imports; parameterized alphas; sizing within limits")
struct DataSourceConfigTests {
    @Test("data: takes import-bars' options and writes back only those not at their defaults")
    func dataOptions() throws {
        let yaml = """
        data:
          source: [a.csv, folder]
          time_column: bar_end_et
          stamp: end
          symbol: SPY
          where: {session: RTH}
          delimiter: ";"
          timeframe: 1m
          actions: actions.csv
          adjust: splits
          delisting: keep
          guards: {max_move: 0.25, on_suspect: skip}
        """
        let c = try ConfigReader.parse(yaml)
        #expect(c.data.paths == ["a.csv", "folder"])
        #expect(c.data.csv.timeColumn == "bar_end_et")
        #expect(c.data.csv.symbol == "SPY")
        #expect(c.data.csv.filters == [RowFilter(column: "session", value: "RTH")])
        #expect(c.data.csv.delimiter == UInt8(ascii: ";"))
        #expect(c.data.csv.timeframe == .minute)
        #expect(c.data.adjust == .splits && c.data.delisting == .keep)
        #expect(c.data.guards == DataGuards(maxMove: 0.25, onSuspect: .skip))
        #expect(try ConfigReader.parse(ConfigWriter.yaml(c)) == c)
        // A default configuration's text has none of the new keys (its digest is unchanged).
        let plain = ConfigWriter.yaml(AuroraConfig())
        for key in ["adjust", "delisting", "guards", "time_column", "no_volume"] { #expect(!plain.contains(key)) }
        #expect(throws: ConfigError.self) { try ConfigReader.parse("data: {adjust: sometimes}") }
        #expect(throws: ConfigError.self) { try ConfigReader.parse("data: {delimiter: ';;'}") }
    }

    @Test("alphas take their windows as parameters; the instance name is what logs carry")
    func parameterizedAlphas() throws {
        let c = try ConfigReader.parse("""
        strategy:
          type: alpha
          alphas: [momentum_20d, {name: momentum, lookback: 60}, {name: mean_reversion, window: 10}]
        """)
        guard case .alpha(let a) = c.strategy else { Issue.record("not an alpha strategy"); return }
        #expect(a.strategy.alphaNames == ["momentum_20d", "momentum_60d", "mean_reversion_10"])
        #expect(try ConfigReader.parse(ConfigWriter.yaml(c)) == c)
        #expect(AlphaRegistry.builtIn.make("momentum_60d")?.requiredBars == 61)
        #expect(AlphaRegistry.builtIn.make("momentum_007d") == nil)
        let bad = #"strategy: {type: alpha, alphas: [{name: momentum, window: 3}]}"#
        #expect { try ConfigReader.parse(bad) } throws: { "\($0)".contains("window") }
    }

    @Test("one-symbol files in a folder, newest first, with their own column names, run as one universe")
    func folderOfFiles() throws {
        let dir = Paths.temporary("one-symbol-files")
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, base) in [("AAA", 10.0), ("BBB", 20.0)] {
            var rows: [String] = []
            for d in (0..<30).reversed() {
                let p = base + Double(d) * (name == "AAA" ? 0.1 : -0.1)
                rows.append("2020-\(d < 15 ? "01" : "02")-\(String(format: "%02d", d % 15 + 1)),\(p),\(p),\(p),\(p),1000")
            }
            try (["day,o,h,l,c,v"] + rows).joined(separator: "\n").write(toFile: "\(dir)/\(name).csv", atomically: true, encoding: .utf8)
        }
        var config = AuroraConfig()
        config.data.source = dir
        config.data.csv.timeColumn = "day"
        config.data.csv.openColumn = "o"; config.data.csv.highColumn = "h"; config.data.csv.lowColumn = "l"
        config.data.csv.closeColumn = "c"; config.data.csv.volumeColumn = "v"
        config.strategy = .momentum(lookback: 5, threshold: 0.0)
        let result = try BacktestEngine(config: config, logPath: Paths.temporary("folder.alog")).runMulti()
        #expect(result.symbols == ["AAA", "BBB"])
        #expect(result.outcome.steps == 30)
        #expect(result.trades.count > 0)
        #expect(result.data.actionNotes.contains { $0.contains("newest first") })
    }

    @Test("TWAP over five days of minute bars: a 2-bar lookback trades; the default warns it is never defined")
    func shortLookback() throws {
        func run(_ alpha: String) throws -> BacktestResult {
            let c = try ConfigReader.parse("""
            strategy: {type: alpha, alphas: [\(alpha)], thresholds: {long: 0.0, short: 0.0}, max_positions: 3}
            execution: {algorithm: twap}
            data: {source: synthetic, synthetic: {symbols: 10, sectors: 2, days: 5, timeframe: 1m}}
            """)
            return try BacktestEngine(config: c, logPath: Paths.temporary("twap5.alog")).runMulti()
        }
        let short = try run("{name: momentum, lookback: 2}")
        #expect(short.trades.count > 0)
        #expect(short.data.neverDefined.isEmpty)
        let standard = try run("momentum_20d")
        #expect(standard.trades.isEmpty)
        #expect(standard.data.neverDefined == ["alpha momentum_20d needs 21 closes; the data has at most 5 days per symbol, so it is never defined"])
    }

    @Test("on the shared S&P file the target book never exceeds the gross limit, and suspect moves are listed",
          .enabled(if: FileManager.default.fileExists(atPath: Paths.shared("sp500-daily-2013-2016.csv")), "needs ../shared/data"))
    func grossWithinLimit() throws {
        var config = AuroraConfig()
        config.data.source = Paths.shared("sp500-daily-2013-2016.csv")
        config.kernel.checkpointEvery = 0
        let log = Paths.temporary("sp-gross.alog")
        let result = try BacktestEngine(config: config, logPath: log).runMulti()
        #expect(result.data.suspectMoveCount > 0)
        #expect(result.data.suspectMoves.allSatisfy { $0.place?.hasPrefix("sp500-daily-2013-2016.csv:") ?? false })
        // After each decision, the book is the targets where there are some and the held positions elsewhere.
        var state = PortfolioReducer.initialState()
        var targets: [Int: Int64] = [:]
        var worst = 0.0
        var decisions = 0
        var time = Timestamp(rawValue: 0)
        func close() {
            guard !targets.isEmpty else { return }
            var gross = 0.0
            for i in state.positions.indices {
                let q = targets[i] ?? state.positions[i]
                gross += abs(Double(q) / Double(Quantity.scale) * state.lastPrice[i])
            }
            worst = max(worst, gross / state.equity)
            decisions += 1
            targets = [:]
        }
        let cursor = try LogReader(path: log).events()
        while let event = try cursor.next() {
            if event.timestamp != time { close(); time = event.timestamp }
            if case .targetPosition(let t) = event.payload { targets[t.symbol.index] = t.quantity.rawValue }
            PortfolioReducer.reduce(&state, event)
        }
        close()
        #expect(decisions > 900)
        #expect(worst <= config.portfolio.equalWeight.grossExposure + 1e-6, "gross \(worst)")
    }

    @Test("reading only the chosen symbols gives the same bars as reading all and selecting")
    func onlySymbols() throws {
        let path = Paths.fixture("bars-daily.csv")
        let all = try CSVDataSource(path: path).load().0
        let names = Array(all.symbols.prefix(2))
        var options = BarCSVOptions()
        options.onlySymbols = Set(names)
        let some = try CSVDataSource(path: path, options: options).load().0
        let selected = try all.selecting(symbols: names, from: nil, to: nil)
        #expect(some.symbols == selected.symbols)
        #expect(some.end == selected.end && some.close == selected.close && some.volume == selected.volume)
        #expect(some.count > 0 && some.count < all.count)
    }

    @Test("chosen symbols from a folder come from whichever files hold them; unknown names are named with the data's, names with only invalid rows by their first")
    func onlySymbolsAcrossFiles() throws {
        let folder = Paths.temporary("chosen-symbols")
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "date,open,high,low,close,volume,Name\n2020-01-02,10,11,9,10,100,A\n2020-01-03,10,11,9,10.5,100,A\n"
            .write(toFile: folder + "/a.csv", atomically: true, encoding: .utf8)
        try "date,open,high,low,close,volume,Name\n2020-01-02,20,21,19,20,100,B\n2020-01-03,20,21,19,21,100,B\n"
            .write(toFile: folder + "/b.csv", atomically: true, encoding: .utf8)
        func load(_ source: String, _ names: [String]) throws -> BarSeries {
            var data = AuroraConfig().data
            data.source = source
            data.symbols = names
            return try PreparedData.load(data).series
        }
        // a.csv holds none of B's rows: it adds nothing, it is no error.
        let b = try load(folder, ["B"])
        #expect(b.symbols == ["B"] && b.close.map { Price(rawValue: $0).doubleValue } == [20, 21])
        #expect(try load(folder, ["A", "B"]).count == 4)
        let unknown = #expect(throws: DataError.self) { try load(folder, ["C"]) }
        #expect(unknown?.description == "unknown symbol \"C\": the data has 2 symbols (A, B)")
        // One file: every unknown name, and the symbols the whole file has (not only those read).
        let several = #expect(throws: DataError.self) { try load(folder + "/a.csv", ["A", "Z", "C"]) }
        #expect(several?.description == "unknown symbols \"C\", \"Z\": the data has 1 symbols (A)")
        // A name in the data whose every row is invalid is not unknown: its first row is shown.
        try "date,open,high,low,close,volume,Name\n2020-01-02,0,1,0,0,100,D\n2020-01-03,5,4,5,5,100,D\n"
            .write(toFile: folder + "/d.csv", atomically: true, encoding: .utf8)
        let invalid = #expect(throws: DataError.self) { try load(folder, ["D"]) }
        #expect(invalid?.description == "symbol \"D\" has no valid row (2 invalid, left out); the first: \(folder)/d.csv line 2: "
                + "price not above zero: 2020-01-02,0,1,0,0,100,D", "\(String(describing: invalid))")
        let fixture = Paths.fixture("bars-daily.csv")
        let all = try CSVDataSource(path: fixture).load().0.symbols
        let none = #expect(throws: DataError.self) { try load(fixture, ["NOPE"]) }
        #expect(none?.description.hasPrefix("unknown symbol \"NOPE\": the data has \(all.count) symbols (\(all[0])") == true, "\(String(describing: none))")
    }
}
