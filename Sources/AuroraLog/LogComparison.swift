#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AuroraModel
import Synchronization

/// Compares a stream of events, in order, with a recorded log's, and digests the decisions of
/// both sides (what `aurora replay` reports). The caller's thread encodes its events the way the
/// writer does (bars only noted), cut where the recorded log's frames begin; on a second thread
/// the bars' records are written in place and each recorded frame is compared whole, as
/// decompressed bytes, its decisions hashed once for both sides. Only a frame whose bytes differ
/// is decoded, and from there on events are compared one by one by their canonical bytes, which
/// finds the first divergence. The result is the same on one thread as on two (tested).
public final class LogComparison {
    public struct Divergence: Sendable {
        public var sequence: UInt64
        /// nil when the recorded log ended first.
        public var recorded: Event?
        public var replayed: Event?
    }

    public struct Result: Sendable {
        public var compared: UInt64
        public var firstDivergence: Divergence?
        public var replayedDecisions: [UInt8]
        public var recordedDecisions: [UInt8]
        /// Recorded frames found byte for byte equal to the replayed events (never decoded).
        public var framesMatched: Int
    }

    private let encoder = RecordEncoder(canonical: false)
    private var chunk = ReplayedChunk(frame: 0)
    /// Where each recorded frame ends (by position in the stream): where the next begins, and
    /// for the last, the log's end.
    private let boundaries: [UInt64]
    private let frameCount: Int
    private var nextBoundary: UInt64
    private let checker: RecordedChecker
    private let chunks: Handoff<ReplayedChunk>?
    private let spares = Handoff<ReplayedChunk>(capacity: 6)
    public private(set) var compared: UInt64 = 0

    public init(recorded reader: LogReader, threaded: Bool = LogThreads.pipelined) {
        boundaries = reader.frames.dropFirst().map(\.firstSequence) + (reader.frames.isEmpty ? [] : [reader.eventCount])
        frameCount = reader.frames.count
        nextBoundary = boundaries.first ?? .max
        checker = RecordedChecker(reader: reader)
        guard threaded else {
            chunks = nil
            return
        }
        let chunks = Handoff<ReplayedChunk>(capacity: 3)
        let started = startThread { [checker, spares] in
            while let chunk = chunks.receive() {
                checker.compare(chunk)
                spares.offer(chunk)
                chunks.done()
            }
        }
        self.chunks = started ? chunks : nil
    }

    /// A comparison dropped without `finish` (the run failed) still lets its thread end.
    deinit { chunks?.finish() }

    /// The next event of the stream (its sequence is its position).
    public func add(_ event: Event) throws {
        try add(event.payload, sequence: event.sequence, timestamp: event.timestamp)
    }

    /// The same as `add(Event(…))`, from the parts: the replaying kernel's path, which never builds the event.
    public func add(_ payload: EventPayload, sequence: UInt64, timestamp: Timestamp) throws {
        // Bars keep their own context (previous symbol, closes), which only the bar path carries.
        if case .bar(let bar) = payload { return try add(bar: bar, sequence: sequence, timestamp: timestamp) }
        try startEvent()
        encoder.encode(payload, sequence: sequence, timestamp: timestamp.rawValue, into: chunk.framed)
        try added()
    }

    /// The next event, a bar: the same as `add(Event(… .bar(bar)))` without building the event.
    /// Its record is left for the comparing thread to encode: only where it goes is noted here,
    /// with the context its header needs.
    public func add(bar: Bar, sequence: UInt64, timestamp: Timestamp) throws {
        try startEvent()
        chunk.bars.append(DeferredBar(offset: chunk.framed.count, previousSequence: encoder.previousSequence,
                                      previousTimestamp: encoder.previousTimestamp, sequence: sequence,
                                      timestamp: timestamp.rawValue, bar: bar))
        encoder.previousSequence = sequence
        encoder.previousTimestamp = timestamp.rawValue
        try added()
    }

    /// Where the recorded log began a frame, the writer's encoder started afresh; so does this one.
    @inline(__always) private func startEvent() throws {
        guard compared == nextBoundary else { return }
        try handOver(frameEnds: true)
        encoder.reset()
    }

    private func added() throws {
        compared += 1
        chunk.events += 1
        // Past the recorded frames there is no boundary to wait for.
        if chunk.frame >= frameCount, chunk.framed.count >= 1 << 16 { try handOver(frameEnds: false) }
    }

    private func handOver(frameEnds: Bool) throws {
        chunk.complete = frameEnds
        let frame = chunk.frame
        let next = frameEnds ? frame + 1 : frame
        if let chunks {
            try checker.check()
            var fresh = spares.poll() ?? ReplayedChunk(frame: next)
            fresh.reuse(frame: next, continuing: !frameEnds)
            swap(&fresh, &chunk)
            chunks.send(fresh)
        } else {
            checker.compare(chunk)
            try checker.check()
            chunk.reuse(frame: next, continuing: !frameEnds)
        }
        if frameEnds { nextBoundary = next < boundaries.count ? boundaries[next] : .max }
    }

