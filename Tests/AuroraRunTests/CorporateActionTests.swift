import Foundation
import Testing
import AuroraTestSupport
import AuroraRun
import AuroraData
import AuroraKernel
import AuroraExecution
import AuroraStrategies
import AuroraLog
import AuroraModel

/// Buys symbol 0 once at the step given, then sends no signal (so the position is kept), and
/// records the closes it was shown.
struct BuyOnce: Strategy {
    var name = "buy_once"
    var atStep: Int
    var step = 0
    var seen: [Double] = []
    var momentum = MomentumAlpha(name: "momentum_2d", lookback: 2)
    var momentumValues: [Double] = []

    mutating func generateSignals(_ snapshot: MarketSnapshot) -> [Signal] {
        defer { step += 1 }
        if let b = snapshot.bars.first(where: { $0.symbol == SymbolID(0) }) { seen.append(b.close.doubleValue) }
        var values: [Double] = []
        momentum.step(snapshot, into: &values)
        if let v = values.first, !v.isNaN { momentumValues.append(v) }
        return step == atStep ? [Signal(symbol: SymbolID(0), direction: .buy, score: 1)] : []
    }
}

@Suite("Corporate actions: splits, dividends, delistings")
struct CorporateActionTests {
    /// 20 days of AAA at a constant value: 70 before a 7:1 split on day 11, 10 after it, and 9.5
    /// from a 0.50 dividend's ex-date on day 15; BBB flat at 50.
    static func splitCSV() -> String {
        var rows = ["date,symbol,open,high,low,close,volume,split_coefficient,dividend_amount"]
        for d in 0..<20 {
            let date = String(format: "2020-03-%02d", d + 1)
            let p = d < 10 ? 70.0 : d < 14 ? 10.0 : 9.5
            rows.append("\(date),AAA,\(p),\(p),\(p),\(p),1000000,\(d == 10 ? "7.0" : "1.0"),\(d == 14 ? "0.50" : "0.0")")
            rows.append("\(date),BBB,50,50,50,50,1000000,1.0,0.0")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// The file's bars as loaded, before `DataPreparation`.
    func load(_ csv: String, name: String = "split.csv") throws -> BarSeries {
        let path = Paths.temporary(name)
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return try CSVDataSource(path: path).load().0
    }

    func run(_ series: BarSeries, buyAt step: Int, sink: some EventSink, delisting: DelistingPolicy = .close) throws -> (RunOutcome, BuyOnce) {
        var sizing = EqualWeightConstruction()
        sizing.maxPositionWeight = 1
        let kernel = Kernel(strategy: BuyOnce(atStep: step), constructor: EqualWeightConstructor(settings: sizing, fractionalShares: false),
                            config: KernelConfig(delisting: delisting), execution: ImmediateAlgorithm().makeModel(ExecutionCommon(), symbols: series.symbols), sink: sink)
        var runner = KernelRunner(kernel: kernel, symbolCount: series.symbols.count)
        let manifest = Manifest(formatVersion: 1, engineVersion: "t", properties: [KeyValue("portfolio.initial_cash", "1000000")])
        let outcome = try runner.run(series: series, manifest: manifest)
        return (outcome, runner.kernel.strategy)
    }

    @Test("the bar file's split and dividend columns become actions at their ex-dates")
    func actionsFromColumns() throws {
        let series = try load(Self.splitCSV())
        #expect(series.actions.map(\.action.kind) == [.split, .dividend])
        #expect(series.actions[0].action.ratio == 7)
        #expect(series.actions[0].action.exDate == "2020-03-11")
        #expect(series.actions[1].action.cash == px(0.5))
    }

    @Test("buy and hold across a 7:1 split and a dividend: equity continuous, shares ×7, cost ÷7, dividend in cash, no jump in momentum")
    func splitAndDividend() throws {
        let series = try load(Self.splitCSV())
        // Decided at day 10's close (before the split), filled at day 11's open (after it).
        let sink = CollectingSink()
        let (outcome, strategy) = try run(series, buyAt: 9, sink: sink)
        let fills = sink.events.compactMap { if case .fill(let f) = $0.payload { f } else { nil } }
        #expect(fills.count == 1)
        let shares = (1_000_000 / 70.0).rounded(.down) * 7
        #expect(fills.first?.quantity.doubleValue == shares)   // re-sized at the split, as a broker does
        #expect(fills.first?.price == px(10))
        let state = outcome.finalState
        #expect(state.quantity(SymbolID(0)) == shares)
        #expect(abs(state.averageCost[0] - 10) < 1e-12)
        #expect(abs(state.dividends - shares * 0.5) < 1e-6)
        // Continuous: price × shares + cash is the same at every close (the dividend is cash).
        for point in outcome.equityCurve { #expect(abs(point.equity - 1_000_000) < 1e-6, "equity \(point.equity) at \(point.time.iso8601)") }
        // The strategy saw a forward-adjusted series: 70 every day.
        #expect(strategy.seen.allSatisfy { abs($0 - 70) < 1e-6 }, "\(strategy.seen)")
        #expect(strategy.momentumValues.count == 18)
        #expect(strategy.momentumValues.allSatisfy { abs($0) < 1e-9 })
        // The replaced order and the re-planned trade keep the completion reducer right.
        var completion = CompletionReducer.initialState()
        for e in sink.events { CompletionReducer.reduce(&completion, e) }
        let report = CompletionReducer.report(completion, symbols: series.symbols)
        #expect(report.completed == 1 && report.completion == 1)
        // The execution monitor compares the fill with the arrival price in post-split terms.
        var monitor = ExecutionMonitorState()
        for e in sink.events { ExecutionMonitor.reduce(&monitor, e) }
        #expect(monitor.trades.count == 1)
        #expect(monitor.trades.first?.completion == 1)
        #expect(monitor.trades.first?.arrivalPrice == 10)
        #expect(monitor.trades.first?.slippageVsArrivalBps == 0)
    }

    @Test("the portfolio reducer applies a split to quantity and cost, a dividend to cash, a ticker change to the position")
    func reducer() {
        var s = PortfolioReducer.initialState()
        func fold(_ p: EventPayload) { PortfolioReducer.reduce(&s, Event(sequence: 0, timestamp: Timestamp(rawValue: 1), payload: p)) }
        fold(.symbolDefinition(SymbolDefinition(symbol: SymbolID(0), name: "A")))
        fold(.symbolDefinition(SymbolDefinition(symbol: SymbolID(1), name: "B")))
        fold(.fill(Fill(orderID: 1, symbol: SymbolID(0), side: .buy, quantity: Quantity(rawValue: 100_000_000), price: px(70), fees: .zero, liquidity: .taker)))
        fold(.bar(Bar(symbol: SymbolID(0), timeframe: .day, open: px(70), high: px(70), low: px(70), close: px(70), volume: .zero)))
        let before = s.equity
        fold(.corporateAction(CorporateAction(symbol: SymbolID(0), kind: .split, exDate: "2020-01-02", ratio: 7)))
        #expect(s.quantity(SymbolID(0)) == 700)
        #expect(s.averageCost[0] == 10)
        #expect(s.lastPrice[0] == 10)
        #expect(s.equity == before)
        #expect(s.realizedPnL == 0)
        fold(.corporateAction(CorporateAction(symbol: SymbolID(0), kind: .dividend, exDate: "2020-01-03", cash: px(0.25))))
        #expect(s.dividends == 175)
        #expect(s.cash == before - 7_000 + 175)
        fold(.corporateAction(CorporateAction(symbol: SymbolID(0), kind: .symbolChange, exDate: "2020-01-04", target: SymbolID(1))))
        #expect(s.quantity(SymbolID(0)) == 0 && s.quantity(SymbolID(1)) == 700)
        #expect(s.averageCost[1] == 10)
        // A state with dividends checkpoints and restores exactly.
        #expect(PortfolioState(checkpointBytes: s.checkpointBytes) == s)
    }

    @Test("a symbol whose data ends is closed at its last price, logged with the reason; keep leaves it")
    func delisting() throws {
        var rows = ["date,symbol,open,high,low,close,volume"]
        for d in 0..<10 {
            let date = String(format: "2020-03-%02d", d + 1)
            if d < 6 { rows.append("\(date),AAA,20,20,20,20,1000") }
            rows.append("\(date),BBB,50,50,50,50,1000")
        }
        var report = DataReport()
        let series = try DataPreparation.prepare(load(rows.joined(separator: "\n") + "\n", name: "delist.csv"), DataConfig(),
                                                 sourceName: "delist.csv", report: &report)
        #expect(report.delistings.map(\.symbol) == ["AAA"])
        let sink = CollectingSink()
        let (outcome, _) = try run(series, buyAt: 2, sink: sink)
        #expect(outcome.finalState.quantity(SymbolID(0)) == 0)
        #expect(outcome.warnings.delistingsClosed == 1)
        let delisted = sink.events.firstIndex { if case .corporateAction(let a) = $0.payload { a.kind == .delisting } else { false } }
        let closing = sink.events.lastIndex { if case .fill(let f) = $0.payload { f.side == .sell && f.price == px(20) } else { false } }
        #expect(delisted != nil && closing != nil && delisted! < closing!)
        let (kept, _) = try run(series, buyAt: 2, sink: CollectingSink(), delisting: .keep)
        #expect(kept.finalState.quantity(SymbolID(0)) == (1_000_000 / 20.0).rounded(.down))
        #expect(kept.warnings.delistingsKept == 1)
    }

    @Test("an actions CSV: bad rows are reported with file and line")
    func actionsFileErrors() throws {
        let series = try load(Self.splitCSV())
        func error(_ text: String) -> String {
            let bytes = Array(text.utf8)
            do {
                _ = try bytes.withUnsafeBytes { try CorporateActionsFile.read(bytes: $0, path: "actions.csv", for: series, timeZone: "America/New_York") }
                return "no error"
            } catch { return "\(error)" }
        }
        let header = "symbol,ex_date,type,value\n"
        #expect(error(header + "BBB,2020-03-05,split,2\nZZZ,2020-03-05,split,2\n").hasPrefix("actions.csv:3 (column symbol): unknown symbol \"ZZZ\""))
        #expect(error(header + "BBB,2020-03-05,split,0\n").hasPrefix("actions.csv:2 (column value): split ratio \"0\" must be a number above 0"))
        #expect(error(header + "BBB,2020-03-05,split,-2\n").contains("actions.csv:2"))
        #expect(error(header + "BBB,2020-03-05,dividend,0.1\nBBB,2020-03-05,dividend,0.1\n").hasPrefix("actions.csv:3"))
        #expect(error(header + "AAA,2020-03-11,split,7\n").hasPrefix("actions.csv:2"))   // already in the bar file
        #expect(error(header + "BBB,2021-01-05,split,2\n").hasPrefix("actions.csv:2 (column ex_date): ex-date 2021-01-05 is outside the data"))
        #expect(error(header + "BBB,2020-03-05,dividend,0.1\n") == "no error")
    }

    @Test("suspect moves are flagged with file and line, and skipped when configured")
    func guards() throws {
        var csv = Self.splitCSV()
        csv = csv.replacingOccurrences(of: "2020-03-05,BBB,50,50,50,50", with: "2020-03-05,BBB,90,90,90,90")
        var report = DataReport()
        var config = DataConfig()
        _ = try DataPreparation.prepare(load(csv, name: "guards.csv"), config, sourceName: "guards.csv", report: &report)
        // 50 → 90 and back: two moves; AAA's split and dividend explain its own.
        #expect(report.suspectMoveCount == 2)
        #expect(report.suspectMoves.first?.place == "guards.csv:11")
        #expect(report.suspectBarsSkipped == 0)
        config.guards.onSuspect = .skip
        var skipped = DataReport()
        let series = try DataPreparation.prepare(load(csv, name: "guards.csv"), config, sourceName: "guards.csv", report: &skipped)
        #expect(skipped.suspectBarsSkipped == 2)
        #expect(series.count == 38)
        // Without the split applied, its 86% drop is itself suspect.
        config.adjust = .none
        config.guards.onSuspect = .flag
        var raw = DataReport()
        _ = try DataPreparation.prepare(load(csv, name: "guards.csv"), config, sourceName: "guards.csv", report: &raw)
        #expect(raw.suspectMoveCount == 3)
        #expect(raw.actionNotes.contains { $0.hasPrefix("not applied: 1 split, 1 dividend") })
    }

    @Test("a split ratio no stock ever had (10⁵⁷, 10⁻³⁰⁰ new shares per old) is flagged and held, never a trap", arguments: ["7e57", "1e-300"])
    func absurdSplit(_ ratio: String) throws {
        let csv = Self.splitCSV().replacingOccurrences(of: "1000000,7.0,", with: "1000000,\(ratio),")
        for adjust in [AdjustChoice.none, .auto] {
            var config = DataConfig()
            config.adjust = adjust
            var report = DataReport()
            let series = try DataPreparation.prepare(load(csv, name: "absurd.csv"), config, sourceName: "absurd.csv", report: &report)
            let move = try #require(report.suspectMoves.first { $0.place == "absurd.csv:22" }, "\(adjust): the split's move is flagged")
            // Unapplied, either split reads as the plain 70 → 10 drop; applied, 10⁵⁷ makes a move no integer holds.
            let expected = adjust == .none ? "close moved -86% with no corporate action"
                : ratio == "7e57" ? "close moved +9.999999999999999e+58% with no corporate action" : "close moved -100% with no corporate action"
            #expect(move.what == expected)
            // Held through the split: shares, prices and the open order saturate instead of trapping.
            let (outcome, _) = try run(series, buyAt: 5, sink: CollectingSink())
            #expect(outcome.steps == 20)
        }
        #expect(Int64(saturatingRounded: 1e300) == .max && Int64(saturatingRounded: -1e300) == -.max)
        #expect(Int64(saturatingRounded: .nan) == 0 && Int64(saturatingRounded: -2.5) == -3)
    }

    @Test("a symbol with no volume on any bar is left out and reported")
    func noVolume() throws {
        let csv = Self.splitCSV().replacingOccurrences(of: "BBB,50,50,50,50,1000000", with: "BBB,50,50,50,50,0")
        var report = DataReport()
        let series = try DataPreparation.prepare(load(csv, name: "novol.csv"), DataConfig(), sourceName: "novol.csv", report: &report)
        #expect(series.symbols == ["AAA"])
        #expect(report.noVolumeSymbols == ["BBB"])
    }

    @Test("a backtest with splits in its data replays identically, and says what it applied")
    func replay() throws {
        let path = Paths.temporary("split-run.csv")
        try Self.splitCSV().write(toFile: path, atomically: true, encoding: .utf8)
        var config = AuroraConfig()
        config.strategy = .momentum(lookback: 2, threshold: 0.0)
        config.data.source = path
        let log = Paths.temporary("split-run.alog")
        let result = try BacktestEngine(config: config, logPath: log).runMulti()
        #expect(result.data.actionNotes == ["applied 1 split, 1 dividend (data.adjust: auto)"])
        #expect(try ReplayEngine.replay(path: log).identical)
    }
}

/// Keeps every event in memory.
final class CollectingSink: EventSink {
    var events: [Event] = []
    func append(_ payload: EventPayload, at timestamp: Timestamp) throws -> UInt64 {
        events.append(Event(sequence: UInt64(events.count), timestamp: timestamp, payload: payload))
        return UInt64(events.count - 1)
    }
    func append(bar: Bar, at timestamp: Timestamp) throws -> UInt64 { try append(.bar(bar), at: timestamp) }
}

private func px(_ v: Double) -> Price { Price(rawValue: Int64((v * Double(Price.scale)).rounded())) }
