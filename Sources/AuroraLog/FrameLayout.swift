/// The byte layout of an Aurora log (see docs/LOG_FORMAT.md):
///
///     file header   skippable frame  "AURORLOG", format version
///     repeated:     frame header     skippable frame: sequence/time range, sizes, CRC
///                   data frame       zstd frame with content checksum, holding records
///     index         skippable frame  one entry per data frame, digest      (written at close)
///     footer        skippable frame  where the index starts                 (written at close)
///
/// Skippable frames (magic 0x184D2A5?) are ignored by `zstd -d`, so the file is a valid zstd stream.
enum FrameLayout {
    static let formatVersion: UInt16 = 1

    static let fileHeaderMagic: UInt32 = 0x184D_2A5A
    static let frameHeaderMagic: UInt32 = 0x184D_2A5B
    static let indexMagic: UInt32 = 0x184D_2A5C
    static let footerMagic: UInt32 = 0x184D_2A5D

    static let signature: [UInt8] = Array("AURORLOG".utf8)
    static let fileHeaderPayloadSize = 16      // signature, version u16, flags u16, crc u32
    static let fileHeaderSize = 8 + fileHeaderPayloadSize
    static let frameHeaderPayloadSize = 48
    static let frameHeaderSize = 8 + frameHeaderPayloadSize
    static let indexEntrySize = 40
    static let footerPayloadSize = 32
    static let footerSize = 8 + footerPayloadSize

    /// Larger frames are refused as corrupt rather than allocated.
    static let maxFrameBytes = 256 << 20

    static let flagHasDefinitions: UInt32 = 1
    static let flagHasCheckpoint: UInt32 = 2
}

/// What the frame header says about the data frame that follows it.
public struct FrameInfo: Sendable, Equatable {
    /// Offset of the frame header; the data frame starts `FrameLayout.frameHeaderSize` later.
    public var offset: Int64
    public var firstSequence: UInt64
    public var eventCount: UInt32
    public var rawSize: UInt32
    public var compressedSize: UInt32
    public var flags: UInt32
    public var firstTimestamp: Int64
    public var lastTimestamp: Int64

    public var lastSequence: UInt64 { firstSequence &+ UInt64(eventCount) &- 1 }
    public var dataOffset: Int64 { offset + Int64(FrameLayout.frameHeaderSize) }
    public var endOffset: Int64 { dataOffset + Int64(compressedSize) }
    var hasDefinitions: Bool { flags & FrameLayout.flagHasDefinitions != 0 }
    /// Whether the frame holds a checkpoint event (readers seek to state through these).
    public var hasCheckpoint: Bool { flags & FrameLayout.flagHasCheckpoint != 0 }
}

extension ByteBuffer {
    func appendSkippableHeader(magic: UInt32, payloadSize: Int) {
        appendLittleEndian(magic)
        appendLittleEndian(UInt32(payloadSize))
    }

    /// Appends the CRC-32 of everything written since `start`.
    func appendCRC(since start: Int) {
        let crc = CRC32.checksum(UnsafeRawBufferPointer(start: base + start, count: count - start))
        appendLittleEndian(crc)
    }

    func appendFileHeader() {
        appendSkippableHeader(magic: FrameLayout.fileHeaderMagic, payloadSize: FrameLayout.fileHeaderPayloadSize)
        let start = count
        append(FrameLayout.signature)
        appendLittleEndian(FrameLayout.formatVersion)
        appendLittleEndian(UInt16(0))
        appendCRC(since: start)
    }

    func appendFrameHeader(_ f: FrameInfo) {
        appendSkippableHeader(magic: FrameLayout.frameHeaderMagic, payloadSize: FrameLayout.frameHeaderPayloadSize)
        let start = count
        appendLittleEndian(f.firstSequence)
        appendLittleEndian(f.eventCount)
        appendLittleEndian(f.rawSize)
        appendLittleEndian(f.compressedSize)
        appendLittleEndian(f.flags)
        appendLittleEndian(f.firstTimestamp)
        appendLittleEndian(f.lastTimestamp)
        appendLittleEndian(UInt32(0))
        appendCRC(since: start)
    }
}

/// Checks the CRC that ends a skippable frame's payload.
func crcMatches(_ payload: UnsafeRawBufferPointer) -> Bool {
    guard payload.count >= 4 else { return false }
    let body = UnsafeRawBufferPointer(rebasing: payload[0..<(payload.count - 4)])
    let stored = payload.loadUnaligned(fromByteOffset: payload.count - 4, as: UInt32.self)
    return CRC32.checksum(body) == UInt32(littleEndian: stored)
}

extension FrameInfo {
    /// Parses a frame header payload whose CRC has been checked.
    init(offset: Int64, payload: UnsafeRawBufferPointer) throws(RecordError) {
        var r = ByteReader(payload)
        self.offset = offset
        firstSequence = try r.readLittleEndian(UInt64.self)
        eventCount = try r.readLittleEndian(UInt32.self)
        rawSize = try r.readLittleEndian(UInt32.self)
        compressedSize = try r.readLittleEndian(UInt32.self)
        flags = try r.readLittleEndian(UInt32.self)
        firstTimestamp = try r.readLittleEndian(Int64.self)
        lastTimestamp = try r.readLittleEndian(Int64.self)
    }
}
