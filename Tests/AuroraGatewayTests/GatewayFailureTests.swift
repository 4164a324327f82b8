import Foundation
import Synchronization
import Testing
import AuroraRun
import AuroraStrategies
import AuroraData
import AuroraKernel
import AuroraStats
@testable import AuroraGateway
import AuroraLive
import AuroraLog
import AuroraModel
import AuroraPaperExchange

@Suite("Gateway failures: refused orders, unreachable and silent servers, bad credentials, odd updates")
struct GatewayFailureTests {
    let order = OrderSubmitted(orderID: 1, tradeID: 1, symbol: SymbolID(0), side: .buy, type: .market,
                               quantity: Quantity(rawValue: 5_000_000))

    @Test("HTTP refusals become order rejects naming the status and the broker's message")
    func refusals() async throws {
        let exchange = try PaperExchange(series: try Gateway.series(), options: PaperExchangeOptions())
        let (url, server) = try await Gateway.startExchange(exchange)
        defer { server.cancel() }
        let gateway = AlpacaTradingGateway(endpoints: try .paper(url), credentials: Gateway.paperCredentials, tag: "t", deliver: { _ in })
        let unknown = await gateway.submit(order, symbol: "NOPE")
        guard case .orderRejected(let r)? = unknown.first else { Issue.record("not rejected: \(unknown)"); return }
        #expect(r.reason.contains("HTTP 422") && r.reason.contains("NOPE"), "\(r.reason)")
        let accepted = await gateway.submit(order, symbol: try Gateway.series().symbols[0])
        guard case .orderAccepted(let a)? = accepted.first else { Issue.record("not accepted: \(accepted)"); return }
        #expect(a.brokerOrderID == "0a0e0000-0000-4000-8000-000000000001")
        let cancels = await gateway.cancelOpenOrders(reason: "test")
        guard case .orderCancelled(let c)? = cancels.first else { Issue.record("not cancelled: \(cancels)"); return }
        #expect(c.orderID == 1)

        let stranger = AlpacaTradingGateway(endpoints: try .paper(url), credentials: AlpacaCredentials(keyID: "", secretKey: ""),
                                            tag: "t", deliver: { _ in })
        await #expect(throws: GatewayError.self) { _ = try await stranger.account() }
    }

    @Test("an unreachable broker and a silent one: rejects with the reason, no hang")
    func unreachableAndSilent() async throws {
        let closed = AlpacaTradingGateway(endpoints: try .paper("http://127.0.0.1:9"), credentials: Gateway.paperCredentials,
                                          tag: "t", requestTimeout: .seconds(1), deliver: { _ in })
        let answer = await closed.submit(order, symbol: "AAA")
        guard case .orderRejected(let r)? = answer.first else { Issue.record("not rejected"); return }
        #expect(r.reason.contains("POST /v2/orders"))

        let (port, socket) = try SilentListener.open()
        defer { close(socket) }
        let silent = AlpacaTradingGateway(endpoints: try .paper("http://127.0.0.1:\(port)"), credentials: Gateway.paperCredentials,
                                          tag: "t", requestTimeout: .milliseconds(300), deliver: { _ in })
        // Returning at all is the point: the request's deadline ended the wait, and the reject says so.
        let timedOut = await silent.submit(order, symbol: "AAA")
        guard case .orderRejected(let t)? = timedOut.first else { Issue.record("not rejected"); return }
        #expect(t.reason.contains("no answer within"))
    }

