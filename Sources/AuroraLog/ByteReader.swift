/// Reads the primitives `ByteBuffer` writes, from memory that the caller keeps alive.
/// Every read is bounds-checked and throws on overrun: logs are untrusted input.
struct ByteReader {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private(set) var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        // An empty buffer may have no address; nothing is ever read through the stand-in.
        self.base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? ByteReader.emptyBase
        self.end = bytes.count
        self.position = position
    }

    nonisolated(unsafe) private static let emptyBase: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }
    /// The bytes not read yet (valid as long as the memory read from).
    var rest: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base + position, count: max(0, end - position)) }

    @inline(__always) mutating func readByte() throws(RecordError) -> UInt8 {
        guard position < end else { throw .truncated }
        let b = base[position]
        position += 1
        return b
    }

    @inline(__always) mutating func readVarint() throws(RecordError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw .truncated }
            let b = base[position]
            position += 1
            if shift == 63 && b > 1 { throw .malformed("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw .malformed("varint longer than 10 bytes") }
        }
    }

    @inline(__always) mutating func readZigzag() throws(RecordError) -> Int64 {
        let v = try readVarint()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    @inline(__always) mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type) throws(RecordError) -> T {
        let size = MemoryLayout<T>.size
        guard end - position >= size else { throw .truncated }
        let v = UnsafeRawPointer(base + position).loadUnaligned(as: T.self)
        position += size
        return T(littleEndian: v)
    }

    mutating func readBytes(_ count: Int) throws(RecordError) -> UnsafeRawBufferPointer {
        guard count >= 0, end - position >= count else { throw .truncated }
        let slice = UnsafeRawBufferPointer(start: base + position, count: count)
        position += count
        return slice
    }

    mutating func skip(_ count: Int) throws(RecordError) {
        guard count >= 0, end - position >= count else { throw .truncated }
        position += count
    }

    /// A reader over the next `count` bytes; this reader moves past them.
    mutating func subReader(_ count: Int) throws(RecordError) -> ByteReader {
        let bytes = try readBytes(count)
        return ByteReader(bytes)
    }
}

/// Why a record could not be decoded; the frame reader adds the file offset.
enum RecordError: Error, Equatable {
    case truncated
    case malformed(String)

    var message: String {
        switch self {
        case .truncated: "record ends early"
        case .malformed(let why): why
        }
    }
}
