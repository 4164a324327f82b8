import AuroraModel

/// The run's identity: SHA-256 over the canonical records of all its events, in order.
/// Canonical records are batched so the hash sees large updates rather than one per event.
public final class RunDigest {
    public init() { hasher = SHA256Hasher() }
    private init(hasher: SHA256Hasher) { self.hasher = hasher }
    /// Frames digested on the write-behind thread update it directly (see `FrameDigester`).
    let hasher: SHA256Hasher
    private let encoder = RecordEncoder(canonical: true)
    private let pending = ByteBuffer(capacity: 1 << 16)
    /// When set, full batches are hashed on the log writer's second thread, in order.
    var behind: WriteBehind?

    public func add(_ event: Event) {
        encoder.encode(event, into: pending)
        if pending.count >= 1 << 16 { drain() }
    }

    /// An event's canonical record, already encoded.
    func add(canonical bytes: UnsafeRawBufferPointer) {
        pending.append(bytes)
        if pending.count >= 1 << 16 { drain() }
    }

    /// Canonical records already encoded, many at once (hashed straight from where they are).
    func add(canonicalRecords bytes: UnsafeRawBufferPointer) {
        if bytes.count < 1 << 14 { return add(canonical: bytes) }
        drain()
        if let behind {
            let full = behind.spareBatch()
            full.append(bytes)
            behind.hash(full, with: hasher)
        } else {
            hasher.update(bytes)
        }
    }

    /// The canonical record of the event `framed` just encoded, from its bytes where it can
    /// (anything but a bar), else encoded afresh.
    func add(_ payload: EventPayload, sequence: UInt64, timestamp: Int64, encodedBy framed: RecordEncoder) {
        if !framed.appendLastAsCanonical(kind: payload.kind, sequence: sequence, timestamp: timestamp, to: pending) {
            encoder.encode(payload, sequence: sequence, timestamp: timestamp, into: pending)
        }
        if pending.count >= 1 << 16 { drain() }
    }

    func add(bar: Bar, sequence: UInt64, timestamp: Int64) {
        encoder.encodeBarRecord(sequence: sequence, timestamp: timestamp, bar, into: pending)
        if pending.count >= 1 << 16 { drain() }
    }

    /// Hands on what is pending (before frames are digested behind, which must come after it).
    func drain() {
        guard pending.count > 0 else { return }
        if let behind {
            let full = behind.spareBatch()
            full.swapContents(with: pending)
            behind.hash(full, with: hasher)
        } else {
            hasher.update(pending.bytes)
            pending.removeAll()
        }
    }

    /// The hasher itself, for frames hashed in order on the threads that decode them
    /// (`InOrderHasher`), with what is pending hashed first. Nothing may be added here until
    /// those threads are done (a reading digest: it hashes nothing behind).
    func hasherForFrames() -> SHA256Hasher {
        precondition(behind == nil, "a digest hashed behind a writer is not a reader's")
        drain()
        return hasher
    }

    /// A digest that goes on from everything added so far, independently of this one (two
    /// streams with a common prefix hash it once).
    func copy() -> RunDigest {
        drain()
        try? behind?.drain()
        return RunDigest(hasher: hasher.copy())
    }

    /// The digest of everything added so far; adding may continue afterwards.
    public func current() -> [UInt8] {
        drain()
        // Only the hashing matters here; a failed frame write is the writer's to report.
        try? behind?.drain()
        return hasher.digest()
    }
}

/// Lower-case hex, the form digests are printed in.
public func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// SHA-256 of arbitrary bytes (a config's text, for the manifest).
public func sha256(_ bytes: [UInt8]) -> [UInt8] { SHA256Hasher.hash(bytes) }
