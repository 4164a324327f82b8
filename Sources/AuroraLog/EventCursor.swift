import AuroraModel

/// Streams events frame by frame: reads a frame, checks its zstd checksum and sizes, decodes its
/// records, and checks sequence continuity and time order. Memory is one decoded frame, reused
/// (plus up to two decoded ahead on the prefetch thread).
public final class EventCursor {
    private let reader: LogReader
    private var frameIndex: Int
    private let lastFrame: Int
    /// Frames are decoded here until the cursor moves past its first one; then, when allowed,
    /// on a second thread (a seek that reads one frame never starts it).
    private let decoder: FrameDecoder
    private var prefetcher: FramePrefetcher?
    private let prefetch: Bool
    private let firstFrame: Int
    private var records: [DecodedRecord] = []
    /// The current frame's (or chunk's) headers, which `.headers` records point into.
    private(set) var headers: [StoredHeader] = []
    /// The current frame's (or chunk's) bars, which `.bars` records point into.
    private(set) var bars: [LoggedBar] = []
    /// The current frame's (or chunk's) fills, which `.fills` records point into.
    private(set) var fills: [LoggedFill] = []
    /// What `next()` has still to return of the current run of bars, or of fills.
    private var barRun = 0..<0
    private var fillRun = 0..<0
    private var recordIndex = 0
    private var failure: LogError?
    private var surplus: LogError?
    /// Whether the current frame is decoded to its end (a frame read here comes in chunks).
    private var frameComplete = true
    /// Records decoded at a time on this thread: a reader that stops early decodes little more.
    private static let chunk = 4096
    private var current: FrameInfo?
    private let skipBelowSequence: UInt64?
    private let skipBelowTimestamp: Int64?
    private var finished = false
    /// Whether reaching the end rethrows damage the reader found beyond the last intact frame.
    private let reportsDamagedTail: Bool
    private let digest: RunDigest?
    private let skipping: KindSet
    private let headersOnly: KindSet
    private let decodeThreads: Int

    /// Events of kinds this version does not know, skipped by their length.
    public private(set) var unknownKinds = 0
    /// Frames fully decoded so far.
    public private(set) var framesRead = 0
    /// Whether events of kinds left out (`kinds`) came between the last event returned and the one before.
    public private(set) var skippedBeforeLast = false
    private var skippedSince = false

    /// `prefetch`: once past its first frame, with two or more to go, decode the frames ahead on a
    /// second thread (the events, their order and every error are the same either way).
    /// `kinds`: only events of these kinds come out; the others are checked but never built (bars,
    /// when left out, are passed over by their length: damage inside a bar's payload then goes
    /// unseen by this cursor, as the frame's checksum still covers it).
    /// `decodeThreads`: with prefetch, how many threads decode ahead (each takes the next frame not taken).
    /// `digest`: every event read is added to it, in order (encoded where it is decoded; hashed
    /// here, or by the decoding threads when there are two; complete once the cursor has returned nil).
    /// `headersOnly`: with a digest, events of these kinds may come from `nextRecord` as headers.
    /// `barsAsValues`: bars are decoded straight into runs of `LoggedBar`s, which `nextItem` hands
    /// out whole (`next()` still returns them one by one as events).
    /// `fillsAsValues`: with a digest, fills come from `nextRecord` in runs of `LoggedFill`s
    /// (`next()` and `nextItem()` return them one by one as events).
    /// `barSymbols`: with `barsAsValues` and no digest, only these symbols' bars come.
    init(reader: LogReader, firstFrame: Int, lastFrame: Int, skipBelowSequence: UInt64? = nil, skipBelowTimestamp: Int64? = nil,
         reportsDamagedTail: Bool = true, prefetch: Bool = LogThreads.pipelined, kinds: Set<EventKind>? = nil,
         digest: RunDigest? = nil, decodeThreads: Int = 1, headersOnly: Set<EventKind> = [], barsAsValues: Bool = false,
         fillsAsValues: Bool = false, barSymbols: Set<SymbolID>? = nil) {
        self.reader = reader
        self.reportsDamagedTail = reportsDamagedTail
        self.frameIndex = firstFrame
        self.lastFrame = lastFrame
        self.skipBelowSequence = skipBelowSequence
        self.skipBelowTimestamp = skipBelowTimestamp
        let skipping = kinds.map(KindSet.init(allBut:)) ?? KindSet()
        self.prefetch = prefetch
        self.firstFrame = firstFrame
        self.skipping = skipping
        self.decodeThreads = decodeThreads
        self.digest = digest
        var headers = KindSet()
        for kind in headersOnly where digest != nil { headers.insert(UInt64(kind.rawValue)) }
        self.headersOnly = headers
        self.barsAsValues = barsAsValues
        self.fillsAsValues = fillsAsValues && digest != nil
        // A digest covers every event: it never reads only some symbols' bars.
        self.barSymbols = digest == nil && barsAsValues ? barSymbols.map(SymbolMask.init) : nil
        decoder = Self.decoder(reader, skipping, headers, canonical: digest != nil, barsAsValues: barsAsValues,
                               fillsAsValues: self.fillsAsValues, barSymbols: self.barSymbols)
    }

