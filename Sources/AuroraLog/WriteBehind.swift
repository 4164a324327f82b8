import Synchronization

/// Compresses frames and writes them, each with its header, at the end of the file, in the order
/// given: on the writer's own thread, or on the write-behind thread when there is one.
final class FrameOutput {
    let path: String
    let fsync: Bool
    private let compressor: ZstdCompressor
    private let compressed = ByteBuffer(capacity: 1 << 16)
    private let output = ByteBuffer(capacity: 1 << 16)
    var endOffset: Int64
    var frames: [FrameInfo] = []

    init(path: String, compressionLevel: Int32, fsync: Bool, endOffset: Int64) throws {
        self.path = path
        self.fsync = fsync
        self.endOffset = endOffset
        do {
            compressor = try ZstdCompressor(level: compressionLevel)
        } catch {
            throw LogError(path: path, .io("zstd: \(error.message)"))
        }
    }

    /// Writes `raw` as the next frame; `header` has everything but where it lands and its size.
    func write(_ raw: ByteBuffer, _ header: FrameInfo, to file: LogFile) throws(LogError) {
        compressed.removeAll()
        do {
            try compressor.compressFrame(raw.bytes, into: compressed)
        } catch {
            throw LogError(path: path, offset: endOffset, .io("zstd: \(error.message)"))
        }
        var info = header
        info.offset = endOffset
        info.compressedSize = UInt32(compressed.count)
        output.removeAll()
        output.appendFrameHeader(info)
        output.append(compressed)
        try file.write(output.bytes, at: endOffset)
        if fsync { try file.sync() }
        endOffset += Int64(output.count)
        frames.append(info)
    }
}

/// The second thread behind a `LogWriter`: it hashes the run digest's batches and compresses and
/// writes frames while the kernel goes on. One queue, first in first out, so the hash sees the
/// same bytes in the same order and frames land at the same offsets as on one thread: the file
/// and digest are byte-identical. The queue is bounded (memory stays flat when the kernel is
/// faster) and buffers go round instead of being allocated per frame.
final class WriteBehind: @unchecked Sendable {
    private enum Job {
        case hash(ByteBuffer, SHA256Hasher)
        /// A frame, with its bars' canonical records when the writer made them, and where its
        /// payloads name strings when the writer kept that (its records are then copied unread).
        case frame(ByteBuffer, FrameInfo, LogFile, FrameDigest?, ByteBuffer?, NameList?)
    }

    /// Where a frame's records are hashed, when the writer leaves its digest to this thread.
    struct FrameDigest {
        let digester: FrameDigester
        let hasher: SHA256Hasher
    }

    private let jobs = Handoff<Job>(capacity: 4)
    private let spareFrames = Handoff<ByteBuffer>(capacity: 8)
    private let spareBatches = Handoff<ByteBuffer>(capacity: 8)
    private let failure = Mutex<LogError?>(nil)
    /// Read and written by the thread; by the writer only after `drain()`.
    let output: FrameOutput

    /// nil when no thread can be started (the writer then does the work itself).
    init?(output: FrameOutput) {
        self.output = output
        // The thread holds the object until `stop()` lets it end.
        let started = startThread { [self] in
            while let job = jobs.receive() {
                switch job {
                case .hash(let batch, let hasher):
                    hasher.update(batch.bytes)
                    batch.removeAll()
                    spareBatches.offer(batch)
                case .frame(let raw, let header, let file, let digest, let bars, let names):
                    // After a failed write nothing more is written: the file keeps a clean prefix.
                    if failure.withLock({ $0 == nil }) {
                        do throws(LogError) {
                            if let digest {
                                do throws(RecordError) {
                                    // Copied unread when the writer said where its strings are; should that
                                    // not fit the frame (nothing hashed then), read and checked as usual.
                                    var copied = false
                                    if let bars, let names {
                                        copied = (try? digest.digester.add(ownFrame: raw.bytes, bars: bars.bytes, names: names, to: digest.hasher)) != nil
                                    }
                                    if !copied { try digest.digester.add(frame: raw.bytes, bars: bars?.bytes, to: digest.hasher) }
                                } catch {
                                    throw LogError(path: self.output.path, .corrupt("digesting a frame: \(error.message)"))
                                }
                            }
                            try self.output.write(raw, header, to: file)
                        } catch {
                            failure.withLock { $0 = error }
                        }
                    }
                    raw.removeAll()
                    spareFrames.offer(raw)
                    if let bars {
                        bars.removeAll()
                        spareBatches.offer(bars)
                    }
                }
                jobs.done()
            }
        }
        guard started else { return nil }
    }

    func hash(_ batch: ByteBuffer, with hasher: SHA256Hasher) { jobs.send(.hash(batch, hasher)) }

    func write(_ raw: ByteBuffer, _ header: FrameInfo, to file: LogFile, digest: FrameDigest? = nil, bars: ByteBuffer? = nil,
               names: NameList? = nil) {
        jobs.send(.frame(raw, header, file, digest, bars, names))
    }

    /// Whether frames wait for this thread: the writer's thread would soon be held up, and may
    /// better do part of the work itself.
    var isBehind: Bool { jobs.backlog >= 2 }

    /// An empty buffer for the next frame or digest batch.
    func spareFrame() -> ByteBuffer { spareFrames.poll() ?? ByteBuffer(capacity: 1 << 16) }
    func spareBatch() -> ByteBuffer { spareBatches.poll() ?? ByteBuffer(capacity: 1 << 16) }

    /// Waits until everything handed over is hashed and written; rethrows a failed write.
    func drain() throws(LogError) {
        jobs.waitUntilDone()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// The first failed write so far, without waiting.
    func check() throws(LogError) {
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Lets the thread end once the queue is empty.
    func stop() { jobs.finish() }
}
