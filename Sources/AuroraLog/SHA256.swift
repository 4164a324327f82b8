import CCrypto

/// Incremental SHA-256 over libcrypto (the only user of CCrypto). `digest()` leaves the hasher
/// able to go on, as the run digest needs: the state is a plain value, copied to be finished.
public final class SHA256Hasher {
    private var context = SHA256_CTX()

    private init(context: SHA256_CTX) { self.context = context }

    /// A hasher that goes on from where this one stands, independently of it.
    func copy() -> SHA256Hasher { SHA256Hasher(context: context) }

    public init() { SHA256_Init(&context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        SHA256_Update(&context, base, bytes.count)
    }

    /// The digest of everything so far; the hasher itself is not finalized.
    public func digest() -> [UInt8] {
        var finished = context
        return [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            SHA256_Final(out.baseAddress, &finished)
            count = 32
        }
    }

    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        let h = SHA256Hasher()
        bytes.withUnsafeBytes { h.update($0) }
        return h.digest()
    }
}
