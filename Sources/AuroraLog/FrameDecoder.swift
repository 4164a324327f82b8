import AuroraModel

/// One data frame, read, decompressed, decoded and checked: its records in order (string
/// definitions applied and left out; a run of records of kinds not asked for as one `.skipped`),
/// then what stopped it, if anything. Decoded on the reading thread, or ahead of it on a second
/// one: the same records and errors either way.
struct DecodedFrame: @unchecked Sendable {
    var records: [DecodedRecord] = []
    /// The headers `records` point into (`.headers`), when the decoder reads some kinds so.
    var headers: [StoredHeader] = []
    /// The bars `records` point into (`.bars`), when the decoder reads bars as values.
    var bars: [LoggedBar] = []
    /// The fills `records` point into (`.fills`), when the decoder reads fills as values.
    var fills: [LoggedFill] = []
    /// The records' canonical bytes, when the decoder makes them (handed over, then given back).
    var canonical: ByteBuffer?
    /// The frame could not be read, or the record after `records` could not be decoded or broke
    /// the sequence or time order.
    var failure: LogError?
    /// Every counted record decoded, but more than string definitions follow them, or the last
    /// time is not the header's.
    var surplus: LogError?
}

/// Reads, decodes and checks whole frames in order; one per cursor and thread (it owns its
/// buffers, zstd context and the time order carried from frame to frame).
final class FrameDecoder {
    private let file: LogFile
    private let path: String
    private let compressed = ByteBuffer(capacity: 1 << 16)
    private let raw = ByteBuffer(capacity: 1 << 16)
    private let decompressor: ZstdDecompressor?
    private let decoder = RecordDecoder(canonical: false)
    /// The time of the last record checked, across frames (events never go back in time).
    private var previousTimestamp: Int64 = .min
    /// When set, every event decoded also gets its canonical record here, in order: a full read
    /// (`verify`) encodes for the digest on the thread that decodes (see `InOrderHasher` for who hashes).
    var canonical: ByteBuffer?
    private let canonicalEncoder = RecordEncoder(canonical: true)
    /// Stands in for `canonical` where none is made; never written.
    private let noCanonical = ByteBuffer(capacity: 16)

    /// `headersOnly`: kinds whose records come as headers when they can be transcoded (only while
    /// `canonical` is set: the record's canonical bytes are all a digesting pass needs of them).
    /// `barsAsValues`: bars come in runs of `LoggedBar`s, never built as events; `fillsAsValues`
    /// the same for fills (only while `canonical` is set, as for headers).
    /// Bars, when `skipping` holds them, are passed over by their length: with no bar wanted,
    /// none needs the delta context of the bars before it. `barSymbols` (with `barsAsValues`, and
    /// no canonical records made): only these symbols' bars come; the others are passed over.
    init(file: LogFile, path: String, skipping: KindSet = KindSet(), headersOnly: KindSet = KindSet(), barsAsValues: Bool = false,
         fillsAsValues: Bool = false, barSymbols: SymbolMask? = nil) {
        self.file = file
        self.path = path
        self.decompressor = try? ZstdDecompressor()
        decoder.skipping = skipping
        decoder.headersOnly = headersOnly
        decoder.barsAsValues = barsAsValues
        decoder.fillsAsValues = fillsAsValues
        decoder.barSymbols = barsAsValues ? barSymbols : nil
        decoder.skipsBarPayloads = skipping.contains(UInt64(EventKind.bar.rawValue))
        readsHeaders = !headersOnly.isEmpty
        readsBars = barsAsValues
        readsFills = fillsAsValues
        skips = !skipping.isEmpty
    }

    /// Whether some kinds are passed over (their records' headers read, nothing else).
    private let skips: Bool

    /// Whether any kind may come as a header (the plain path skips looking for them).
    private let readsHeaders: Bool
    /// Whether bars come as values.
    let readsBars: Bool
    /// Whether fills come as values.
    let readsFills: Bool

    /// The frame being decoded and where decoding stands in it.
    private var frame: FrameInfo?
    private var reader = ByteReader(UnsafeRawBufferPointer(start: nil, count: 0))
    private var left = 0
    private var expectedSequence: UInt64 = 0
    private var lastWasSkipped = false

