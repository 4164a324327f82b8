import AuroraLog
import AuroraModel
import Foundation
import Testing

/// The write-behind thread of a backtest, killed with SIGKILL: the file holds frames in order up
/// to at most one torn frame, `recover` cuts that and closes it (the same path that reopens a log
/// for appending), and every event kept is the uninterrupted run's, byte for byte.
@Suite("aurora backtest, killed mid-write", .serialized)
struct WriteBehindCLITests {
    @Test("SIGKILL during a pipelined backtest: the intact prefix verifies, recovers and equals the uninterrupted run's")
    func killMidWrite() throws {
        let dir = CLI.temporaryDirectory()
        let config = dir + "/big.yaml"
        try """
        strategy: {type: momentum, lookback: 10, threshold: 0.02}
        data:
          source: synthetic
          synthetic: {symbols: 120, sectors: 8, days: 1000, start: 2015-01-02, timeframe: 1d, seed: 5}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let log = dir + "/killed.alog"
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["backtest", "--config", config, "--out", log]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill once a few frames are out, well before the end.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning, ((try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0) < 1_000_000 {
            Thread.sleep(forTimeInterval: 0.01)
        }
        guard process.isRunning else {
            Issue.record("the backtest ended before it could be killed; make the universe larger")
            return
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let verify = try CLI.run(["verify", log])
        #expect(verify.status == 3, "\(verify.stdout)\(verify.stderr)")   // unclosed or torn, never damaged
        let recover = try CLI.run(["recover", log])
        #expect(recover.status == 0, "\(recover.stderr)")
        #expect(try CLI.run(["verify", log]).status == 0)
        let kept = try LogReader(path: log).storedEventCount ?? 0
        #expect(kept > 50_000)

        // The same run uninterrupted, on one thread: what was kept is its prefix, event for event.
        let full = dir + "/full.alog"
        let whole = try CLI.run(["backtest", "--config", config, "--out", full], environment: ["AURORA_THREADS": "1"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let keptEvents = try events(log), fullEvents = try events(full)
        #expect(keptEvents.count == Int(kept))
        #expect(fullEvents.count > keptEvents.count)
        // Compared by canonical bytes (a NaN score is the same NaN), reporting only the first difference.
        let comparer = CanonicalComparer()
        let firstDifference = keptEvents.indices.first { $0 >= fullEvents.count || !comparer.same(keptEvents[$0], fullEvents[$0]) }
        #expect(firstDifference == nil)
    }

    private func events(_ path: String) throws -> [Event] {
        let cursor = try LogReader(path: path).events()
        var out: [Event] = []
        while let e = try cursor.next() { out.append(e) }
        return out
    }
}
