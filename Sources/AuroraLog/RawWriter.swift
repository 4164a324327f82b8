/// Writes varints through a raw pointer into space the caller has reserved: the hot path for
/// bar records, with no capacity checks or buffer bookkeeping per field.
struct RawWriter {
    var p: UnsafeMutablePointer<UInt8>

    @inline(__always) mutating func byte(_ b: UInt8) {
        p.pointee = b
        p += 1
    }

    @inline(__always) mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            p.pointee = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            p += 1
        }
        p.pointee = UInt8(truncatingIfNeeded: v)
        p += 1
    }

    @inline(__always) mutating func fixed<T: FixedWidthInteger>(_ v: T) {
        UnsafeMutableRawPointer(p).storeBytes(of: v.littleEndian, as: T.self)
        p += MemoryLayout<T>.size
    }

    @inline(__always) mutating func copy(_ source: UnsafeRawPointer, _ count: Int) {
        UnsafeMutableRawPointer(p).copyMemory(from: source, byteCount: count)
        p += count
    }

    @inline(__always) mutating func zigzag(_ v: Int64) {
        varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    /// Same encoding as `RecordEncoder.decimal`.
    @inline(__always) mutating func decimal(_ raw: Int64) {
        if let code = decimalCode(raw) {
            varint(code)
        } else {
            varint(UInt64(DecimalCode.escape))
            zigzag(raw)
        }
    }
}

/// The one varint a decimal is written as (quotient and exponent), or nil when it takes the
/// escape (the exponent nibble, then the full value).
@inline(__always) func decimalCode(_ raw: Int64) -> UInt64? {
    let (q, k) = decimalNormalForm(raw)
    let z = UInt64(bitPattern: (q << 1) ^ (q >> 63))
    return z >> 60 != 0 ? nil : z << 4 | UInt64(k)
}
