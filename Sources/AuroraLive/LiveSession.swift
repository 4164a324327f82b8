import AuroraAlpha
import AuroraCore
import AuroraLog
import AuroraModel
import Foundation

/// What a status line shows.
public struct LiveStatus: Sendable {
    public var time: Timestamp
    public var events: UInt64
    public var positions: Int
    public var equity: Double
    public var pnl: Double
    public var fills: Int
    public var resuming: Bool
}

public struct LiveSummary: Sendable {
    public var events: UInt64
    public var digest: String
    public var reason: String
    public var resumedEvents: UInt64
    public var finalState: PortfolioState
}

/// A live session: the backtest kernel driven by a feed as bars arrive, with the live flush
/// policy (at most 100 ms or 256 events can be lost to a crash). Time inside the kernel is the
/// bars' time; the wall clock only paces the feed and the flushes.
///
/// With `resume`, the session reopens its log (cutting a torn tail), re-runs the recorded bars
/// through a fresh kernel — every event it produces must match the record — and then continues
/// with the feed's bars after the last recorded one, appending.
public actor LiveSession {
    private let kernel: any SessionKernel
    private let writer: LogWriter
    private let manifest: Manifest
    private let symbols: [String]
    private let resumingSink: ResumingSink?
    private var recordedGroups: [BarGroup] = []
    private var began = false
    private var lastTime: Timestamp?
    private var stopping = false

    public init(config: AuroraConfig, symbols: [String], sourceDescription: String, out path: String, resume: Bool,
                executionFactory: @escaping ExecutionFactory = BaselineExecution.factory) throws {
        let options = LogWriterOptions(flush: .live)
        if resume {
            let (writer, _) = try LogWriter.openForAppend(path: path, options: options)
            let reader = try LogReader(path: path)
            guard let manifest = reader.manifest, !manifest.config.isEmpty else {
                throw LiveError("\(path): not a session log (no recorded configuration) to resume")
            }
            let recordedConfig = try ConfigReader.parse(manifest.config, file: "\(path) (manifest config)")
            let recorded = try RecordedInputs.read(reader).series
            let sink = ResumingSink(recorded: reader, writer: writer)
            self.writer = writer
            self.manifest = manifest
            self.symbols = recorded.symbols
            self.resumingSink = sink
            self.kernel = try SessionKernelFactory.make(recordedConfig, symbols: recorded.symbols, sink: sink, executionFactory: executionFactory)
            // The last group may be cut short by the crash: it is re-run as recorded.
            self.recordedGroups = recorded.groups.map { r in
                BarGroup(time: Timestamp(rawValue: recorded.end[r.lowerBound]), bars: r.map { recorded.bar($0) })
            }
        } else {
            let yaml = ConfigWriter.yaml(config)
            self.manifest = Manifest(formatVersion: 1, engineVersion: AuroraVersion.engine, config: yaml, configDigest: sha256(Array(yaml.utf8)),
                                     dataSource: sourceDescription, seed: 0,
                                     properties: [KeyValue(PortfolioReducer.initialCashProperty, ConfigWriter.number(config.kernel.initialCash)),
                                                  KeyValue("strategy", config.strategy.typeName), KeyValue("session.mode", "live")])
            self.writer = try LogWriter.create(path: path, options: options)
            self.symbols = symbols
            self.resumingSink = nil
            self.kernel = try SessionKernelFactory.make(config, symbols: symbols, sink: writer, executionFactory: executionFactory)
        }
    }

    /// Asks the session to end after the bars it is handling.
    public func stop() { stopping = true }

    /// Writes the open frame if it has waited past the flush policy (call periodically).
    public func tick() throws { try writer.flushIfDue() }

    /// Feeds bars until the feed ends or `stop()`; then ends the session and closes the log.
    public func run(_ feed: AsyncThrowingStream<BarGroup, Error>, status: (@Sendable (LiveStatus) -> Void)? = nil) async throws -> LiveSummary {
        for group in recordedGroups { try handle(group) }
        let resumedUpTo = lastTime
        recordedGroups = []
        var reason = "end of feed"
        var lastStatus = Date.distantPast
        do {
            for try await group in feed {
                if stopping { reason = "stopped"; break }
                if let t = resumedUpTo, group.time <= t { continue }   // already in the log
                try handle(group)
                try writer.flushIfDue()
                if let status, Date().timeIntervalSince(lastStatus) >= 0.25 {
                    lastStatus = Date()
                    status(currentStatus())
                }
            }
        } catch is CancellationError {
            reason = "stopped"
        }
        if stopping || Task.isCancelled { reason = "stopped" }
        if let t = lastTime { try kernel.finish(at: t, reason: reason) }
        let summary = try writer.close()
        return LiveSummary(events: summary.eventCount, digest: summary.digestHex, reason: reason,
                           resumedEvents: resumingSink?.verified ?? 0, finalState: kernel.state)
    }

    private func handle(_ group: BarGroup) throws {
        if !began {
            // A resumed session re-runs its start from the recorded manifest, at the manifest's time.
            try kernel.begin(manifest: manifest, symbols: symbols, at: resumingSink != nil ? startTime : group.time, mode: .live)
            began = true
        }
        try kernel.feed(at: group.time, bars: group.bars)
        lastTime = group.time
    }

    private var startTime: Timestamp { recordedGroups.first?.time ?? lastTime ?? Timestamp(rawValue: 0) }

    private func currentStatus() -> LiveStatus {
        let s = kernel.state
        return LiveStatus(time: lastTime ?? Timestamp(rawValue: 0), events: writer.nextSequence, positions: s.openSymbols.count,
                          equity: s.equity, pnl: s.equity - s.initialCash, fills: kernel.fills, resuming: !(resumingSink?.isAppending ?? true))
    }
}

/// The original design's name for a live session.
public typealias LiveEngine = LiveSession
