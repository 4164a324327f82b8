import Foundation
import Testing

/// Starts `aurora live` paced at 26 simulated days a second (the daily fixture takes ~10 s).
func startLive(_ out: String, resume: Bool = false) throws -> Process {
    let process = Process()
    process.executableURL = CLI.binary
    var arguments = ["live", "--feed", "replay:" + CLI.fixture("bars-daily.csv") + "@2246400", "--out", out]
    arguments += resume ? ["--resume"] : ["--config", CLI.fixture("backtest-momentum.yaml")]
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

@Suite("aurora live", .serialized)
struct LiveCLITests {
    @Test("SIGINT ends the session cleanly: exit 0, a session_end, a closed log that replays identically")
    func interrupt() throws {
        let log = CLI.temporaryDirectory() + "/session.alog"
        let process = try startLive(log)
        Thread.sleep(forTimeInterval: 2)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let verify = try CLI.run(["verify", log])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(try CLI.run(["cat", log, "--kind", "session_end"]).stdout.contains("\"reason\":\"stopped\""))
        #expect(try CLI.run(["replay", log]).stdout.hasPrefix("identical"))
    }

    @Test("SIGKILL mid-session: at most a torn tail; --resume keeps everything flushed and continues; the result replays identically")
    func crashAndResume() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir + "/session.alog"
        let process = try startLive(log)
        Thread.sleep(forTimeInterval: 2.5)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let verify = try CLI.run(["verify", log])
        #expect(verify.status == 3, "\(verify.stdout)\(verify.stderr)")   // torn tail or not closed, nothing worse
        let flushed = try CLI.run(["cat", log, "--format", "csv"]).stdout.split(separator: "\n")
        #expect(flushed.count > 100)

        let resumed = try CLI.run(["live", "--resume", "--feed", "replay:" + CLI.fixture("bars-daily.csv"), "--out", log])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("recorded events re-run and matched"))
        #expect(try CLI.run(["verify", log]).status == 0)
        let after = try CLI.run(["cat", log, "--format", "csv"]).stdout.split(separator: "\n")
        #expect(Array(after.prefix(flushed.count)) == flushed)   // nothing flushed before the kill is lost
        #expect(after.count > flushed.count)
        #expect(try CLI.run(["replay", log]).stdout.hasPrefix("identical"))
    }

    @Test("bad options: an unknown feed or broker, a missing config")
    func badOptions() throws {
        #expect(try CLI.run(["live", "--feed", "bloomberg", "--out", "/tmp/x.alog", "--config", "c.yaml"]).stderr.contains("--feed must be replay:PATH"))
        #expect(try CLI.run(["live", "--feed", "replay:x.csv@fast", "--out", "/tmp/x.alog", "--config", "c.yaml"]).stderr.contains("--feed must be replay:PATH"))
        #expect(try CLI.run(["live", "--feed", "replay:x.csv", "--broker", "ib", "--out", "/tmp/x.alog", "--config", "c.yaml"]).stderr.contains("--broker must be sim"))
        #expect(try CLI.run(["live", "--feed", "alpaca", "--data-feed", "otc", "--out", "/tmp/x.alog", "--config", "c.yaml"]).stderr.contains("'otc' is invalid for '--data-feed"))
        #expect(try CLI.run(["live", "--feed", "replay:x.csv", "--broker", "paper:http://h:1", "--out", "/tmp/x.alog", "--config", "c.yaml"]).stderr.contains("needs --feed paper:http://h:1"))
        #expect(try CLI.run(["live", "--feed", "paper:http://a:1", "--broker", "paper:http://b:1", "--out", "/tmp/x.alog", "--config", "c.yaml"]).stderr.contains("the same exchange"))
        #expect(try CLI.run(["live", "--feed", "replay:x.csv", "--broker", "alpaca", "--out", "/tmp/x.alog", "--config", "c.yaml"]).stderr.contains("--broker alpaca needs --feed alpaca"))
        #expect(try CLI.run(["live", "--feed", "replay:x.csv", "--snapshot", "tick", "--out", "/tmp/x.alog", "--config", "c.yaml"]).stderr.contains("'tick' is invalid for '--snapshot"))
        #expect(try CLI.run(["live", "--feed", "replay:x.csv", "--out", "/tmp/x.alog"]).stderr.contains("--config is required"))
    }
}
