import AuroraModel

/// Appends events to a log: assigns sequence numbers, buffers records into frames, compresses
/// and writes each frame with its header, and at close writes the index and footer.
///
/// Rules it enforces (each a thrown `invalidAppend`, never a crash): the manifest comes first and
/// only once, timestamps never go backwards, symbols are defined densely and before use.
public final class LogWriter {
    public let path: String
    /// nil until the first write of a new log: a writer that never writes (a run refused before its
    /// first frame, a session killed before its first flush) creates no file and replaces none.
    var file: LogFile?
    private let options: LogWriterOptions
    private let encoder = RecordEncoder(canonical: false)
    let digest = RunDigest()
    private let frame = ByteBuffer(capacity: 1 << 16)
    /// Where frames go: written here, or by `behind` on the second thread.
    let frameOutput: FrameOutput
    private let behind: WriteBehind?
    /// Set when frames are digested on the write-behind thread: appends then add nothing here.
    private var frameDigest: WriteBehind.FrameDigest?
    /// With `frameDigest`: the open frame's bars' canonical records, made here from the values
    /// (a few stores each) so the thread behind need not decode them back — and, in a frame
    /// `canonicalAsEncoded`, every record's, in order.
    private let frameCanonical = ByteBuffer(capacity: 1 << 16)
    /// Set where a frame starts while frames queue behind (`WriteBehind.isBehind`): this frame's
    /// canonical records are made here as its records are encoded (each payload copied with its
    /// strings spelled, from the encoder's own record of where they are) and handed over to be
    /// hashed, rather than by the thread behind from the frame's bytes and `frameNames`. That
    /// costs this thread more than noting the names, so only a frame begun while the thread behind
    /// is that far behind takes it.
    private var canonicalAsEncoded = false
    /// Tests set it to take, on every frame, the path a thread found behind where a frame starts leads to.
    var encodesCanonicalEveryFrame = false
    /// With `frameDigest`, in a frame not `canonicalAsEncoded`: where its payloads name strings, in
    /// frame order (`RecordEncoder.appendLastNames`), so that whichever thread makes its canonical
    /// records copies the payloads without reading them.
    private var frameNames = NameList()
    /// This thread's digester, for frames it digests itself: while frames queue behind, the open
    /// one for `currentDigest`, the last one at `close` (the thread behind has its own).
    private lazy var ownDigester = FrameDigester()
    /// Tests set it to take, on every frame, the path a busy thread behind leads to.
    var digestsEveryFrameHere = false
    /// Flush limits read on every append, resolved once.
    private let maxFrameEvents: Int
    private let maxFrameBytes: Int
    private let timeBasedFlush: Bool
    private var closed = false
    /// Set by `openForAppend`: the torn tail or old index beyond `endOffset` is cut only when the
    /// writer first writes, so a caller that refuses to continue leaves the file byte-identical.
    var truncateBeforeWriting = false

    public internal(set) var nextSequence: UInt64 = 0
    /// The time of the last event appended (nil before the manifest).
    public var lastTimestamp: Timestamp? { nextSequence == 0 ? nil : Timestamp(rawValue: lastAppendedTime) }
    var lastAppendedTime: Int64 = .min
    public internal(set) var symbolNames: [String] = []
    var definedSymbols = 0
    var symbolIDs: [String: SymbolID] = [:]

    private var frameEvents: UInt32 = 0
    private var frameFirstSequence: UInt64 = 0
    private var frameFirstTimestamp: Int64 = 0
    private var frameFlags: UInt32 = 0
    private var frameOpenedAt: Int64 = 0

    init(path: String, file: LogFile?, options: LogWriterOptions, endOffset: Int64) throws {
        self.path = path
        self.file = file
        self.options = options
        self.maxFrameEvents = options.flush.maxEvents ?? Int.max
        self.maxFrameBytes = options.flush.maxBytes
        self.timeBasedFlush = options.flush.maxMilliseconds != nil
        frameOutput = try FrameOutput(path: path, compressionLevel: options.compressionLevel, fsync: options.flush.fsync, endOffset: endOffset)
        // Only where nobody waits on a frame reaching the disk: a live session's flushes (time
        // limits, fsync) stay synchronous.
        if options.pipelined, !timeBasedFlush, !options.flush.fsync, let behind = WriteBehind(output: frameOutput) {
            self.behind = behind
            digest.behind = behind
            frameDigest = WriteBehind.FrameDigest(digester: FrameDigester(), hasher: digest.hasher)
        } else {
            behind = nil
        }
    }

