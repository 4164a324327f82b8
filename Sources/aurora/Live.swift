import ArgumentParser
import Aurora
import Foundation
#if Alpaca
import AuroraDashboard
import AuroraGateway
#endif

struct Live: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Run a live session: the backtest kernel fed as bars arrive, logging as it goes.",
        discussion: """
        Feeds: replay:PATH[@SPEED] paces a bar CSV or an Aurora log's bars as if live (SPEED 1 is real
        time; max or no SPEED, as fast as possible); paper:URL reads the market-data stream of an
        `aurora paper-exchange`; alpaca reads Alpaca's v2 stream (minute bars; --data-feed iex|sip).
        Brokers: sim fills with the configured execution model; paper:URL and alpaca send market
        orders to a trading API and log what it answers (acks, rejects, fills, cancels) as inputs.
        paper: and alpaca need an aurora built with the Alpaca trait (`swift build --traits Alpaca`).
        Alpaca credentials come from APCA_API_KEY_ID / APCA_API_SECRET_KEY or --credentials FILE and are
        never written anywhere; APCA_API_BASE_URL overrides the trading address (paper by default).
        The log flushes at least every 100 ms or 256 events. SIGINT or SIGTERM ends the session cleanly
        (open broker orders are cancelled, then a session_end event, the final flush and index). After a
        crash, the same command with --resume re-runs the recorded inputs (every event must match the
        log), then continues appending.
        """)

    @Option(name: .long, help: "YAML configuration (ignored with --resume: the log's own is used).") var config: String?
    @Option(name: .long, help: "replay:PATH[@SPEED] | paper:URL | alpaca") var feed: String
    @Option(name: .long, help: "sim | paper:URL | alpaca") var broker = "sim"
    @Option(name: .long, help: "The session log.") var out: String
    @Flag(name: .long, help: "Continue the session in --out after a crash.") var resume = false
    @Option(name: .long, help: "Alpaca credentials file (key_id:, secret_key:) instead of the environment.") var credentials: String?
    @Option(name: .long, help: "Alpaca market data feed for --feed alpaca.") var dataFeed: DataFeed = .iex
    @Flag(name: .long, help: "Also subscribe to trades (logged as price updates).") var trades = false
    @Option(name: .long, help: "Decide once per bar time (bar-close) or at every update as it arrives (update).") var snapshot: SnapshotChoice = .barClose
    @Option(name: .long, help: "Serve a read-only page of the session at [HOST:]PORT (loopback unless a host is given; port 0 picks one).")
    var dashboard: String?

    /// `--dashboard`'s host and port.
    var dashboardAddress: (host: String, port: Int)? {
        guard let d = dashboard else { return nil }
        let parts = d.split(separator: ":", omittingEmptySubsequences: false)
        let host = parts.count == 2 ? String(parts[0]) : "127.0.0.1"
        guard let port = Int(parts.last ?? ""), (0...65_535).contains(port), parts.count <= 2, !host.isEmpty else { return nil }
        return (host, port)
    }

    func validate() throws {
        let replay = LiveSessionOptions.replayFeed(feed) != nil
        if !replay && !(feed == "alpaca" || (feed.hasPrefix("paper:") && feed.count > 6)) {
            throw ValidationError("--feed must be replay:PATH[@SPEED] (SPEED a positive number or max), paper:URL or alpaca, not \"\(feed)\"")
        }
        if !(broker == "sim" || broker == "alpaca" || (broker.hasPrefix("paper:") && broker.count > 6)) {
            throw ValidationError("--broker must be sim, paper:URL or alpaca, not \"\(broker)\"")
        }
        #if Alpaca
        do { try network.validate(feed: feed, broker: broker) } catch let e as LiveError { throw ValidationError(e.description) }
        #endif
        if config == nil && !resume { throw ValidationError("--config is required unless --resume") }
        if let d = dashboard {
            guard dashboardAddress != nil else { throw ValidationError("--dashboard must be PORT or HOST:PORT (port 0 to 65535), not \"\(d.prefix(60))\"") }
            #if !Alpaca
            throw ValidationError("--dashboard needs the HTTP stack: build with --traits Alpaca")
            #endif
        }
    }

    #if Alpaca
    private var network: AlpacaNetwork { AlpacaNetwork(credentialsFile: credentials, dataFeed: dataFeed.rawValue) }
    #endif

    @Sendable static func showStatus(_ s: LiveStatus) {
        var line = "\(s.time.iso8601)  events \(grouped(s.events))  positions \(s.positions)  P&L \(money(s.pnl))  fills \(grouped(s.fills))"
        if s.rateLimitWaits > 0 { line += "  rate-limit waits \(grouped(s.rateLimitWaits)) (queue ≤ \(s.deepestQueue))" }
        if s.rejects > 0 { line += "  rejects \(s.rejects)" }
        if s.notices > 0 { line += "  notices \(s.notices)" }
        printProgress(line + (s.resuming ? "  (resuming)" : ""))
    }

    func run() async throws {
        let options = LiveSessionOptions(config: try config.map { try ConfigReader.load(path: $0, registry: .standard).0 }, feed: feed, broker: broker,
                                         out: out, resume: resume, snapshot: snapshot.mode, trades: trades, registry: .standard)
        var net: (any SessionNetwork)?
        #if Alpaca
        net = network
        #endif
        let runner = try await LiveSessionRunner(options, network: net)
        if let line = runner.brokerLine { printError(line) }
        if let report = runner.dataReport { printDataReport(report, warnings: KernelWarnings()) }
        let interactive = isatty(2) == 1
        // A clean stop on SIGINT/SIGTERM: the session ends, flushes and writes its index.
        let signals = StopSignals { runner.stop() }
        defer { signals.cancel() }
        var status: (@Sendable (LiveStatus) -> Void)? = interactive ? Live.showStatus : nil
        #if Alpaca
        let feed = DashboardFeed()
        var server: Task<Void, Error>?
        if let (host, port) = dashboardAddress {
            server = Task {
                try await DashboardServer.run(feed, host: host, port: port) { bound in
                    printError("dashboard    http://\(host.contains(":") ? "[\(host)]" : host):\(bound)/")
                }
            }
            // Updates reach the page in the order the session made them.
            let (updates, push) = AsyncStream<LiveStatus>.makeStream(bufferingPolicy: .bufferingNewest(16))
            Task { for await s in updates { await feed.update(s) } }
            let line = status
            status = { s in
                line?(s)
                push.yield(s)
            }
        }
        defer { server?.cancel() }
        #endif
        let summary = try await runner.run(status: status)
        #if Alpaca
        await feed.finish(reason: summary.reason)
        // Open pages get the session's end before the server goes.
        if server != nil { try? await Task.sleep(for: .milliseconds(200)) }
        #endif
        if interactive { printProgress("") }
        print("session      \(out): \(grouped(summary.events)) events, ended: \(summary.reason)")
        if summary.resumedEvents > 0 { print("resumed      \(grouped(summary.resumedEvents)) recorded events re-run and matched") }
        print("equity       \(money(summary.finalState.equity)), \(summary.finalState.openSymbols.count) positions, \(grouped(summary.finalState.fillCount)) fills")
        if summary.rejects > 0 || summary.notices > 0 {
            print("outside      \(summary.rejects) orders rejected, \(summary.notices) messages refused (see `aurora cat --kind input_notice --kind order_rejected`)")
        }
        if summary.latency.steps > 0 {
            let l = summary.latency
            print("latency      bars to the kernel's first order p50 \(l.toOrderP50) µs, p99 \(l.toOrderP99) µs; to the broker p50 \(l.toBrokerP50) µs, p99 \(l.toBrokerP99) µs (\(l.steps) steps)")
        }
        print("digest       \(summary.digest)")
    }
}

enum DataFeed: String, ExpressibleByArgument, CaseIterable { case iex, sip }

enum SnapshotChoice: String, ExpressibleByArgument, CaseIterable {
    case barClose = "bar-close"
    case update
    var mode: SnapshotMode { self == .update ? .update : .barClose }
}