    private let barsAsValues: Bool
    private let fillsAsValues: Bool
    private let barSymbols: SymbolMask?

    /// A frame decoder as this cursor reads: the kinds it skips or reads as headers, canonical
    /// records when it digests, bars and fills as values when asked.
    private static func decoder(_ reader: LogReader, _ skipping: KindSet, _ headersOnly: KindSet, canonical: Bool,
                                barsAsValues: Bool, fillsAsValues: Bool, barSymbols: SymbolMask?) -> FrameDecoder {
        let decoder = FrameDecoder(file: reader.file, path: reader.path, skipping: skipping, headersOnly: headersOnly,
                                   barsAsValues: barsAsValues, fillsAsValues: fillsAsValues, barSymbols: barSymbols)
        if canonical { decoder.canonical = ByteBuffer(capacity: 1 << 16) }
        return decoder
    }

    /// The next event, or nil after the last intact frame. Throws at the first damaged frame
    /// (and, at the end, if the reader found damage that hides later frames).
    public func next() throws -> Event? {
        while true {
            if !barRun.isEmpty {
                let b = bars[barRun.lowerBound]
                barRun = barRun.dropFirst()
                guard wanted(b.sequence, b.timestamp) else { continue }
                returning()
                return Event(sequence: b.sequence, timestamp: b.timestamp, payload: .bar(b.bar))
            }
            if !fillRun.isEmpty, let event = nextOfFillRun() { return event }
            if recordIndex == records.count {
                guard try refill() else { return nil }
                continue
            }
            let record = records[recordIndex]
            recordIndex += 1
            // Sequence and time order were checked where the frame was decoded.
            guard case .event(let event) = record else {
                switch record {
                case .bars(let run): barRun = run
                case .fills(let run): fillRun = run
                default: passOver(record)
                }
                continue
            }
            guard wanted(event.sequence, event.timestamp) else { continue }
            returning()
            return event
        }
    }

    /// An event as `nextItem` hands it out.
    public enum Item {
        /// Consecutive bars of one frame, nothing between them, never built as events (a cursor
        /// reading bars as values).
        case bars(ArraySlice<LoggedBar>)
        case event(Event)
    }

    /// Like `next()` (the same events, filters and errors); on a cursor reading bars as values
    /// (`barsAsValues`) bars come in runs as they lie in the frame, each copied once instead of
    /// as a whole `Event` (a load of hundreds of thousands of them). On any other, every event
    /// comes as `.event`.
    public func nextItem() throws -> Item? {
        while true {
            if !fillRun.isEmpty, let event = nextOfFillRun() { return .event(event) }
            if recordIndex == records.count {
                guard try refill() else { return nil }
                continue
            }
            let record = records[recordIndex]
            recordIndex += 1
            switch record {
            case .event(let event):
                guard wanted(event.sequence, event.timestamp) else { continue }
                returning()
                return .event(event)
            case .bars(let run):
                var first = run.lowerBound
                while first < run.upperBound, !wanted(bars[first].sequence, bars[first].timestamp) { first += 1 }
                guard first < run.upperBound else { continue }
                returning()
                return .bars(bars[first..<run.upperBound])
            case .fills(let run):
                fillRun = run
            default:
                passOver(record)
            }
        }
    }

    /// The next fill of the current run as an event, if one is left (filtered as any event).
    @inline(__always)
    private func nextOfFillRun() -> Event? {
        while !fillRun.isEmpty {
            let f = fills[fillRun.lowerBound]
            fillRun = fillRun.dropFirst()
            guard wanted(f.sequence, f.timestamp) else { continue }
            returning()
            return Event(sequence: f.sequence, timestamp: f.timestamp, payload: .fill(f.fill))
        }
        return nil
    }

    /// Whether an event is at or after the start the cursor was opened at (a seek decodes the
    /// whole frame the start lies in).
    @inline(__always)
    private func wanted(_ sequence: UInt64, _ timestamp: Timestamp) -> Bool {
        if let s = skipBelowSequence, sequence < s { return false }
        if let t = skipBelowTimestamp, timestamp.rawValue < t { return false }
        return true
    }

    /// Notes, for the event about to be returned, whether others were left out just before it.
    @inline(__always)
    private func returning() {
        skippedBeforeLast = skippedSince
        skippedSince = false
    }

    /// A record that is no event to return: an unknown kind's (counted) or kinds left out.
    private func passOver(_ record: DecodedRecord) {
        if case .unknown = record { unknownKinds += 1 } else { skippedSince = true }
    }

