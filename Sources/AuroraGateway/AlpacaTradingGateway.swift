import AuroraAlpaca
import AsyncHTTPClient
import AuroraKernel
import AuroraLive
import AuroraLog
import AuroraModel
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A session's broker over Alpaca's trading API (or a paper exchange speaking it): orders go out
/// over HTTP as market orders tagged with a client order id; acks and HTTP refusals come back from
/// the request, fills and cancels from the order-updates stream. Every answer is delivered to the
/// session as an input. Credentials travel in headers only.
public final class AlpacaTradingGateway: BrokerLink {
    public let endpoints: AlpacaEndpoints
    /// Who fills, as the manifest records it.
    public let name: String
    private let credentials: AlpacaCredentials
    /// Where order updates go: the session's inputs once `runUpdates` starts.
    private let delivery: Mutex<@Sendable (SessionInput) -> Void>
    private let timeout: Duration
    private let tag: String
    private let state = Mutex(OrderBook())

    /// `tag` prefixes client order ids so this session's orders are told apart from others'.
    public init(endpoints: AlpacaEndpoints, credentials: AlpacaCredentials, tag: String, name: String = "alpaca",
                requestTimeout: Duration = .seconds(10), deliver: @escaping @Sendable (SessionInput) -> Void = { _ in }) {
        self.name = name
        self.endpoints = endpoints
        self.credentials = credentials
        self.tag = tag
        self.timeout = requestTimeout
        self.delivery = Mutex(deliver)
    }

    // MARK: account

    public struct Account: Sendable {
        public var status: String
        public var cash: Double
        public var buyingPower: Double
        public var equity: Double
    }

    public struct Position: Sendable, Equatable {
        public var symbol: String
        public var quantity: Double
    }

    public func account() async throws -> Account {
        guard let m = AlpacaWire.object(try await request("GET", "/v2/account")) else {
            throw GatewayError("GET /v2/account: expected an account object")
        }
        func num(_ k: String) -> Double { AlpacaWire.number(m[k]) ?? .nan }
        return Account(status: m["status"] as? String ?? "", cash: num("cash"), buyingPower: num("buying_power"), equity: num("equity"))
    }

    public func positions() async throws -> [Position] {
        guard let items = AlpacaWire.objects(try await request("GET", "/v2/positions")) else {
            throw GatewayError("GET /v2/positions: expected an array of positions")
        }
        return items.compactMap { m in
            guard let s = m["symbol"] as? String, let q = AlpacaWire.number(m["qty"]) else { return nil }
            return Position(symbol: s, quantity: q)
        }.sorted { $0.symbol < $1.symbol }
    }

    /// Tradable symbols, sorted (a paper exchange lists its data's universe).
    public func assets() async throws -> [String] {
        guard let items = AlpacaWire.objects(try await request("GET", "/v2/assets?status=active")) else {
            throw GatewayError("GET /v2/assets: expected an array of assets")
        }
        return items.compactMap { m in (m["tradable"] as? Bool ?? true) ? m["symbol"] as? String : nil }.sorted()
    }

    // MARK: Broker

    public func submit(_ order: OrderSubmitted, symbol: String) async -> [EventPayload] {
        let clientID = "\(tag)-\(order.orderID)"
        state.withLock { $0.sent(clientID, order: order) }
        var body: [String: Any] = ["symbol": symbol, "qty": AlpacaWire.decimal(order.quantity.doubleValue),
                                   "side": order.side == .buy ? "buy" : "sell", "type": order.type == .limit ? "limit" : "market",
                                   "time_in_force": "day", "client_order_id": clientID]
        if let limit = order.limitPrice { body["limit_price"] = AlpacaWire.decimal(limit.doubleValue) }
        do {
            let answer = try await request("POST", "/v2/orders", body: AlpacaWire.text(body))
            let placed = try AlpacaWire.parseOrder(answer)
            state.withLock { $0.brokerIDs[placed.id] = clientID }
            return [.orderAccepted(OrderAccepted(orderID: order.orderID, brokerOrderID: placed.id))]
        } catch {
            state.withLock { $0.close(clientID) }
            return [.orderRejected(OrderRejected(orderID: order.orderID, reason: "\(error)"))]
        }
    }

