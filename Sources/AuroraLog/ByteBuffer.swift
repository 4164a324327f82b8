/// A growable byte buffer with a stable base address, so encoders write through a raw
/// pointer (no per-byte Array bookkeeping) and zstd can read it in place.
final class ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count: Int = 0

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always) func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always) func removeAll() { count = 0 }

    /// Exchanges the bytes (storage and count) of two buffers: a full buffer goes to another
    /// thread while its owner keeps writing into the same object, which can then stay a `let`
    /// (a `var` reference is retained around every call that writes through it).
    func swapContents(with other: ByteBuffer) {
        swap(&base, &other.base)
        swap(&capacity, &other.capacity)
        swap(&count, &other.count)
    }

    @inline(__always) func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Written by `RawWriter`, the one varint writer (its nine-byte path included).
    @inline(__always) func appendVarint(_ value: UInt64) {
        reserve(10)
        var w = RawWriter(p: base + count)
        w.varint(value)
        count = base.distance(to: w.p)
    }

    @inline(__always) func appendZigzag(_ value: Int64) {
        appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    @inline(__always) func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        reserve(size)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: T.self)
        count += size
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

    func append(_ other: ByteBuffer) { append(other.bytes) }

    /// Appends a varint length prefix followed by `other`'s bytes.
    func appendLengthPrefixed(_ other: ByteBuffer) {
        appendVarint(UInt64(other.count))
        append(other)
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
    var array: [UInt8] { Array(bytes) }

    /// Makes room for `size` bytes and returns where they go; commit with `count += written`.
    func spareCapacity(_ size: Int) -> UnsafeMutableRawPointer {
        reserve(size)
        return UnsafeMutableRawPointer(base + count)
    }
}