    /// The next record as decoded (an event, a run of headers in `headers`, of bars in `bars` or of
    /// fills in `fills`, an unknown kind's, or a run of skipped ones), or nil after the last intact
    /// frame; throws as `next` does. For a full pass that takes headers (`LogInspector`): no
    /// sequence or time filter applies here.
    func nextRecord() throws -> DecodedRecord? {
        while recordIndex == records.count {
            guard try refill() else { return nil }
        }
        recordIndex += 1
        return records[recordIndex - 1]
    }

    /// Moves on to the frame's next chunk or the next frame (whose records may be none); false
    /// after the last intact frame. Out of the per-record path, which only indexes `records`.
    private func refill() throws -> Bool {
        if let frame = current {
            if let failure { throw failure }
            if !frameComplete {
                records.removeAll(keepingCapacity: true)
                headers.removeAll(keepingCapacity: true)
                bars.removeAll(keepingCapacity: true)
                fills.removeAll(keepingCapacity: true)
                recordIndex = 0
                (failure, surplus, frameComplete) = decoder.decodeMore(into: &records, headers: &headers, bars: &bars, fills: &fills,
                                                                       upTo: Self.chunk)
                hashDecodedHere()
                return true
            }
            try finishFrame(frame)
        }
        guard frameIndex <= lastFrame else {
            if !finished, reportsDamagedTail, lastFrame == reader.frames.count - 1, case .damaged(let error) = reader.tail {
                finished = true
                throw error
            }
            finished = true
            return false
        }
        try loadFrame(reader.frames[frameIndex])
        frameIndex += 1
        return true
    }

    /// A second decoding thread's decoder, for long reads when allowed.
    private func helperDecoder() -> FrameDecoder? {
        guard decodeThreads > 1, lastFrame - frameIndex >= 3 else { return nil }
        return Self.decoder(reader, skipping, headersOnly, canonical: digest != nil, barsAsValues: barsAsValues,
                            fillsAsValues: fillsAsValues, barSymbols: barSymbols)
    }

    private func loadFrame(_ frame: FrameInfo) throws {
        // A load of bars reads on to the end: its first frame is decoded ahead too.
        if prefetcher == nil, prefetch, frameIndex > firstFrame || barsAsValues, frameIndex < lastFrame, lastFrame < reader.frames.count {
            // The decoder goes to the thread with its time order; this one no longer uses it.
            // With two decoding threads they hash too (see `InOrderHasher`); one alone leaves it here,
            // where it overlaps the decoding (that thread hashing too made a pass folding every event
            // whole 330–357 → 371–391 ms, package benchmark "verify: frames").
            let helper = helperDecoder()
            prefetcher = FramePrefetcher(decoder: decoder, helper: helper, frames: reader.frames[frameIndex...lastFrame],
                                         hasher: helper != nil ? digest?.hasherForFrames() : nil)
        }
        if let prefetcher {
            guard let decoded = prefetcher.next() else {
                throw LogError(path: reader.path, offset: frame.offset, .io("the frame reader thread stopped early"))
            }
            if !prefetcher.hashes, let digest, let canonical = decoded.canonical { digest.add(canonicalRecords: canonical.bytes) }
            // The frame before's arrays go back with this frame's canonical bytes, hashed; given
            // back once this cursor no longer holds them, so the decoding thread refills them in place.
            let done = DecodedFrame(records: records, headers: headers, bars: bars, fills: fills, canonical: decoded.canonical)
            records = decoded.records
            headers = decoded.headers
            bars = decoded.bars
            fills = decoded.fills
            prefetcher.recycle(done)
            failure = decoded.failure
            surplus = decoded.surplus
            frameComplete = true
        } else {
            records.removeAll(keepingCapacity: true)
            headers.removeAll(keepingCapacity: true)
            bars.removeAll(keepingCapacity: true)
            fills.removeAll(keepingCapacity: true)
            if let error = decoder.begin(frame) {
                (failure, surplus, frameComplete) = (error, nil, true)
            } else {
                (failure, surplus, frameComplete) = decoder.decodeMore(into: &records, headers: &headers, bars: &bars, fills: &fills,
                                                                       upTo: Self.chunk)
            }
            hashDecodedHere()
        }
        // A frame that cannot be read at all throws here, before it counts as the current one.
        if records.isEmpty, let failure { throw failure }
        recordIndex = 0
        current = frame
    }

    /// Hashes what the decoder encoded on this thread (before a prefetch thread takes it over).
    private func hashDecodedHere() {
        guard let digest, prefetcher == nil, let canonical = decoder.canonical else { return }
        digest.add(canonicalRecords: canonical.bytes)
        canonical.removeAll()
    }

    private func finishFrame(_ frame: FrameInfo) throws {
        current = nil
        framesRead += 1
        if let surplus { throw surplus }
    }
}
