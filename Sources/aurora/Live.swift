import ArgumentParser
import AuroraAlpha
import AuroraCore
import AuroraExecution
import AuroraGateway
import AuroraLive
import AuroraLog
import AuroraModel
import Foundation

struct Live: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a live session: the backtest kernel fed as bars arrive, logging as it goes.",
        discussion: """
        Feeds: replay:PATH[@SPEED] paces a bar CSV or an Aurora log's bars as if live (SPEED 1 is real
        time; max or no SPEED, as fast as possible); paper:URL reads the market-data stream of an
        `aurora paper-exchange`; alpaca reads Alpaca's v2 stream (minute bars; --data-feed iex|sip).
        Brokers: sim fills with the configured execution model; paper:URL and alpaca send market
        orders to a trading API and log what it answers (acks, rejects, fills, cancels) as inputs.
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
    @Option(name: .long, help: "Alpaca market data feed for --feed alpaca: iex or sip.") var dataFeed = "iex"
    @Flag(name: .long, help: "Also subscribe to trades (logged as price updates).") var trades = false
    @Option(name: .long, help: "Decide once per bar time (bar-close) or at every update as it arrives (update).") var snapshot = "bar-close"

    enum FeedChoice { case replay(path: String, speed: Double?), paper(String), alpaca }
    enum BrokerChoice { case sim, paper(String), alpaca }

    func validate() throws {
        guard parsedFeed != nil else {
            throw ValidationError("--feed must be replay:PATH[@SPEED] (SPEED a positive number or max), paper:URL or alpaca, not \"\(feed)\"")
        }
        guard parsedBroker != nil else { throw ValidationError("--broker must be sim, paper:URL or alpaca, not \"\(broker)\"") }
        // An outside broker fills against the market its own feed shows: a paper exchange's clock only
        // moves for a subscriber, and Alpaca's fills follow today's market, not recorded bars.
        switch (parsedFeed, parsedBroker) {
        case (.paper(let f)?, .paper(let b)?) where f != b:
            throw ValidationError("--broker paper:\(b) needs --feed paper:\(b) (the same exchange), not paper:\(f)")
        case (let f?, .paper(let b)?):
            if case .paper = f {} else { throw ValidationError("--broker paper:\(b) needs --feed paper:\(b): the exchange fills against the bars it streams") }
        case (let f?, .alpaca?):
            if case .alpaca = f {} else { throw ValidationError("--broker alpaca needs --feed alpaca: Alpaca fills against today's market") }
        default: break
        }
        guard snapshot == "bar-close" || snapshot == "update" else {
            throw ValidationError("--snapshot must be bar-close or update, not \"\(snapshot)\"")
        }
        guard dataFeed == "iex" || dataFeed == "sip" else { throw ValidationError("--data-feed must be iex or sip, not \"\(dataFeed)\"") }
        if config == nil && !resume { throw ValidationError("--config is required unless --resume") }
    }

    private var parsedFeed: FeedChoice? {
        if feed == "alpaca" { return .alpaca }
        if feed.hasPrefix("paper:") { return feed.count > 6 ? .paper(String(feed.dropFirst(6))) : nil }
        guard feed.hasPrefix("replay:") else { return nil }
        let spec = String(feed.dropFirst("replay:".count))
        guard let at = spec.lastIndex(of: "@") else { return spec.isEmpty ? nil : .replay(path: spec, speed: nil) }
        let path = String(spec[..<at]), speed = String(spec[spec.index(after: at)...])
        guard !path.isEmpty else { return nil }
        if speed == "max" { return .replay(path: path, speed: nil) }
        guard let s = Double(speed), s > 0, s.isFinite else { return nil }
        return .replay(path: path, speed: s)
    }

    private var parsedBroker: BrokerChoice? {
        if broker == "sim" { return .sim }
        if broker == "alpaca" { return .alpaca }
        if broker.hasPrefix("paper:"), broker.count > 6 { return .paper(String(broker.dropFirst(6))) }
        return nil
    }

    @Sendable static func showStatus(_ s: LiveStatus) {
        var line = "\(s.time.iso8601)  events \(grouped(s.events))  positions \(s.positions)  P&L \(money(s.pnl))  fills \(grouped(s.fills))"
        if s.rateLimitWaits > 0 { line += "  rate-limit waits \(grouped(s.rateLimitWaits)) (queue ≤ \(s.deepestQueue))" }
        if s.rejects > 0 { line += "  rejects \(s.rejects)" }
        if s.notices > 0 { line += "  notices \(s.notices)" }
        printProgress(line + (s.resuming ? "  (resuming)" : ""))
    }

    func run() async throws {
        guard let feedChoice = parsedFeed, let brokerChoice = parsedBroker else { throw ValidationError("bad --feed or --broker") }
        if resume && config == nil && !LiveSession.holdsEvents(out) {
            throw ValidationError("\(out) holds no event to resume (the session stopped before its first flush, or there is no such log): give --config to start it afresh")
        }
        var cfg = AuroraConfig()
        if let config { cfg = try ConfigReader.load(path: config).0 }
        let environment = ProcessInfo.processInfo.environment
        let paperKey = AlpacaCredentials(keyID: "paper", secretKey: "paper")
        func endpoints(_ paperURL: String?) throws -> AlpacaEndpoints {
            if let paperURL { return try AlpacaEndpoints.paper(paperURL) }
            var e = AlpacaEndpoints.alpaca(dataFeed: dataFeed)
            if let base = environment["APCA_API_BASE_URL"], !base.isEmpty {
                let custom = try AlpacaEndpoints.paper(base)
                e.trading = custom.trading
                e.tradeStream = custom.tradeStream
            }
            return e
        }
        func keys(paper: Bool) throws -> AlpacaCredentials {
            try AlpacaCredentials.resolve(file: credentials, environment: environment, fallback: paper ? paperKey : nil)
        }

        let (inputs, deliver) = SessionLinks.makeInputs()
        // A resumed session keeps its client-order-id tag, so it still knows its earlier orders' answers.
        let recordedTag = resume ? (try? LogReader(path: out))?.manifest?.properties.first { $0.key == AlpacaTradingGateway.tagProperty }?.value : nil
        let tag = recordedTag ?? Self.sessionTag()
        // The broker first: bad credentials or an unreachable server stop here, before a log exists.
        var gateway: AlpacaTradingGateway?
        var brokerName = "sim"
        switch brokerChoice {
        case .sim: break
        case .paper(let url):
            gateway = AlpacaTradingGateway(endpoints: try endpoints(url), credentials: try keys(paper: true), tag: tag, deliver: deliver)
            brokerName = "paper:\(url)"
        case .alpaca:
            gateway = AlpacaTradingGateway(endpoints: try endpoints(nil), credentials: try keys(paper: false), tag: tag, deliver: deliver)
            brokerName = "alpaca"
        }
        if let gateway {
            let account = try await gateway.account()
            let held = try await gateway.positions()
            printError("broker       \(gateway.endpoints.trading): account \(account.status), cash \(money(account.cash)), buying power \(money(account.buyingPower)), \(held.count) positions held")
        }

        // Symbols: the recorded file's, the configuration's, or the paper exchange's universe.
        var symbols: [String] = []
        var linkFeed: SessionLinks.Feed?
        var description = feed
        var dataNotices: [String] = []
        switch feedChoice {
        case .replay(let path, let speed):
            let source: any MarketDataSource = path.hasSuffix(".alog") ? LogDataSource(path: path)
                : CSVDataSource(path: path, options: BarCSVOptions(timeZone: cfg.data.timeZone, stamp: cfg.data.stamp))
            let (series, report) = try source.load()
            // The same report as a backtest's, and each row left out logged before the first step.
            printDataReport(report, warnings: KernelWarnings())
            dataNotices = report.skippedRowNotices
            symbols = series.symbols
            linkFeed = .replay(PacedReplayFeed(series: series, speed: speed))
            description = "replay:\(path.split(separator: "/").last.map(String.init) ?? path)@\(speed.map { "\($0)" } ?? "max")"
        case .paper(let url):
            symbols = (cfg.data.symbols ?? []).sorted()
            if symbols.isEmpty && !resume {
                let lister = AlpacaTradingGateway(endpoints: try endpoints(url), credentials: try keys(paper: true), tag: "", deliver: { _ in })
                symbols = try await lister.assets()
            }
        case .alpaca:
            symbols = (cfg.data.symbols ?? []).sorted()
            if symbols.isEmpty && !resume { throw ValidationError("--feed alpaca needs data.symbols in the configuration") }
        }
        let session = try LiveSession(config: cfg, symbols: symbols, sourceDescription: description, out: out, resume: resume,
                                      broker: brokerName, snapshot: snapshot == "update" ? .update : .barClose,
                                      properties: gateway == nil ? [] : [KeyValue(AlpacaTradingGateway.tagProperty, tag)],
                                      dataNotices: dataNotices, executionFactory: ExecutionLayer.factory)
        if resume, let gateway { try gateway.adopt(LogReader(path: out)) }
        if session.usesExternalBroker != (gateway != nil) {
            throw ValidationError("this session's orders were recorded as going to \(session.usesExternalBroker ? "a broker" : "the simulated exchange"); resume it with the same kind of --broker")
        }
        // The recorded mode wins when resuming.
        let perUpdate = session.snapshot == .update
        switch feedChoice {
        case .replay:
            if case .replay(var paced, _)? = linkFeed {
                paced.unpacedBefore = session.resumeTime
                linkFeed = .replay(paced, perUpdate: perUpdate)
            }
        case .paper(let url):
            var stream = AlpacaMarketStream(url: try endpoints(url).marketData, credentials: try keys(paper: true),
                                            symbols: session.symbolNames, trades: trades, dailyBars: true)
            stream.perUpdate = perUpdate
            linkFeed = .stream(stream)
        case .alpaca:
            var stream = AlpacaMarketStream(url: try endpoints(nil).marketData, credentials: try keys(paper: false),
                                            symbols: session.symbolNames, trades: trades)
            stream.perUpdate = perUpdate
            linkFeed = .stream(stream)
        }
        guard let linkFeed else { throw ValidationError("no feed") }
        // TWAP slices and cutoffs also fire on the wall clock, mapped onto the bars' time: 1:1 for a
        // live feed, at the pacing speed for a replayed one (none when replaying as fast as possible).
        var clock: SessionClock?
        if session.kernelConfig.algorithm == .twap {
            switch feedChoice {
            case .replay(_, let speed?): clock = SessionClock(rate: speed, grace: .milliseconds(50))
            case .replay: clock = nil
            case .paper, .alpaca: clock = SessionClock(rate: 1, grace: .seconds(2))
            }
        }
        let links = SessionLinks(feed: linkFeed, broker: gateway, inputs: inputs, clockEvery: clock == nil ? nil : .milliseconds(100),
                                 deliver: deliver)
        defer { links.close() }

        let interactive = isatty(2) == 1
        let statusLine: (@Sendable (LiveStatus) -> Void)? = interactive ? Live.showStatus : nil
        let broker = gateway
        let runTask = Task<LiveSummary, Error> { try await session.run(inputs: links.inputs, broker: broker, clock: clock, status: statusLine) }
        // A clean stop on SIGINT/SIGTERM: the session ends, flushes and writes its index.
        let signals = StopSignals(StopHandler(session: session, links: links).callAsFunction)
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 50_000_000)
                try? await session.tick()
            }
        }
        defer {
            ticker.cancel()
            signals.cancel()
        }
        let summary = try await runTask.value
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

    /// Prefixes this run's client order ids, so its orders are told apart at the broker.
    static func sessionTag() -> String {
        var g = SystemRandomNumberGenerator()
        return "aurora-" + String(g.next() & 0xffff_ffff, radix: 16)
    }
}

/// What a stop signal does: ask the session to end, and end the feed so it stops waiting.
struct StopHandler: Sendable {
    let session: LiveSession
    let links: SessionLinks

    func callAsFunction() {
        let session = self.session, links = self.links
        Task {
            await session.stop()
            links.stop()
        }
    }
}
