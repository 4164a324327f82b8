import Foundation
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

/// Sessions cut where a crash can cut them, resumed, and compared with the uncut session.
enum Cut {
    struct Outcome: Equatable {
        var digest: String
        var bars: Int
        var decisions: [UInt8]
    }

    /// Runs a session over `series` into `path` (resuming when asked) and sums up its log.
    static func run(_ config: AuroraConfig, _ series: BarSeries, _ path: String, resume: Bool,
                    snapshot: SnapshotMode = .barClose, notices: [String] = []) async throws -> Outcome {
        let session = try LiveSession(config: config, symbols: series.symbols, sourceDescription: "test", out: path, resume: resume,
                                      snapshot: snapshot, dataNotices: notices)
        let feed = PacedReplayFeed(series: series, speed: nil)
        let inputs = AsyncStream<SessionInput> { continuation in
            Task {
                await feed.groups.deliver(perUpdate: snapshot == .update) { continuation.yield($0) }
                continuation.finish()
            }
        }
        let summary = try await session.run(inputs: inputs, broker: nil)
        return try outcome(path, digest: summary.digest)
    }

    static func outcome(_ path: String, digest: String? = nil) throws -> Outcome {
        let cursor = try LogReader(path: path).events()
        var bars = 0
        let decisions = RunDigest()
        while let e = try cursor.next() {
            if case .bar = e.payload { bars += 1 }
            if !e.kind.isInput { decisions.add(e) }
        }
        let stored = try LogInspector.inspect(path: path).digest.map(hexString) ?? ""
        return Outcome(digest: digest ?? stored, bars: bars,
                       decisions: decisions.current())
    }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    static func prefix(of path: String, _ count: Int) throws -> String {
        let cut = Live.temporary("cut.alog")
        try bytes(path).prefix(count).write(to: URL(fileURLWithPath: cut))
        return cut
    }
}

@Suite("Resuming a cut session")
struct ResumeTests {
    @Test("a cut at every frame boundary and at sampled byte offsets resumes to the uncut session: same digest, bars and decisions")
    func everyCut() async throws {
        let config = try Live.config()
        let (series, _) = try CSVDataSource(path: Live.fixture("bars-daily.csv")).load()
        let whole = Live.temporary("whole.alog")
        let reference = try await Cut.run(config, series, whole, resume: false)
        let frames = try LogReader(path: whole).frames
        #expect(frames.count > 20)
        var insideBarTime = 0
        var offsets = frames.map { Int($0.offset) }
        var random = SeededGenerator(seed: 11)
        let size = try Cut.bytes(whole).count
        for _ in 0..<25 { offsets.append(Int(random.next() % UInt64(size))) }
        for offset in offsets {
            let cut = try Cut.prefix(of: whole, offset)
            if try RecordedInputs.read(LogReader(path: cut)).lastStepOpen { insideBarTime += 1 }
            let resumed = try await Cut.run(config, series, cut, resume: true)
            #expect(resumed == reference, "cut at byte \(offset)")
        }
        #expect(insideBarTime > 5, "some cuts fall inside a bar time")
    }

    @Test("deciding per update, a cut between the steps of one bar time resumes to the uncut session")
    func perUpdateCuts() async throws {
        let config = try Live.config()
        let (all, _) = try CSVDataSource(path: Live.fixture("bars-daily.csv")).load()
        let series = try all.selecting(symbols: nil, from: nil, to: Timestamp(rawValue: all.end[12 * 80]))
        let whole = Live.temporary("update.alog")
        let reference = try await Cut.run(config, series, whole, resume: false, snapshot: .update)
        for frame in try LogReader(path: whole).frames {
            let cut = try Cut.prefix(of: whole, Int(frame.offset) + 7)
            let resumed = try await Cut.run(config, series, cut, resume: true, snapshot: .update)
            #expect(resumed == reference, "cut in the frame at byte \(frame.offset)")
        }
    }

