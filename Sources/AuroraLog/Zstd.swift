import CZstd

/// The only place that calls libzstd: a reusable compression and decompression context.
struct ZstdError: Error {
    var message: String
}

final class ZstdCompressor {
    private let context: OpaquePointer

    init(level: Int32) throws(ZstdError) {
        guard let cctx = ZSTD_createCCtx() else { throw ZstdError(message: "cannot allocate a zstd context") }
        context = cctx
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level))
        // Content checksums are what let a reader tell a torn or flipped frame from a sound one.
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1))
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1))
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `source` as one complete zstd frame appended to `destination`.
    func compressFrame(_ source: UnsafeRawBufferPointer, into destination: ByteBuffer) throws(ZstdError) {
        let bound = ZSTD_compressBound(source.count)
        let out = destination.spareCapacity(bound)
        let written = ZSTD_compress2(context, out, bound, source.baseAddress, source.count)
        try check(written)
        destination.count += written
    }

    private func check(_ code: Int) throws(ZstdError) {
        if ZSTD_isError(code) != 0 { throw ZstdError(message: String(cString: ZSTD_getErrorName(code))) }
    }
}

final class ZstdDecompressor {
    private let context: OpaquePointer

    init() throws(ZstdError) {
        guard let dctx = ZSTD_createDCtx() else { throw ZstdError(message: "cannot allocate a zstd context") }
        context = dctx
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses exactly one frame that must hold `expectedSize` bytes and carry a checksum.
    func decompressFrame(_ source: UnsafeRawBufferPointer, expectedSize: Int, into destination: ByteBuffer) throws(ZstdError) {
        guard let src = source.baseAddress, source.count >= 6 else { throw ZstdError(message: "frame too short") }
        let magic = UnsafeRawPointer(src).loadUnaligned(as: UInt32.self)
        guard UInt32(littleEndian: magic) == 0xFD2F_B528 else { throw ZstdError(message: "not a zstd frame (bad magic)") }
        // Frame header descriptor bit 2 is Content_Checksum_flag (RFC 8878 §3.1.1.1.1).
        guard source[4] & 0x04 != 0 else { throw ZstdError(message: "zstd frame has no content checksum") }
        let frameSize = ZSTD_findFrameCompressedSize(src, source.count)
        if ZSTD_isError(frameSize) != 0 { throw ZstdError(message: String(cString: ZSTD_getErrorName(frameSize))) }
        guard frameSize == source.count else { throw ZstdError(message: "zstd frame is \(frameSize) bytes, header says \(source.count)") }
        let contentSize = ZSTD_getFrameContentSize(src, source.count)
        guard contentSize == UInt64(expectedSize) else {
            throw ZstdError(message: "zstd frame content size does not match the frame header")
        }
        destination.removeAll()
        let out = destination.spareCapacity(expectedSize)
        let written = ZSTD_decompressDCtx(context, out, expectedSize, src, source.count)
        if ZSTD_isError(written) != 0 { throw ZstdError(message: String(cString: ZSTD_getErrorName(written))) }
        guard written == expectedSize else { throw ZstdError(message: "decompressed \(written) bytes, expected \(expectedSize)") }
        destination.count = written
    }
}

/// The version of the libzstd this process runs with (compressed bytes are reproducible only for the same one).
public var zstdLibraryVersion: String { String(cString: ZSTD_versionString()) }
