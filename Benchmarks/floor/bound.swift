// The least work any `aurora verify` must do per record beyond zstd and SHA-256 (issue 15), to
// size what a faster decoder could still gain: one pass over a log's decompressed records
// (`zstd -dc run.alog`) reading each record's length and header and writing its canonical form
// (absolute sequence and time, payload copied), bounds-checked, with no field checked, no bar or
// fill read as a value and nothing handed to another thread; then the same pass also storing a
// 24-byte header per record, as the decoding threads store what the checking thread reads.
//
//   zstd -dc run.alog > run.raw && swiftc -O bound.swift -o bound && ./bound run.raw
//
// Prints the best of 7 passes of each, in ns per record. Not part of any build: the floor
// script (`run`) compiles it next to the other references.
import Foundation

struct Header {
    var kind: UInt8
    var sequence: UInt64
    var timestamp: Int64
}

enum BoundError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case damaged(Int)

    var description: String {
        switch self {
        case .unreadable(let path, let why): "\(path): cannot read it (\(why))"
        case .damaged(let offset): "record at byte \(offset) runs past the end: not a decompressed Aurora log"
        }
    }
}

/// A varint at `i`, or nil past `end` (the pass stops there).
@inline(__always) func varint(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> UInt64? {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while i < end, shift < 64 {
        let b = p[i]
        i += 1
        result |= UInt64(b & 0x7F) << shift
        if b < 0x80 { return result }
        shift += 7
    }
    return nil
}

@inline(__always) func put(_ o: UnsafeMutablePointer<UInt8>, _ j: inout Int, _ value: UInt64) {
    var v = value
    while v >= 0x80 {
        o[j] = UInt8(truncatingIfNeeded: v) | 0x80
        v >>= 7
        j += 1
    }
    o[j] = UInt8(truncatingIfNeeded: v)
    j += 1
}

/// One pass; returns the events seen.
func pass(_ p: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>, headers: inout [Header]?) throws -> Int {
    var i = 0, j = 0, records = 0
    var sequence: UInt64 = 0
    var timestamp: Int64 = 0
    while i < n {
        let at = i
        guard let length = varint(p, &i, n), length <= UInt64(n - i) else { throw BoundError.damaged(at) }
        let end = i + Int(length)
        guard let kind = varint(p, &i, end) else { throw BoundError.damaged(at) }
        // A frame's string definitions (kind 0) are not events: passed over.
        if kind == 0 {
            i = end
            continue
        }
        guard let step = varint(p, &i, end), let z = varint(p, &i, end) else { throw BoundError.damaged(at) }
        sequence = sequence &+ 1 &+ step
        timestamp = timestamp &+ (Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1))
        // A one-byte length filled in last (records here are short; a longer one would move).
        let start = j
        j += 1
        put(out, &j, kind)
        put(out, &j, sequence)
        put(out, &j, UInt64(bitPattern: (timestamp << 1) ^ (timestamp >> 63)))
        let rest = end - i
        (out + j).update(from: p + i, count: rest)
        j += rest
        out[start] = UInt8(truncatingIfNeeded: j - start - 1)
        headers?.append(Header(kind: UInt8(truncatingIfNeeded: kind), sequence: sequence, timestamp: timestamp))
        i = end
        records += 1
    }
    return records
}

func main() throws {
    guard CommandLine.arguments.count == 2 else {
        print("usage: bound DECOMPRESSED-LOG (the output of zstd -dc run.alog)")
        exit(2)
    }
    let path = CommandLine.arguments[1]
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw BoundError.unreadable(path, "\(error)") }
    let n = data.count
    // The canonical form is longer (absolute headers, a length byte); three times is ample.
    let out = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * n + 64)
    defer { out.deallocate() }
    try data.withUnsafeBytes { raw in
        guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw BoundError.damaged(0) }
        for storing in [false, true] {
            var best = Double.infinity
            var records = 0
            var headers: [Header]? = storing ? [] : nil
            for _ in 0..<7 {
                headers?.removeAll(keepingCapacity: true)
                let t0 = DispatchTime.now().uptimeNanoseconds
                records = try pass(base, n, into: out, headers: &headers)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0))
            }
            let what = storing ? "header rewritten, payload copied, header stored" : "header rewritten, payload copied"
            print(String(format: "%@: %d events, %.1f ms, %.1f ns an event", what, records, best / 1e6, best / Double(max(records, 1))))
        }
    }
}

do { try main() } catch {
    FileHandle.standardError.write(Data("bound: \(error)\n".utf8))
    exit(1)
}
