import ArgumentParser
import AuroraAlpha
import AuroraCore
import AuroraExecution
import AuroraLive
import AuroraLog
import AuroraModel
import Dispatch
import Foundation

struct Live: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a live session: the backtest kernel fed bar by bar, logging as it goes.",
        discussion: """
        --feed replay:PATH[@SPEED] paces a bar CSV or an Aurora log's bars as if live (SPEED 1 is real
        time; max or no SPEED, as fast as possible). --broker sim fills with the configured execution
        model. The log flushes at least every 100 ms or 256 events. SIGINT or SIGTERM ends the session
        cleanly (a session_end event, the final flush and index). After a crash, the same command with
        --resume re-runs the recorded bars (every event must match the log), then continues appending.
        """)

    @Option(name: .long, help: "YAML configuration (ignored with --resume: the log's own is used).") var config: String?
    @Option(name: .long, help: "replay:PATH[@SPEED]") var feed: String
    @Option(name: .long, help: "sim") var broker = "sim"
    @Option(name: .long, help: "The session log.") var out: String
    @Flag(name: .long, help: "Continue the session in --out after a crash.") var resume = false

    func validate() throws {
        guard feed.hasPrefix("replay:"), parsedFeed != nil else {
            throw ValidationError("--feed must be replay:PATH or replay:PATH@SPEED (a positive number or max), not \"\(feed)\"")
        }
        guard broker == "sim" else { throw ValidationError("--broker must be sim (the simulated exchange), not \"\(broker)\"") }
        if config == nil && !resume { throw ValidationError("--config is required unless --resume") }
    }

    @Sendable static func showStatus(_ s: LiveStatus) {
        let line = "\(s.time.iso8601)  events \(grouped(s.events))  positions \(s.positions)  P&L \(money(s.pnl))  fills \(grouped(s.fills))"
        printProgress(line + (s.resuming ? "  (resuming)" : ""))
    }

    private var parsedFeed: (path: String, speed: Double?)? {
        let spec = String(feed.dropFirst("replay:".count))
        guard let at = spec.lastIndex(of: "@") else { return spec.isEmpty ? nil : (spec, nil) }
        let path = String(spec[..<at]), speed = String(spec[spec.index(after: at)...])
        if speed == "max" { return (path, nil) }
        guard let s = Double(speed), s > 0, s.isFinite, !path.isEmpty else { return nil }
        return (path, s)
    }

    func run() async throws {
        guard let (path, speed) = parsedFeed else { throw ValidationError("bad --feed") }
        var cfg = AuroraConfig()
        if let config { cfg = try ConfigReader.load(path: config).0 }
        let source: any MarketDataSource = path.hasSuffix(".alog") ? LogDataSource(path: path)
            : CSVDataSource(path: path, options: BarCSVOptions(timeZone: cfg.data.timeZone, stamp: cfg.data.stamp))
        let (series, _) = try source.load()
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let session = try LiveSession(config: cfg, symbols: series.symbols, sourceDescription: "replay:\(name)@\(speed.map { "\($0)" } ?? "max")",
                                      out: out, resume: resume, executionFactory: ExecutionLayer.factory)
        let interactive = isatty(2) == 1
        let statusLine: (@Sendable (LiveStatus) -> Void)? = interactive ? Live.showStatus : nil
        let groups = PacedReplayFeed(series: series, speed: speed).groups
        let runTask = Task<LiveSummary, Error> { try await session.run(groups, status: statusLine) }
        // A clean stop on SIGINT/SIGTERM: the session ends, flushes and writes its index.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue.global())
            source.setEventHandler(handler: StopHandler(session: session, task: runTask).callAsFunction)
            source.resume()
            sources.append(source)
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 50_000_000)
                try? await session.tick()
            }
        }
        defer {
            ticker.cancel()
            for source in sources { source.cancel() }
        }
        let summary = try await runTask.value
        if interactive { printProgress("") }
        print("session      \(out): \(grouped(summary.events)) events, ended: \(summary.reason)")
        if summary.resumedEvents > 0 { print("resumed      \(grouped(summary.resumedEvents)) recorded events re-run and matched") }
        print("equity       \(money(summary.finalState.equity)), \(summary.finalState.openSymbols.count) positions, \(grouped(summary.finalState.fillCount)) fills")
        print("digest       \(summary.digest)")
    }
}

/// What a stop signal does: ask the session to end and cancel the feed it is waiting on.
struct StopHandler: Sendable {
    let session: LiveSession
    let task: Task<LiveSummary, Error>

    func callAsFunction() {
        let session = self.session
        Task { await session.stop() }
        task.cancel()
    }
}
