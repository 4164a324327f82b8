import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The live session's page (`aurora live --dashboard [HOST:]PORT`): `/` the page, `/events` its
/// server-sent events (one JSON message per status update), `/status` the latest as JSON.
/// Read-only, no credentials; bound to loopback unless a host is given.
public enum DashboardServer {
    /// Runs until cancelled; `onRunning` receives the bound port (useful with port 0).
    public static func run(_ feed: DashboardFeed, host: String = "127.0.0.1", port: Int,
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        router.get("/") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: DashboardPage.html)))
        }
        router.get("/status") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: await feed.snapshot)))
        }
        router.get("/events") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-store"
            let stream = await feed.subscribe()
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                for await message in stream { try await writer.write(ByteBuffer(string: "data: \(message)\n\n")) }
                try await writer.finish(nil)
            })
        }
        var logger = Logger(label: "aurora.dashboard")
        logger.logLevel = .critical
        let app = Application(router: router,
                              configuration: .init(address: .hostname(host, port: port), serverName: "aurora-dashboard"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                              logger: logger)
        try await app.run()
    }
}
