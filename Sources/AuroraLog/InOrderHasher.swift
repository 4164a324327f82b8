/// Hashes the canonical bytes of frames that several threads decode out of order, in frame
/// order, on whichever of those threads finds the next frame ready; each frame is handed on only
/// once hashed. The reading thread then hashes nothing: with it hashing every frame (about a sixth
/// of a `verify`'s CPU), the core it shared with a decoder carried more than the other, and at the end
/// it still had frames to hash alone while the decoders had stopped.
///
/// The hash sees the same bytes in the same order as when the reading thread hashed each frame
/// as it took it (one thread against two is tested), so digests do not change.
final class InOrderHasher: @unchecked Sendable {
    private let monitor = Monitor()
    private let hasher: SHA256Hasher
    private let window: Int
    /// Decoded, not yet hashed, by index modulo the window (the frames in flight are fewer).
    private var ready: [DecodedFrame?]
    /// The next frame to hash.
    private var next = 0
    /// A thread is hashing: frames that become ready meanwhile are its to take.
    private var hashing = false
    /// A frame failed: nothing after it is hashed or handed on.
    private var stopped = false

    /// `window`: more than the frames that can be decoded and not yet handed on at once.
    init(hasher: SHA256Hasher, window: Int) {
        self.hasher = hasher
        self.window = max(window, 1)
        ready = Array(repeating: nil, count: self.window)
    }

    /// Takes a decoded frame; when it is the next to hash and no thread is hashing, hashes it and
    /// every frame after it already ready, in order, handing each to `deliver` once hashed.
    func add(_ frame: DecodedFrame, at index: Int, deliver: (DecodedFrame, Int) -> Void) {
        var item: (frame: DecodedFrame, index: Int)? = monitor.locked {
            ready[index % window] = frame
            return takeNext()
        }
        while let (frame, index) = item {
            if let canonical = frame.canonical { hasher.update(canonical.bytes) }
            deliver(frame, index)
            item = monitor.locked {
                hashing = false
                next = index + 1
                if frame.failure != nil { stopped = true }
                return takeNext()
            }
        }
    }

    /// With the lock held: the next frame, if it is ready and no thread is hashing.
    private func takeNext() -> (frame: DecodedFrame, index: Int)? {
        guard !hashing, !stopped, let frame = ready[next % window] else { return nil }
        ready[next % window] = nil
        hashing = true
        return (frame, next)
    }
}
