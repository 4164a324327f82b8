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
    private(set) var headers: [EventHeader] = []
    /// The current frame's (or chunk's) bars, which `.bars` records point into.
    private var bars: [LoggedBar] = []
    /// What `next()` has still to return of the current run of bars.
    private var barRun = 0..<0
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
    /// `kinds`: only events of these kinds come out; the others are checked but never built.
    /// `decodeThreads`: with prefetch, how many threads decode ahead (two take alternate frames).
    /// `digest`: every event read is added to it, in order (encoded where it is decoded, maybe on
    /// the second thread, hashed here; complete once the cursor has returned nil).
    /// `headersOnly`: with a digest, events of these kinds may come from `nextRecord` as headers.
    /// `barsAsValues`: bars are decoded straight into runs of `LoggedBar`s, which `nextItem` hands
    /// out whole (`next()` still returns them one by one as events).
    init(reader: LogReader, firstFrame: Int, lastFrame: Int, skipBelowSequence: UInt64? = nil, skipBelowTimestamp: Int64? = nil,
         reportsDamagedTail: Bool = true, prefetch: Bool = LogThreads.pipelined, kinds: Set<EventKind>? = nil,
         digest: RunDigest? = nil, decodeThreads: Int = 1, headersOnly: Set<EventKind> = [], barsAsValues: Bool = false) {
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
        decoder = Self.decoder(reader, skipping, headers, canonical: digest != nil, barsAsValues: barsAsValues)
    }

    private let barsAsValues: Bool

    /// A frame decoder as this cursor reads: the kinds it skips or reads as headers, canonical
    /// records when it digests, bars as values when asked.
    private static func decoder(_ reader: LogReader, _ skipping: KindSet, _ headersOnly: KindSet, canonical: Bool,
                                barsAsValues: Bool) -> FrameDecoder {
        let decoder = FrameDecoder(file: reader.file, path: reader.path, skipping: skipping, headersOnly: headersOnly,
                                   barsAsValues: barsAsValues)
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
                if let s = skipBelowSequence, b.sequence < s { continue }
                if let t = skipBelowTimestamp, b.timestamp.rawValue < t { continue }
                skippedBeforeLast = skippedSince
                skippedSince = false
                return Event(sequence: b.sequence, timestamp: b.timestamp, payload: .bar(b.bar))
            }
            if recordIndex == records.count {
                guard try refill() else { return nil }
                continue
            }
            let record = records[recordIndex]
            recordIndex += 1
            // Sequence and time order were checked where the frame was decoded.
            guard case .event(let event) = record else {
                if case .bars(let run) = record {
                    barRun = run
                } else if case .unknown = record {
                    unknownKinds += 1
                } else {
                    skippedSince = true
                }
                continue
            }
            if let s = skipBelowSequence, event.sequence < s { continue }
            if let t = skipBelowTimestamp, event.timestamp.rawValue < t { continue }
            skippedBeforeLast = skippedSince
            skippedSince = false
            return event
        }
    }

    /// An event as `nextItem` hands it out.
    public enum Item {
        /// A bar, taken straight from the decoded frame, never built as an `Event`.
        case bar(Bar, sequence: UInt64, timestamp: Timestamp)
        /// Consecutive bars of one frame, nothing between them (a cursor reading bars as values).
        case bars(ArraySlice<LoggedBar>)
        case event(Event)
    }

    /// Like `next()` (the same events, filters and errors), with bars as plain values: a reader
    /// loading hundreds of thousands of bars copies each once instead of as a whole `Event`.
    public func nextItem() throws -> Item? {
        while true {
            if recordIndex == records.count {
                guard try refill() else { return nil }
                continue
            }
            let i = recordIndex
            recordIndex += 1
            // Read in place: binding the record's event would copy it.
            let found: (item: Item, sequence: UInt64, time: Int64)? = records.withUnsafeBufferPointer { p in
                guard case .event(let event) = p[i] else { return nil }
                if case .bar(let bar) = event.payload {
                    return (.bar(bar, sequence: event.sequence, timestamp: event.timestamp), event.sequence, event.timestamp.rawValue)
                }
                return (.event(event), event.sequence, event.timestamp.rawValue)
            }
            guard let found else {
                switch records[i] {
                case .unknown: unknownKinds += 1
                case .bars(let run):
                    var first = run.lowerBound
                    while first < run.upperBound, let s = skipBelowSequence, bars[first].sequence < s { first += 1 }
                    while first < run.upperBound, let t = skipBelowTimestamp, bars[first].timestamp.rawValue < t { first += 1 }
                    guard first < run.upperBound else { continue }
                    skippedBeforeLast = skippedSince
                    skippedSince = false
                    return .bars(bars[first..<run.upperBound])
                default: skippedSince = true
                }
                continue
            }
            if let s = skipBelowSequence, found.sequence < s { continue }
            if let t = skipBelowTimestamp, found.time < t { continue }
            skippedBeforeLast = skippedSince
            skippedSince = false
            return found.item
        }
    }

    /// The next record as decoded (an event, a run of headers in `headers`, an unknown kind's, or
    /// a run of skipped ones), or nil after the last intact frame; throws as `next` does. For a
    /// full pass that takes headers (`LogInspector`): no sequence or time filter applies here.
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
                recordIndex = 0
                (failure, surplus, frameComplete) = decoder.decodeMore(into: &records, headers: &headers, bars: &bars, upTo: Self.chunk)
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
        return Self.decoder(reader, skipping, headersOnly, canonical: digest != nil, barsAsValues: barsAsValues)
    }

    private func loadFrame(_ frame: FrameInfo) throws {
        // A load of bars reads on to the end: its first frame is decoded ahead too.
        if prefetcher == nil, prefetch, frameIndex > firstFrame || barsAsValues, frameIndex < lastFrame, lastFrame < reader.frames.count {
            // The decoder goes to the thread with its time order; this one no longer uses it.
            prefetcher = FramePrefetcher(decoder: decoder, helper: helperDecoder(), frames: reader.frames[frameIndex...lastFrame])
        }
        if let prefetcher {
            guard let decoded = prefetcher.next() else {
                throw LogError(path: reader.path, offset: frame.offset, .io("the frame reader thread stopped early"))
            }
            let old = records
            records = decoded.records
            prefetcher.recycle(old)
            let oldHeaders = headers
            headers = decoded.headers
            prefetcher.recycle(oldHeaders)
            if barsAsValues {
                let oldBars = bars
                bars = decoded.bars
                prefetcher.recycle(oldBars)
            }
            if let digest, let canonical = decoded.canonical {
                digest.add(canonicalRecords: canonical.bytes)
                prefetcher.recycle(canonical)
            }
            failure = decoded.failure
            surplus = decoded.surplus
            frameComplete = true
        } else {
            records.removeAll(keepingCapacity: true)
            headers.removeAll(keepingCapacity: true)
            bars.removeAll(keepingCapacity: true)
            if let error = decoder.begin(frame) {
                (failure, surplus, frameComplete) = (error, nil, true)
            } else {
                (failure, surplus, frameComplete) = decoder.decodeMore(into: &records, headers: &headers, bars: &bars, upTo: Self.chunk)
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
