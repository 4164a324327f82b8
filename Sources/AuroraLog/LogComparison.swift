#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AuroraModel
import Synchronization

/// Compares a stream of events, in order, with a recorded log's, by their canonical bytes, and
/// digests the decisions of both sides (what `aurora replay` reports). The caller only encodes its
/// own events; reading the recorded log, encoding it, comparing and hashing happen on a second
/// thread, batch by batch, in order — the result is the same as on one thread (tested).
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
    }

    private let encoder = RecordEncoder(canonical: true)
    private let batch = ByteBuffer(capacity: 1 << 16)
    private let checker: RecordedChecker
    private let batches: Handoff<ByteBuffer>?
    private let spares = Handoff<ByteBuffer>(capacity: 6)
    public private(set) var compared: UInt64 = 0

    public init(recorded reader: LogReader, threaded: Bool = LogThreads.pipelined) {
        // On its own thread the checker decodes for itself; a third thread would only compete.
        checker = RecordedChecker(cursor: EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1,
                                                      prefetch: !threaded))
        guard threaded else {
            batches = nil
            return
        }
        let batches = Handoff<ByteBuffer>(capacity: 4)
        let started = startThread { [checker, spares] in
            while let batch = batches.receive() {
                checker.compare(batch)
                batch.removeAll()
                spares.offer(batch)
                batches.done()
            }
        }
        self.batches = started ? batches : nil
    }

    /// A comparison dropped without `finish` (the run failed) still lets its thread end.
    deinit { batches?.finish() }

    /// The next event of the stream (its sequence is its position).
    public func add(_ event: Event) throws {
        encoder.encode(event, into: batch)
        try added()
    }

    /// The next event, a bar: the same as `add(Event(… .bar(bar)))` without building the event.
    public func add(bar: Bar, sequence: UInt64, timestamp: Timestamp) throws {
        encoder.encodeBarRecord(sequence: sequence, timestamp: timestamp.rawValue, bar, into: batch)
        try added()
    }

    private func added() throws {
        compared += 1
        if batch.count >= 1 << 16 { try handOver() }
    }

    private func handOver() throws {
        guard let batches else {
            checker.compare(batch)
            batch.removeAll()
            try checker.check()
            return
        }
        try checker.check()
        let full = spares.poll() ?? ByteBuffer(capacity: 1 << 16)
        full.swapContents(with: batch)
        batches.send(full)
    }

    /// Compares what is left, then reads the recorded events beyond the stream (each one a
    /// divergence if none came before). Rethrows damage met in the recorded log.
    public func finish() throws -> Result {
        try handOver()
        batches?.waitUntilDone()
        batches?.finish()
        try checker.check()
        return try checker.finish(compared: compared)
    }
}

/// The recorded side: its cursor, encoder and digests, used by one thread at a time (the
/// comparison's, then the caller's once it has waited for it).
private final class RecordedChecker: @unchecked Sendable {
    private let cursor: EventCursor
    private let encoder = RecordEncoder(canonical: true)
    private let recordedBytes = ByteBuffer(capacity: 256)
    private let replayedDigest = RunDigest()
    private let recordedDigest = RunDigest()
    private var index: UInt64 = 0
    private var divergence: (sequence: UInt64, recorded: Event?, replayed: [UInt8])?
    private let failure = Mutex<LogError?>(nil)

    init(cursor: EventCursor) { self.cursor = cursor }

    /// Compares a batch of canonical records with the recorded events that come next.
    func compare(_ batch: ByteBuffer) {
        guard failure.withLock({ $0 == nil }) else { return }
        do {
            var r = ByteReader(batch.bytes)
            while !r.isAtEnd {
                let start = r.position
                let length = try r.readVarint()
                var body = try r.subReader(Int(length))
                let kindCode = try body.readVarint()
                let replayed = UnsafeRawBufferPointer(rebasing: batch.bytes[start..<r.position])
                let replayedIsInput = kindCode <= 255 ? EventKind(rawValue: UInt8(kindCode))?.isInput ?? false : false
                defer { index += 1 }
                if !replayedIsInput { replayedDigest.add(canonical: replayed) }
                guard let original = try cursor.next() else {
                    if divergence == nil { divergence = (index, nil, Array(replayed)) }
                    continue
                }
                recordedBytes.removeAll()
                encoder.encode(original, into: recordedBytes)
                if !original.kind.isInput { recordedDigest.add(canonical: recordedBytes.bytes) }
                let equal = recordedBytes.count == replayed.count
                    && replayed.baseAddress.map { memcmp(recordedBytes.base, $0, replayed.count) == 0 } ?? true
                if divergence == nil, !equal { divergence = (index, original, Array(replayed)) }
            }
        } catch let error as LogError {
            failure.withLock { $0 = error }
        } catch {
            failure.withLock { $0 = LogError(path: "<replay>", .corrupt("\(error)")) }
        }
    }

    func check() throws(LogError) {
        if let error = failure.withLock({ $0 }) { throw error }
    }

    func finish(compared: UInt64) throws -> LogComparison.Result {
        while let extra = try cursor.next() {
            if !extra.kind.isInput { recordedDigest.add(extra) }
            if divergence == nil { divergence = (extra.sequence, extra, []) }
        }
        let first = try divergence.map { d in
            LogComparison.Divergence(sequence: d.sequence, recorded: d.recorded,
                                     replayed: d.replayed.isEmpty ? nil : try EventCodec.decodeCanonical(d.replayed))
        }
        return LogComparison.Result(compared: compared, firstDivergence: first, replayedDecisions: replayedDigest.current(),
                                    recordedDecisions: recordedDigest.current())
    }
}