    /// Decodes `frame` into `records`, `headers`, `bars` and `fills` (replacing what they held); returns the frame's problems.
    func decode(_ frame: FrameInfo, into records: inout [DecodedRecord], headers: inout [StoredHeader], bars: inout [LoggedBar],
                fills: inout [LoggedFill]) -> (failure: LogError?, surplus: LogError?) {
        records.removeAll(keepingCapacity: true)
        headers.removeAll(keepingCapacity: true)
        bars.removeAll(keepingCapacity: true)
        fills.removeAll(keepingCapacity: true)
        if let failure = begin(frame) { return (failure, nil) }
        if readsBars { bars.reserveCapacity(Int(frame.eventCount)) } else { records.reserveCapacity(Int(frame.eventCount)) }
        let (failure, surplus, _) = decodeMore(into: &records, headers: &headers, bars: &bars, fills: &fills, upTo: Int.max)
        return (failure, surplus)
    }

    /// The next frame begun follows `previous`, which another decoder checked: events go on
    /// from its header's last time, as they would from its last event here.
    func continueAfter(_ previous: FrameInfo) { previousTimestamp = previous.lastTimestamp }

    /// The frame `begin` read, decompressed (valid until the next `begin`).
    var decompressed: UnsafeRawBufferPointer { raw.bytes }

    /// Reads and decompresses `frame`; its records then come from `decodeMore`.
    func begin(_ frame: FrameInfo) -> LogError? {
        self.frame = nil
        guard let decompressor else { return LogError(path: path, .io("zstd: cannot allocate a context")) }
        do {
            let n = try file.read(at: frame.dataOffset, count: Int(frame.compressedSize), into: compressed)
            guard n == Int(frame.compressedSize) else {
                return LogError(path: path, offset: frame.dataOffset, .tornTail("data frame is cut short"))
            }
        } catch {
            return error
        }
        do {
            try decompressor.decompressFrame(compressed.bytes, expectedSize: Int(frame.rawSize), into: raw)
        } catch {
            return LogError(path: path, offset: frame.dataOffset, .corrupt("zstd: \(error.message)"))
        }
        decoder.reset()
        if previousTimestamp == .min { previousTimestamp = frame.firstTimestamp }
        self.frame = frame
        reader = ByteReader(raw.bytes)
        left = Int(frame.eventCount)
        expectedSequence = frame.firstSequence
        lastWasSkipped = false
        return nil
    }

    /// Appends the next `count` counted records of the frame begun (fewer at its end) to
    /// `records`: a reader that stops early (a state query at a moment) decodes no further.
    /// `complete` once the frame is done, checked to its end. Headers (`headersOnly`) go to
    /// `headers`, each run of them one `.headers` record in `records`; bars and fills as values to
    /// `bars` and `fills` the same way.
    func decodeMore(into records: inout [DecodedRecord], headers: inout [StoredHeader], bars: inout [LoggedBar],
                    fills: inout [LoggedFill], upTo count: Int) -> (failure: LogError?, surplus: LogError?, complete: Bool) {
        guard let frame else { return (nil, nil, true) }
        decoder.transcodeInto = canonical
        defer { decoder.transcodeInto = nil }
        // The run of headers, bars or fills being added to, put in `records` once it ends:
        // rewriting the run's record at every item cost more than decoding the item.
        var run = OpenRun.none
        defer { run.close(into: &records, ends: (headers.count, bars.count, fills.count)) }
        let out = canonical ?? noCanonical
        let canonicalToo = canonical != nil
        let light = readsBars || ((readsHeaders || readsFills) && canonicalToo) || skips
        var budget = count
        while left > 0 && budget > 0 {
            // Every header, bar and fill value is taken here: `decode` meets only records of other
            // kinds and records that do not read.
            if light {
                let taken = decoder.decodeLight(&reader, out: out, canonicalToo: canonicalToo, headers: &headers, bars: &bars,
                                                fills: &fills)
                if taken != .other {
                    left -= 1
                    budget -= 1
                    if let problem = checkOrder(of: frame) { return (problem, nil, true) }
                    if taken == .otherSymbol { continue }
                    if taken == .skipped {
                        // As below: a run of them is one record, with the first one's place.
                        if !lastWasSkipped {
                            run.close(into: &records, ends: (headers.count, bars.count, fills.count))
                            let time = Timestamp(rawValue: decoder.eventTimestamp)
                            records.append(.skipped(sequence: decoder.eventSequence, timestamp: time))
                            lastWasSkipped = true
                        }
                        continue
                    }
                    run.add(taken, sequence: decoder.eventSequence, into: &records, ends: (headers.count, bars.count, fills.count))
                    lastWasSkipped = false
                    continue
                }
            }
            let start = reader.position
            let record: DecodedRecord
            do throws(RecordError) {
                record = try decoder.decode(&reader)
            } catch {
                return (LogError(path: path, offset: frame.offset, .corrupt("frame record at \(start) of \(raw.count): \(error.message)")), nil, true)
            }
            if case .stringDefinition = record { continue }
            left -= 1
            budget -= 1
            if let problem = checkOrder(of: frame) { return (problem, nil, true) }
            if let canonical, !decoder.canonicalWritten, case .event(let event) = record { canonicalEncoder.encode(event, into: canonical) }
            // Consecutive skipped records collapse into one: the reader only learns that some came.
            if case .skipped = record {
                if lastWasSkipped { continue }
                lastWasSkipped = true
            } else {
                if case .header = record { assertionFailure("decodeLight takes every header decode gives") }
                lastWasSkipped = false
            }
            // Only the light path opens runs.
            if light { run.close(into: &records, ends: (headers.count, bars.count, fills.count)) }
            records.append(record)
        }
        guard left == 0 else { return (nil, nil, false) }
        self.frame = nil
        // Trailing string definitions are harmless; anything else left over is not.
        while !reader.isAtEnd {
            guard case .stringDefinition? = try? decoder.decode(&reader) else {
                return (nil, LogError(path: path, offset: frame.offset, .corrupt("frame holds more records than its header counts")), true)
            }
        }
        guard previousTimestamp == frame.lastTimestamp else {
            return (nil, LogError(path: path, offset: frame.offset, .corrupt("last event time does not match the frame header")), true)
        }
        return (nil, nil, true)
    }
}

