import Foundation
import AuroraTestSupport
import Synchronization
import Testing
import AuroraRun
import AuroraStrategies
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraExecution
import AuroraLive
import AuroraLog
import AuroraModel

enum Live {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func fixture(_ name: String) -> String { root.appendingPathComponent("fixtures/" + name).path }
    static func temporary(_ name: String) -> String { Paths.temporary(name) }

    static func events(_ path: String) throws -> [Event] {
        let cursor = try LogReader(path: path).events()
        var out: [Event] = []
        while let e = try cursor.next() { out.append(e) }
        return out
    }

    static func config() throws -> AuroraConfig {
        var c = try ConfigReader.load(path: fixture("backtest-momentum.yaml")).0
        c.data.source = fixture("bars-daily.csv")
        return c
    }
}

@Suite("Live sessions")
struct LiveSessionTests {
    @Test("backtest/live parity: the same config and data, backtested and run live at full speed, decide the same")
    func parity() async throws {
        let config = try Live.config()
        let backtest = Live.temporary("bt.alog")
        _ = try BacktestEngine(config: config, logPath: backtest).runMulti()
        let (series, _) = try CSVDataSource(path: Live.fixture("bars-daily.csv")).load()
        let live = Live.temporary("live.alog")
        let session = try LiveSession(config: config, symbols: series.symbols, sourceDescription: "test", out: live, resume: false)
        let summary = try await session.run(PacedReplayFeed(series: series, speed: nil).groups)
        #expect(summary.reason == "end of feed")
        // The simulated broker is the backtest's: fills are identical too. Inputs differ only in
        // the manifest's source and the session mode.
        let decisions: (Event) -> Bool = { !$0.kind.isInput || $0.kind == .fill }
        let a = try Live.events(backtest).filter(decisions), b = try Live.events(live).filter(decisions)
        #expect(a.count > 1_000)
        #expect(a.map(EventCodec.canonicalBytes) == b.map(EventCodec.canonicalBytes))
        #expect(try ReplayEngine.replay(path: live).identical)
    }

    @Test("resume after a cut: the flushed prefix is kept, the rest is appended, the log replays identically")
    func resume() async throws {
        let config = try Live.config()
        let (series, _) = try CSVDataSource(path: Live.fixture("bars-daily.csv")).load()
        let whole = Live.temporary("whole.alog")
        _ = try await LiveSession(config: config, symbols: series.symbols, sourceDescription: "test", out: whole, resume: false)
            .run(PacedReplayFeed(series: series, speed: nil).groups)
        // As after a crash: the log cut in the middle of a later frame.
        let frames = try LogReader(path: whole).frames
        let data = try Data(contentsOf: URL(fileURLWithPath: whole))
        let cut = Live.temporary("cut.alog")
        try data.prefix(Int(frames[frames.count / 2].offset) + 30).write(to: URL(fileURLWithPath: cut))
        let before = try Live.events(cut)
        #expect(before.count > 100)

        let summary = try await LiveSession(config: config, symbols: series.symbols, sourceDescription: "test", out: cut, resume: true)
            .run(PacedReplayFeed(series: series, speed: nil).groups)
        #expect(summary.resumedEvents == UInt64(before.count))
        let after = try Live.events(cut)
        #expect(after.prefix(before.count).map(EventCodec.canonicalBytes) == before.map(EventCodec.canonicalBytes))
        #expect(after.count > before.count)
        #expect(try LogInspector.inspect(path: cut).isSound)
        #expect(try ReplayEngine.replay(path: cut).identical)
    }

    @Test("a TWAP session (minute bars in, daily decisions logged too) resumes from its minute bars and replays identically")
    func twapResume() async throws {
        var config = try ConfigReader.load(path: Live.fixture("alpha-twap.yaml")).0
        config.data.synthetic.symbolCount = 8
        config.data.synthetic.sectorCount = 2
        config.data.synthetic.days = 6
        let series = try config.data.synthetic.generate()
        let path = Live.temporary("twap.alog")
        _ = try await LiveSession(config: config, symbols: series.symbols, sourceDescription: "test", out: path, resume: false).run(PacedReplayFeed(series: series, speed: nil).groups)
        let frames = try LogReader(path: path).frames
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(Int(frames[frames.count * 2 / 3].offset) + 10).write(to: URL(fileURLWithPath: path))
        let before = try Live.events(path)
        #expect(before.contains { if case .bar(let b) = $0.payload { b.timeframe == .day } else { false } })
        let summary = try await LiveSession(config: config, symbols: series.symbols, sourceDescription: "test", out: path, resume: true).run(PacedReplayFeed(series: series, speed: nil).groups)
        #expect(summary.resumedEvents == UInt64(before.count))
        #expect(try ReplayEngine.replay(path: path).identical)
    }