    /// Compares what is left, then reads the recorded events beyond the stream (each one a
    /// divergence if none came before). Rethrows damage met in the recorded log.
    public func finish() throws -> Result {
        if compared == nextBoundary {
            try handOver(frameEnds: true)
        } else if chunk.events > 0 {
            try handOver(frameEnds: false)
        }
        chunks?.waitUntilDone()
        chunks?.finish()
        try checker.check()
        return try checker.finish(compared: compared)
    }
}

/// A run of replayed events as the writer would frame them (bars still to be written in place).
private struct ReplayedChunk: @unchecked Sendable {
    /// The recorded frame these events fall in (`frames.count` and beyond: past the recorded log).
    var frame: Int
    /// The records of the events other than bars; each bar's record goes at its `offset` here.
    var framed = ByteBuffer(capacity: 1 << 16)
    var bars: [DeferredBar] = []
    var events = 0
    /// All of the frame's events are here (else the stream ended, or it ran past the recorded log).
    var complete = false
    /// The encoder did not start afresh at this chunk (it follows one of the same frame).
    var continuing = false

    init(frame: Int) { self.frame = frame }

    mutating func reuse(frame: Int, continuing: Bool) {
        self.frame = frame
        self.continuing = continuing
        framed.removeAll()
        bars.removeAll(keepingCapacity: true)
        events = 0
        complete = false
    }
}

/// A bar whose framed record is still to be written: where it goes among the other records,
/// and the sequence and time of the record before it (its header holds the differences).
private struct DeferredBar {
    var offset: Int
    var previousSequence: UInt64
    var previousTimestamp: Int64
    var sequence: UInt64
    var timestamp: Int64
    var bar: Bar
}

/// Writes the deferred bars of a frame's chunks, in order, with the bar context (previous symbol,
/// each symbol's last close) the writer's encoder carried through the frame.
private final class BarRecords {
    private let encoder = RecordEncoder(canonical: false)
    let record = ByteBuffer(capacity: 128)

    func startFrame() { encoder.reset() }

    /// `record` then holds the bar's framed record.
    func encode(_ d: DeferredBar) {
        record.removeAll()
        encoder.previousSequence = d.previousSequence
        encoder.previousTimestamp = d.previousTimestamp
        encoder.encodeBarRecord(sequence: d.sequence, timestamp: d.timestamp, d.bar, into: record)
    }

    /// The chunk's whole framed bytes, bars in place.
    func expand(_ chunk: ReplayedChunk, into out: ByteBuffer) {
        out.removeAll()
        var copied = 0
        let framed = chunk.framed.bytes
        for d in chunk.bars {
            out.append(UnsafeRawBufferPointer(rebasing: framed[copied..<d.offset]))
            encode(d)
            out.append(record.bytes)
            copied = d.offset
        }
        out.append(UnsafeRawBufferPointer(rebasing: framed[copied...]))
    }
}

/// The recorded side, used by one thread at a time (the comparison's, then the caller's once it
/// has waited for it). While whole frames match it only decompresses; from the first frame that
/// does not, it decodes both sides and compares event by event.
private final class RecordedChecker: @unchecked Sendable {
    private let reader: LogReader
    private let frames: FrameDecoder
    /// Decisions of the frames that matched, the same on both sides: hashed once.
    private var common: RunDigest? = RunDigest()
    private var detail: EventByEvent?
    private let decisions = FrameDigester(decisionsOnly: true)
    private let bars = BarRecords()
    private let expanded = ByteBuffer(capacity: 1 << 16)
    private var framesMatched = 0
    private let failure = Mutex<LogError?>(nil)

    init(reader: LogReader) {
        self.reader = reader
        frames = FrameDecoder(file: reader.file, path: reader.path)
    }

    func compare(_ chunk: ReplayedChunk) {
        guard failure.withLock({ $0 == nil }) else { return }
        do {
            if detail == nil, chunk.complete, !chunk.continuing, chunk.frame < reader.frames.count, try matches(chunk) {
                // The frame is the replayed bytes too: its decisions, decoded, are both sides'.
                if let common {
                    do throws(RecordError) {
                        try decisions.add(frame: frames.decompressed, to: common.hasher)
                    } catch {
                        throw LogError(path: reader.path, offset: reader.frames[chunk.frame].offset, .corrupt(error.message))
                    }
                }
                framesMatched += 1
                return
            }
            if detail == nil { startDetail(at: chunk.frame) }
            if !chunk.continuing { bars.startFrame() }
            bars.expand(chunk, into: expanded)
            try detail?.compare(expanded, continuing: chunk.continuing)
        } catch let error as LogError {
            failure.withLock { $0 = error }
        } catch {
            failure.withLock { $0 = LogError(path: "<replay>", .corrupt("\(error)")) }
        }
    }

