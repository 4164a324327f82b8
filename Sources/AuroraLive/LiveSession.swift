import AuroraRun
import AuroraStrategies
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraLog
import AuroraModel
import Foundation
import AuroraExecution

/// A live session: the backtest kernel driven by a feed as bars arrive, with the live flush
/// policy (at most 100 ms or 256 events can be lost to a crash). Time inside the kernel is the
/// bars' time: what a broker or a connection says between bars is logged at the latest bar time,
/// so the log stays in time order and replay can put every answer back where it came. The wall
/// clock only paces the feed and the flushes.
///
/// With a `Broker`, the kernel's orders are sent to it after each step and its answers come
/// back as inputs; without one, the configured execution model fills them (`--broker sim`).
///
/// With `resume`, the session re-runs the recorded inputs through a fresh kernel — every event it
/// produces must match the record — and then continues with the feed, appending: a step the
/// crash cut is taken again with the feed's bars for that time, so the resumed log is the one an
/// uninterrupted session would have written. Nothing is written (not even the torn tail cut)
/// until the record is exhausted, so a refused resume leaves the file byte-identical.
public actor LiveSession {
    let kernel: AnyKernelRunner
    /// The configuration the session runs with (the recorded one, when resuming).
    public nonisolated let config: AuroraConfig
    /// When it decides (the recorded mode, when resuming).
    public nonisolated let snapshot: SnapshotMode
    let writer: LogWriter
    let sink: RoutingSink
    let manifest: Manifest
    let symbols: [String]
    let resumingSink: ResumingSink?
    /// A resumed session's recorded steps, re-run once the feed has reached where the log ends.
    var recorded: RecordedInputs?
    /// Where a resumed session picks the feed up (nil once it has).
    var resumePoint: ResumePoint?
    /// Answers that came before a resumed session re-ran its record, logged after it.
    var heldAnswers: [EventPayload] = []
    /// The first bar time a resumed session needs from its feed (earlier ones are in the log).
    public nonisolated let resumeTime: Timestamp?
    /// Notices about the data that the session logs before its first step (rows a CSV reader left out).
    var startNotices: [String]
    var began = false
    /// The latest bar time handled.
    var lastTime: Timestamp?
    /// The time inputs are stamped with: the latest bar time or clock timer, whichever is later.
    var stamp: Timestamp?
    private var clock: SessionClock?
    private var anchor: (wall: ContinuousClock.Instant, time: Timestamp)?
    var clockTimers: UInt64 = 0
    private var early: [EventPayload] = []
    private var stopping = false
    private var notices = 0
    private var recentNotices: [String] = []
    private var rejects = 0
    private var stepTakenAt: ContinuousClock.Instant?
    private var toOrder: [Int] = []
    private var toBroker: [Int] = []

    /// `broker` names who fills orders: "sim" for the configured execution model, anything else
    /// (recorded in the manifest) for a `Broker` passed to `run`. `dataNotices` are logged as input
    /// notices before the first step (a resumed session logs those the log does not hold yet).
    /// Resuming a log that holds no event yet (a session stopped before its first flush) starts
    /// it afresh with `config`.
    public init(config: AuroraConfig, symbols: [String], sourceDescription: String, out path: String, resume: Bool,
                broker: String = "sim", snapshot: SnapshotMode = .barClose, properties: [KeyValue] = [],
                dataNotices: [String] = [], registry: ComponentRegistry = .builtIn) throws {
        let options = LogWriterOptions(flush: .live)
        startNotices = dataNotices
        if resume, let record = try Self.recordedSession(path, registry: registry) {
            // The writer cuts what it does not keep only when it first writes; until then the reader
            // sees the same intact frames it continues from.
            let (writer, recovery) = try LogWriter.openForAppend(path: path, options: options)
            try record.reader.restrict(toFrames: recovery.intactFrames)
            let recorded = try RecordedInputs.read(record.reader)
            var recordedConfig = record.config
            recordedConfig.execution.common.externalFills = recorded.externalBroker
            let resuming = ResumingSink(recorded: record.reader, writer: writer)
            self.writer = writer
            self.manifest = record.manifest
            self.symbols = recorded.series.symbols
            self.resumingSink = resuming
            self.sink = RoutingSink(writer: writer, resuming: resuming)
            guard symbols.isEmpty || symbols == recorded.series.symbols else {
                throw LiveError("\(path): the feed has other symbols (\(symbols.count)) than the session it resumes (\(recorded.series.symbols.count)): resume with the feed it was recorded from")
            }
            let (closed, open) = recorded.splittingOpenStep()
            self.recorded = closed
            self.resumePoint = ResumePoint(closed, open: open)
            self.resumeTime = recorded.lastStepTime
            self.config = recordedConfig
            self.snapshot = record.manifest.properties.first { $0.key == SnapshotMode.property }.flatMap { SnapshotMode(rawValue: $0.value) } ?? .barClose
            self.kernel = try RunFactory.runner(recordedConfig, symbols: recorded.series.symbols, sink: sink, registry: registry)
        } else {
            self.manifest = ManifestBuilder.manifest(config, dataSource: sourceDescription, seed: 0, properties: [
                KeyValue(Self.modeProperty, "live"), KeyValue(RecordedInputs.brokerProperty, broker),
            ] + (snapshot == .update ? [KeyValue(SnapshotMode.property, snapshot.rawValue)] : []) + properties)
            var config = config
            config.execution.common.externalFills = broker != "sim"
            // The file itself is created at the first frame: a session refused before it leaves none.
            let writer = try LogWriter.create(path: path, options: options)
            self.writer = writer
            self.symbols = symbols
            self.resumingSink = nil
            self.sink = RoutingSink(writer: writer, resuming: nil)
            self.resumeTime = nil
            self.config = config
            self.snapshot = snapshot
            self.kernel = try RunFactory.runner(config, symbols: symbols, sink: sink, registry: registry)
        }
    }

    /// Whether a broker outside the kernel fills this session's orders (as recorded, when resuming).
    public nonisolated var usesExternalBroker: Bool {
        manifest.properties.first { $0.key == RecordedInputs.brokerProperty }.map { $0.value != "sim" } ?? false
    }

    /// The symbols the session trades, in id order.
    public nonisolated var symbolNames: [String] { symbols }

    /// Asks the session to end after the input it is handling.
    public func stop() { stopping = true }

    /// Writes the open frame if it has waited past the flush policy (call periodically).
    public func tick() throws { try writer.flushIfDue() }

    /// Convenience for a plain bar feed with the kernel's own execution model.
    public func run(_ feed: AsyncThrowingStream<BarGroup, Error>, status: (@Sendable (LiveStatus) -> Void)? = nil) async throws -> LiveSummary {
        try await run(inputs: feed.sessionInputs, broker: nil, status: status)
    }

    /// Takes inputs until the feed ends or `stop()`; then cancels what the broker still holds,
    /// ends the session and closes the log.
    /// With `clock`, `.clock` inputs become clock timers (TWAP slices and cutoffs fire between bars).
    public func run(inputs: AsyncStream<SessionInput>, broker: (any Broker)?, clock: SessionClock? = nil,
                    status: (@Sendable (LiveStatus) -> Void)? = nil) async throws -> LiveSummary {
        self.clock = clock
        if usesExternalBroker && broker == nil { throw LiveError("this session's orders go to a broker (\(brokerName)); none was given") }
        sink.routes = broker != nil
        var reason = "end of feed"
        var lastStatus = Date.distantPast
        loop: for await input in inputs {
            if stopping || Task.isCancelled { reason = "stopped"; break }
            switch input {
            case .endOfFeed: break loop
            case .halt(let why):
                reason = why
                break loop
            case .bars(let group):
                guard let group = try admitResumed(group) else { continue }   // in the log already (and checked against it)
                stepTakenAt = .now
                try handle(group)
            case .answer(let answer):
                if recorded != nil { heldAnswers.append(answer); continue }
                try record(answer)
            case .clock:
                if recorded != nil { continue }
                try tickClock()
            }
            if let broker { try await route(to: broker) }
            try writer.flushIfDue()
            if let status, Date().timeIntervalSince(lastStatus) >= 0.25 {
                lastStatus = Date()
                status(currentStatus())
            }
        }
        if stopping || Task.isCancelled { reason = "stopped" }
        try takeUpRecord()
        try takeOpenStepFromRecord()
        if let t = stamp {
            if let broker {
                for answer in await broker.cancelOpenOrders(reason: "session \(reason)") { try kernel.record(answer, at: t) }
            }
            try kernel.finish(at: t, reason: reason)
        }
        let summary = try writer.close()
        return LiveSummary(events: summary.eventCount, digest: summary.digestHex, reason: reason,
                           resumedEvents: resumingSink?.verified ?? 0, finalState: kernel.state, notices: notices, rejects: rejects,
                           latency: LatencyStats(toOrder: toOrder, toBroker: toBroker))
    }

    private var brokerName: String {
        manifest.properties.first { $0.key == RecordedInputs.brokerProperty }?.value ?? "sim"
    }

    func handle(_ group: BarGroup) throws {
        // Deciding per update, several steps may share a bar time; otherwise a bar time is one step.
        let last = lastTime ?? Timestamp(rawValue: .min)
        if let t = stamp, group.time < t || (snapshot == .update ? group.time < last : group.time <= last) {
            // The step for that time was taken (or the clock moved past it): a late bar cannot change it.
            try record(.inputNotice(InputNotice(link: .marketData,
                                                detail: "bars for \(group.time.iso8601) arrived after the session reached \(t.iso8601): dropped")))
            return
        }
        if !began {
            try kernel.begin(manifest: manifest, symbols: symbols, at: group.time, mode: .live)
            began = true
            lastTime = group.time
            stamp = group.time
            for answer in early { try record(answer) }
            early = []
        }
        try logStartNotices()
        try kernel.feed(at: group.time, bars: group.bars)
        lastTime = group.time
        stamp = group.time
        anchor = (.now, group.time)
    }

    /// Fires what the kernel has due by the session time the wall clock has reached: one clock
    /// timer per due time, stamped with that time, so only timers that do something are logged.
    private func tickClock() throws {
        guard let clock, let anchor, began else { return }
        let elapsed = ContinuousClock.now - anchor.wall - clock.grace
        guard elapsed > .zero else { return }
        let advance = elapsed / .nanoseconds(1) * clock.rate
        guard advance.isFinite, advance < 9e18 else { return }
        let (sum, overflow) = anchor.time.rawValue.addingReportingOverflow(Int64(advance))
        let now = Timestamp(rawValue: overflow ? .max : sum)
        for _ in 0..<64 {
            guard let current = stamp, let due = kernel.nextDue(after: current), due > current, due <= now else { return }
            clockTimers += 1
            stamp = due
            try kernel.record(.timer(TimerFired(timerID: clockTimers, purpose: TimerFired.clockPurpose)), at: due)
        }
    }

    func record(_ answer: EventPayload) throws {
        guard began, let t = stamp else { early.append(answer); return }
        switch answer {
        case .inputNotice(let n):
            notices += 1
            recentNotices.append(n.detail)
            if recentNotices.count > 20 { recentNotices.removeFirst() }
        case .orderRejected: rejects += 1
        default: break
        }
        try kernel.record(answer, at: t)
    }

    private func route(to broker: any Broker) async throws {
        let firstOrderAt = sink.firstOrderAt
        let orders = sink.takeOutbox()
        guard !orders.isEmpty else { return }
        // The orders are on disk before they leave: a crash can lose an answer, never an order.
        try writer.flush()
        if let start = stepTakenAt, let first = firstOrderAt {
            toOrder.append(Self.microseconds(first - start))
            toBroker.append(Self.microseconds(.now - start))
        }
        stepTakenAt = nil
        for order in orders {
            for answer in await broker.submit(order, symbol: symbols[order.symbol.index]) { try record(answer) }
        }
    }

    private static func microseconds(_ d: Duration) -> Int {
        Int(d / .microseconds(1))
    }

    private func currentStatus() -> LiveStatus {
        let s = kernel.state
        var status = LiveStatus(time: lastTime ?? Timestamp(rawValue: 0), events: writer.nextSequence, positions: s.openSymbols.count,
                                equity: s.equity, pnl: s.equity - s.initialCash, fills: kernel.fills, rejects: rejects, notices: notices,
                                rateLimitWaits: sink.rateLimitWaits, deepestQueue: Int(sink.deepestQueue),
                                resuming: !(resumingSink?.isAppending ?? true))
        status.holdings = s.openSymbols.map { id in
            let shares = Double(s.positions[id.index]) / Double(Quantity.scale)
            return (id.index < symbols.count ? symbols[id.index] : "#\(id.rawValue)", shares, shares * s.lastPrice[id.index])
        }.sorted { abs($0.value) != abs($1.value) ? abs($0.value) > abs($1.value) : $0.symbol < $1.symbol }
        status.recentFills = kernel.recentTrades(20)
        status.recentNotices = recentNotices
        return status
    }
}

/// The original design's name for a live session.
public typealias LiveEngine = LiveSession
