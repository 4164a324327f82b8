/// The index frame (one 48-byte entry per data frame, then the event count and run digest) and
/// the fixed-size footer that points at it, both written by `close()`.
extension ByteBuffer {
    func appendIndex(frames: [FrameInfo], eventCount: UInt64, digest: [UInt8]) {
        let payloadSize = 8 + frames.count * FrameLayout.indexEntrySize + 8 + 32 + 4
        appendSkippableHeader(magic: FrameLayout.indexMagic, payloadSize: payloadSize)
        let start = count
        appendLittleEndian(UInt32(frames.count))
        appendLittleEndian(UInt32(0))
        for f in frames {
            appendLittleEndian(UInt64(f.offset))
            appendLittleEndian(f.firstSequence)
            appendLittleEndian(f.eventCount)
            appendLittleEndian(f.flags)
            appendLittleEndian(f.firstTimestamp)
            appendLittleEndian(f.lastTimestamp)
        }
        appendLittleEndian(eventCount)
        append(digest)
        appendCRC(since: start)
    }

    func appendFooter(indexOffset: Int64, indexSize: Int, eventCount: UInt64) {
        appendSkippableHeader(magic: FrameLayout.footerMagic, payloadSize: FrameLayout.footerPayloadSize)
        let start = count
        appendLittleEndian(UInt64(indexOffset))
        appendLittleEndian(UInt32(indexSize))
        appendLittleEndian(UInt32(FrameLayout.formatVersion))
        appendLittleEndian(eventCount)
        appendLittleEndian(UInt32(0))
        appendCRC(since: start)
    }
}

/// A parsed index: where each frame starts and what it covers, plus what the writer recorded at close.
struct StoredIndex {
    var entries: [IndexEntry]
    var eventCount: UInt64
    var digest: [UInt8]
}

struct IndexEntry: Equatable {
    var offset: Int64
    var firstSequence: UInt64
    var eventCount: UInt32
    var flags: UInt32
    var firstTimestamp: Int64
    var lastTimestamp: Int64

    init(offset: Int64, firstSequence: UInt64, eventCount: UInt32, flags: UInt32, firstTimestamp: Int64, lastTimestamp: Int64) {
        self.offset = offset
        self.firstSequence = firstSequence
        self.eventCount = eventCount
        self.flags = flags
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
    }

    init(_ f: FrameInfo) {
        self.init(offset: f.offset, firstSequence: f.firstSequence, eventCount: f.eventCount, flags: f.flags,
                  firstTimestamp: f.firstTimestamp, lastTimestamp: f.lastTimestamp)
    }
}

extension StoredIndex {
    /// Parses an index payload whose CRC has been checked.
    init(payload: UnsafeRawBufferPointer) throws(RecordError) {
        var r = ByteReader(payload)
        let n = Int(try r.readLittleEndian(UInt32.self))
        _ = try r.readLittleEndian(UInt32.self)
        guard n <= r.remaining / FrameLayout.indexEntrySize else { throw .malformed("index entry count \(n)") }
        entries = []
        entries.reserveCapacity(n)
        for _ in 0..<n {
            entries.append(IndexEntry(
                offset: Int64(bitPattern: try r.readLittleEndian(UInt64.self)),
                firstSequence: try r.readLittleEndian(UInt64.self),
                eventCount: try r.readLittleEndian(UInt32.self),
                flags: try r.readLittleEndian(UInt32.self),
                firstTimestamp: try r.readLittleEndian(Int64.self),
                lastTimestamp: try r.readLittleEndian(Int64.self)))
        }
        eventCount = try r.readLittleEndian(UInt64.self)
        digest = Array(try r.readBytes(32))
    }
}
