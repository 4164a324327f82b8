import Foundation
import Testing

/// `aurora paper-exchange` on a free port; its first line names the address.
final class PaperExchangeProcess {
    let process = Process()
    let url: String

    init(_ extra: [String], environment: [String: String]? = nil) throws {
        process.executableURL = CLI.binary
        if let environment { process.environment = environment }
        process.arguments = ["paper-exchange", "--port", "0", "--data", CLI.fixture("bars-daily.csv")] + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n") && Date() < deadline {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: #"http://[0-9.]+:[0-9]+"#, options: .regularExpression) else {
            process.terminate()
            throw CLIFailure("paper-exchange did not announce its address: \(text)")
        }
        url = String(text[range])
    }

    func stop() -> Int32 {
        process.interrupt()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

struct CLIFailure: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

@Suite("aurora paper-exchange and gateway sessions", .serialized)
struct PaperExchangeCLITests {
    @Test("a paper session against aurora paper-exchange (partial fills, rejects, reconnects) replays identically")
    func paperSession() throws {
        let exchange = try PaperExchangeProcess(["--max-participation", "0.002", "--reject-every", "7", "--drop-every", "60"])
        let log = CLI.temporaryDirectory() + "/paper.alog"
        let live = try CLI.run(["live", "--config", CLI.fixture("backtest-momentum.yaml"), "--feed", "paper:" + exchange.url,
                                "--broker", "paper:" + exchange.url, "--out", log])
        #expect(exchange.stop() == 0)
        #expect(live.status == 0, "\(live.stderr)")
        #expect(live.stdout.contains("ended: end of feed") && live.stdout.contains("orders rejected"))
        #expect(live.stdout.contains("latency"))
        #expect(live.stderr.contains("account ACTIVE"))
        let replay = try CLI.run(["replay", log])
        #expect(replay.stdout.hasPrefix("identical"), "\(replay.stdout)\(replay.stderr)")
        let connections = try CLI.run(["cat", log, "--kind", "connection"]).stdout
        #expect(connections.contains("\"state\":\"disconnected\"") && connections.contains("rehearsal disconnect"))
        #expect(try CLI.run(["verify", log]).status == 0)
    }

    @Test("missing credentials, bad addresses and refused keys: a clear message, a non-zero exit, no log")
    func badSetups() throws {
        let dir = CLI.temporaryDirectory()
        let noKeys = try CLI.run(["live", "--config", CLI.fixture("backtest-momentum.yaml"), "--feed", "alpaca", "--broker", "alpaca",
                                  "--out", dir + "/a.alog"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(noKeys.status != 0 && noKeys.stderr.contains("APCA_API_KEY_ID"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/a.alog"))

        let badURL = try CLI.run(["live", "--config", CLI.fixture("backtest-momentum.yaml"), "--feed", "paper:ftp://x",
                                  "--broker", "sim", "--out", dir + "/b.alog"])
        #expect(badURL.status != 0 && badURL.stderr.contains("http://"))

        let badBroker = try CLI.run(["live", "--config", CLI.fixture("backtest-momentum.yaml"), "--feed", "alpaca",
                                     "--broker", "ib", "--out", dir + "/c.alog"])
        #expect(badBroker.status != 0 && badBroker.stderr.contains("--broker must be"))

        let exchange = try PaperExchangeProcess(["--require-credentials"],
                                                environment: ["PATH": "/usr/bin:/bin", "APCA_API_KEY_ID": "k", "APCA_API_SECRET_KEY": "right"])
        let refused = try CLI.run(["live", "--config", CLI.fixture("backtest-momentum.yaml"), "--feed", "paper:" + exchange.url,
                                   "--broker", "paper:" + exchange.url, "--out", dir + "/d.alog"],
                                  environment: ["PATH": "/usr/bin:/bin", "APCA_API_KEY_ID": "k", "APCA_API_SECRET_KEY": "wrong"])
        #expect(exchange.stop() == 0)
        #expect(refused.status != 0 && refused.stderr.contains("HTTP 401"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/d.alog"))
    }
}

@Suite("aurora live against a paper exchange, killed and resumed", .serialized)
struct PaperCrashCLITests {
    @Test("SIGKILL mid paper session: --resume adopts its orders, reconnects and finishes; the log verifies and replays identically")
    func killAndResume() throws {
        // 40 recorded days a second: the 260-day fixture takes about 6.5 s.
        let exchange = try PaperExchangeProcess(["--speed", "3456000", "--max-participation", "0.01", "--reject-every", "9"])
        defer { _ = exchange.stop() }
        let log = CLI.temporaryDirectory() + "/paper.alog"
        let live = Process()
        live.executableURL = CLI.binary
        live.arguments = ["live", "--config", CLI.fixture("backtest-momentum.yaml"), "--feed", "paper:" + exchange.url,
                          "--broker", "paper:" + exchange.url, "--out", log]
        live.standardOutput = FileHandle.nullDevice
        live.standardError = FileHandle.nullDevice
        try live.run()
        Thread.sleep(forTimeInterval: 2.5)
        kill(live.processIdentifier, SIGKILL)
        live.waitUntilExit()
        #expect(try CLI.run(["verify", log]).status == 3)   // not closed, nothing worse
        let before = try CLI.run(["cat", log, "--format", "csv"]).stdout.split(separator: "\n").count

        let resumed = try CLI.run(["live", "--resume", "--feed", "paper:" + exchange.url, "--broker", "paper:" + exchange.url, "--out", log])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("recorded events re-run and matched") && resumed.stdout.contains("ended: end of feed"))
        #expect(try CLI.run(["verify", log]).status == 0)
        #expect(try CLI.run(["cat", log, "--format", "csv"]).stdout.split(separator: "\n").count > before)
        #expect(try CLI.run(["replay", log]).stdout.hasPrefix("identical"))
        // Updates about orders sent before the kill are recognised, not refused as strangers'.
        let notices = try CLI.run(["cat", log, "--kind", "input_notice"]).stdout
        #expect(!notices.contains("did not send"), "\(notices)")
    }
}
