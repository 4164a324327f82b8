/// A frame's strings as canonical records spell them (length, UTF-8), by frame id. Framed and
/// canonical records of a non-bar event differ only in their header and in their strings (an id
/// against the spelling), so a canonical record is made by copying the framed payload with each
/// spelling put in place of its id: the writer does so for its digest, a transcoding reader for
/// its own.
final class StringSpellings {
    /// Where a payload names a string: the id's bytes and the id.
    typealias Name = (start: Int, end: Int, id: Int)

    private let bytes = ByteBuffer(capacity: 1024)
    private var ranges: [Range<Int>] = []

    var count: Int { ranges.count }

    /// Forgets every string; called where a frame starts.
    func removeAll() {
        bytes.removeAll()
        ranges.removeAll(keepingCapacity: true)
    }

    /// The next frame string (its id is the count before).
    func add(_ utf8: UnsafeBufferPointer<UInt8>) {
        let from = bytes.count
        bytes.appendVarint(UInt64(utf8.count))
        bytes.append(UnsafeRawBufferPointer(utf8))
        ranges.append(from..<bytes.count)
    }

    /// Appends a canonical record to `out`: its length and header, then `payload` from `from` on
    /// with each of `names` (ids below `count`, in payload order) replaced by its spelling.
    @inline(__always)
    func appendRecord(kind: UInt64, sequence: UInt64, timestamp: Int64, payload: UnsafeRawBufferPointer, from: Int,
                      names: NameList, to out: ByteBuffer) {
        appendRecord(kind: kind, sequence: sequence, timestamp: timestamp, payload: payload, from: from,
                     names: names, 0..<names.count, to: out)
    }

    /// The same with the record's names `names[range]` (a frame's list, the record's run of it).
    @inline(__always)
    func appendRecord(kind: UInt64, sequence: UInt64, timestamp: Int64, payload: UnsafeRawBufferPointer, from: Int,
                      names: NameList, _ range: Range<Int>, to out: ByteBuffer) {
        names.withNames(range) {
            appendRecord(kind: kind, sequence: sequence, timestamp: timestamp, payload: payload, from: from, names: $0, to: out)
        }
    }

    /// The same with the record's names as a buffer: an empty one for a payload that names none
    /// (most records), which then holds no list's storage (retaining and releasing one cost a
    /// `verify` 1% of its time).
    @inline(__always)
    func appendRecord(kind: UInt64, sequence: UInt64, timestamp: Int64, payload: UnsafeRawBufferPointer, from: Int,
                      names: UnsafeBufferPointer<Name>, to out: ByteBuffer) {
        let range = names.indices
        let zigzagTime = UInt64(bitPattern: (timestamp << 1) ^ (timestamp >> 63))
        // Most records are short (an alpha value or a signal names one string, most others
        // none): header and pieces written through a pointer behind a one-byte length that is
        // filled in last, room reserved once, the sizes not worked out first.
        let rest = payload.count - from
        if rest < 64, range.count <= 2, let source = payload.baseAddress {
            var spelled = 0
            for k in range { spelled += ranges[names[k].id].count }
            let start = out.spareCapacity(1 + 30 + rest + spelled).assumingMemoryBound(to: UInt8.self)
            var w = RawWriter(p: start + 1)
            w.varint(kind)
            w.varint(sequence)
            w.varint(zigzagTime)
            var copied = from
            if !range.isEmpty {
                let spellings = bytes.base
                for k in range {
                    let n = names[k]
                    w.copy(source + copied, n.start - copied)
                    let spelling = ranges[n.id]
                    w.copy(UnsafeRawPointer(spellings + spelling.lowerBound), spelling.count)
                    copied = n.end
                }
            }
            w.copy(source + copied, payload.count - copied)
            let length = start.distance(to: w.p) - 1
            if length < 0x80 {
                start.pointee = UInt8(length)
                out.count += length + 1
                return
            }
        }
        var length = varintSize(kind) + varintSize(sequence) + varintSize(zigzagTime) + (payload.count - from)
        for k in range {
            let n = names[k]
            length += ranges[n.id].count - (n.end - n.start)
        }
        out.appendVarint(UInt64(length))
        out.appendVarint(kind)
        out.appendVarint(sequence)
        out.appendVarint(zigzagTime)
        var copied = from
        if !range.isEmpty {
            let spellings = bytes.bytes
            for k in range {
                let n = names[k]
                out.append(UnsafeRawBufferPointer(rebasing: payload[copied..<n.start]))
                out.append(UnsafeRawBufferPointer(rebasing: spellings[ranges[n.id]]))
                copied = n.end
            }
        }
        out.append(UnsafeRawBufferPointer(rebasing: payload[copied...]))
    }
}

/// Where one record's payload names strings, gathered per record. Emptied per record by a count
/// (`Array.removeAll(keepingCapacity:)` goes through the general `replaceSubrange`, which cost a
/// few percent of a writer's time at two million records); the storage is kept and overwritten.
struct NameList {
    private var storage: [StringSpellings.Name] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func removeAll() { count = 0 }

    @inline(__always) mutating func append(_ name: StringSpellings.Name) {
        if count < storage.count { storage[count] = name } else { storage.append(name) }
        count += 1
    }

    @inline(__always) subscript(k: Int) -> StringSpellings.Name { storage[k] }

    /// `self[range]` as a buffer, for the length of `body`.
    @inline(__always) func withNames<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<StringSpellings.Name>) -> R) -> R {
        storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }
}