    @Test("order updates the session cannot place, repeated fills and disagreeing quantities are notices")
    func oddUpdates() async throws {
        let delivered = Delivered()
        let gateway = AlpacaTradingGateway(endpoints: try .paper("http://127.0.0.1:9"), credentials: Gateway.paperCredentials,
                                           tag: "t", requestTimeout: .seconds(1), deliver: { delivered.add($0) })
        _ = await gateway.submit(order, symbol: "AAA")   // registered, then refused by the closed port
        func update(_ event: String, client: String, filled: String, qty: String? = nil) -> String {
            var data = #""event":"\#(event)","price":"10","#
            if let qty { data += #""qty":"\#(qty)","# }
            return #"{"stream":"trade_updates","data":{\#(data)"order":{"id":"b1","client_order_id":"\#(client)","symbol":"AAA","side":"buy","qty":"5","filled_qty":"\#(filled)","status":"x"}}}"#
        }
        gateway.take(update("fill", client: "someone-else-7", filled: "5"))
        gateway.take(update("partial_fill", client: "t-1", filled: "2", qty: "2"))
        gateway.take(update("partial_fill", client: "t-1", filled: "2", qty: "2"))
        gateway.take(update("fill", client: "t-1", filled: "5", qty: "4"))
        gateway.take("garbage")
        gateway.take(#"{"stream":"mystery","data":{}}"#)
        let inputs = delivered.all
        let fills = inputs.compactMap { if case .answer(.fill(let f)) = $0 { return f.quantity.doubleValue } else { return nil } }
        let notes = inputs.compactMap { if case .answer(.inputNotice(let n)) = $0 { return n.detail } else { return nil } }
        #expect(fills == [2, 3])
        #expect(notes.count == 5)
        #expect(notes[0].contains("did not send") && notes[1].contains("repeated") && notes[2].contains("disagrees"))
        #expect(notes[3].contains("malformed") && notes[4].contains("unknown stream"))
    }

    @Test("a resumed session adopts the orders its log says it sent: later updates fill only what is left")
    func adoption() async throws {
        let path = Gateway.temporary("adopt.alog")
        let writer = try LogWriter.create(path: path, manifest: Manifest(formatVersion: 1, engineVersion: "test"), timestamp: Timestamp(rawValue: 0))
        _ = try writer.symbol("AAA", at: Timestamp(rawValue: 0))
        let t = Timestamp(rawValue: 1)
        try writer.append(.orderSubmitted(order), at: t)
        try writer.append(.orderAccepted(OrderAccepted(orderID: 1, brokerOrderID: "b1")), at: t)
        try writer.append(.fill(Fill(orderID: 1, symbol: SymbolID(0), side: .buy, quantity: Quantity(rawValue: 2_000_000), price: Price(rawValue: 10_000_000_000))), at: t)
        try writer.close()
        let delivered = Delivered()
        let gateway = AlpacaTradingGateway(endpoints: try .paper("http://127.0.0.1:9"), credentials: Gateway.paperCredentials,
                                           tag: "s", deliver: { delivered.add($0) })
        try gateway.adopt(LogReader(path: path))
        gateway.take(#"{"stream":"trade_updates","data":{"event":"fill","price":"11","qty":"3","order":{"id":"b1","client_order_id":"s-1","symbol":"AAA","side":"buy","qty":"5","filled_qty":"5","status":"filled"}}}"#)
        let fills = delivered.all.compactMap { if case .answer(.fill(let f)) = $0 { return f } else { return nil } }
        #expect(fills.map(\.quantity.doubleValue) == [3] && fills.first?.orderID == 1)
    }

    @Test("refused stream credentials end a paper session cleanly: the reason is reported, the log is closed")
    func refusedCredentials() async throws {
        let series = try Gateway.series()
        var options = PaperExchangeOptions()
        options.credentials = AlpacaCredentials(keyID: "right", secretKey: "right")
        let exchange = try PaperExchange(series: series, options: options)
        let (url, server) = try await Gateway.startExchange(exchange)
        defer { server.cancel() }
        let out = Gateway.temporary("refused.alog")
        let summary = try await Gateway.paperSession(config: try Gateway.config(), exchangeURL: url, symbols: series.symbols, out: out,
                                                     credentials: AlpacaCredentials(keyID: "wrong", secretKey: "wrong"))
        #expect(summary.reason.contains("refused"))
        let reader = try LogReader(path: out)
        #expect(reader.tail == .closed)
        #expect(summary.events == 0, "no bar came, so the session never began")
    }

    @Test("late and repeated bar groups are logged as notices, the session goes on, and replay agrees")
    func lateBars() async throws {
        let series = try Gateway.series()
        let groups = Array(series.groups.prefix(40))
        let links = SessionInputs()
        let (inputs, deliver) = (links.stream, links.deliver)
        for (n, range) in groups.enumerated() {
            let group = BarGroup(time: Timestamp(rawValue: series.end[range.lowerBound]), bars: range.map { series.bar($0) })
            deliver(.bars(group))
            if n == 25 { deliver(.bars(group)) }       // the same time again
            if n == 30 {                                 // a time already stepped past
                let old = groups[10]
                deliver(.bars(BarGroup(time: Timestamp(rawValue: series.end[old.lowerBound]), bars: old.map { series.bar($0) })))
            }
        }
        deliver(.answer(.inputNotice(InputNotice(link: .marketData, detail: "malformed message: test"))))
        deliver(.endOfFeed)
        let out = Gateway.temporary("late.alog")
        let session = try LiveSession(config: try Gateway.config(), symbols: series.symbols, sourceDescription: "test", out: out, resume: false)
        let summary = try await session.run(inputs: inputs, broker: nil)
        #expect(summary.reason == "end of feed" && summary.notices == 3)
        let report = try ReplayEngine.replay(path: out)
        #expect(report.identical)
    }
}

/// Collects what a gateway delivers.
final class Delivered: Sendable {
    private let items = Mutex<[SessionInput]>([])
    func add(_ i: SessionInput) { items.withLock { $0.append(i) } }
    var all: [SessionInput] { items.withLock { $0 } }
}

/// A TCP port that accepts connections into its backlog and never answers.
enum SilentListener {
    static func open() throws -> (Int, Int32) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else { throw GatewayError("cannot listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (Int(UInt16(bigEndian: address.sin_port)), fd)
    }
}
