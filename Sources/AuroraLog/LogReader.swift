import AuroraModel

/// How a log ends.
public enum TailState: Sendable, Equatable {
    /// Closed by its writer: the index and footer are in place.
    case closed
    /// Every frame is intact but the writer never closed it (e.g. a crash between frames).
    case unclosed
    /// The file ends inside a frame, as a crash mid-write leaves it; the offset is where the
    /// intact prefix ends, which is where reopening for append truncates.
    case torn(LogError)
    /// A frame before the end is damaged; frames after it cannot be located.
    case damaged(LogError)
}

/// Opens a log for reading: checks the file header, locates frames through the stored index
/// (or by hopping frame headers when there is none), and loads the manifest and symbol table.
/// Events are then streamed frame by frame with `events(from:)` in bounded memory.
public final class LogReader {
    public let path: String
    let file: LogFile
    public let fileSize: Int64
    public let formatVersion: UInt16
    /// The data frames, in order.
    public private(set) var frames: [FrameInfo] = []
    public private(set) var tail: TailState = .unclosed
    /// Digest and event count the writer recorded at close (closed logs only).
    public private(set) var storedDigest: [UInt8]?
    public private(set) var storedEventCount: UInt64?
    /// True when the frames were found by scanning because the index was missing or unusable.
    public private(set) var indexRebuilt = false
    public private(set) var manifest: Manifest?
    public private(set) var symbols: [String] = []

    public convenience init(path: String) throws {
        try self.init(path: path, definitions: true)
    }

    /// `definitions` false: the manifest and symbols are not read (they stay empty), for a caller
    /// that takes them from its own pass over every frame (`LogInspector`), which would otherwise
    /// decompress and walk the first frame twice, the second time after waiting for the first.
    init(path: String, definitions: Bool) throws {
        self.path = path
        file = try LogFile(path: path, mode: .read)
        fileSize = try file.size()
        guard fileSize > 0 else { throw LogError(path: path, offset: 0, .emptyFile) }
        let buffer = ByteBuffer(capacity: 64)
        try file.read(at: 0, count: FrameLayout.fileHeaderSize, into: buffer)
        formatVersion = try Self.checkFileHeader(buffer, path: path)
        if !(try loadStoredIndex()) {
            try scanFrames()
            indexRebuilt = true
        }
        if definitions { try loadDefinitions() }
    }

