import AuroraLog
import AuroraModel

/// What a run consumed, read back from its log in one pass: the bars (its finest ones — a TWAP run
/// also logs the daily bars it built from its minute bars, which are decisions' inputs, not the
/// feed's), numbered by symbol name, what the outside world said between bar times (connection
/// changes, refused messages, and a broker's answers when a broker outside the kernel filled the
/// orders), and how the session started and ended. Replay, resume and logs used as data sources
/// all read inputs this way.
public struct RecordedInputs: Sendable {
    public var series: BarSeries
    public var mode: SessionMode
    /// The recorded session-end reason, or "end of data" when the log has none (yet).
    public var endReason: String
    /// Whether the log holds its session's end (a log cut short by a crash, even once recovered, does not).
    public var ended: Bool
    /// The manifest's time: when the session began.
    public var startTime: Timestamp
    /// Whether a broker outside the kernel filled the orders (manifest `session.broker` other than sim).
    public var externalBroker: Bool
    /// Inputs between bar times, in log order, symbols renumbered like the series.
    public var answers: [RecordedAnswer]
    /// The series' bars as the session stepped on them, in log order: one range per step. A
    /// session deciding per update takes several steps at one bar time; otherwise a step is a bar time.
    public var steps: [Range<Int>]
    /// Whether the log ends with the last step's bars, with nothing after them: a crash cut the
    /// log inside that step, so the bars it holds may be only the first of the step's bars, and
    /// nothing the kernel decided on them reached the disk.
    public var lastStepOpen: Bool

    /// The manifest property naming who filled a session's orders.
    public static let brokerProperty = "session.broker"

