import AuroraModel

/// Streams events frame by frame: reads a frame, checks its zstd checksum and sizes, decodes its
/// records, and checks sequence continuity and time order. Memory is one frame, reused.
public final class EventCursor {
    private let reader: LogReader
    private var frameIndex: Int
    private let lastFrame: Int
    private let compressed = ByteBuffer(capacity: 1 << 16)
    private let raw = ByteBuffer(capacity: 1 << 16)
    private let decompressor: ZstdDecompressor?
    private let decoder = RecordDecoder(canonical: false)
    private var position = 0
    private var eventsLeftInFrame = 0
    private var current: FrameInfo?
    private var previousTimestamp: Int64 = .min
    private var expectedSequence: UInt64?
    private let skipBelowSequence: UInt64?
    private let skipBelowTimestamp: Int64?
    private var finished = false
    /// Whether reaching the end rethrows damage the reader found beyond the last intact frame.
    private let reportsDamagedTail: Bool

    /// Events of kinds this version does not know, skipped by their length.
    public private(set) var unknownKinds = 0
    /// Frames fully decoded so far.
    public private(set) var framesRead = 0

    init(reader: LogReader, firstFrame: Int, lastFrame: Int, skipBelowSequence: UInt64? = nil, skipBelowTimestamp: Int64? = nil,
         reportsDamagedTail: Bool = true) {
        self.reader = reader
        self.reportsDamagedTail = reportsDamagedTail
        self.frameIndex = firstFrame
        self.lastFrame = lastFrame
        self.skipBelowSequence = skipBelowSequence
        self.skipBelowTimestamp = skipBelowTimestamp
        self.decompressor = try? ZstdDecompressor()
    }

    /// The next event, or nil after the last intact frame. Throws at the first damaged frame
    /// (and, at the end, if the reader found damage that hides later frames).
    public func next() throws -> Event? {
        while true {
            if eventsLeftInFrame == 0 {
                if let frame = current { try finishFrame(frame) }
                guard frameIndex <= lastFrame else {
                    if !finished, reportsDamagedTail, lastFrame == reader.frames.count - 1, case .damaged(let error) = reader.tail {
                        finished = true
                        throw error
                    }
                    finished = true
                    return nil
                }
                try loadFrame(reader.frames[frameIndex])
                frameIndex += 1
            }
            guard let frame = current else { return nil }
            var r = ByteReader(raw.bytes, position: position)
            let record: DecodedRecord
            do throws(RecordError) {
                record = try decoder.decode(&r)
            } catch {
                throw LogError(path: reader.path, offset: frame.offset,
                               .corrupt("frame record at \(position) of \(raw.count): \(error.message)"))
            }
            position = r.position
            let sequence: UInt64, timestamp: Int64
            switch record {
            case .stringDefinition:
                continue
            case .unknown(_, let s, let t):
                sequence = s
                timestamp = t.rawValue
            case .event(let e):
                sequence = e.sequence
                timestamp = e.timestamp.rawValue
            }
            try check(frame, sequence: sequence, timestamp: timestamp)
            eventsLeftInFrame -= 1
            guard case .event(let event) = record else {
                unknownKinds += 1
                continue
            }
            if let s = skipBelowSequence, sequence < s { continue }
            if let t = skipBelowTimestamp, timestamp < t { continue }
            return event
        }
    }

    private func check(_ frame: FrameInfo, sequence: UInt64, timestamp: Int64) throws {
        if let expected = expectedSequence, sequence != expected {
            throw LogError(path: reader.path, offset: frame.offset, .corrupt("event \(sequence) follows \(expected &- 1)"))
        }
        if expectedSequence == nil, sequence != frame.firstSequence {
            throw LogError(path: reader.path, offset: frame.offset, .corrupt("frame begins with event \(sequence), header says \(frame.firstSequence)"))
        }
        guard timestamp >= previousTimestamp, timestamp >= frame.firstTimestamp, timestamp <= frame.lastTimestamp else {
            throw LogError(path: reader.path, offset: frame.offset, .corrupt("event \(sequence) is out of time order"))
        }
        previousTimestamp = timestamp
        expectedSequence = sequence &+ 1
    }

    private func loadFrame(_ frame: FrameInfo) throws {
        guard let decompressor else { throw LogError(path: reader.path, .io("zstd: cannot allocate a context")) }
        let n = try reader.file.read(at: frame.dataOffset, count: Int(frame.compressedSize), into: compressed)
        guard n == Int(frame.compressedSize) else {
            throw LogError(path: reader.path, offset: frame.dataOffset, .tornTail("data frame is cut short"))
        }
        do {
            try decompressor.decompressFrame(compressed.bytes, expectedSize: Int(frame.rawSize), into: raw)
        } catch {
            throw LogError(path: reader.path, offset: frame.dataOffset, .corrupt("zstd: \(error.message)"))
        }
        decoder.reset()
        position = 0
        eventsLeftInFrame = Int(frame.eventCount)
        current = frame
        expectedSequence = nil
        if previousTimestamp == .min { previousTimestamp = frame.firstTimestamp }
    }

    private func finishFrame(_ frame: FrameInfo) throws {
        current = nil
        framesRead += 1
        // Trailing string definitions are harmless; anything else left over is not.
        var r = ByteReader(raw.bytes, position: position)
        while !r.isAtEnd {
            guard case .stringDefinition? = try? decoder.decode(&r) else {
                throw LogError(path: reader.path, offset: frame.offset, .corrupt("frame holds more records than its header counts"))
            }
        }
        guard previousTimestamp == frame.lastTimestamp else {
            throw LogError(path: reader.path, offset: frame.offset, .corrupt("last event time does not match the frame header"))
        }
    }
}
