/// Writes varints through a raw pointer into space the caller has reserved: the hot path for
/// bar records, with no capacity checks or buffer bookkeeping per field.
struct RawWriter {
    var p: UnsafeMutablePointer<UInt8>

    @inline(__always) mutating func byte(_ b: UInt8) {
        p.pointee = b
        p += 1
    }

    @inline(__always) mutating func varint(_ value: UInt64) {
        if value >> 56 != 0 && value >> 63 == 0 {
            nineByteVarint(value)
            return
        }
        var v = value
        while v >= 0x80 {
            p.pointee = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            p += 1
        }
        p.pointee = UInt8(truncatingIfNeeded: v)
        p += 1
    }

    /// A varint of nine bytes — every canonical record's time (nanoseconds since 1970, zigzagged,
    /// is over 2^56) — written as one 8-byte store of its first eight 7-bit groups and a last
    /// byte, instead of byte by byte (a chain of nine dependent steps that was the most of the
    /// time spent writing a transcoded record).
    @inline(__always) private mutating func nineByteVarint(_ v: UInt64) {
        var groups = v & 0x7F
        groups |= (v << 1) & 0x7F00
        groups |= (v << 2) & 0x7F_0000
        groups |= (v << 3) & 0x7F00_0000
        groups |= (v << 4) & 0x7F_0000_0000
        groups |= (v << 5) & 0x7F00_0000_0000
        groups |= (v << 6) & 0x7F_0000_0000_0000
        groups |= (v << 7) & 0x7F00_0000_0000_0000
        UnsafeMutableRawPointer(p).storeBytes(of: (groups | 0x8080_8080_8080_8080).littleEndian, as: UInt64.self)
        p[8] = UInt8(truncatingIfNeeded: v >> 56)
        p += 9
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
