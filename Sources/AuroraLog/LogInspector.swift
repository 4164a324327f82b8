import AuroraModel

/// One full pass over a log: every frame decoded and checked, events counted by kind, the run
/// digest recomputed and compared with the one stored at close, symbol use checked against
/// definitions. `info` and `verify` are both views of this.
public struct LogInspection: Sendable {
    public var path: String
    public var fileSize: Int64
    public var formatVersion: UInt16
    public var manifest: Manifest?
    public var symbols: [String]
    public var frameCount: Int
    /// Frames read whole and sound, from the first: all of them in a sound log, those before the
    /// damage or the torn frame in one that is not.
    public var framesWhole = 0
    public var indexRebuilt: Bool
    public var tail: TailState
    /// Events read, by `EventKind.rawValue`.
    public var countsByKind: [Int] = Array(repeating: 0, count: 256)
    public var unknownKinds = 0
    public var eventsRead: UInt64 = 0
    public var firstTimestamp: Timestamp?
    public var lastTimestamp: Timestamp?
    /// The recomputed digest; nil when the pass stopped early or met kinds it cannot re-encode.
    public var digest: [UInt8]?
    /// The first problem found while reading (damage, a digest mismatch, a broken writer rule).
    public var problem: LogError?

    public var isSound: Bool { problem == nil && tail == .closed }
}

/// A check of a layer above the log that rides along `LogInspector`'s pass instead of re-reading.
public protocol InspectionObserver {
    /// Kinds to see whole. Events of other kinds may come as `observeHeader` only: the pass then
    /// copies their canonical bytes for the digest without building them (most of a log).
    var wholeKinds: Set<EventKind> { get }
    mutating func observe(_ event: Event)
    mutating func observeHeader(kind: EventKind, sequence: UInt64, timestamp: Timestamp)
    /// Consecutive headers, in order: how most of a log comes (by default each to `observeHeader`).
    mutating func observeHeaders(_ headers: HeaderRun)
    /// Consecutive bars, in order (the pass reads bars as values, never built as events).
    mutating func observeBars(_ bars: ArraySlice<LoggedBar>)
    /// Consecutive fills, in order, when `wholeKinds` holds fills (read as values the same way).
    mutating func observeFills(_ fills: ArraySlice<LoggedFill>)
}

extension InspectionObserver {
    public mutating func observeHeaders(_ headers: HeaderRun) {
        for h in headers { observeHeader(kind: h.kind, sequence: h.sequence, timestamp: h.timestamp) }
    }

    /// Each bar as the event it is, for an observer with nothing quicker to do with them.
    public mutating func observeBars(_ bars: ArraySlice<LoggedBar>) {
        for b in bars { observe(Event(sequence: b.sequence, timestamp: b.timestamp, payload: .bar(b.bar))) }
    }

    /// Each fill as the event it is.
    public mutating func observeFills(_ fills: ArraySlice<LoggedFill>) {
        for f in fills { observe(Event(sequence: f.sequence, timestamp: f.timestamp, payload: .fill(f.fill))) }
    }
}

public enum LogInspector {
    /// Throws only when the file cannot be opened as an Aurora log at all.
    public static func inspect(path: String) throws -> LogInspection {
        var none = NoObserver()
        return try inspect(path: path, observer: &none)
    }

