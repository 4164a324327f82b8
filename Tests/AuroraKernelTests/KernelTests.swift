import Foundation
import AuroraTestSupport
import Testing
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraLog
import AuroraModel

/// A strategy that says what the test tells it to: directions by step and symbol.
struct ScriptedStrategy: Strategy {
    var script: [Int: [Int: SignalDirection]]
    var step = 0
    var name: String { "scripted" }

    mutating func generateSignals(_ snapshot: MarketSnapshot) -> [Signal] {
        defer { step += 1 }
        return snapshot.bars.compactMap { bar in
            script[step]?[bar.symbol.index].map { Signal(symbol: bar.symbol, direction: $0, score: 0) }
        }
    }
}

/// Keeps every event in memory (the kernel's sink in these tests).
final class CollectingSink: EventSink {
    var events: [Event] = []
    func append(_ payload: EventPayload, at timestamp: Timestamp) throws -> UInt64 {
        events.append(Event(sequence: UInt64(events.count), timestamp: timestamp, payload: payload))
        return UInt64(events.count - 1)
    }
    func append(bar: Bar, at timestamp: Timestamp) throws -> UInt64 { try append(.bar(bar), at: timestamp) }
    func of(_ kind: EventKind) -> [EventPayload] { events.filter { $0.kind == kind }.map(\.payload) }
}

/// A kernel run set up as the tests need: equal-weight sizing and immediate execution.
struct Setup {
    var sizing = EqualWeightConstruction()
    var common = ExecutionCommon()
    var checkpointEvery = 100_000
    var maxPositionWeight: Double { get { sizing.maxPositionWeight } set { sizing.maxPositionWeight = newValue } }
    var holdPolicy: HoldPolicy { get { sizing.holdPolicy } set { sizing.holdPolicy = newValue } }

    func run<S: Strategy, Sink: EventSink>(_ series: BarSeries, _ strategy: S, manifest: Manifest, sink: Sink) throws -> RunOutcome {
        let kernel = Kernel(strategy: strategy, constructor: EqualWeightConstructor(settings: sizing, fractionalShares: common.fractionalShares),
                            config: KernelConfig(checkpointEvery: checkpointEvery),
                            execution: ImmediateAlgorithm().makeModel(common, symbols: series.symbols), sink: sink)
        var runner = KernelRunner(kernel: kernel, symbolCount: series.symbols.count)
        return try runner.run(series: series, manifest: manifest)
    }
}

@Suite("Kernel")
struct KernelTests {
    /// Two symbols, three steps; symbol 1 has no bar at step 2.
    static func series() -> BarSeries {
        var s = BarSeries(symbols: ["A", "B"], timeframe: .day)
        func add(_ t: Int64, _ sym: Int, _ open: Double, _ close: Double) {
            s.append(end: t, Bar(symbol: SymbolID(sym), timeframe: .day, open: Price(open)!, high: Price(max(open, close) + 1)!,
                                 low: Price(min(open, close) - 1)!, close: Price(close)!, volume: Quantity(1000)!))
        }
        add(100, 0, 10, 10); add(100, 1, 20, 20)
        add(200, 0, 11, 12); add(200, 1, 21, 22)
        add(300, 0, 12, 13)
        return s
    }

    func run(_ script: [Int: [Int: SignalDirection]], _ configure: (inout Setup) -> Void = { _ in }) throws -> (RunOutcome, CollectingSink) {
        var setup = Setup()
        setup.maxPositionWeight = 1
        setup.checkpointEvery = 0
        configure(&setup)
        let sink = CollectingSink()
        let manifest = Manifest(formatVersion: 1, engineVersion: "t", properties: [KeyValue("portfolio.initial_cash", "1000")])
        let outcome = try setup.run(Self.series(), ScriptedStrategy(script: script), manifest: manifest, sink: sink)
        return (outcome, sink)
    }

    func fills(_ sink: CollectingSink) -> [Fill] {
        sink.of(.fill).compactMap { if case .fill(let f) = $0 { f } else { nil } }
    }

