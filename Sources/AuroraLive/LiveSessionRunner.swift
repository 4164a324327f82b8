import AuroraData
import AuroraKernel
import AuroraLog
import AuroraModel
import AuroraRun
import Foundation

/// What a live session is asked to do, in the terms of the command line.
public struct LiveSessionOptions: Sendable {
    /// The configuration; nil when resuming a log that records its own.
    public var config: AuroraConfig?
    /// `replay:PATH[@SPEED]`, or a feed a `SessionNetwork` knows (`paper:URL`, `alpaca`).
    public var feed: String
    /// `sim` (the configured execution model), or a broker a `SessionNetwork` knows.
    public var broker: String
    public var out: String
    public var resume: Bool
    public var snapshot: SnapshotMode
    /// Also follow trades (logged as price updates), where the feed has them.
    public var trades: Bool
    /// The plug-ins the configuration may name (strategy types, constructors, algorithms).
    public var registry: ComponentRegistry

    public init(config: AuroraConfig?, feed: String, broker: String = "sim", out: String, resume: Bool = false,
                snapshot: SnapshotMode = .barClose, trades: Bool = false, registry: ComponentRegistry = .builtIn) {
        self.registry = registry
        self.config = config
        self.feed = feed
        self.broker = broker
        self.out = out
        self.resume = resume
        self.snapshot = snapshot
        self.trades = trades
    }

    /// A replayed feed's path and speed (nil: as fast as possible), or nil for another feed.
    public static func replayFeed(_ spec: String) -> (path: String, speed: Double?)? {
        guard spec.hasPrefix("replay:") else { return nil }
        let rest = String(spec.dropFirst("replay:".count))
        guard let at = rest.lastIndex(of: "@") else { return rest.isEmpty ? nil : (rest, nil) }
        let path = String(rest[..<at]), speed = String(rest[rest.index(after: at)...])
        guard !path.isEmpty else { return nil }
        if speed == "max" { return (path, nil) }
        guard let s = Double(speed), s > 0, s.isFinite, s <= 1e12 else { return nil }
        return (path, s)
    }
}

/// A live session wired up: feed, broker, clock and log, as `aurora live` runs it. `prepare()`
/// checks everything that can fail (the configuration, the broker's account, the feed) before the
/// log exists; `run` takes the session to its end; `stop()` ends it cleanly from outside.
public final class LiveSessionRunner: Sendable {
    public let options: LiveSessionOptions
    private let network: (any SessionNetwork)?
    private let inputs = SessionInputs()
    private let prepared: Prepared

    struct Prepared: Sendable {
        var session: LiveSession
        var feed: any Feed
        var broker: (any BrokerLink)?
        var clock: SessionClock?
        var perUpdate: Bool
    }

    /// What `prepare` found worth saying: the broker's account line and the data report of a replayed file.
    public let brokerLine: String?
    public let dataReport: DataReport?