    @Test("property: a random universe, a random cut, a resume: the uncut session's log")
    func randomCuts() async throws {
        var random = SeededGenerator(seed: 2026)
        for round in 0..<8 {
            var config = AuroraConfig()
            config.strategy = .momentum(lookback: 1 + Int(random.next() % 15), threshold: Double(random.next() % 5) / 100)
            config.data.synthetic.symbolCount = 2 + Int(random.next() % 30)
            config.data.synthetic.sectorCount = 1
            config.data.synthetic.days = 10 + Int(random.next() % 60)
            config.data.synthetic.seed = random.next()
            let series = try config.data.synthetic.generate()
            let whole = Live.temporary("random.alog")
            let reference = try await Cut.run(config, series, whole, resume: false)
            let size = try Cut.bytes(whole).count
            for _ in 0..<3 {
                let cut = try Cut.prefix(of: whole, Int(random.next() % UInt64(size)))
                let resumed = try await Cut.run(config, series, cut, resume: true)
                #expect(resumed == reference, "round \(round)")
            }
        }
    }

    @Test("data notices logged before the first step are logged once, whatever the cut")
    func startNotices() async throws {
        let config = try Live.config()
        let (series, _) = try CSVDataSource(path: Live.fixture("bars-daily.csv")).load()
        let notices = (1...300).map { "bars.csv:\($0): low above open or close: row left out" }
        let whole = Live.temporary("notices.alog")
        let reference = try await Cut.run(config, series, whole, resume: false, notices: notices)
        let logged = try Live.events(whole).filter { $0.kind == .inputNotice }
        #expect(logged.count == 300)
        for frame in try LogReader(path: whole).frames.prefix(4) {
            let cut = try Cut.prefix(of: whole, Int(frame.offset))
            #expect(try await Cut.run(config, series, cut, resume: true, notices: notices) == reference)
        }
    }

    @Test("a session stopped before its first flush leaves no file; a header-only log resumes as a new session")
    func beforeTheFirstFlush() async throws {
        let config = try Live.config()
        let (series, _) = try CSVDataSource(path: Live.fixture("bars-daily.csv")).load()
        let path = Live.temporary("never.alog")
        _ = try LiveSession(config: config, symbols: series.symbols, sourceDescription: "test", out: path, resume: false)
        #expect(!FileManager.default.fileExists(atPath: path))
        let whole = Live.temporary("whole.alog")
        let reference = try await Cut.run(config, series, whole, resume: false)
        let header = try Cut.prefix(of: whole, 24)
        #expect(!LiveSession.holdsEvents(header))
        #expect(try await Cut.run(config, series, header, resume: true) == reference)
    }

    @Test("a refused resume leaves the log byte-identical: a backtest log, a torn log with another feed, a diverging config")
    func refusalsChangeNothing() async throws {
        let config = try Live.config()
        let (series, _) = try CSVDataSource(path: Live.fixture("bars-daily.csv")).load()
        // A backtest log is not a session to resume.
        let backtest = Live.temporary("bt.alog")
        _ = try BacktestEngine(config: config, logPath: backtest).runMulti()
        let before = try Cut.bytes(backtest)
        await #expect(throws: LiveError.self) { try await Cut.run(config, series, backtest, resume: true) }
        #expect(try Cut.bytes(backtest) == before)

        // A torn session log resumed with a feed whose bars differ: refused, and the torn tail is still there.
        let whole = Live.temporary("whole.alog")
        _ = try await Cut.run(config, series, whole, resume: false)
        let frames = try LogReader(path: whole).frames
        let torn = try Cut.prefix(of: whole, Int(frames[frames.count / 2].offset) + 40)
        let tornBytes = try Cut.bytes(torn)
        let other = try series.selecting(symbols: Array(series.symbols.dropFirst()), from: nil, to: nil)
        await #expect(throws: (any Error).self) { try await Cut.run(config, other, torn, resume: true) }
        #expect(try Cut.bytes(torn) == tornBytes)
        var shifted = series
        for i in 0..<shifted.count { shifted.close[i] += 1_000_000 }
        await #expect(throws: LiveError.self) { try await Cut.run(config, shifted, torn, resume: true) }
        #expect(try Cut.bytes(torn) == tornBytes)
        // Then the right feed resumes it.
        #expect(try await Cut.run(config, series, torn, resume: true) == Cut.outcome(whole))
    }
}