    public func cancelOpenOrders(reason: String) async -> [EventPayload] {
        var answers: [EventPayload] = []
        for (brokerID, orderID) in state.withLock({ $0.openBrokerOrders() }) {
            do {
                _ = try await request("DELETE", "/v2/orders/\(brokerID)")
                answers.append(.orderCancelled(OrderCancelled(orderID: orderID, reason: "cancel requested: \(reason)")))
            } catch {
                answers.append(.inputNotice(InputNotice(link: .broker, detail: "cancel of order \(orderID) failed: \(error)")))
            }
        }
        return answers
    }

    public static let tagProperty = LiveSession.orderTagProperty

    public var manifestProperties: [KeyValue] { [KeyValue(Self.tagProperty, tag)] }

    public func checkAccount() async throws -> String {
        let account = try await account()
        let held = try await positions()
        return "broker       \(endpoints.trading): account \(account.status), cash \(ReportText.money(account.cash)), buying power \(ReportText.money(account.buyingPower)), \(held.count) positions held"
    }

    public func runUpdates(deliver: @escaping @Sendable (SessionInput) -> Void) async -> String {
        delivery.withLock { $0 = deliver }
        return await runOrderUpdates()
    }

    private func deliver(_ input: SessionInput) { delivery.withLock { $0 }(input) }

    /// Takes over the orders a resumed session's log says it sent: their broker ids, what has
    /// filled, and which are still open.
    public func adopt(_ reader: LogReader) throws {
        let cursor = reader.events()
        var book = OrderBook()
        var clientOf: [UInt64: String] = [:]
        while let e = try cursor.next() {
            switch e.payload {
            case .orderSubmitted(let o):
                clientOf[o.orderID] = "\(tag)-\(o.orderID)"
                book.sent("\(tag)-\(o.orderID)", order: o)
            case .orderAccepted(let a):
                if let c = clientOf[a.orderID], !a.brokerOrderID.isEmpty { book.brokerIDs[a.brokerOrderID] = c }
            case .fill(let f):
                if let c = clientOf[f.orderID], var s = book.sent[c] {
                    s.filled += f.quantity.doubleValue
                    s.filledValue += f.quantity.doubleValue * f.price.doubleValue
                    if s.filled >= s.order.quantity.doubleValue - 1e-9 { s.open = false }
                    book.sent[c] = s
                }
            case .orderRejected(let r): if let c = clientOf[r.orderID] { book.close(c) }
            case .orderCancelled(let x): if let c = clientOf[x.orderID] { book.close(c) }
            default: break
            }
        }
        state.withLock { $0 = book }
    }

    // MARK: order updates

    /// Runs the order-updates link until the credentials are refused or the task is cancelled.
    public func runOrderUpdates(backoff: Backoff = Backoff()) async -> String {
        let runner = LinkRunner(url: endpoints.tradeStream, link: .orderUpdates, backoff: backoff)
        let credentials = self.credentials
        return await runner.run(deliver: { [self] in deliver($0) }) { [self] messages, outbound, connected in
            try await outbound.write(.text(AlpacaWire.text(["action": "auth", "key": credentials.keyID, "secret": credentials.secretKey])))
            guard let first = try await messages.next() else { return .dropped("closed before authorizing") }
            guard case .authorization(true)? = try? AlpacaWire.parseTradeStream(first.text) else {
                throw LinkRunner.Fatal(description: "order updates refused the credentials")
            }
            try await outbound.write(.text(AlpacaWire.text(["action": "listen", "data": ["streams": ["trade_updates"]]])))
            connected()
            while let message = try await messages.next() { take(message.text) }
            return .dropped("the stream closed")
        }
    }

    func take(_ text: String) {
        let message: AlpacaWire.TradeStreamMessage
        do { message = try AlpacaWire.parseTradeStream(text) } catch {
            return deliver(notice("malformed order update: \(error)"))
        }
        guard case .update(let event, let order, let price, let quantity) = message else {
            if case .other(let stream) = message { deliver(notice("message on unknown stream \"\(stream)\": ignored")) }
            return
        }
        let answers = state.withLock { book in book.update(event: event, order: order, price: price, quantity: quantity) }
        for a in answers { deliver(.answer(a)) }
    }

    private func notice(_ detail: String) -> SessionInput { .answer(.inputNotice(InputNotice(link: .orderUpdates, detail: detail))) }

