import HummingbirdCore
import Logging
import NIOCore

/// Answers a first request whose head (request line and headers) is larger than `limit` with
/// 431 and closes the connection. NIO's decoder refuses such a head too, but while the server
/// still waits to learn whether the request upgrades to a WebSocket nobody answers that refusal,
/// and the client would wait for its timeout. After the first head the guard leaves the pipeline:
/// later requests are the HTTP server's own (a parse error there is answered with 400).
final class HeadSizeGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let limit = 16 * 1024

    private var seen = 0
    /// The last three bytes of what came before, so a head end split across reads is found.
    private var tail: [UInt8] = []
    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let buffer = unwrapInboundIn(data)
        let bytes = tail + buffer.readableBytesView
        if let end = Self.headEnd(in: bytes), seen + end - tail.count <= Self.limit {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        seen += buffer.readableBytes
        guard seen <= Self.limit else {
            refused = true
            var answer = context.channel.allocator.buffer(capacity: 128)
            answer.writeString("HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            // The channel, not the context, crosses into the completion (the context is not Sendable).
            let channel = context.channel
            context.writeAndFlush(NIOAny(answer)).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        tail = Array(bytes.suffix(3))
        context.fireChannelRead(data)
    }

    private static func headEnd(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 3..<bytes.count where bytes[i] == 0x0A && bytes[i - 1] == 0x0D && bytes[i - 2] == 0x0A && bytes[i - 3] == 0x0D {
            return i + 1
        }
        return nil
    }
}

/// A server child channel with a `HeadSizeGuard` in front of another one's pipeline.
struct GuardedChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(HeadSizeGuard(), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Inner.Value, logger: Logger) async { await inner.handle(value: value, logger: logger) }
}
