import CCrypto

/// Incremental SHA-256 over libcrypto's EVP interface (the only user of CCrypto). `digest()`
/// leaves the hasher able to go on, as the run digest needs.
public final class SHA256Hasher {
    private let context: OpaquePointer

    private init(context: OpaquePointer) { self.context = context }

    /// A hasher that goes on from where this one stands, independently of it.
    func copy() -> SHA256Hasher {
        guard let ctx = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(ctx, context) == 1 else {
            fatalError("libcrypto: cannot copy a SHA-256 context")
        }
        return SHA256Hasher(context: ctx)
    }

    public init() {
        // Allocation failure here means the process is out of memory; nothing sensible remains.
        guard let ctx = EVP_MD_CTX_new(), EVP_DigestInit_ex(ctx, EVP_sha256(), nil) == 1 else {
            fatalError("libcrypto: cannot start a SHA-256 context")
        }
        context = ctx
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// The digest of everything so far; the hasher itself is not finalized.
    public func digest() -> [UInt8] {
        let finished = copy()
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        out.withUnsafeMutableBufferPointer { _ = EVP_DigestFinal_ex(finished.context, $0.baseAddress, &length) }
        return out
    }

    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        let h = SHA256Hasher()
        bytes.withUnsafeBytes { h.update($0) }
        return h.digest()
    }
}