/// The run of headers, bars or fills the last records added, from where it starts in its array:
/// it becomes one `.headers`, `.bars` or `.fills` record once it ends.
private enum OpenRun {
    case none, headers(from: Int, sequence: UInt64), bars(from: Int), fills(from: Int)

    /// The arrays' counts: headers, bars, fills.
    typealias Ends = (headers: Int, bars: Int, fills: Int)

    /// The item just added (`taken`: a header, a bar or a fill, event `sequence`; the arrays now
    /// hold `ends`) joins the open run, or ends it and starts one.
    @inline(__always)
    mutating func add(_ taken: LightRecord, sequence: UInt64, into records: inout [DecodedRecord], ends: Ends) {
        switch (self, taken) {
        case (.headers, .header), (.bars, .bar), (.fills, .fill): return
        default:
            close(into: &records, ends: ends)
            switch taken {
            case .header: self = .headers(from: ends.headers - 1, sequence: sequence)
            case .bar: self = .bars(from: ends.bars - 1)
            case .fill: self = .fills(from: ends.fills - 1)
            case .skipped, .otherSymbol, .other: assertionFailure("only headers, bars and fills come in runs")
            }
        }
    }

    @inline(__always)
    mutating func close(into records: inout [DecodedRecord], ends: Ends) {
        switch self {
        case .none: return
        case .headers(let from, let sequence): records.append(.headers(from..<ends.headers, firstSequence: sequence))
        case .bars(let from): records.append(.bars(from..<ends.bars))
        case .fills(let from): records.append(.fills(from..<ends.fills))
        }
        self = .none
    }
}

extension FrameDecoder {
    /// The record just decoded (its sequence and time are the decoder's) follows the one before
    /// it in sequence and in time, within the frame header's times; nil when it does.
    @inline(__always)
    private func checkOrder(of frame: FrameInfo) -> LogError? {
        let sequence = decoder.eventSequence, timestamp = decoder.eventTimestamp
        if sequence != expectedSequence {
            let first = expectedSequence == frame.firstSequence
            let problem = first ? "frame begins with event \(sequence), header says \(frame.firstSequence)" : "event \(sequence) follows \(expectedSequence &- 1)"
            return LogError(path: path, offset: frame.offset, .corrupt(problem))
        }
        guard timestamp >= previousTimestamp, timestamp >= frame.firstTimestamp, timestamp <= frame.lastTimestamp else {
            return LogError(path: path, offset: frame.offset, .corrupt("event \(sequence) is out of time order"))
        }
        previousTimestamp = timestamp
        expectedSequence = sequence &+ 1
        return nil
    }
}

