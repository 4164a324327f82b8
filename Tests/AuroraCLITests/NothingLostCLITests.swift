import Foundation
import Testing
import AuroraLog
import AuroraModel

/// The attacks of the nothing-lost issue, through the real binary: nothing lost, nothing crashes.
@Suite("Nothing lost, never a crash")
struct NothingLostCLITests {
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    static func live(_ out: String, feed: String = CLI.fixture("bars-daily.csv"), resume: Bool = false,
                     config: String? = CLI.fixture("backtest-momentum.yaml")) throws -> CLI.Result {
        var arguments = ["live", "--feed", "replay:" + feed, "--out", out]
        if resume { arguments.append("--resume") }
        if let config { arguments += ["--config", config] }
        return try CLI.run(arguments)
    }

    /// A run that should succeed, its error output in the message when it does not.
    static func expectSuccess(_ run: CLI.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 0, "\(run.stderr)", sourceLocation: sourceLocation)
    }

    static func digest(_ log: String) throws -> String? { CLI.field("digest", in: try CLI.run(["verify", log]).stdout) }

    @Test("live --resume of a log cut inside a bar time completes that bar time: the uncut session's digest and bars")
    func resumeInsideABarTime() throws {
        let dir = CLI.temporaryDirectory()
        let reference = dir + "/ref.alog"
        Self.expectSuccess(try Self.live(reference))
        // A frame boundary between two bars of one bar time, as the writer's own flushes leave them.
        let reader = try LogReader(path: reference)
        var cutAt: Int64?
        var previous: Event?
        let cursor = reader.events()
        var frameOf: [UInt64: Int] = [:]
        for (i, f) in reader.frames.enumerated() { frameOf[f.firstSequence] = i }
        while let e = try cursor.next() {
            if let p = previous, let frame = frameOf[e.sequence], case .bar = p.payload, case .bar = e.payload,
               p.timestamp == e.timestamp {
                cutAt = reader.frames[frame].offset
                break
            }
            previous = e
        }
        let offset = try #require(cutAt, "some frame boundary falls inside a bar time")
        let cut = dir + "/cut.alog"
        try Self.bytes(reference).prefix(Int(offset)).write(to: URL(fileURLWithPath: cut))
        let resumed = try Self.live(cut, resume: true, config: nil)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Self.digest(cut) == Self.digest(reference))
        let bars = { (log: String) in try CLI.run(["cat", log, "--kind", "bar", "--format", "csv"]).stdout.split(separator: "\n").count }
        #expect(try bars(cut) == bars(reference))
        #expect(try CLI.run(["replay", cut]).stdout.hasPrefix("identical"))
    }

    @Test("refusals leave the file byte-identical: resuming a backtest log, a resume with another feed, recovering a damaged log")
    func refusalsChangeNothing() throws {
        let dir = CLI.temporaryDirectory()
        let backtest = dir + "/bt.alog"
        #expect(try CLI.run(["backtest", "--config", CLI.fixture("backtest-momentum.yaml"), "--data", CLI.fixture("bars-daily.csv"), "--out", backtest]).status == 0)
        let before = try Self.bytes(backtest)
        let refused = try Self.live(backtest, resume: true, config: nil)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not a live session's log"), "\(refused.stderr)")
        #expect(try Self.bytes(backtest) == before)

        let session = dir + "/session.alog"
        Self.expectSuccess(try Self.live(session))
        let whole = try Self.bytes(session)
        let torn = dir + "/torn.alog"
        try whole.prefix(whole.count * 2 / 3).write(to: URL(fileURLWithPath: torn))
        let tornBytes = try Self.bytes(torn)
        let other = dir + "/other.csv"
        var text = try String(contentsOfFile: CLI.fixture("bars-daily.csv"), encoding: .utf8)
        text = text.replacingOccurrences(of: ",ALPHA\n", with: ",ALPHA2\n")
        try text.write(toFile: other, atomically: true, encoding: .utf8)
        let wrongFeed = try Self.live(torn, feed: other, resume: true, config: nil)
        #expect(wrongFeed.status == 1)
        #expect(try Self.bytes(torn) == tornBytes)

        // Damage in the middle: recover refuses and changes nothing.
        var damaged = whole
        damaged[damaged.count / 2] ^= 0xFF
        let broken = dir + "/broken.alog"
        try damaged.write(to: URL(fileURLWithPath: broken))
        let r = try CLI.run(["recover", broken])
        #expect(r.status != 0)
        #expect(try Self.bytes(broken) == damaged)
    }

    @Test("a log holding only its header: verify, recover and --resume agree (resume starts afresh with --config)")
    func headerOnlyLog() throws {
        let dir = CLI.temporaryDirectory()
        let full = dir + "/full.alog"
        Self.expectSuccess(try Self.live(full))
        let empty = dir + "/empty.alog"
        try Self.bytes(full).prefix(24).write(to: URL(fileURLWithPath: empty))
        let verify = try CLI.run(["verify", empty])
        #expect(verify.status == 3)
        #expect(verify.stderr.contains("holds no event") && verify.stderr.contains("--resume --config"))
        let recover = try CLI.run(["recover", empty])
        #expect(recover.status == 1)
        #expect(recover.stderr.contains("holds no event") && recover.stderr.contains("--resume --config"))
        #expect(try Self.bytes(empty).count == 24)
        let noConfig = try Self.live(empty, resume: true, config: nil)
        #expect(noConfig.status != 0)
        #expect(noConfig.stderr.contains("give --config"))
        Self.expectSuccess(try Self.live(empty, resume: true))
        #expect(try Self.digest(empty) == Self.digest(full))
    }

    @Test("times and sizes at the edge of the range: errors that name them, never a trap")
    func rangeChecks() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir + "/b.alog"
        #expect(try CLI.run(["backtest", "--out", log]).status == 0)
        let state = try CLI.run(["state", log, "--at", "2262-04-11"])
        #expect(state.status == 0, "\(state.stderr)")
        #expect(try CLI.run(["state", log, "--at", "2263-01-01"]).stderr.contains("out of range"))
        #expect(try CLI.run(["backtest", "--end", "2262-04-11", "--out", dir + "/e.alog"]).status == 0)
        try "data:\n  end: 2262-04-11\n".write(toFile: dir + "/end.yaml", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["backtest", "--config", dir + "/end.yaml", "--out", dir + "/e.alog"]).status == 0)
        try "data:\n  synthetic: {symbols: 100000, days: 100000, timeframe: 1m}\n".write(toFile: dir + "/huge.yaml", atomically: true, encoding: .utf8)
        let huge = try CLI.run(["backtest", "--config", dir + "/huge.yaml", "--out", dir + "/h.alog"])
        #expect(huge.status == 1)
        #expect(huge.stderr.contains("data.synthetic") && huge.stderr.contains("too large"), "\(huge.stderr)")
        try "data:\n  synthetic: {days: 99999, start: 2200-01-03}\n".write(toFile: dir + "/late.yaml", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["backtest", "--config", dir + "/late.yaml", "--out", dir + "/h.alog"]).stderr.contains("2262-04-11"))
        try "timestamp,symbol,open,high,low,close,volume\n2262-04-11 23:46,A,1,2,1,1,1\n2262-04-11 23:47,A,1,2,1,1,1\n"
            .write(toFile: dir + "/late.csv", atomically: true, encoding: .utf8)
        let late = try CLI.run(["import-bars", dir + "/late.csv", "--tz", "UTC", "--out", dir + "/late.alog"])
        #expect(late.status != 0)
        #expect(late.stderr.contains("late.csv:3") && late.stderr.contains("2262-04-11"), "\(late.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/late.alog"))
    }

    @Test("a live session reports the rows its CSV leaves out, as a backtest does, and logs each as an input notice")
    func liveReportsBadRows() throws {
        let dir = CLI.temporaryDirectory()
        var lines = try String(contentsOfFile: CLI.fixture("bars-daily.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        var fields = lines[5].split(separator: ",").map(String.init)
        fields[3] = "999999"   // low above open and close
        lines[5] = fields.joined(separator: ",")
        let csv = dir + "/bad.csv"
        try (lines.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let out = dir + "/s.alog"
        let run = try Self.live(out, feed: csv)
        #expect(run.status == 0)
        #expect(run.stderr.contains("1 data rows skipped") && run.stderr.contains("bad.csv:6: low above open or close"), "\(run.stderr)")
        let notices = try CLI.run(["cat", out, "--kind", "input_notice"]).stdout
        #expect(notices.contains("bad.csv:6: low above open or close"), "\(notices)")
        #expect(try CLI.run(["replay", out]).stdout.hasPrefix("identical"))
    }

    @Test("replay of a log cut short and recovered says identical up to its last event, with exit status 3")
    func replayOfARecoveredLog() throws {
        let dir = CLI.temporaryDirectory()
        let session = dir + "/s.alog"
        Self.expectSuccess(try Self.live(session))
        let whole = try Self.bytes(session)
        let cut = dir + "/cut.alog"
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        #expect(try CLI.run(["recover", cut]).status == 0)
        let replay = try CLI.run(["replay", cut])
        #expect(replay.status == 3, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.hasPrefix("identical up to event"), "\(replay.stdout)")
    }

    @Test("a damaged log: verify and info count what was read before the damage, not the frames the index lists")
    func damagedLogCounts() throws {
        let dir = CLI.temporaryDirectory()
        let session = dir + "/s.alog"
        Self.expectSuccess(try Self.live(session))
        let frames = try LogReader(path: session).frames
        try #require(frames.count >= 4, "a live session flushes small frames")
        // A byte of the middle frame's compressed data flipped: that frame cannot be read, those before it can.
        let middle = frames.count / 2
        var damaged = try Self.bytes(session)
        damaged[Int(frames[middle].dataOffset) + Int(frames[middle].compressedSize) / 2] ^= 0xFF
        let broken = dir + "/broken.alog"
        try damaged.write(to: URL(fileURLWithPath: broken))
        let before = frames[middle].firstSequence
        // Counts without their thousands separators.
        let plain = { (text: String) in text.replacingOccurrences(of: "(?<=[0-9]),(?=[0-9])", with: "", options: .regularExpression) }

        let verify = try CLI.run(["verify", broken])
        #expect(verify.status == 1)
        #expect(plain(verify.stdout).contains("intact before it: \(before) events, \(middle) of \(frames.count) frames whole"), "\(verify.stdout)")
        let info = try CLI.run(["info", broken])
        #expect(info.status == 1)
        #expect(plain(info.stdout).contains("events     \(before) before the damage (\(middle) of \(frames.count) frames whole)"), "\(info.stdout)")
        #expect(info.stdout.contains("state      closed; damaged at byte \(frames[middle].dataOffset)"), "\(info.stdout)")
        let json = try CLI.run(["info", broken, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["frames"] as? Int == frames.count && object["frames_whole"] as? Int == middle)
        #expect(object["events"] as? Int == Int(before))

        let sound = try CLI.run(["verify", session])
        #expect(plain(sound.stdout).contains("in \(frames.count) frames, closed"), "\(sound.stdout)")
    }

    @Test("small things: huge costs refused, TWAP on daily data leaves no log (and keeps an old one), a 10 MB field, out-of-range numbers")
    func smallThings() throws {
        let dir = CLI.temporaryDirectory()
        try "execution:\n  cost_per_share: 1e300\n".write(toFile: dir + "/cost.yaml", atomically: true, encoding: .utf8)
        let cost = try CLI.run(["backtest", "--config", dir + "/cost.yaml", "--out", dir + "/c.alog"])
        #expect(cost.status == 1)
        #expect(cost.stderr.contains("execution.cost_per_share: out of range: at most 1000"), "\(cost.stderr)")

        let old = dir + "/old.alog"
        #expect(try CLI.run(["backtest", "--out", old]).status == 0)
        let oldBytes = try Self.bytes(old)
        try "execution:\n  algorithm: twap\n".write(toFile: dir + "/twap.yaml", atomically: true, encoding: .utf8)
        let twap = try CLI.run(["backtest", "--config", dir + "/twap.yaml", "--out", old])
        #expect(twap.status == 1)
        #expect(twap.stderr.contains("needs intraday bars"), "\(twap.stderr)")
        #expect(try Self.bytes(old) == oldBytes, "a refused run replaces nothing")
        #expect(try CLI.run(["backtest", "--config", dir + "/twap.yaml", "--out", dir + "/new.alog"]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: dir + "/new.alog"))

        let big = dir + "/big.csv"
        try ("date,open,high,low,close,volume,Name\n2020-01-02,1,2,1," + String(repeating: "1", count: 10_000_000) + ",100,A\n")
            .write(toFile: big, atomically: true, encoding: .utf8)
        let field = try CLI.run(["backtest", "--data", big, "--out", dir + "/big.alog"])
        #expect(field.status == 1)
        #expect(field.stderr.utf8.count < 400, "the message is cut: \(field.stderr.utf8.count) bytes")
        #expect(field.stderr.contains("big.csv:2 (column close)") && field.stderr.contains("out of range: prices are at most 9223372036.854775807"))

        try "date,open,high,low,close,volume,Name\n2020-01-02,1,2,1,1,9300000000000000,A\n".write(toFile: dir + "/vol.csv", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["import-bars", dir + "/vol.csv", "--out", dir + "/v.alog"]).stderr.contains("out of range: volumes are at most"))
        try "log:\n  checkpoint_every: 99999999999999999999\n".write(toFile: dir + "/n.yaml", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["backtest", "--config", dir + "/n.yaml"]).stderr.contains("is out of range, at most 1000000000"))
    }
}
