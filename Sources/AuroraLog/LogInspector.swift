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
    /// Consecutive bars, in order (the pass reads bars as values, never built as events).
    mutating func observeBars(_ bars: ArraySlice<LoggedBar>)
    /// Consecutive fills, in order, when `wholeKinds` holds fills (read as values the same way).
    mutating func observeFills(_ fills: ArraySlice<LoggedFill>)
}

extension InspectionObserver {
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
        let reader = try LogReader(path: path)
        var result = LogInspection(path: path, fileSize: reader.fileSize, formatVersion: reader.formatVersion,
                                   manifest: reader.manifest, symbols: reader.symbols, frameCount: reader.frames.count,
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
        do {
            while let record = try cursor.nextRecord() {
                switch record {
                case .event(let event):
                    try check(event.kind, event.sequence, event.timestamp, event.payload.symbol)
                    observer.observe(event)
                case .headers(let run):
                    let headers = cursor.headers
                    for i in run {
                        let h = headers[i]
                        try check(h.kind, h.sequence, h.timestamp, h.symbol)
                        observer.observeHeader(kind: h.kind, sequence: h.sequence, timestamp: h.timestamp)
                    }
                case .bars(let run):
                    let bars = cursor.bars
                    for i in run { try check(.bar, bars[i].sequence, bars[i].timestamp, bars[i].bar.symbol) }
                    observer.observeBars(bars[run])
                case .fills(let run):
                    let fills = cursor.fills
                    for i in run { try check(.fill, fills[i].sequence, fills[i].timestamp, fills[i].fill.symbol) }
                    observer.observeFills(fills[run])
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
        return result
    }
}

/// A pass with nothing riding along: every kind that can be read as a header is.
private struct NoObserver: InspectionObserver {
    var wholeKinds: Set<EventKind> { [] }
    mutating func observe(_ event: Event) {}
    mutating func observeHeader(kind: EventKind, sequence: UInt64, timestamp: Timestamp) {}
    mutating func observeBars(_ bars: ArraySlice<LoggedBar>) {}
    mutating func observeFills(_ fills: ArraySlice<LoggedFill>) {}
}