    private static func checkFileHeader(_ b: ByteBuffer, path: String) throws -> UInt16 {
        let bytes = b.bytes
        guard bytes.count >= 8 else { throw LogError(path: path, offset: 0, .notAnAuroraLog("only \(bytes.count) bytes")) }
        let magic = UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self))
        if magic == 0xFD2F_B528 {
            throw LogError(path: path, offset: 0, .notAnAuroraLog("a plain zstd file without an Aurora header"))
        }
        guard magic == FrameLayout.fileHeaderMagic else {
            throw LogError(path: path, offset: 0, .notAnAuroraLog("no Aurora file header"))
        }
        guard bytes.count == FrameLayout.fileHeaderSize else {
            throw LogError(path: path, offset: 0, .notAnAuroraLog("file header is cut short"))
        }
        guard UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) == UInt32(FrameLayout.fileHeaderPayloadSize) else {
            throw LogError(path: path, offset: 4, .corrupt("file header has the wrong size"))
        }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[8...])
        guard Array(payload[0..<8]) == FrameLayout.signature else {
            throw LogError(path: path, offset: 8, .notAnAuroraLog("bad signature"))
        }
        guard crcMatches(payload) else { throw LogError(path: path, offset: 8, .corrupt("file header checksum mismatch")) }
        let version = UInt16(littleEndian: payload.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        guard version <= FrameLayout.formatVersion else {
            throw LogError(path: path, offset: 16, .newerFormat(found: version, supported: FrameLayout.formatVersion))
        }
        return version
    }

    // MARK: locating frames

    /// Uses the footer and index when both are intact; false means "scan instead".
    private func loadStoredIndex() throws -> Bool {
        let footerOffset = fileSize - Int64(FrameLayout.footerSize)
        guard footerOffset >= Int64(FrameLayout.fileHeaderSize) else { return false }
        let b = ByteBuffer(capacity: 64)
        try file.read(at: footerOffset, count: FrameLayout.footerSize, into: b)
        let bytes = b.bytes
        guard UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)) == FrameLayout.footerMagic,
              UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) == UInt32(FrameLayout.footerPayloadSize),
              crcMatches(UnsafeRawBufferPointer(rebasing: bytes[8...])) else { return false }
        let indexOffset = Int64(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        let indexSize = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
        guard indexOffset >= Int64(FrameLayout.fileHeaderSize), indexSize >= 8,
              indexOffset + Int64(indexSize) == footerOffset else { return false }
        try file.read(at: indexOffset, count: indexSize, into: b)
        let index = b.bytes
        guard UInt32(littleEndian: index.loadUnaligned(as: UInt32.self)) == FrameLayout.indexMagic,
              Int(UInt32(littleEndian: index.loadUnaligned(fromByteOffset: 4, as: UInt32.self))) == indexSize - 8 else { return false }
        let payload = UnsafeRawBufferPointer(rebasing: index[8...])
        guard crcMatches(payload), let stored = try? StoredIndex(payload: payload) else { return false }
        // Frame sizes are in the frame headers, which are read (and checked) as frames are visited;
        // the index only has to say where frames start.
        var list: [FrameInfo] = []
        list.reserveCapacity(stored.entries.count)
        var previousEnd = Int64(FrameLayout.fileHeaderSize)
        for entry in stored.entries {
            guard entry.offset == previousEnd else { return false }
            guard let info = try? readFrameHeader(at: entry.offset), IndexEntry(info) == entry else { return false }
            list.append(info)
            previousEnd = info.endOffset
        }
        guard previousEnd == indexOffset else { return false }
        frames = list
        storedDigest = stored.digest
        storedEventCount = stored.eventCount
        tail = .closed
        return true
    }

    /// Hops from frame header to frame header; stops at the first thing that is not a whole frame.
    private func scanFrames() throws {
        var offset = Int64(FrameLayout.fileHeaderSize)
        let b = ByteBuffer(capacity: 64)
        var expectedSequence: UInt64 = 0
        while offset < fileSize {
            guard fileSize - offset >= 8 else {
                tail = .torn(LogError(path: path, offset: offset, .tornTail("\(fileSize - offset) stray bytes after the last frame")))
                return
            }
            try file.read(at: offset, count: 8, into: b)
            let magic = UInt32(littleEndian: b.bytes.loadUnaligned(as: UInt32.self))
            let size = Int64(UInt32(littleEndian: b.bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
            switch magic {
            case FrameLayout.frameHeaderMagic:
                guard size == Int64(FrameLayout.frameHeaderPayloadSize) else {
                    tail = .damaged(LogError(path: path, offset: offset, .corrupt("frame header claims \(size) bytes")))
                    return
                }
                guard offset + Int64(FrameLayout.frameHeaderSize) <= fileSize else {
                    tail = .torn(LogError(path: path, offset: offset, .tornTail("frame header is cut short")))
                    return
                }
                let info: FrameInfo
                do {
                    info = try readFrameHeader(at: offset)
                } catch let error as LogError {
                    tail = .damaged(error)
                    return
                }
                guard info.endOffset <= fileSize else {
                    tail = .torn(LogError(path: path, offset: offset,
                                          .tornTail("data frame of \(info.compressedSize) bytes at \(info.dataOffset) ends past the end of the file (\(fileSize) bytes)")))
                    return
                }
                guard info.firstSequence == expectedSequence else {
                    tail = .damaged(LogError(path: path, offset: offset,
                                             .corrupt("frame starts at sequence \(info.firstSequence), expected \(expectedSequence)")))
                    return
                }
                frames.append(info)
                expectedSequence = info.lastSequence &+ 1
                offset = info.endOffset
            case FrameLayout.indexMagic, FrameLayout.footerMagic:
                // We only scan when the footer check failed: an index that is cut short (or has no
                // footer yet) is a close interrupted by a crash; a whole one means damage.
                if offset + 8 + size + Int64(FrameLayout.footerSize) > fileSize || magic == FrameLayout.footerMagic && offset + 8 + size > fileSize {
                    tail = .torn(LogError(path: path, offset: offset, .tornTail("the closing index is incomplete")))
                } else {
                    tail = .damaged(LogError(path: path, offset: offset, .corrupt("the index or footer is damaged")))
                }
                return
            default:
                let what = magic == 0xFD2F_B528 ? "a zstd frame without its Aurora frame header"
                    : "unexpected bytes (0x\(String(magic, radix: 16))) where a frame header should be"
                tail = .damaged(LogError(path: path, offset: offset, .corrupt(what)))
                return
            }
        }
        tail = .unclosed
    }

    func readFrameHeader(at offset: Int64) throws -> FrameInfo {
        let b = ByteBuffer(capacity: 64)
        guard try file.read(at: offset, count: FrameLayout.frameHeaderSize, into: b) == FrameLayout.frameHeaderSize else {
            throw LogError(path: path, offset: offset, .tornTail("frame header is cut short"))
        }
        let bytes = b.bytes
        guard UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)) == FrameLayout.frameHeaderMagic,
              UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) == UInt32(FrameLayout.frameHeaderPayloadSize)
        else { throw LogError(path: path, offset: offset, .corrupt("not a frame header")) }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[8...])
        guard crcMatches(payload) else { throw LogError(path: path, offset: offset, .corrupt("frame header checksum mismatch")) }
        do {
            let info = try FrameInfo(offset: offset, payload: payload)
            guard info.eventCount > 0, Int(info.rawSize) <= FrameLayout.maxFrameBytes,
                  info.firstTimestamp <= info.lastTimestamp else {
                throw LogError(path: path, offset: offset, .corrupt("frame header values are implausible"))
            }
            return info
        } catch let error as RecordError {
            throw LogError(path: path, offset: offset, .corrupt(error.message))
        }
    }

    // MARK: manifest and symbols

    private func loadDefinitions() throws {
        guard !frames.isEmpty else { return }
        for (i, frame) in frames.enumerated() where frame.hasDefinitions || i == 0 {
            // The frame is checked whole; its bars (most of a first frame) are passed over.
            let cursor = EventCursor(reader: self, firstFrame: i, lastFrame: i, reportsDamagedTail: false,
                                     kinds: [.manifest, .symbolDefinition])
            while let event = try cursor.next() {
                switch event.payload {
                case .manifest(let m): manifest = m
                case .symbolDefinition(let d): symbols.append(d.name)
                default: break
                }
            }
        }
        guard manifest != nil else {
            throw LogError(path: path, offset: frames[0].offset, .corrupt("the first event is not a manifest"))
        }
    }

    /// Reads only the first `count` frames from now on, as if the file ended after them: what a
    /// writer reopened for append continues from before it has cut the rest.
    public func restrict(toFrames count: Int) throws {
        guard count < frames.count else { return }
        frames.removeLast(frames.count - max(0, count))
        tail = .unclosed
        storedDigest = nil
        storedEventCount = nil
        manifest = nil
        symbols = []
        try loadDefinitions()
    }

    /// The id of a symbol name, if the log defines it.
    public func symbolID(_ name: String) -> SymbolID? {
        symbols.firstIndex(of: name).map { SymbolID($0) }
    }

    public func symbolName(_ id: SymbolID) -> String? {
        id.index < symbols.count ? symbols[id.index] : nil
    }

    public var eventCount: UInt64 { frames.last.map { $0.lastSequence &+ 1 } ?? 0 }
    public var firstTimestamp: Timestamp? { frames.first.map { Timestamp(rawValue: $0.firstTimestamp) } }
    public var lastTimestamp: Timestamp? { frames.last.map { Timestamp(rawValue: $0.lastTimestamp) } }

    // MARK: streaming

    /// A cursor over the events of frames `first...last` only (for reading one frame near a seek
    /// target); with `kinds`, only those are built.
    public func events(frames range: ClosedRange<Int>, kinds: Set<EventKind>? = nil) -> EventCursor {
        EventCursor(reader: self, firstFrame: range.lowerBound, lastFrame: range.upperBound, reportsDamagedTail: false, kinds: kinds)
    }

    public enum Start: Sendable {
        case beginning
        case sequence(UInt64)
        case timestamp(Timestamp)
    }

    /// A cursor over the events from `start` on. Seeking decodes only the frame the start lies in.
    /// With `kinds`, only those come out; the rest are checked (sequence, time) but not built.
    /// With `through`, frames that begin after that time are left out (the cursor may still
    /// return a few later events of the last frame it reads: callers stop at their own limit).
    /// `decodeThreads`: threads decoding ahead of a long read (see `LogThreads.decodeThreadsForLightReaders`).
    /// `barsAsValues`: a load of bars, read with `nextItem` in runs (see `EventCursor.Item.bars`);
    /// it decodes ahead from its first frame. `barSymbols` (with `barsAsValues`): only these
    /// symbols' bars come; each other bar is read no further than its symbol, and nothing says it
    /// was there (the other kinds come as asked).
    public func events(from start: Start = .beginning, through: Timestamp? = nil, kinds: Set<EventKind>? = nil,
                       decodeThreads: Int = 1, barsAsValues: Bool = false, barSymbols: Set<SymbolID>? = nil) -> EventCursor {
        let last = through.map { t in frames.partitionIndex { $0.firstTimestamp > t.rawValue } - 1 } ?? frames.count - 1
        switch start {
        case .beginning:
            return EventCursor(reader: self, firstFrame: 0, lastFrame: last, kinds: kinds, decodeThreads: decodeThreads,
                               barsAsValues: barsAsValues, barSymbols: barSymbols)
        case .sequence(let s):
            let i = max(0, frames.partitionIndex { $0.lastSequence >= s })
            return EventCursor(reader: self, firstFrame: i, lastFrame: last, skipBelowSequence: s, kinds: kinds,
                               decodeThreads: decodeThreads, barsAsValues: barsAsValues, barSymbols: barSymbols)
        case .timestamp(let t):
            let i = max(0, frames.partitionIndex { $0.lastTimestamp >= t.rawValue })
            return EventCursor(reader: self, firstFrame: i, lastFrame: last, skipBelowTimestamp: t.rawValue, kinds: kinds,
                               decodeThreads: decodeThreads, barsAsValues: barsAsValues, barSymbols: barSymbols)
        }
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, which must be false then true along the array.
    func partitionIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