    @Test("clock timers: TWAP slices fire on the wall clock between bars, stamps never go back, and replay agrees")
    func clockTimers() async throws {
        var config = try ConfigReader.load(path: Live.fixture("alpha-twap.yaml")).0
        config.data.synthetic.symbolCount = 6
        config.data.synthetic.sectorCount = 2
        config.data.synthetic.days = 3
        config.strategy = .momentum(lookback: 1, threshold: 0)   // trades from the second day on
        let series = try config.data.synthetic.generate()
        let (inputs, deliver) = AsyncStream<SessionInput>.makeStream()
        let feeder = Task {
            for range in series.groups {
                deliver.yield(.bars(BarGroup(time: Timestamp(rawValue: series.end[range.lowerBound]), bars: range.map { series.bar($0) })))
                // Four wall milliseconds later, at 20,000× the wall clock: 70 s of session time after the bar (after
                // the half-millisecond grace), so what falls due at the next minute fires just before that minute's bar.
                try? await Task.sleep(for: .milliseconds(4))
                deliver.yield(.clock)
            }
            deliver.yield(.endOfFeed)
        }
        let path = Live.temporary("clock.alog")
        let session = try LiveSession(config: config, symbols: series.symbols, sourceDescription: "test", out: path, resume: false)
        let statuses = Mutex<[LiveStatus]>([])
        let summary = try await session.run(inputs: inputs, broker: nil, clock: SessionClock(rate: 20_000, grace: .microseconds(500)),
                                            status: { s in statuses.withLock { $0.append(s) } })
        _ = await feeder.value
        let shown = statuses.withLock { $0 }
        #expect(!shown.isEmpty, "a status every quarter second")
        #expect(zip(shown, shown.dropFirst()).allSatisfy { $0.events <= $1.events && $0.time <= $1.time })
        #expect(summary.reason == "end of feed")
        let events = try Live.events(path)
        var previous = Timestamp(rawValue: .min), clocks = 0, slicesOnClock = 0, lastWasClock = false
        for e in events {
            #expect(e.timestamp >= previous, "event \(e.sequence) goes back in time")
            previous = e.timestamp
            if case .timer(let t) = e.payload {
                if t.isClock { clocks += 1; lastWasClock = true; continue }
                if t.purpose == "twap_slice" && lastWasClock { slicesOnClock += 1 }
            }
            if case .bar = e.payload { lastWasClock = false }
        }
        #expect(clocks >= 3)
        #expect(slicesOnClock > 0, "some slices fired on a clock timer, before the next bar")
        #expect(try ReplayEngine.replay(path: path).identical)
    }

    @Test("deciding per update: each bar is its own step, several steps share a bar time, and replay takes the same steps")
    func perUpdate() async throws {
        let config = try Live.config()
        let (series, _) = try CSVDataSource(path: Live.fixture("bars-daily.csv")).load()
        let groups = Array(series.groups.prefix(60))
        let (inputs, deliver) = AsyncStream<SessionInput>.makeStream()
        for range in groups {
            // Arrival order is not symbol order: the last symbol first.
            for i in range.reversed() {
                deliver.yield(.bars(BarGroup(time: Timestamp(rawValue: series.end[i]), bars: [series.bar(i)])))
            }
        }
        deliver.yield(.endOfFeed)
        let path = Live.temporary("update.alog")
        let session = try LiveSession(config: config, symbols: series.symbols, sourceDescription: "test", out: path, resume: false,
                                      snapshot: .update)
        let summary = try await session.run(inputs: inputs, broker: nil)
        #expect(summary.notices == 0, "bars sharing a bar time are steps, not late bars")
        let reader = try LogReader(path: path)
        #expect(reader.manifest?.properties.contains(KeyValue(SnapshotMode.property, "update")) == true)
        let recorded = try RecordedInputs.read(reader)
        #expect(recorded.steps.count == groups.reduce(0) { $0 + $1.count })
        #expect(recorded.steps.allSatisfy { $0.count == 1 })
        let first = recorded.steps.prefix(2).map { series.symbols[Int(recorded.series.symbol[$0.lowerBound])] }
        #expect(first == [series.symbols.last, series.symbols[series.symbols.count - 2]], "steps keep arrival order")
        #expect(try ReplayEngine.replay(path: path).identical)
    }

    @Test("resuming with other code or config than the log was written with is refused, naming the event")
    func divergentResume() async throws {
        var config = try Live.config()
        let (series, _) = try CSVDataSource(path: Live.fixture("bars-daily.csv")).load()
        let path = Live.temporary("s.alog")
        _ = try await LiveSession(config: config, symbols: series.symbols, sourceDescription: "test", out: path, resume: false)
            .run(PacedReplayFeed(series: series, speed: nil).groups)
        // Tamper with the recorded configuration: rewrite the log with another threshold in its manifest.
        let events = try Live.events(path)
        let other = Live.temporary("other.alog")
        let writer = try LogWriter.create(path: other)
        for e in events {
            var p = e.payload
            if case .manifest(var m) = p {
                config.strategy = .momentum(lookback: 20, threshold: 0.2)
                m.config = ConfigWriter.yaml(config)
                p = .manifest(m)
            }
            try writer.append(p, at: e.timestamp)
        }
        try writer.flush()
        await #expect(throws: LiveError.self) {
            try await LiveSession(config: config, symbols: series.symbols, sourceDescription: "test", out: other, resume: true)
                .run(PacedReplayFeed(series: series, speed: nil).groups)
        }
    }
}
