import AuroraLog
import AuroraModel
import AuroraData
import AuroraStats

/// The full portfolio state as checkpoint bytes, so a reader can start folding from a checkpoint
/// instead of from the first event. Doubles are stored by bit pattern: restoring is exact.
extension PortfolioState {
    /// Version 2 adds the dividends after the header; a state without any still writes version 1,
    /// so logs without corporate actions keep their checkpoints byte for byte.
    static let checkpointVersion: UInt8 = 1
    public static let reducerName = "portfolio"

    public var checkpointBytes: [UInt8] {
        let withDividends = dividends != 0
        let symbols = positions.count
        precondition(averageCost.count == symbols && lastPrice.count == symbols, "portfolio columns of different lengths")
        // Written in place at its exact size: a checkpoint of 500 symbols is 1,500 values, and
        // the kernel and `verify` both make one every thousand events or so.
        let size = 1 + 8 * 8 + (withDividends ? 8 : 0) + 4 + symbols * 24
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var at = 0
            func put<T: FixedWidthInteger>(_ v: T) {
                raw.storeBytes(of: v.littleEndian, toByteOffset: at, as: T.self)
                at += MemoryLayout<T>.size
            }
            func put(_ d: Double) { put(d.bitPattern) }
            put(withDividends ? 2 : Self.checkpointVersion)
            put(initialCash); put(cash); put(realizedPnL); put(fees); put(turnover)
            put(UInt64(fillCount)); put(timestamp.rawValue); put(sequence)
            if withDividends { put(dividends) }
            put(UInt32(symbols))
            positions.withUnsafeBufferPointer { p in
                averageCost.withUnsafeBufferPointer { c in
                    lastPrice.withUnsafeBufferPointer { l in
                        for i in 0..<symbols { put(p[i]); put(c[i]); put(l[i]) }
                    }
                }
            }
            initialized = at
        }
    }

    /// Restores a state from `checkpointBytes`; nil when the bytes are not such a state.
    public init?(checkpointBytes bytes: [UInt8]) {
        var position = 0
        func take<T: FixedWidthInteger>(_: T.Type) -> T? {
            let size = MemoryLayout<T>.size
            guard position + size <= bytes.count else { return nil }
            var v: T = 0
            withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: bytes[position..<(position + size)]) }
            position += size
            return T(littleEndian: v)
        }
        func double() -> Double? { take(UInt64.self).map(Double.init(bitPattern:)) }
        guard let version = bytes.first, version == 1 || version == 2 else { return nil }
        position = 1
        self.init()
        guard let a = double(), let b = double(), let c = double(), let d = double(), let e = double(),
              let fills = take(UInt64.self), let t = take(Int64.self), let s = take(UInt64.self) else { return nil }
        if version == 2 {
            guard let paid = double() else { return nil }
            dividends = paid
        }
        guard let n = take(UInt32.self), Int(n) * 24 == bytes.count - position else { return nil }
        (initialCash, cash, realizedPnL, fees, turnover) = (a, b, c, d, e)
        fillCount = Int(fills)
        timestamp = Timestamp(rawValue: t)
        sequence = s
        for _ in 0..<Int(n) {
            guard let q = take(Int64.self), let cost = double(), let last = double() else { return nil }
            positions.append(q); averageCost.append(cost); lastPrice.append(last)
        }
    }

    public var checkpointDigest: [UInt8] { sha256(checkpointBytes) }
}
