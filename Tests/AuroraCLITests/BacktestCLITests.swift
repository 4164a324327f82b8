import Foundation
import Testing
@testable import AuroraLog
import AuroraModel

@Suite("aurora backtest, replay and state", .serialized)
struct BacktestCLITests {
    static let golden = CLI.root.appendingPathComponent("replay/golden-momentum.alog").path
    static let goldenConfig = CLI.root.appendingPathComponent("replay/golden-momentum.yaml").path

    @Test("with no arguments: the default strategy on the embedded synthetic universe, and a summary")
    func defaultRun() throws {
        let dir = CLI.temporaryDirectory()
        let r = try CLI.run(["backtest"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(CLI.field("strategy", in: r.stdout) == "momentum (lookback 20, threshold 0.05)")
        #expect(CLI.field("period", in: r.stdout) == "2020-01-02T21:00:00Z .. 2021-12-07T21:00:00Z, 504 bars of 1d")
        #expect(CLI.field("symbols", in: r.stdout) == "100")
        for label in ["trades", "final equity", "return", "risk", "events", "log", "digest"] {
            #expect(CLI.field(label, in: r.stdout) != nil, "no \(label) line")
        }
        #expect(CLI.field("log", in: r.stdout)?.hasPrefix("backtest.alog") == true)
        #expect(try CLI.run(["verify", dir + "/backtest.alog"]).status == 0)
    }

    @Test("the golden backtest in two processes: byte-identical logs with the recorded digest")
    func goldenDigest() async throws {
        let dir = CLI.temporaryDirectory()
        async let a = Task { try CLI.run(["backtest", "--config", Self.goldenConfig, "--out", dir + "/a.alog"]) }.value
        async let b = Task { try CLI.run(["backtest", "--config", Self.goldenConfig, "--out", dir + "/b.alog"]) }.value
        let (ra, rb) = try await (a, b)
        #expect(ra.status == 0 && rb.status == 0, "\(ra.stderr)\(rb.stderr)")
        let expected = try String(contentsOfFile: CLI.root.appendingPathComponent("replay/golden-momentum.digest").path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(CLI.field("digest", in: ra.stdout) == expected)
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.alog"))
        #expect(bytesA == (try Data(contentsOf: URL(fileURLWithPath: dir + "/b.alog"))))
        #expect(bytesA == (try Data(contentsOf: URL(fileURLWithPath: Self.golden))))
    }

    @Test("replay of the golden log says identical; a log with one altered fill diverges there")
    func replay() throws {
        let same = try CLI.run(["replay", Self.golden])
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.hasPrefix("identical: 11,580 events"))
        #expect(same.stdout.contains("decisions digest "))

        // Copy the golden log with the first fill's price changed by one cent.
        let tampered = CLI.temporaryDirectory() + "/tampered.alog"
        let reader = try LogReader(path: Self.golden)
        let writer = try LogWriter.create(path: tampered)
        let cursor = reader.events()
        var changed: UInt64?
        while let e = try cursor.next() {
            var payload = e.payload
            if changed == nil, case .fill(var f) = payload {
                f.price = Price(rawValue: f.price.rawValue + 10_000_000)
                payload = .fill(f)
                changed = e.sequence
            }
            try writer.append(payload, at: e.timestamp)
        }
        try writer.close()
        let diff = try CLI.run(["replay", tampered])
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("first divergence at event \(try #require(changed))"))
        #expect(diff.stdout.contains("recorded: {") && diff.stdout.contains("replayed: {"))
    }

    @Test("verify recomputes checkpoints: a tampered one fails with its event")
    func tamperedCheckpoint() throws {
        let path = CLI.temporaryDirectory() + "/tampered.alog"
        let writer = try LogWriter.create(path: path)
        let cursor = try LogReader(path: Self.golden).events()
        var altered: UInt64?
        while let e = try cursor.next() {
            var payload = e.payload
            if altered == nil, e.sequence > 1_000, case .checkpoint(var c) = payload {
                c.digest[3] ^= 0x10
                payload = .checkpoint(c)
                altered = e.sequence
            }
            try writer.append(payload, at: e.timestamp)
        }
        try writer.close()
        let r = try CLI.run(["verify", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("checkpoint at event \(try #require(altered))"))
    }

    @Test("state --at rebuilds the portfolio, the same from a checkpoint as from the start")
    func state() throws {
        let json = try CLI.run(["state", Self.golden, "--at", "2020-04-15", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["time"] as? String)?.hasPrefix("2020-04-15T20:00:00") == true)
        let equity = try #require(object["equity"] as? Double)
        let cash = try #require(object["cash"] as? Double)
        let positions = try #require(object["positions"] as? [[String: Any]])
        let marked = positions.reduce(0.0) { $0 + (($1["market_value"] as? Double) ?? 0) }
        #expect(abs(cash + marked - equity) < 1e-6)
        let table = try CLI.run(["state", Self.golden])
        #expect(table.stdout.contains("from          checkpoint at event"))
        #expect(CLI.field("positions", in: table.stdout) != nil)
    }

    @Test("the alpha example config: the log explains each decision, and replays identically")
    func alphaConfig() throws {
        let dir = CLI.temporaryDirectory()
        let r = try CLI.run(["backtest", "--config", CLI.fixture("alpha.yaml"), "--out", dir + "/alpha.alog"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(CLI.field("strategy", in: r.stdout)?.hasPrefix("alpha (momentum_20d + mean_reversion + cross_sectional_momentum") == true)
        let info = try CLI.run(["info", dir + "/alpha.alog"])
        #expect(info.stdout.contains("alpha_weights    1"))
        #expect(info.stdout.contains("alpha            "))
        let weights = try CLI.run(["cat", dir + "/alpha.alog", "--kind", "alpha_weights"])
        #expect(weights.stdout.contains("\"model\":\"equal\""))
        let signal = try CLI.run(["cat", dir + "/alpha.alog", "--kind", "signal", "--from", "2021-06-01", "--limit", "1"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(signal.stdout.utf8)) as? [String: Any])
        #expect(object["rank"] is Int && (object["contributions"] as? String)?.contains("mean_reversion=") == true)
        #expect(try CLI.run(["replay", dir + "/alpha.alog"]).status == 0)
        try "strategy:\n  type: alpha\n  alphas: [momentum_20d]\n  weights: {momentum_20d: 0.9}\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["backtest", "--config", dir + "/bad.yaml"])
        #expect(bad.status != 0 && bad.stderr.contains("bad.yaml:4: strategy.weights: weights sum to 0.9, not 1"))
    }

    @Test("bad input: unknown symbol, empty range, invalid config, not a run log")
    func badInput() throws {
        let dir = CLI.temporaryDirectory()
        let symbol = try CLI.run(["backtest", "--symbols", "NOPE", "--out", dir + "/x.alog"])
        #expect(symbol.status != 0 && symbol.stderr.contains("unknown symbol \"NOPE\""))
        let range = try CLI.run(["backtest", "--start", "2031-01-01", "--out", dir + "/x.alog"])
        #expect(range.status != 0 && range.stderr.contains("no bars in"))
        try "strategy:\n  type: momentum\n  lookbak: 3\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let config = try CLI.run(["backtest", "--config", dir + "/bad.yaml", "--out", dir + "/x.alog"])
        #expect(config.status != 0 && config.stderr.contains("bad.yaml:3: strategy.lookbak: unknown key"))
        try CLI.run(["import-bars", CLI.fixture("bars-daily.csv"), "--out", dir + "/bars.alog"])
        let notRun = try CLI.run(["replay", dir + "/bars.alog"])
        #expect(notRun.status != 0 && notRun.stderr.contains("records no configuration"))
        let onLog = try CLI.run(["backtest", "--data", dir + "/bars.alog", "--symbols", "ALPHA,BETA", "--out", dir + "/y.alog"])
        #expect(onLog.status == 0, "\(onLog.stderr)")
        #expect(CLI.field("symbols", in: onLog.stdout) == "2")
    }
}

@Suite("The full pipeline with TWAP execution", .serialized)
struct PipelineCLITests {
    @Test("alpha daily signals → plans → TWAP over synthetic minute bars → fills → portfolio, replayed identically, audited")
    func pipeline() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir + "/twap.alog"
        let r = try CLI.run(["backtest", "--config", CLI.fixture("alpha-twap.yaml"), "--out", log])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(CLI.field("period", in: r.stdout)?.hasSuffix("30 daily decisions executed over 1m bars") == true)
        let info = try CLI.run(["info", log]).stdout
        for kind in ["planned_trade", "order_slice", "order_submitted", "fill", "timer", "alpha", "signal"] {
            #expect(info.contains("  \(kind) "), "no \(kind) events")
        }
        let replay = try CLI.run(["replay", log])
        #expect(replay.status == 0 && replay.stdout.hasPrefix("identical"), "\(replay.stdout)")
        // Slices go out on schedule: no order before its slice's time.
        let slices = try CLI.run(["cat", log, "--kind", "order_slice", "--format", "csv"]).stdout.split(separator: "\n").dropFirst()
        let submitted = try CLI.run(["cat", log, "--kind", "order_submitted", "--format", "csv"]).stdout.split(separator: "\n").dropFirst()
        var scheduled: [String: String] = [:]
        for line in slices {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count > 7 else { continue }
            scheduled[f[6]] = f[7]   // order_id → scheduled_time
        }
        #expect(!submitted.isEmpty && scheduled.count == slices.count)
        for line in submitted {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count > 4, let when = scheduled[f[4]] else { continue }
            #expect(f[1] >= when)
        }
        let audit = try CLI.run(["audit", log, "--format", "json"])
        let totals = try #require((try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])?["totals"] as? [String: Any])
        #expect((totals["completion"] as? Double ?? 0) > 0.5)
    }
}