    /// Whether the recorded frame holds exactly the chunk's bytes (its bars encoded as they come).
    private func matches(_ chunk: ReplayedChunk) throws -> Bool {
        if let problem = frames.begin(reader.frames[chunk.frame]) { throw problem }
        let recorded = frames.decompressed, framed = chunk.framed.bytes
        guard recorded.count >= framed.count + chunk.bars.count else { return false }
        bars.startFrame()
        var position = 0, copied = 0
        func same(_ replayed: UnsafeRawBufferPointer) -> Bool {
            guard replayed.count > 0 else { return true }
            guard position + replayed.count <= recorded.count, let a = recorded.baseAddress, let b = replayed.baseAddress else { return false }
            defer { position += replayed.count }
            return memcmp(a + position, b, replayed.count) == 0
        }
        for d in chunk.bars {
            guard same(UnsafeRawBufferPointer(rebasing: framed[copied..<d.offset])) else { return false }
            bars.encode(d)
            guard same(bars.record.bytes) else { return false }
            copied = d.offset
        }
        return same(UnsafeRawBufferPointer(rebasing: framed[copied...])) && position == recorded.count
    }

    private func startDetail(at frame: Int) {
        let prefix = common ?? RunDigest()
        common = nil
        let cursor = EventCursor(reader: reader, firstFrame: min(frame, reader.frames.count), lastFrame: reader.frames.count - 1,
                                 prefetch: false)
        detail = EventByEvent(cursor: cursor, firstIndex: frame < reader.frames.count ? reader.frames[frame].firstSequence : reader.eventCount,
                              replayedDigest: prefix.copy(), recordedDigest: prefix)
    }

    func check() throws(LogError) {
        if let error = failure.withLock({ $0 }) { throw error }
    }

    func finish(compared: UInt64) throws -> LogComparison.Result {
        if detail == nil {
            // Every replayed frame matched; recorded frames beyond them are what remains.
            let next = reader.frames.firstIndex { $0.firstSequence >= compared } ?? reader.frames.count
            startDetail(at: next)
        }
        guard let detail else { preconditionFailure("started above") }
        var result = try detail.finish(compared: compared)
        result.framesMatched = framesMatched
        return result
    }
}

/// Event-by-event comparison by canonical bytes, from a frame on: the replayed chunks decoded
/// back into events, the recorded log read through a cursor.
private final class EventByEvent {
    private let cursor: EventCursor
    private let replayedDecoder = RecordDecoder(canonical: false)
    private let encoder = RecordEncoder(canonical: true)
    private let replayedBytes = ByteBuffer(capacity: 256)
    private let recordedBytes = ByteBuffer(capacity: 256)
    private let replayedDigest: RunDigest
    private let recordedDigest: RunDigest
    private var index: UInt64
    private var divergence: (sequence: UInt64, recorded: Event?, replayed: Event?)?

    init(cursor: EventCursor, firstIndex: UInt64, replayedDigest: RunDigest, recordedDigest: RunDigest) {
        self.cursor = cursor
        self.index = firstIndex
        self.replayedDigest = replayedDigest
        self.recordedDigest = recordedDigest
    }

    /// Compares the events of a chunk's framed bytes (`continuing`: the frame's context goes on).
    func compare(_ framed: ByteBuffer, continuing: Bool) throws {
        if !continuing { replayedDecoder.reset() }
        var r = ByteReader(framed.bytes)
        while !r.isAtEnd {
            let replayed: Event
            do throws(RecordError) {
                switch try replayedDecoder.decode(&r) {
                case .event(let e): replayed = e
                case .stringDefinition: continue
                case .unknown, .skipped, .header, .headers, .bars, .fills: throw RecordError.malformed("a replayed event this version cannot read back")
                }
            } catch {
                throw LogError(path: "<replay>", .corrupt("replayed event \(index): \(error.message)"))
            }
            defer { index += 1 }
            replayedBytes.removeAll()
            encoder.encode(replayed, into: replayedBytes)
            if !replayed.kind.isInput { replayedDigest.add(canonical: replayedBytes.bytes) }
            guard let original = try cursor.next() else {
                if divergence == nil { divergence = (index, nil, replayed) }
                continue
            }
            recordedBytes.removeAll()
            encoder.encode(original, into: recordedBytes)
            if !original.kind.isInput { recordedDigest.add(canonical: recordedBytes.bytes) }
            let equal = recordedBytes.count == replayedBytes.count
                && memcmp(recordedBytes.base, replayedBytes.base, replayedBytes.count) == 0
            if divergence == nil, !equal { divergence = (index, original, replayed) }
        }
    }

    func finish(compared: UInt64) throws -> LogComparison.Result {
        while let extra = try cursor.next() {
            if !extra.kind.isInput { recordedDigest.add(extra) }
            if divergence == nil { divergence = (extra.sequence, extra, nil) }
        }
        let first = divergence.map { LogComparison.Divergence(sequence: $0.sequence, recorded: $0.recorded, replayed: $0.replayed) }
        return LogComparison.Result(compared: compared, firstDivergence: first, replayedDecisions: replayedDigest.current(),
                                    recordedDecisions: recordedDigest.current(), framesMatched: 0)
    }
}
