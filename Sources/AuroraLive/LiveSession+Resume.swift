import AuroraRun
import AuroraStrategies
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraLog
import AuroraModel
import AuroraExecution

/// Where a resumed session picks its feed up: the last bar time the log has a step for, the
/// symbols whose bars at that time closed steps already took (several, deciding per update), the
/// step a crash cut after its bars (taken again), and the recorded bars to check the feed against.
struct ResumePoint {
    var time: Timestamp
    var taken: Set<SymbolID>
    var open: BarGroup?
    /// The closed steps' bars by bar time, ascending by symbol.
    var recordedBars: [Int64: [Bar]]

    init?(_ closed: RecordedInputs, open: (time: Timestamp, bars: [Bar])?) {
        guard let time = open?.time ?? closed.lastStepTime else { return nil }
        self.time = time
        self.open = open.map { BarGroup(time: $0.time, bars: $0.bars) }
        let series = closed.series
        var taken = Set<SymbolID>()
        var bars: [Int64: [Bar]] = [:]
        for range in closed.steps {
            let t = series.end[range.lowerBound]
            for i in range {
                bars[t, default: []].append(series.bar(i))
                if t == time.rawValue { taken.insert(SymbolID(rawValue: series.symbol[i])) }
            }
        }
        for t in bars.keys { bars[t]?.sort { $0.symbol < $1.symbol } }
        self.taken = taken
        self.recordedBars = bars
    }
}

/// What a log to resume holds: its reader, manifest and configuration.
struct RecordedSession {
    var reader: LogReader
    var manifest: Manifest
    var config: AuroraConfig
}

extension LiveSession {
    /// The manifest property that says a log is a live session's.
    public static let modeProperty = "session.mode"
    /// The manifest property that keeps a broker session's client-order-id tag, so a resumed
    /// session still recognises the answers to orders it sent before a crash.
    public static let orderTagProperty = "session.order_tag"

    /// Whether the wall clock fires timers between bars (an execution algorithm that works intraday).
    public nonisolated var needsClock: Bool { config.execution.algorithm.needsIntradayBars }

    /// Whether `path` holds a session to resume: nil for a log with no event yet (stopped before
    /// its first flush); an error, before anything is touched, for what cannot be resumed.
    static func recordedSession(_ path: String, registry: ComponentRegistry = .builtIn) throws -> RecordedSession? {
        let reader = try LogReader(path: path)
        if case .damaged(let error) = reader.tail { throw LiveError("\(path): cannot resume a damaged log: \(error)") }
        guard !reader.frames.isEmpty else { return nil }
        guard let manifest = reader.manifest, !manifest.config.isEmpty else {
            throw LiveError("\(path): not a session log (no recorded configuration) to resume")
        }
        guard manifest.properties.first(where: { $0.key == modeProperty })?.value == "live" else {
            throw LiveError("\(path): not a live session's log (no session.mode live in its manifest: a backtest, a what-if rerun or an import); --resume continues live sessions only")
        }
        let config = try ConfigReader.parse(manifest.config, file: "\(path) (manifest config)", registry: registry)
        return RecordedSession(reader: reader, manifest: manifest, config: config)
    }

    /// Whether `path` is a log that `resume` would continue (false: it holds no event yet, so a
    /// resume starts the session afresh and needs its configuration).
    public static func holdsEvents(_ path: String) -> Bool {
        guard let reader = try? LogReader(path: path) else { return false }
        return !reader.frames.isEmpty
    }

    /// Re-runs the record's closed steps (their events must match the log; what they add is the
    /// first thing written) and logs the answers that came meanwhile.
    func takeUpRecord() throws {
        guard let closed = recorded else { return }
        recorded = nil
        try kernel.rerun(closed, manifest: manifest, finish: false)
        began = true
        let lastClosed = closed.lastStepTime
        lastTime = lastClosed
        stamp = max(lastClosed ?? closed.startTime, closed.answers.last?.time ?? closed.startTime)
        clockTimers = UInt64(closed.answers.count { if case .timer = $0.payload { true } else { false } })
        // Notices logged before the first step that the log already holds are not logged again.
        var logged = closed.answers.filter { $0.afterSteps == 0 }.compactMap { answer -> String? in
            if case .inputNotice(let n) = answer.payload, n.link == .marketData { n.detail } else { nil }
        }[...]
        while let first = startNotices.first, first == logged.first {
            startNotices.removeFirst()
            logged.removeFirst()
        }
        if !closed.steps.isEmpty || resumePoint?.open != nil { startNotices = [] }
        let held = heldAnswers
        heldAnswers = []
        for answer in held { try record(answer) }
    }

    /// What of a feed's bar group a resumed session still needs. Bars before the resume point
    /// must be the log's (else the resume is refused, before anything is written) and are skipped;
    /// at the point, the bars closed steps did not take (the cut step's whole, from the feed).
    func admitResumed(_ group: BarGroup) throws -> BarGroup? {
        guard let point = resumePoint else {
            try takeUpRecord()
            return group
        }
        if group.time <= point.time, let recorded = point.recordedBars[group.time.rawValue] {
            for bar in group.bars where group.time < point.time || point.taken.contains(bar.symbol) {
                guard recorded.contains(bar) else {
                    let name = bar.symbol.index < symbols.count ? symbols[bar.symbol.index] : "symbol \(bar.symbol.rawValue)"
                    throw LiveError("the feed's bar for \(name) at \(group.time.iso8601) is not the one the log holds: resume with the feed the session was recorded from")
                }
            }
            if snapshot == .barClose && group.bars.count != recorded.count && group.time < point.time {
                throw LiveError("the feed has \(group.bars.count) bars at \(group.time.iso8601), the log \(recorded.count): resume with the feed the session was recorded from")
            }
        }
        if group.time < point.time { return nil }
        try takeUpRecord()
        if group.time == point.time {
            var rest = group
            rest.bars.removeAll { point.taken.contains($0.symbol) }
            // Deciding once per bar time, a closed step at this time took all its bars.
            if rest.bars.isEmpty || (snapshot == .barClose && point.open == nil) { return nil }
            resumePoint?.open = nil
            return rest
        }
        try takeOpenStepFromRecord()
        resumePoint = nil
        return group
    }

    /// The feed has no more bars for the cut step's time: the bars the log holds are that step.
    func takeOpenStepFromRecord() throws {
        guard let open = resumePoint?.open else { return }
        resumePoint?.open = nil
        try handle(open)
        try record(.inputNotice(InputNotice(link: .marketData,
            detail: "resumed without the feed's bars for \(open.time.iso8601): the \(open.bars.count) bars the log holds were taken as that step")))
    }

    /// The data notices not logged yet, right before the first step.
    func logStartNotices() throws {
        guard !startNotices.isEmpty else { return }
        let notices = startNotices
        startNotices = []
        for detail in notices { try record(.inputNotice(InputNotice(link: .marketData, detail: detail))) }
    }
}