    /// Creates (or replaces) a log whose first event is `manifest` at `timestamp`.
    public static func create(path: String, manifest: Manifest, timestamp: Timestamp,
                              options: LogWriterOptions = LogWriterOptions()) throws -> LogWriter {
        let writer = try create(path: path, options: options)
        var m = manifest
        m.formatVersion = FrameLayout.formatVersion
        try writer.append(.manifest(m), at: timestamp)
        return writer
    }

    /// Creates (or replaces) a log whose first append must be the manifest (as the kernel does).
    /// The file is created (an existing one replaced) when the first frame is written.
    public static func create(path: String, options: LogWriterOptions = LogWriterOptions()) throws -> LogWriter {
        try LogFile.checkCreatable(path)
        return try LogWriter(path: path, file: nil, options: options, endOffset: Int64(FrameLayout.fileHeaderSize))
    }

    /// The file, created with its header on first use.
    private func openedFile() throws -> LogFile {
        if let file { return file }
        let created = try LogFile(path: path, mode: .create)
        let header = ByteBuffer(capacity: 64)
        header.appendFileHeader()
        try created.write(header.bytes, at: 0)
        file = created
        return created
    }

    deinit {
        // A writer dropped without close (an error elsewhere) still keeps what it was given.
        if !closed { try? writeFrame() }
        try? behind?.drain()
        behind?.stop()
    }

    // MARK: appending

    /// Appends an event at `timestamp` and returns its sequence number.
    @discardableResult
    public func append(_ payload: EventPayload, at timestamp: Timestamp) throws -> UInt64 {
        try validate(payload, at: timestamp)
        if case .manifest(var m) = payload, m.formatVersion != FrameLayout.formatVersion {
            // The manifest states the format this writer actually writes.
            m.formatVersion = FrameLayout.formatVersion
            return try append(.manifest(m), at: timestamp)
        }
        let sequence = nextSequence
        if frameEvents == 0 {
            encoder.reset()
            frameFirstSequence = sequence
            frameFirstTimestamp = timestamp.rawValue
            frameFlags = 0
            if options.flush.maxMilliseconds != nil { frameOpenedAt = monotonicMilliseconds() }
            canonicalAsEncoded = frameDigest != nil && (encodesCanonicalEveryFrame || behind?.isBehind == true)
        }
        encoder.encode(payload, sequence: sequence, timestamp: timestamp.rawValue, into: frame)
        if case .bar(let bar) = payload {
            digestBar(bar, sequence: sequence, timestamp: timestamp.rawValue)
        } else if frameDigest == nil {
            digest.add(payload, sequence: sequence, timestamp: timestamp.rawValue, encodedBy: encoder)
        } else if canonicalAsEncoded {
            _ = encoder.appendLastAsCanonical(kind: payload.kind, sequence: sequence, timestamp: timestamp.rawValue, to: frameCanonical)
        } else {
            encoder.appendLastNames(frameEnd: frame.count, to: &frameNames)
        }
        frameEvents += 1
        nextSequence += 1
        lastAppendedTime = timestamp.rawValue
        switch payload {
        case .manifest: frameFlags |= FrameLayout.flagHasDefinitions
        case .symbolDefinition(let d):
            frameFlags |= FrameLayout.flagHasDefinitions
            symbolIDs[d.name] = d.symbol
            symbolNames.append(d.name)
            definedSymbols = symbolNames.count
        case .checkpoint: frameFlags |= FrameLayout.flagHasCheckpoint
        default: break
        }
        if frame.count >= maxFrameBytes || frameEvents >= maxFrameEvents {
            try writeFrame()
        } else if let ms = options.flush.maxMilliseconds, monotonicMilliseconds() - frameOpenedAt >= ms {
            try writeFrame()
        }
        return sequence
    }