    @Test("a BUY at a close fills at the next bar's open: weight × equity ÷ close shares")
    func nextOpen() throws {
        let (outcome, sink) = try run([0: [0: .buy]])
        let f = try #require(fills(sink).first)
        #expect(f.quantity == Quantity(100)!)                  // 1 × 1000 ÷ 10
        #expect(f.price == Price(11)!)                          // step 1's open
        let curve: [Double] = outcome.equityCurve.map(\.equity)
        let expected: [Double] = [1000, -100 + 1200, -100 + 1300]   // cash 1000 − 100 × 11
        #expect(curve == expected)
        let kinds = sink.events.map(\.kind.name)
        #expect(Array(kinds.prefix(4)) == ["manifest", "symbol", "symbol", "session_start"])
        #expect(kinds.contains("planned_trade") && kinds.contains("order_submitted") && kinds.last == "session_end")
    }

    @Test("without a bar at the next open the trade is skipped, never filled at a missing price")
    func missingOpen() throws {
        let (outcome, sink) = try run([1: [1: .buy]])
        #expect(fills(sink).isEmpty)
        let cancelled = sink.of(.orderCancelled).compactMap { if case .orderCancelled(let c) = $0 { c.reason } else { nil } }
        #expect(cancelled == ["no bar for B at the next open"])
        #expect(outcome.warnings.skippedForMissingOpen == 1)
        #expect(outcome.finalState.positions == [0, 0])
    }

    @Test("fills at the close, whole shares, per-share and bps costs")
    func closeWholeSharesCosts() throws {
        let (outcome, sink) = try run([0: [0: .buy, 1: .sell]]) {
            $0.common.fill = .close
            $0.common.fractionalShares = false
            $0.common.costPerShare = 0.01
            $0.common.costBps = 10
            $0.sizing.grossExposure = 0.95
        }
        let f = fills(sink)
        #expect(f.count == 2)
        #expect(f[0].quantity == Quantity(47)!)                // 0.475 × 1000 ÷ 10 = 47.5 → 47
        #expect(f[0].price == Price(10)!)
        #expect(f[1].side == .sell && f[1].quantity == Quantity(23)!)   // 23.75 → 23
        #expect(abs(f[0].fees.doubleValue - (0.47 + 0.001 * 470)) < 1e-9)
        #expect(outcome.finalState.fillCount >= 2)
    }

    @Test("HOLD exits by default and keeps with hold_policy keep; no signal keeps")
    func holdPolicies() throws {
        let (exit, _) = try run([0: [0: .buy], 1: [0: .hold]])
        #expect(exit.finalState.positions[0] == 0)
        let (keep, _) = try run([0: [0: .buy], 1: [0: .hold]]) { $0.holdPolicy = .keep }
        #expect(keep.finalState.positions[0] == 100_000_000)
        let (silent, _) = try run([0: [0: .buy]])
        #expect(silent.finalState.positions[0] == 100_000_000)
    }

    @Test("equal weights share the gross exposure, capped per position")
    func sizing() throws {
        let (capped, sink) = try run([0: [0: .buy, 1: .sell]]) { $0.maxPositionWeight = 0.25 }
        let targets = sink.of(.targetPosition).compactMap { if case .targetPosition(let t) = $0 { t } else { nil } }
        #expect(targets.map(\.weight) == [0.25, -0.25])
        #expect(targets.map(\.quantity) == [Quantity(25)!, Quantity(-12.5)!])
        _ = capped
    }

