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

    @inline(__always) mutating func zigzag(_ v: Int64) {
        varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    /// Same encoding as `RecordEncoder.decimal`.
    @inline(__always) mutating func decimal(_ raw: Int64) {
        let (q, k) = decimalNormalForm(raw)
        let z = UInt64(bitPattern: (q << 1) ^ (q >> 63))
        if z >> 60 != 0 {
            varint(UInt64(DecimalCode.escape))
            zigzag(raw)
        } else {
            varint(z << 4 | UInt64(k))
        }
    }
}