    /// `from`/`to` (inclusive) read only the bar times in between, for a data source: frames
    /// before `from` are skipped by the index. `symbols` reads only the bars of the symbols so
    /// named (names the log does not define are left for the caller's selection to report): the
    /// others' are passed over where they lie, and the finest timeframe is then the finest among
    /// the bars read. The series still lists every symbol of the log. A replay reads everything.
    public static func read(_ reader: LogReader, from: Timestamp? = nil, to: Timestamp? = nil,
                            symbols: [String]? = nil) throws -> RecordedInputs {
        let external = reader.manifest?.properties.first { $0.key == brokerProperty }.map { $0.value != "sim" } ?? false
        var timeframe: Timeframe?
        // Logs may list symbols in any id order; the series numbers them by name. Bars go straight
        // into its columns, renumbered as they come.
        let byName = reader.symbols.indices.sorted { reader.symbols[$0] < reader.symbols[$1] }
        var newID = [UInt32](repeating: 0, count: reader.symbols.count)
        for (id, old) in byName.enumerated() { newID[old] = UInt32(id) }
        let names = byName.map { reader.symbols[$0] }
        // Room for every event at once (pages untouched until used): growing by doubling moves
        // hundreds of megabytes through page faults on a large log.
        let room = reader.frames.reduce(0) { $0 + Int($1.eventCount) }
        var series = BarSeries(symbols: names, timeframe: .day)
        series.reserve(room)
        var runStarts: [Int] = []
        var previousWasBar = false
        var answers: [RecordedAnswer] = []
        var lastBarTime: Int64?
        var submitted = Set<UInt64>()
        var mode = SessionMode.backtest
        var endReason = "end of data"
        var ended = false
        var startTime = Timestamp(rawValue: 0)
        // Decisions are the kernel's to make again: not even built here, only noticed in between.
        var kinds: Set<EventKind> = [.manifest, .bar, .timer, .connection, .inputNotice, .priceUpdate, .corporateAction,
                                     .sessionStart, .sessionEnd]
        if external { kinds.formUnion([.orderSubmitted, .orderAccepted, .orderRejected, .orderCancelled, .fill]) }
        // A step's bars are logged together, before its decisions: a bar after anything else, or
        // at another time, starts a step.
        func noteBar(at time: Int64, index: Int, afterBar: Bool) {
            if !afterBar || lastBarTime != time || runStarts.isEmpty { runStarts.append(index) }
            lastBarTime = time
        }
        // One bar taken as the series' (false: past `to`).
        func takeBar(_ logged: Bar, time: Timestamp, sequence: UInt64) throws -> Bool {
            var isStepBar = false
            defer { previousWasBar = isStepBar }
            if let to, time > to { return false }
            var bar = logged
            if let t = timeframe, bar.timeframe > t { return true }
            if let t = timeframe, bar.timeframe < t {
                series = BarSeries(symbols: names, timeframe: .day)
                series.reserve(room)
                runStarts.removeAll()
            }
            timeframe = bar.timeframe
            guard bar.symbol.index < newID.count else {
                throw LogError(path: reader.path, .corrupt("event \(sequence) is a bar of symbol id \(bar.symbol.rawValue), which the log never defines"))
            }
            bar.symbol = SymbolID(rawValue: newID[bar.symbol.index])
            noteBar(at: time.rawValue, index: series.count, afterBar: previousWasBar)
            series.append(end: time.rawValue, bar)
            isStepBar = true
            return true
        }
        // Bars one after another in one frame: taken together when they are plainly the series'
        // (its timeframe, known symbols, none past `to`), which is every run of a sound log.
        func takeRun(_ run: ArraySlice<LoggedBar>) throws -> Bool {
            guard let first = run.first, let last = run.last else { return true }
            let t = timeframe ?? first.bar.timeframe
            guard to.map({ last.timestamp <= $0 }) ?? true,
                  run.allSatisfy({ $0.bar.timeframe == t && $0.bar.symbol.index < newID.count }) else {
                for b in run { guard try takeBar(b.bar, time: b.timestamp, sequence: b.sequence) else { return false } }
                return true
            }
            timeframe = t
            noteBar(at: first.timestamp.rawValue, index: series.count, afterBar: previousWasBar)
            // After the first, a bar starts a step only at a new time: one pass over the times,
            // not a call per bar (half a million of them in a year of S&P bars).
            let base = series.count
            run.withUnsafeBufferPointer { bars in
                var time = bars[0].timestamp.rawValue
                for k in 1..<bars.count where bars[k].timestamp.rawValue != time {
                    time = bars[k].timestamp.rawValue
                    runStarts.append(base + k)
                }
                lastBarTime = time
            }
            series.append(run, symbolID: newID)
            previousWasBar = true
            return true
        }
        // Little is done per event here: two threads decode ahead, bars straight into runs.
        let barSymbols = symbols.map { Set($0.compactMap(reader.symbolID)) }
        let cursor = reader.events(from: from.map { .timestamp($0) } ?? .beginning, through: to, kinds: kinds,
                                   decodeThreads: LogThreads.decodeThreadsForLightReaders, barsAsValues: true,
                                   barSymbols: barSymbols)
        reading: while let item = try cursor.nextItem() {
            if cursor.skippedBeforeLast { previousWasBar = false }
            let event: Event
            switch item {
            case .bars(let run):
                guard try takeRun(run) else { break reading }
                continue
            case .event(let e):
                event = e
            }
            if case .bar(let bar) = event.payload {
                // This cursor hands bars out in runs; one that came whole would be taken alike.
                guard try takeBar(bar, time: event.timestamp, sequence: event.sequence) else { break reading }
                continue
            }
            previousWasBar = false
            if let to, event.timestamp > to { break reading }
            switch event.payload {
            case .manifest: startTime = event.timestamp
            case .timer(let t) where !t.isClock:
                break   // a TWAP slice or cutoff: the kernel's own, it fires again on replay
            case .connection, .inputNotice, .priceUpdate, .timer, .corporateAction:
                answers.append(RecordedAnswer(afterSteps: runStarts.count, time: event.timestamp, payload: event.payload))
            case .orderSubmitted(let o):
                submitted.insert(o.orderID)
            case .orderCancelled(let c) where external && !submitted.contains(c.orderID):
                break   // an order the kernel dropped before it left (a TWAP slice still queued): its own decision
            case .orderAccepted, .orderRejected, .orderCancelled, .fill:
                if external { answers.append(RecordedAnswer(afterSteps: runStarts.count, time: event.timestamp, payload: event.payload)) }
            case .sessionStart(let start): mode = start.mode
            case .sessionEnd(let end):
                endReason = end.reason
                ended = true
            default: break
            }
        }
        series.timeframe = timeframe ?? .day
        // Steps stay in log order (times never decrease there); within a step, bars go by symbol.
        // Usually they already do (a log's ids follow its source's names): checked first.
        var steps: [Range<Int>] = []
        var stepBars: [Bar] = []
        for (k, start) in runStarts.enumerated() {
            let end = k + 1 < runStarts.count ? runStarts[k + 1] : series.count
            steps.append(start..<end)
            guard end - start > 1, !(start..<end - 1).allSatisfy({ series.symbol[$0] < series.symbol[$0 + 1] }) else { continue }
            series.bars(start..<end, into: &stepBars)
            stepBars.sort { $0.symbol < $1.symbol }
            for (i, b) in zip(start..<end, stepBars) {
                series.symbol[i] = b.symbol.rawValue
                series.open[i] = b.open.rawValue
                series.high[i] = b.high.rawValue
                series.low[i] = b.low.rawValue
                series.close[i] = b.close.rawValue
                series.volume[i] = b.volume.rawValue
            }
        }
        for i in answers.indices {
            switch answers[i].payload {
            case .fill(var f) where f.symbol.index < newID.count:
                f.symbol = SymbolID(rawValue: newID[f.symbol.index])
                answers[i].payload = .fill(f)
            case .priceUpdate(var p) where p.symbol.index < newID.count:
                p.symbol = SymbolID(rawValue: newID[p.symbol.index])
                answers[i].payload = .priceUpdate(p)
            case .corporateAction(var a) where a.symbol.index < newID.count && a.target.index < newID.count:
                a.symbol = SymbolID(rawValue: newID[a.symbol.index])
                a.target = SymbolID(rawValue: newID[a.target.index])
                answers[i].payload = .corporateAction(a)
            default: break
            }
        }
        return RecordedInputs(series: series, mode: mode, endReason: endReason, ended: ended, startTime: startTime,
                              externalBroker: external, answers: answers, steps: steps,
                              lastStepOpen: previousWasBar && !steps.isEmpty)
    }

    /// These inputs without an open last step, and that step's time and bars (in log order) when
    /// there is one: a resumed session takes the step again, from the feed when it can.
    public func splittingOpenStep() -> (closed: RecordedInputs, open: (time: Timestamp, bars: [Bar])?) {
        guard lastStepOpen, let last = steps.last else { return (self, nil) }
        var closed = self
        closed.steps.removeLast()
        closed.lastStepOpen = false
        return (closed, (Timestamp(rawValue: series.end[last.lowerBound]), last.map { series.bar($0) }))
    }

    /// The time of the last step, if any.
    public var lastStepTime: Timestamp? { steps.last.map { Timestamp(rawValue: series.end[$0.lowerBound]) } }
}

/// An input recorded between bar times.
public struct RecordedAnswer: Sendable {
    /// How many steps the session had taken when it came (0: before the first bar).
    public var afterSteps: Int
    public var time: Timestamp
    public var payload: EventPayload
}
