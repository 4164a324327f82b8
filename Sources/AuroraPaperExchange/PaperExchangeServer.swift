import AuroraAlpaca
import AuroraGateway
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

/// Serves a `PaperExchange` over HTTP and WebSocket (Hummingbird): Alpaca's REST paths under
/// /v2, the order-updates stream at /stream and the market-data stream at /v2/{feed}.
public enum PaperExchangeServer {
    /// Runs until cancelled. `onRunning` receives the bound port (useful with port 0).
    public static func run(_ exchange: PaperExchange, host: String = "127.0.0.1", port: Int,
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router(context: BasicWebSocketRequestContext.self)
        let rest = router.group("v2")
        rest.get("account") { request, _ in try await reply(request, exchange) { await exchange.account() } }
        rest.get("positions") { request, _ in try await reply(request, exchange) { await exchange.positions() } }
        rest.get("assets") { request, _ in try await reply(request, exchange) { await exchange.assets() } }
        rest.get("clock") { request, _ in try await reply(request, exchange) { await exchange.clock() } }
        rest.get("calendar") { request, _ in try await reply(request, exchange) { await exchange.calendar() } }
        rest.get("orders") { request, _ in
            let q = request.uri.queryParameters
            let (status, limit, symbols) = (q.get("status"), q.get("limit"), q.get("symbols"))
            return try await reply(request, exchange) { await exchange.orders(status: status, limit: limit, symbols: symbols) }
        }
        rest.get("orders:by_client_order_id") { request, _ in
            let id = request.uri.queryParameters.get("client_order_id") ?? ""
            return try await reply(request, exchange) { await exchange.order(clientOrderID: id) }
        }
        rest.delete("orders") { request, _ in try await reply(request, exchange) { await exchange.cancelAll() } }
        rest.post("orders") { request, _ in
            let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
            return try await reply(request, exchange) { await exchange.submit(body) }
        }
        rest.get("orders/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await reply(request, exchange) { await exchange.order(id) }
        }
        rest.delete("orders/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await reply(request, exchange) { await exchange.cancel(id) }
        }
        router.ws("stream") { inbound, outbound, _ in
            try await converse(exchange, .orders, msgpack: false, inbound, outbound)
        }
        for feed in ["iex", "sip", "test"] {
            router.ws("v2/\(feed)") { inbound, outbound, context in
                // Alpaca answers in MessagePack to clients that ask for it in the upgrade request.
                let msgpack = context.request.headers[.contentType]?.lowercased().hasPrefix("application/msgpack") ?? false
                try await converse(exchange, .data, msgpack: msgpack, inbound, outbound)
            }
        }
        var logger = Logger(label: "aurora.paper-exchange")
        logger.logLevel = .critical   // its cancellation at shutdown is not news; our own errors are reported by the caller
        // The WebSocket-upgrading HTTP/1 server with a guard in front that answers oversized heads.
        let webSocketResponder = router.buildResponder()
        let server = HTTPServerBuilder { responder in
            GuardedChildChannel(inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder,
                                                                    configuration: HTTP1WebSocketUpgradeChannel.Configuration()))
        }
        let app = Application(router: router, server: server,
                              configuration: .init(address: .hostname(host, port: port), serverName: "aurora-paper-exchange"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                              logger: logger)
        try await app.run()
    }

    private static func reply(_ request: Request, _ exchange: PaperExchange,
                              _ answer: @Sendable () async -> PaperExchange.Reply) async throws -> Response {
        let key = HTTPField.Name("APCA-API-KEY-ID").flatMap { request.headers[$0] }
        let secret = HTTPField.Name("APCA-API-SECRET-KEY").flatMap { request.headers[$0] }
        let r = exchange.accepts(key: key, secret: secret)
            ? await answer() : PaperExchange.Reply(status: 401, body: AlpacaWire.text(["code": 40110000, "message": "unauthorized."]))
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: HTTPResponse.Status(code: r.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: r.body)))
    }

    /// One stream connection: what the exchange sends goes out, what the client sends goes in.
    private static func converse(_ exchange: PaperExchange, _ kind: PaperExchange.LinkKind, msgpack: Bool,
                                 _ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        let (outgoing, send) = AsyncStream<PaperExchange.Outgoing>.makeStream()
        let id = await exchange.connect(kind, send, msgpack: msgpack)
        defer { Task { await exchange.disconnect(id) } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await message in outgoing {
                    switch message {
                    case .text(let s): try await outbound.write(.text(s))
                    case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                    case .close(let reason):
                        try await outbound.close(reason == "end of data" ? .normalClosure : .goingAway, reason: reason)
                        return
                    }
                }
            }
            group.addTask {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    switch message {
                    case .text(let s): await exchange.receive(s, from: id)
                    case .binary(let b): await exchange.receive(binary: Array(buffer: b), from: id)
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
