/// Reads little-endian fixed-width values off checkpoint bytes; nil past the end.
public struct CheckpointReader {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var atEnd: Bool { position == bytes.count }

    public mutating func take<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard position + size <= bytes.count else { return nil }
        var v: T = 0
        withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: bytes[position..<(position + size)]) }
        position += size
        return T(littleEndian: v)
    }
}