    /// A bar's part in the digest: hashed here, or with frames digested behind, its canonical
    /// record made for the frame's side buffer.
    @inline(__always)
    private func digestBar(_ bar: Bar, sequence: UInt64, timestamp: Int64) {
        if frameDigest == nil {
            digest.add(bar: bar, sequence: sequence, timestamp: timestamp)
        } else {
            appendCanonicalBarRecord(sequence: sequence, timestamp: timestamp, bar, to: frameCanonical)
        }
    }

    /// Appends a bar: the same as `append(.bar(bar), at:)` without wrapping it in an `Event`,
    /// for the path that carries most of a log's events.
    @discardableResult
    public func append(bar: Bar, at timestamp: Timestamp) throws -> UInt64 {
        // Anything unusual (a new frame, a rule broken, a time-based policy) takes the general path.
        guard takesTypedAppend(at: timestamp, symbol: bar.symbol) else { return try append(.bar(bar), at: timestamp) }
        let sequence = nextSequence
        encoder.encodeBarRecord(sequence: sequence, timestamp: timestamp.rawValue, bar, into: frame)
        digestBar(bar, sequence: sequence, timestamp: timestamp.rawValue)
        return try appended(sequence, at: timestamp)
    }

    /// Appends a signal: the same as `append(.signal(signal), at:)` without the enum around it
    /// (a cross-sectional strategy logs one per symbol per step, alpha values as many again).
    @discardableResult
    public func append(signal: Signal, at timestamp: Timestamp) throws -> UInt64 {
        guard frameDigest != nil, takesTypedAppend(at: timestamp, symbol: signal.symbol) else {
            return try append(.signal(signal), at: timestamp)
        }
        let sequence = nextSequence
        encoder.encodeRecord(signal, sequence: sequence, timestamp: timestamp.rawValue, into: frame)
        if canonicalAsEncoded {
            _ = encoder.appendLastAsCanonical(kind: .signal, sequence: sequence, timestamp: timestamp.rawValue, to: frameCanonical)
        } else {
            encoder.appendLastNames(frameEnd: frame.count, to: &frameNames)
        }
        return try appended(sequence, at: timestamp)
    }

    /// Appends an alpha value: the same as `append(.alphaValue(value), at:)`.
    @discardableResult
    public func append(alphaValue value: AlphaValue, at timestamp: Timestamp) throws -> UInt64 {
        guard frameDigest != nil, takesTypedAppend(at: timestamp, symbol: value.symbol) else {
            return try append(.alphaValue(value), at: timestamp)
        }
        let sequence = nextSequence
        encoder.encodeRecord(value, sequence: sequence, timestamp: timestamp.rawValue, into: frame)
        if canonicalAsEncoded {
            _ = encoder.appendLastAsCanonical(kind: .alphaValue, sequence: sequence, timestamp: timestamp.rawValue, to: frameCanonical)
        } else {
            encoder.appendLastNames(frameEnd: frame.count, to: &frameNames)
        }
        return try appended(sequence, at: timestamp)
    }

    /// Whether an event of a kind that sets no frame flag may skip `append`'s general path: a frame
    /// is open (so the log is neither new nor closed), no rule is broken, and flushing goes by size
    /// alone. (A signal or an alpha value also needs frames digested behind, where the thread
    /// behind makes its canonical record; a bar's is made here either way.)
    @inline(__always)
    private func takesTypedAppend(at timestamp: Timestamp, symbol: SymbolID) -> Bool {
        frameEvents > 0 && !timeBasedFlush && timestamp.rawValue >= lastAppendedTime && symbol.index < definedSymbols
    }

    /// What every append does once its record is in the frame.
    @inline(__always)
    private func appended(_ sequence: UInt64, at timestamp: Timestamp) throws -> UInt64 {
        frameEvents += 1
        nextSequence = sequence + 1
        lastAppendedTime = timestamp.rawValue
        if frame.count >= maxFrameBytes || frameEvents >= maxFrameEvents {
            try writeFrame()
        }
        return sequence
    }