    // MARK: HTTP

    private func request(_ method: String, _ path: String, body: String? = nil) async throws -> String {
        var req = HTTPClientRequest(url: endpoints.trading + path)
        req.method = HTTPMethod(rawValue: method)
        req.headers.add(name: "APCA-API-KEY-ID", value: credentials.keyID)
        req.headers.add(name: "APCA-API-SECRET-KEY", value: credentials.secretKey)
        if let body {
            req.headers.add(name: "Content-Type", value: "application/json")
            req.body = .bytes(ByteBuffer(string: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(req, timeout: TimeAmount(timeout))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw GatewayError("\(method) \(path): no answer within \(timeout)")
        } catch {
            throw GatewayError("\(method) \(path): \(error)")
        }
        let buffer = try await response.body.collect(upTo: 1 << 24)
        let text = String(buffer: buffer)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw GatewayError("\(method) \(path): HTTP \(response.status.code) \(AlpacaWire.errorMessage(text))")
        }
        return text
    }

}

/// The gateway's view of the orders it sent: enough to turn order updates into fills of the
/// right quantity, and to notice updates it cannot place.
struct OrderBook {
    struct Sent { var order: OrderSubmitted; var filled: Double; var filledValue: Double; var open: Bool }
    var sent: [String: Sent] = [:]
    var brokerIDs: [String: String] = [:]

    mutating func sent(_ clientID: String, order: OrderSubmitted) {
        sent[clientID] = Sent(order: order, filled: 0, filledValue: 0, open: true)
    }

    mutating func close(_ clientID: String) { sent[clientID]?.open = false }

    /// Broker ids of orders still open, in our order id order.
    func openBrokerOrders() -> [(String, UInt64)] {
        brokerIDs.compactMap { b, c in sent[c].flatMap { $0.open ? (b, $0.order.orderID) : nil } }.sorted { $0.1 < $1.1 }
    }

    mutating func update(event: String, order w: AlpacaWire.WireOrder, price: Double?, quantity: Double?) -> [EventPayload] {
        let clientID = w.clientOrderID.isEmpty ? (brokerIDs[w.id] ?? "") : w.clientOrderID
        guard var s = sent[clientID] else {
            return [.inputNotice(InputNotice(link: .orderUpdates, detail: "\(event) for an order this session did not send (\(w.id)): ignored"))]
        }
        if brokerIDs[w.id] == nil { brokerIDs[w.id] = clientID }
        let id = s.order.orderID
        switch event {
        case "fill", "partial_fill":
            let increment = w.filledQuantity - s.filled
            guard increment > 0 else {
                return [.inputNotice(InputNotice(link: .orderUpdates, detail: "repeated \(event) for order \(id) (filled \(w.filledQuantity)): ignored"))]
            }
            let derived = w.filledAveragePrice.map { ($0 * w.filledQuantity - s.filledValue) / increment }
            guard let p = Price(price ?? derived ?? .nan), p.rawValue > 0, let q = Quantity(increment) else {
                return [.inputNotice(InputNotice(link: .orderUpdates, detail: "\(event) for order \(id) without a usable price: ignored"))]
            }
            var out: [EventPayload] = []
            if let quantity, abs(quantity - increment) > 1e-6 {
                // The order's cumulative fill is the truth; a disagreeing per-fill qty is noted.
                out.append(.inputNotice(InputNotice(link: .orderUpdates, detail: "\(event) for order \(id): qty \(quantity) disagrees with filled_qty; used \(increment)")))
            }
            s.filled = w.filledQuantity
            s.filledValue += p.doubleValue * increment
            if event == "fill" { s.open = false }
            sent[clientID] = s
            out.append(.fill(Fill(orderID: id, symbol: s.order.symbol, side: s.order.side, quantity: q, price: p)))
            return out
        case "canceled", "expired", "done_for_day":
            guard s.open else { return [] }
            s.open = false
            sent[clientID] = s
            return [.orderCancelled(OrderCancelled(orderID: id, reason: "broker: \(event)"))]
        case "rejected":
            guard s.open else { return [] }
            s.open = false
            sent[clientID] = s
            return [.orderRejected(OrderRejected(orderID: id, reason: "broker: rejected"))]
        default:
            return []   // new, accepted, pending_*: the HTTP answer was the ack
        }
    }
}