    /// The same pass; `observer` sees every event of it, in order.
    public static func inspect<Observer: InspectionObserver>(path: String, observer: inout Observer) throws -> LogInspection {
        // The manifest and symbols come from this pass, which reads every definition (a log
        // with a problem is opened again whole below, for the errors the opening reports).
        let reader = try LogReader(path: path, definitions: false)
        var result = LogInspection(path: path, fileSize: reader.fileSize, formatVersion: reader.formatVersion,
                                   manifest: nil, symbols: [], frameCount: reader.frames.count,
                                   indexRebuilt: reader.indexRebuilt, tail: reader.tail)
        let digest = RunDigest()
        // An observer that takes most kinds as headers leaves this thread lighter than a decoder
        // (bars too come as values then): two decode. One that takes every event whole (each
        // reducer folded) keeps this thread the busier one, and a third thread on two cores slows it.
        let whole = observer.wholeKinds
        let headers = RecordTranscoder.kinds.subtracting(whole)
        let cursor = EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1, digest: digest,
                                 decodeThreads: headers.isEmpty ? 1 : LogThreads.decodeThreadsForLightReaders,
                                 headersOnly: headers, barsAsValues: !headers.isEmpty,
                                 fillsAsValues: !headers.isEmpty && whole.contains(.fill))
        var definedSymbols = 0
        var unknownKinds = 0
        /// The log's own rules for each event, whole or header, in order; counts as it goes.
        func check(_ kind: EventKind, _ sequence: UInt64, _ timestamp: Timestamp, _ symbol: SymbolID?) throws {
            if result.eventsRead == 0, kind != .manifest {
                throw LogError(path: path, .corrupt("event 0 is a \(kind.name), not the manifest"))
            }
            if result.eventsRead > 0, kind == .manifest {
                throw LogError(path: path, .corrupt("event \(sequence) is a second manifest"))
            }
            if kind == .symbolDefinition, let s = symbol {
                guard s.index == definedSymbols else {
                    throw LogError(path: path, .corrupt("event \(sequence) defines symbol id \(s.rawValue), expected \(definedSymbols)"))
                }
                definedSymbols += 1
            } else if let s = symbol, s.index >= definedSymbols {
                throw LogError(path: path, .corrupt("event \(sequence) uses symbol id \(s.rawValue) before its definition"))
            }
            result.countsByKind[Int(kind.rawValue)] += 1
            result.eventsRead += 1
            if result.firstTimestamp == nil { result.firstTimestamp = timestamp }
            result.lastTimestamp = timestamp
        }
        /// A run of headers, bars or fills (none of them a manifest or a symbol definition; at
        /// least one, its times `first` and `last`) checked
        /// and counted as a whole: `scan` adds each one's kind to the counts and returns one past
        /// the highest symbol id they use (0 for none). Where a rule fails in it — it begins the
        /// log, or names a symbol not yet defined — its counts are taken back and `each` checks
        /// the events one by one, to throw where `check` does with the same counts before it.
        /// Most of a log comes this way: checked per event, with the observer told of each, it took
        /// about a third of the reading thread's time in a `verify`.
        func checkRun(count: Int, first: Timestamp, last: Timestamp, scan: (UnsafeMutableBufferPointer<Int>, Int) -> Int,
                      each: () throws -> Void) throws {
            let highest = result.countsByKind.withUnsafeMutableBufferPointer { scan($0, 1) }
            guard result.eventsRead > 0, highest <= definedSymbols else {
                _ = result.countsByKind.withUnsafeMutableBufferPointer { scan($0, -1) }
                return try each()
            }
            result.eventsRead += UInt64(count)
            if result.firstTimestamp == nil { result.firstTimestamp = first }
            result.lastTimestamp = last
        }
        /// A run of bars or fills, all of `kind`, checked as `checkRun` does; `highest` is one past
        /// the highest symbol id they name. (Generic over the two, the loops were not specialised:
        /// 40 ms more of a `verify`.)
        func checkValues(_ kind: EventKind, count: Int, first: Timestamp, last: Timestamp, highest: Int,
                         each: () throws -> Void) throws {
            try checkRun(count: count, first: first, last: last, scan: { counts, step in
                counts[Int(kind.rawValue)] += step * count
                return highest
            }, each: each)
        }
        do {
            while let record = try cursor.nextRecord() {
                switch record {
                case .event(let event):
                    try check(event.kind, event.sequence, event.timestamp, event.payload.symbol)
                    switch event.payload {
                    case .manifest(let m): result.manifest = m
                    case .symbolDefinition(let d): result.symbols.append(d.name)
                    default: break
                    }
                    observer.observe(event)
                case .headers(let run, let firstSequence):
                    let stored = cursor.headers[run]
                    guard let first = stored.first, let last = stored.last else { continue }
                    let headers = HeaderRun(stored: stored, firstSequence: firstSequence)
                    try checkRun(count: run.count, first: Timestamp(rawValue: first.timestamp),
                                 last: Timestamp(rawValue: last.timestamp)) { counts, step in
                        var highest = 0
                        for h in stored {
                            counts[Int(h.kind.rawValue)] += step
                            if h.symbol != StoredHeader.noSymbol { highest = max(highest, Int(h.symbol) + 1) }
                        }
                        return highest
                    } each: {
                        for h in headers { try check(h.kind, h.sequence, h.timestamp, h.symbol) }
                    }
                    observer.observeHeaders(headers)
                case .bars(let run):
                    let bars = cursor.bars[run]
                    guard let first = bars.first, let last = bars.last else { continue }
                    try checkValues(.bar, count: run.count, first: first.timestamp, last: last.timestamp,
                                    highest: bars.reduce(0) { max($0, $1.bar.symbol.index + 1) }) {
                        for b in bars { try check(.bar, b.sequence, b.timestamp, b.bar.symbol) }
                    }
                    observer.observeBars(bars)
                case .fills(let run):
                    let fills = cursor.fills[run]
                    guard let first = fills.first, let last = fills.last else { continue }
                    try checkValues(.fill, count: run.count, first: first.timestamp, last: last.timestamp,
                                    highest: fills.reduce(0) { max($0, $1.fill.symbol.index + 1) }) {
                        for f in fills { try check(.fill, f.sequence, f.timestamp, f.fill.symbol) }
                    }
                    observer.observeFills(fills)
                case .unknown:
                    unknownKinds += 1
                case .header, .stringDefinition, .skipped:
                    continue
                }
            }
            result.unknownKinds = unknownKinds
            result.eventsRead += UInt64(unknownKinds)
            if unknownKinds == 0 {
                let computed = digest.current()
                result.digest = computed
                if let stored = reader.storedDigest, stored != computed {
                    throw LogError(path: path, .corrupt("the recomputed digest differs from the one stored at close"))
                }
                if let storedCount = reader.storedEventCount, storedCount != result.eventsRead {
                    throw LogError(path: path, .corrupt("the index says \(storedCount) events, the frames hold \(result.eventsRead)"))
                }
            }
        } catch let error as LogError {
            // The last frame of a log that was never closed, unreadable: a crash tail, not damage.
            if reader.tail == .unclosed, cursor.framesRead == reader.frames.count - 1 {
                let start = reader.frames[reader.frames.count - 1].offset
                result.tail = .torn(LogError(path: path, offset: start, .tornTail("last frame is unreadable: \(error.problem)")))
                result.digest = nil
            } else {
                result.problem = error
            }
        }
        result.framesWhole = cursor.framesRead
        var torn = false
        if case .torn = result.tail { torn = true }
        if result.problem != nil || torn || result.manifest == nil {
            // Opening a log whole reads its definitions first and refuses it (throws) where they
            // cannot be read or there is no manifest; such a log is refused here as it would be
            // there, and otherwise given the definitions the opening reads. (A log read to its end
            // without a problem, closed or not, has given the pass every definition the opening
            // would read.)
            let whole = try LogReader(path: path)
            result.manifest = whole.manifest
            result.symbols = whole.symbols
        }
        return result
    }
}

/// A pass with nothing riding along: every kind that can be read as a header is.
private struct NoObserver: InspectionObserver {
    var wholeKinds: Set<EventKind> { [] }
    mutating func observe(_ event: Event) {}
    mutating func observeHeader(kind: EventKind, sequence: UInt64, timestamp: Timestamp) {}
    mutating func observeHeaders(_ headers: HeaderRun) {}
    mutating func observeBars(_ bars: ArraySlice<LoggedBar>) {}
    mutating func observeFills(_ fills: ArraySlice<LoggedFill>) {}
}