    public init(_ options: LiveSessionOptions, network: (any SessionNetwork)? = nil) async throws {
        self.options = options
        self.network = network
        let replay = LiveSessionOptions.replayFeed(options.feed)
        if replay == nil || options.broker != "sim" {
            guard let network else {
                throw LiveError("--feed \(options.feed) and --broker \(options.broker) need the network stack: this aurora was built without the Alpaca trait (`swift build -c release --traits Alpaca`)")
            }
            try network.validate(feed: options.feed, broker: options.broker)
        }
        if options.resume && options.config == nil && !LiveSession.holdsEvents(options.out) {
            throw LiveError("\(options.out) holds no event to resume (the session stopped before its first flush, or there is no such log): give --config to start it afresh")
        }
        guard options.config != nil || options.resume else { throw LiveError("a new session needs its configuration") }
        let config = options.config ?? AuroraConfig()

        // The broker first: bad credentials or an unreachable server stop here, before a log exists.
        var broker: (any BrokerLink)?
        var brokerLine: String?
        if options.broker != "sim", let network {
            // A resumed session keeps its client-order-id tag, so it still knows its earlier orders' answers.
            let recordedTag = options.resume ? (try? LogReader(path: options.out))?.manifest?.properties
                .first { $0.key == LiveSession.orderTagProperty }?.value : nil
            let link = try network.broker(options.broker, tag: recordedTag ?? Self.sessionTag())
            brokerLine = try await link.checkAccount()
            broker = link
        }
        self.brokerLine = brokerLine

        // Symbols: the replayed file's, the configuration's, or the feed's universe.
        var symbols: [String] = []
        var description = options.feed
        var notices: [String] = []
        var paced: PacedReplayFeed?
        var report: DataReport?
        if let (path, speed) = replay {
            let source: any MarketDataSource = path.hasSuffix(".alog") ? LogDataSource(path: path)
                : CSVDataSource(path: path, options: BarCSVOptions(timeZone: config.data.timeZone, stamp: config.data.stamp))
            let (series, loaded) = try source.load()
            report = loaded
            notices = loaded.skippedRowNotices
            symbols = series.symbols
            paced = PacedReplayFeed(series: series, speed: speed)
            description = "replay:\(path.split(separator: "/").last.map(String.init) ?? path)@\(speed.map { "\($0)" } ?? "max")"
        } else if let network {
            symbols = (config.data.symbols ?? []).sorted()
            if symbols.isEmpty && !options.resume { symbols = try await network.universe(options.feed) }
        }
        self.dataReport = report
        let session = try LiveSession(config: config, symbols: symbols, sourceDescription: description, out: options.out,
                                      resume: options.resume, broker: broker?.name ?? "sim", snapshot: options.snapshot,
                                      properties: broker?.manifestProperties ?? [], dataNotices: notices, registry: options.registry)
        if options.resume, let broker { try broker.adopt(LogReader(path: options.out)) }
        if session.usesExternalBroker != (broker != nil) {
            throw LiveError("this session's orders were recorded as going to \(session.usesExternalBroker ? "a broker" : "the simulated exchange"); resume it with the same kind of --broker")
        }
        // The recorded mode wins when resuming.
        let perUpdate = session.snapshot == .update
        let feed: any Feed
        if var paced {
            paced.unpacedBefore = session.resumeTime
            feed = paced
        } else if let network {
            feed = try network.feed(options.feed, symbols: session.symbolNames, trades: options.trades)
        } else {
            throw LiveError("no feed")
        }
        // TWAP slices and cutoffs also fire on the wall clock, mapped onto the bars' time: 1:1 for a
        // live feed, at the pacing speed for a replayed one (none when replaying as fast as possible).
        var clock: SessionClock?
        if session.needsClock {
            if let replay { clock = replay.speed.map { SessionClock(rate: $0, grace: .milliseconds(50)) } }
            else if network?.isLive(options.feed) == true { clock = SessionClock(rate: 1, grace: .seconds(2)) }
        }
        prepared = Prepared(session: session, feed: feed, broker: broker, clock: clock, perUpdate: perUpdate)
    }

    public var session: LiveSession { prepared.session }

    /// Runs the session until its feed ends, a link halts it, or `stop()`; flushes at least every
    /// 50 ms so the flush policy's time limit holds while the feed is quiet.
    public func run(status: (@Sendable (LiveStatus) -> Void)? = nil) async throws -> LiveSummary {
        let p = prepared
        inputs.start(feed: p.feed, perUpdate: p.perUpdate, broker: p.broker, clockEvery: p.clock == nil ? nil : .milliseconds(100))
        defer { inputs.close() }
        let session = p.session
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 50_000_000)
                try? await session.tick()
            }
        }
        defer { ticker.cancel() }
        return try await session.run(inputs: inputs.stream, broker: p.broker, clock: p.clock, status: status)
    }

    /// Ends the session after the input it is handling: open broker orders are cancelled, then the
    /// session end, the final flush and the index.
    public func stop() {
        let session = prepared.session, inputs = self.inputs
        Task {
            await session.stop()
            inputs.stop()
        }
    }

    /// Prefixes this run's client order ids, so its orders are told apart at the broker.
    static func sessionTag() -> String {
        var g = SystemRandomNumberGenerator()
        return "aurora-" + String(g.next() & 0xffff_ffff, radix: 16)
    }
}