    /// The id of `name`, defining it (a symbol-definition event at `timestamp`) when new.
    public func symbol(_ name: String, at timestamp: Timestamp) throws -> SymbolID {
        if let id = symbolIDs[name] { return id }
        let id = SymbolID(symbolNames.count)
        try append(.symbolDefinition(SymbolDefinition(symbol: id, name: name)), at: timestamp)
        return id
    }

    public func symbolID(_ name: String) -> SymbolID? { symbolIDs[name] }

    private func validate(_ payload: EventPayload, at timestamp: Timestamp) throws {
        guard !closed else { throw LogError(path: path, .invalidAppend("the log is closed")) }
        if let last = lastTimestamp, timestamp < last {
            throw LogError(path: path, .invalidAppend(
                "time went backwards: event \(nextSequence) at \(timestamp.rawValue) ns is before \(last.rawValue) ns"))
        }
        switch payload {
        case .manifest:
            guard nextSequence == 0 else { throw LogError(path: path, .invalidAppend("a manifest may only be event 0")) }
            return
        case .symbolDefinition(let d):
            guard d.symbol.index == symbolNames.count else {
                throw LogError(path: path, .invalidAppend("symbol \"\(d.name)\" defined as id \(d.symbol.rawValue); the next id is \(symbolNames.count)"))
            }
            guard symbolIDs[d.name] == nil else { throw LogError(path: path, .invalidAppend("symbol \"\(d.name)\" is already defined")) }
            guard symbolNames.count < RecordDecoder.maxSymbols else { throw LogError(path: path, .invalidAppend("too many symbols")) }
        case .corporateAction(let a) where a.target.index >= symbolNames.count:
            throw LogError(path: path, .invalidAppend("symbol id \(a.target.rawValue) is used before it is defined"))
        default:
            if let s = payload.symbol, s.index >= symbolNames.count {
                throw LogError(path: path, .invalidAppend("symbol id \(s.rawValue) is used before it is defined"))
            }
        }
        guard nextSequence > 0 else { throw LogError(path: path, .invalidAppend("the first event must be the manifest")) }
    }

    // MARK: frames

    /// Writes the open frame now (an explicit flush); returns once it is in the file.
    public func flush() throws {
        try writeFrame()
        try behind?.drain()
    }

    /// Writes the open frame if the millisecond policy says it has waited long enough.
    public func flushIfDue() throws {
        guard frameEvents > 0, let ms = options.flush.maxMilliseconds else { return }
        if monotonicMilliseconds() - frameOpenedAt >= ms { try writeFrame() }
    }

    /// `digested`: false when the caller hashes this frame's records itself (`close`).
    private func writeFrame(digested: Bool = true) throws {
        guard frameEvents > 0 else { return }
        try cutStaleTail()
        let header = FrameInfo(offset: 0, firstSequence: frameFirstSequence, eventCount: frameEvents,
                               rawSize: UInt32(frame.count), compressedSize: 0, flags: frameFlags,
                               firstTimestamp: frameFirstTimestamp, lastTimestamp: lastAppendedTime)
        let file = try openedFile()
        if let behind {
            try behind.check()
            let full = behind.spareFrame()
            full.swapContents(with: frame)
            var bars: ByteBuffer?
            var handedDigest = digested ? frameDigest : nil
            var names: NameList?
            if frameDigest != nil {
                // What was added before (a reopened log's events) is hashed before this frame.
                digest.drain()
                if handedDigest != nil, canonicalAsEncoded {
                    // Its canonical records are all made: the thread hashes them in turn, in order.
                    let canonical = behind.spareBatch()
                    canonical.swapContents(with: frameCanonical)
                    behind.hash(canonical, with: digest.hasher)
                    handedDigest = nil
                } else if handedDigest != nil, behind.isBehind || digestsEveryFrameHere, let canonical = canonicalRecords(of: full, from: behind) {
                    // Frames queue up behind: rather than wait, this thread makes this one's
                    // canonical records itself; the thread hashes them in turn, in order. (Should
                    // that fail, the thread digests the frame as usual and reports what is wrong.)
                    behind.hash(canonical, with: digest.hasher)
                    frameCanonical.removeAll()
                    handedDigest = nil
                } else {
                    let spare = behind.spareBatch()
                    spare.swapContents(with: frameCanonical)
                    bars = spare
                    names = frameNames
                }
                frameNames = NameList()
            }
            behind.write(full, header, to: file, digest: handedDigest, bars: bars, names: names)
        } else {
            try frameOutput.write(frame, header, to: file)
            frame.removeAll()
        }
        frameEvents = 0
    }

