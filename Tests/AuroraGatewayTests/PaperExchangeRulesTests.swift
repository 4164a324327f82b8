import Foundation
import Testing
import AuroraAlpaca
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraModel
import AuroraLog
import AuroraExecution
@testable import AuroraPaperExchange
#if canImport(Glibc)
import Glibc
#endif

/// The paper exchange keeps its own rules whatever a client sends.
@Suite("Paper exchange rules")
struct PaperExchangeRulesTests {
    static func body(_ fields: String) -> [UInt8] { Array("{\"symbol\":\"ALPHA\",\"side\":\"buy\",\(fields)}".utf8) }

    @Test("before any client subscribes, buys are checked at the open they would fill at: no cash is promised twice")
    func buyingPowerBeforeTheFirstBar() async throws {
        let series = try Gateway.series()
        let exchange = try PaperExchange(series: series, options: PaperExchangeOptions())
        let firstOpen = Price(rawValue: series.open[0]).doubleValue
        let shares = (0.6 * 1_000_000 / firstOpen).rounded(.down)
        let first = await exchange.submit(Self.body("\"qty\":\"\(Int(shares))\",\"type\":\"market\""))
        #expect(first.status == 200, "\(first.body)")
        let second = await exchange.submit(Self.body("\"qty\":\"\(Int(shares))\",\"type\":\"market\""))
        #expect(second.status == 403)
        #expect(second.body.contains("insufficient buying power"))
    }

    @Test("order fields must have their documented types and ranges: true, 1e300, NaN, negative, huge ids are refused")
    func strictFields() async throws {
        let exchange = try PaperExchange(series: try Gateway.series(), options: PaperExchangeOptions())
        let refused: [(String, String)] = [
            ("\"qty\":true", "qty has the wrong type"),
            ("\"qty\":\"1e300\"", "qty is out of range"),
            ("\"qty\":1e300", "qty is out of range"),
            ("\"qty\":\"nan\"", "qty must be a number"),
            ("\"qty\":\"-5\"", "qty must be positive"),
            ("\"qty\":null", "qty is required"),
            ("\"qty\":\"1\",\"type\":\"limit\",\"limit_price\":\"inf\"", "limit_price must be a number"),
            ("\"qty\":\"1\",\"type\":\"stop\"", "is not supported here"),
            ("\"qty\":\"1\",\"client_order_id\":\"\(String(repeating: "x", count: 200))\"", "client_order_id must be at most 128"),
            ("\"qty\":\"1\",\"time_in_force\":\"forever\"", "time_in_force"),
        ]
        for (fields, message) in refused {
            let reply = await exchange.submit(Self.body(fields))
            #expect(reply.status == 422, "\(fields)")
            #expect(reply.body.contains(message), "\(fields): \(reply.body)")
        }
        for text in ["", "[]", "{\"symbol\":5}", "{", "\u{0}"] {
            #expect(await exchange.submit(Array(text.utf8)).status == 422, "\(text)")
        }
        #expect(await exchange.submit(Self.body("\"qty\":\"2\"")).status == 200)
        #expect(await exchange.submit(Self.body("\"qty\":2.5")).status == 200)
    }

    @Test("a request head over 16 KB is answered with 431 at once, not left to the client's timeout")
    func oversizedHead() async throws {
        let exchange = try PaperExchange(series: try Gateway.series(), options: PaperExchangeOptions())
        let (url, server) = try await Gateway.startExchange(exchange)
        defer { server.cancel() }
        let port = UInt16(url.split(separator: ":").last.flatMap { Int($0) } ?? 0)
        let big = try Self.exchange(port: port, head: "GET /v2/clock HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n")
        #expect(big.hasPrefix("HTTP/1.1 431"), "\(big.prefix(80))")
        let small = try Self.exchange(port: port, head: "GET /v2/clock HTTP/1.1\r\nHost: x\r\nAPCA-API-KEY-ID: k\r\nAPCA-API-SECRET-KEY: s\r\n\r\n")
        #expect(small.hasPrefix("HTTP/1.1 200"), "\(small.prefix(80))")
    }

    /// Sends `head` on a fresh connection and returns the first answer (empty after 5 s of silence).
    static func exchange(port: UInt16, head: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw GatewayTestError("cannot connect to port \(port)") }
        let bytes = Array(head.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }   // the server may close once it has answered
            sent += n
        }
        var answer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &answer, answer.count, 0)
        return n > 0 ? String(decoding: answer[0..<n], as: UTF8.self) : ""
    }
}

struct GatewayTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

@Suite("The paper exchange's log of a session")
struct PaperExchangeLogTests {
    @Test("--out records bars, each client order as a trade, its fills and cancels; the log reads back whole and the reducers fold it")
    func recorded() async throws {
        let path = NSTemporaryDirectory() + "aurora-pe-log-\(getpid()).alog"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = PaperExchangeOptions()
        options.logPath = path
        let exchange = try PaperExchange(series: try Gateway.series(), options: options)
        let market = await exchange.submit(PaperExchangeRulesTests.body("\"qty\":\"2\",\"type\":\"market\""))
        #expect(market.status == 200)
        let limit = await exchange.submit(PaperExchangeRulesTests.body("\"qty\":\"1\",\"type\":\"limit\",\"limit_price\":\"0.01\""))
        let id = (AlpacaWire.object(limit.body)?["id"] as? String) ?? ""
        #expect(UUID(uuidString: id) != nil)
        #expect(await exchange.cancel(id).status == 204)
        // A market-data client and an order-updates client, subscribed, start the clock.
        let (_, data) = AsyncStream<PaperExchange.Outgoing>.makeStream()
        let (_, orders) = AsyncStream<PaperExchange.Outgoing>.makeStream()
        let d = await exchange.connect(.data, data, msgpack: true)
        await exchange.receive(binary: MessagePack.encode(["action": "auth", "key": "k", "secret": "s"]), from: d)
        await exchange.receive(binary: MessagePack.encode(["action": "subscribe", "dailyBars": ["*"], "bars": ["*"]]), from: d)
        let o = await exchange.connect(.orders, orders)
        await exchange.receive(#"{"action":"authenticate","data":{"key_id":"k","secret_key":"s"}}"#, from: o)
        await exchange.receive(#"{"action":"listen","data":{"streams":["trade_updates"]}}"#, from: o)
        await exchange.play()
        let summary = try #require(await exchange.closeLog(reason: "test"))
        var portfolio = PortfolioReducer.initialState()
        var completion = CompletionReducer.initialState()
        var kinds: [EventKind: Int] = [:]
        let cursor = try LogReader(path: summary.path).events()
        while let e = try cursor.next() {
            PortfolioReducer.reduce(&portfolio, e)
            CompletionReducer.reduce(&completion, e)
            kinds[e.kind, default: 0] += 1
        }
        #expect(kinds[.plannedTrade] == 2 && kinds[.orderSubmitted] == 2 && kinds[.orderAccepted] == 2)
        #expect(kinds[.fill] == 1 && kinds[.orderCancelled] == 1 && kinds[.sessionEnd] == 1)
        #expect(portfolio.positions.filter { $0 != 0 } == [2 * Quantity.scale])
        let report = CompletionReducer.report(completion, symbols: [])
        #expect(report.trades == 2 && report.completed == 1)
    }
}