/// Decodes a run of frames ahead of the cursor, on one thread or two (each thread with its own
/// decoder taking the next frame not yet taken), at most `depth` frames per thread ahead of the
/// cursor besides those being decoded; the cursor takes them in order. The records and errors are
/// the same either way: a frame's checks need only its own bytes and the previous frame's header
/// (whose last time its own decoder checks).
final class FramePrefetcher {
    private let frames: OrderedWork<DecodedFrame>
    /// Frames the cursor is done with, their arrays and canonical buffer refilled instead of
    /// allocated: fresh ones per frame cost more in page faults than the decoding they hold.
    private let spent: Handoff<DecodedFrame>

    /// Whether the frames' canonical bytes come hashed (`hasher` given).
    let hashes: Bool

    /// nil when the threads cannot be started (the cursor then decodes on its own thread).
    /// `decoder` belongs to the first thread from now on; `helper`, when given, to a second.
    /// `hasher`: each frame's canonical bytes are hashed into it, in order, on the decoding
    /// threads, before the frame is handed out (the cursor no longer touches it till the end).
    init?(decoder: FrameDecoder, helper: FrameDecoder? = nil, frames: ArraySlice<FrameInfo>, depth: Int = 2,
          hasher: SHA256Hasher? = nil) {
        let decoders = [decoder] + (helper.map { [$0] } ?? [])
        let frames = Array(frames)
        let window = decoders.count * (depth + 1)
        // The first frame is the first decoder's: it goes on from where that decoder stands.
        let work = OrderedWork<DecodedFrame>(count: frames.count, window: window, firstClaim: 1)
        let spent = Handoff<DecodedFrame>(capacity: decoders.count * depth + 2)
        let inOrder = hasher.map { InOrderHasher(hasher: $0, window: window) }
        self.frames = work
        self.spent = spent
        hashes = inOrder != nil
        // The helper's thread first: should the other then fail to start, the cursor goes on with
        // `decoder` on its own thread, which no started thread touches.
        for (w, decoder) in decoders.enumerated().reversed() {
            let job = PrefetchWork(decoder: decoder, frames: frames)
            let started = startThread {
                let deliver = { (frame: DecodedFrame, index: Int) in work.put(frame, at: index, ends: frame.failure != nil) }
                var j = w == 0 ? 0 : work.claim()
                while let index = j {
                    // Frames in between may have gone to the other thread: go on from their header.
                    if index > 0 { job.decoder.continueAfter(job.frames[index - 1]) }
                    var frame = spent.poll() ?? DecodedFrame()
                    if job.decoder.canonical != nil {
                        job.decoder.canonical = frame.canonical ?? ByteBuffer(capacity: Self.canonicalRoom(job.frames[index]))
                    }
                    (frame.failure, frame.surplus) = job.decoder.decode(job.frames[index], into: &frame.records,
                                                                        headers: &frame.headers, bars: &frame.bars,
                                                                        fills: &frame.fills)
                    frame.canonical = job.decoder.canonical
                    if let inOrder { inOrder.add(frame, at: index, deliver: deliver) } else { deliver(frame, index) }
                    j = work.claim()
                }
                // Every frame is taken: the storage given back for more is let go here, beside the
                // cursor's last frames, instead of by the cursor at its end, where no other thread
                // shares the work.
                while spent.poll() != nil {}
            }
            guard started else {
                work.cancel()
                return nil
            }
        }
    }

    deinit {
        frames.cancel()
        spent.cancel()
    }

    /// What a frame's canonical bytes are given at first: about twice its raw bytes (2.2 times in
    /// the S&P momentum log, names spelled out), with room to spare, so that the buffer does not
    /// grow 1 → 2 → 4 MiB by doubling, each step a copy and new pages touched (pages never written
    /// cost nothing).
    static func canonicalRoom(_ frame: FrameInfo) -> Int {
        max(1 << 20, min(3 * Int(frame.rawSize), FrameLayout.maxFrameBytes) + (1 << 16))
    }

    /// The next frame in order, waiting for it if its thread has not finished it yet.
    func next() -> DecodedFrame? { frames.next() }

    /// Gives back a frame's storage once the cursor has moved past its arrays and hashed its
    /// canonical bytes (it keeps no other reference to them).
    func recycle(_ frame: DecodedFrame) {
        frame.canonical?.removeAll()
        spent.offer(frame)
    }
}

/// What the prefetch thread owns: its decoder is used by that thread alone from then on.
private struct PrefetchWork: @unchecked Sendable {
    let decoder: FrameDecoder
    let frames: [FrameInfo]
}