    /// The canonical records of `frame` (whose bars' are in `frameCanonical`, its strings' places in
    /// `frameNames`), or nil if they cannot be made.
    private func canonicalRecords(of frame: ByteBuffer, from behind: WriteBehind) -> ByteBuffer? {
        let canonical = behind.spareBatch()
        do throws(RecordError) {
            try ownDigester.canonical(ownFrame: frame.bytes, bars: frameCanonical.bytes, names: frameNames, into: canonical)
        } catch {
            return nil
        }
        return canonical
    }

    /// Runs before the first frame is handed over, so nothing is in flight behind it.
    private func cutStaleTail() throws {
        guard truncateBeforeWriting, let file else { return }
        try file.truncate(to: frameOutput.endOffset)
        if options.flush.fsync { try file.sync() }
        truncateBeforeWriting = false
    }

    /// SHA-256 of the canonical bytes of every event appended so far.
    public var currentDigest: [UInt8] {
        guard frameDigest != nil else { return digest.current() }
        // The open frame is not digested yet: on a copy of the digest, by this thread's digester.
        try? behind?.drain()
        let copy = digest.copy()
        if canonicalAsEncoded {
            copy.hasher.update(frameCanonical.bytes)
        } else {
            try? ownDigester.add(frame: frame.bytes, bars: frameCanonical.bytes, to: copy.hasher)
        }
        return copy.current()
    }

    /// Flushes, writes the index and footer, and closes. The writer cannot be used afterwards.
    @discardableResult
    public func close() throws -> LogSummary {
        guard !closed else { throw LogError(path: path, .invalidAppend("the log is already closed")) }
        // The last frame's canonical records are made here while the thread compresses and writes
        // it (from a copy: the thread reuses its buffer), then hashed after the frames before it.
        var lastFrameCanonical: ByteBuffer?
        if frameDigest != nil, frameEvents > 0, canonicalAsEncoded {
            // Already made as the frame was encoded.
            let canonical = ByteBuffer(capacity: frameCanonical.count)
            canonical.append(frameCanonical.bytes)
            try writeFrame(digested: false)
            lastFrameCanonical = canonical
        } else if frameDigest != nil, frameEvents > 0 {
            let copy = ByteBuffer(capacity: frame.count)
            copy.append(frame.bytes)
            let bars = ByteBuffer(capacity: frameCanonical.count)
            bars.append(frameCanonical.bytes)
            try writeFrame(digested: false)
            let canonical = ByteBuffer(capacity: copy.count * 2)
            do throws(RecordError) {
                try ownDigester.canonical(frame: copy.bytes, bars: bars.bytes, into: canonical)
            } catch {
                throw LogError(path: path, .corrupt("digesting the last frame: \(error.message)"))
            }
            lastFrameCanonical = canonical
        } else {
            try writeFrame()
        }
        try behind?.drain()
        if let lastFrameCanonical { digest.hasher.update(lastFrameCanonical.bytes) }
        try cutStaleTail()
        let finalDigest = digest.current()
        let output = ByteBuffer(capacity: 4096)
        output.appendIndex(frames: frameOutput.frames, eventCount: nextSequence, digest: finalDigest)
        output.appendFooter(indexOffset: frameOutput.endOffset, indexSize: output.count, eventCount: nextSequence)
        let file = try openedFile()
        try file.write(output.bytes, at: frameOutput.endOffset)
        frameOutput.endOffset += Int64(output.count)
        try file.truncate(to: frameOutput.endOffset)
        if options.flush.fsync { try file.sync() }
        closed = true
        // Everything is hashed and written: later digests are taken here, the thread ends.
        digest.behind = nil
        frameDigest = nil
        behind?.stop()
        return LogSummary(path: path, eventCount: nextSequence, frameCount: frameOutput.frames.count, fileSize: frameOutput.endOffset, digest: finalDigest)
    }
}