    @Test("the kernel's state is the reducer's fold of its own log; state at any moment from the latest checkpoint equals the full fold",
          arguments: [3, 7, 16, 40, 1_000])
    func stateIsTheFold(eventsPerFrame: Int) throws {
        let path = Paths.temporary("kernel.alog")
        var config = Setup()
        // A checkpoint every few steps, and frame sizes that vary, so that some frames start before
        // a moment yet hold only later checkpoints.
        config.checkpointEvery = 25
        let writer = try LogWriter.create(path: path, options: LogWriterOptions(flush: FlushPolicy(maxEvents: eventsPerFrame)))
        let manifest = Manifest(formatVersion: 1, engineVersion: "t", properties: [KeyValue("portfolio.initial_cash", "1000000")])
        var universe = SyntheticUniverse()
        universe.symbolCount = 4
        universe.sectorCount = 2
        universe.days = 30
        var script: [Int: [Int: SignalDirection]] = [:]
        for step in 0..<30 { script[step] = [0: step % 3 == 0 ? .buy : .sell, 1: .buy, 2: step % 2 == 0 ? .hold : .sell] }
        let series = try universe.generate()
        let outcome = try config.run(series, ScriptedStrategy(script: script), manifest: manifest, sink: writer)
        try writer.close()
        let reader = try LogReader(path: path)
        var all: [Event] = []
        let cursor = reader.events()
        while let e = try cursor.next() { all.append(e) }
        var folded = PortfolioState()
        for e in all { PortfolioReducer.reduce(&folded, e) }
        #expect(folded == outcome.finalState)
        #expect(all.filter { $0.kind == .checkpoint }.count >= 8)
        for t in Set(all.map(\.timestamp)).sorted() {
            var full = PortfolioState()
            for x in all where x.timestamp <= t { PortfolioReducer.reduce(&full, x) }
            let result = try StateQuery.portfolio(of: reader, at: t)
            #expect(result.state == full, "state at \(t.rawValue)")
            // The latest checkpoint that carries full state (daily ones carry only a digest).
            let latest = all.last { x in if case .checkpoint(let c) = x.payload { x.timestamp <= t && !c.state.isEmpty } else { false } }
            #expect(result.checkpointSequence == latest?.sequence, "checkpoint used at \(t.rawValue)")
        }
        #expect(try StateQuery.portfolio(of: reader, at: nil).state == folded)
    }
}

@Suite("Checkpoint verification")
struct CheckpointVerifierTests {
    @Test("every checkpoint of a run matches the fold; a tampered one is found")
    func verify() throws {
        var universe = SyntheticUniverse()
        universe.symbolCount = 4
        universe.sectorCount = 2
        universe.days = 20
        let series = try universe.generate()
        var config = Setup()
        config.checkpointEvery = 40
        let path = Paths.temporary("ck.alog")
        let writer = try LogWriter.create(path: path)
        let manifest = Manifest(formatVersion: 1, engineVersion: "t", properties: [KeyValue("portfolio.initial_cash", "1000000")])
        var script: [Int: [Int: SignalDirection]] = [:]
        for step in 0..<20 { script[step] = [0: step % 3 == 0 ? .buy : .sell, 1: .buy] }
        _ = try config.run(series, ScriptedStrategy(script: script), manifest: manifest, sink: writer)
        try writer.close()
        let good = try CheckpointVerifier.verify(LogReader(path: path))
        #expect(good.mismatch == nil && good.checked >= 20 && good.withState >= 2)

        // Copy the log with one checkpoint's digest altered.
        let tampered = path + ".tampered"
        let out = try LogWriter.create(path: tampered)
        let cursor = try LogReader(path: path).events()
        var altered: UInt64?
        while let e = try cursor.next() {
            var payload = e.payload
            if altered == nil, case .checkpoint(var c) = payload, e.sequence > 100 {
                c.digest[0] ^= 1
                payload = .checkpoint(c)
                altered = e.sequence
            }
            try out.append(payload, at: e.timestamp)
        }
        try out.close()
        let bad = try CheckpointVerifier.verify(LogReader(path: tampered))
        #expect(bad.mismatch?.sequence == altered)
    }
}

@Suite("Empty and degenerate series")
struct EmptySeriesTests {
    @Test("an empty series has no groups and is refused by the driver with a clear error")
    func empty() {
        let series = BarSeries(symbols: ["A"], timeframe: .day)
        #expect(series.groups.isEmpty)
        #expect(DataReport.scan(series).totalGaps == 0)
        #expect(throws: DataError.self) {
            _ = try Setup().run(series, ScriptedStrategy(script: [:]), manifest: Manifest(formatVersion: 1, engineVersion: "t"),
                                sink: CollectingSink())
        }
    }
}
