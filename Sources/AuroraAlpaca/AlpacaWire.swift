import AuroraData
import AuroraModel
import Foundation

/// Alpaca's JSON messages, both ways: what the market-data stream (v2) and the order-updates
/// stream send, parsed into typed values, and the same messages built for a server that speaks
/// them (the paper exchange). Anything malformed is a `WireError` naming what was wrong, never a crash.
public enum AlpacaWire {
    public struct WireError: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ d: String) { description = d }
    }

    /// A bar as the stream sends it: `t` is the bar's start; Aurora stamps bars at their end.
    public struct WireBar: Sendable, Equatable {
        public var symbol: String
        public var timeframe: Timeframe
        public var start: Timestamp
        public var open, high, low, close, volume: Double
        public var end: Timestamp { Timestamp(rawValue: start.rawValue &+ timeframe.rawValue) }

        public init(symbol: String, timeframe: Timeframe, start: Timestamp, open: Double, high: Double, low: Double,
                    close: Double, volume: Double) {
            self.symbol = symbol
            self.timeframe = timeframe
            self.start = start
            self.open = open
            self.high = high
            self.low = low
            self.close = close
            self.volume = volume
        }
    }

    public struct WireTrade: Sendable, Equatable {
        public var symbol: String
        public var price: Double
        public var size: Double
        public var time: Timestamp
    }

    public enum MarketMessage: Sendable, Equatable {
        case success(String)
        case error(code: Int, message: String)
        case subscription
        case bar(WireBar)
        case trade(WireTrade)
        /// A well-formed message of a type Aurora does not use (quotes, statuses, …).
        case other(String)
    }

    /// An order as the trading API returns it (REST and order updates).
    public struct WireOrder: Sendable, Equatable {
        public var id: String
        public var clientOrderID: String
        public var symbol: String
        public var side: String
        public var quantity: Double
        public var filledQuantity: Double
        public var filledAveragePrice: Double?
        public var status: String
        /// `market` or `limit`, and the limit when there is one.
        public var type = "market"
        public var limitPrice: Double?
        public var timeInForce = "day"
        public var assetID = ""
        public var createdAt = Timestamp(rawValue: 0)
        public var updatedAt = Timestamp(rawValue: 0)
        public var filledAt: Timestamp?
        public var canceledAt: Timestamp?

        public init(id: String, clientOrderID: String, symbol: String, side: String, quantity: Double, filledQuantity: Double,
                    filledAveragePrice: Double?, status: String) {
            self.id = id
            self.clientOrderID = clientOrderID
            self.symbol = symbol
            self.side = side
            self.quantity = quantity
            self.filledQuantity = filledQuantity
            self.filledAveragePrice = filledAveragePrice
            self.status = status
        }
    }

    public enum TradeStreamMessage: Sendable, Equatable {
        case authorization(authorized: Bool)
        case listening([String])
        /// `event` is fill, partial_fill, canceled, rejected, new, …; `price`/`qty` are this fill's.
        case update(event: String, order: WireOrder, price: Double?, quantity: Double?)
        case other(String)
    }

    // MARK: parsing

    public static func parseMarketData(_ text: String) throws(WireError) -> [MarketMessage] {
        guard let items = try json(text) as? [Any] else { throw WireError("expected a JSON array of messages") }
        var out: [MarketMessage] = []
        for item in items {
            guard let m = item as? [String: Any] else { throw WireError("expected an object in the message array") }
            guard let type = m["T"] as? String else { throw WireError("message without a \"T\" type") }
            switch type {
            case "success": out.append(.success(m["msg"] as? String ?? ""))
            case "error": out.append(.error(code: (m["code"] as? NSNumber)?.intValue ?? 0, message: m["msg"] as? String ?? ""))
            case "subscription": out.append(.subscription)
            case "b", "d", "u":
                let symbol = try string(m, "S", in: type)
                let start = try time(m, "t", in: type)
                let length = type == "d" ? Timeframe.day : .minute
                guard !start.rawValue.addingReportingOverflow(length.rawValue).overflow else {
                    throw WireError("\(type): \"t\" \(start.iso8601) is too late: the bar would end after 2262-04-11")
                }
                out.append(.bar(WireBar(symbol: symbol, timeframe: type == "d" ? .day : .minute, start: start,
                                        open: try number(m, "o", in: type), high: try number(m, "h", in: type),
                                        low: try number(m, "l", in: type), close: try number(m, "c", in: type),
                                        volume: try number(m, "v", in: type))))
            case "t":
                out.append(.trade(WireTrade(symbol: try string(m, "S", in: type), price: try number(m, "p", in: type),
                                            size: try number(m, "s", in: type), time: try time(m, "t", in: type))))
            default: out.append(.other(type))
            }
        }
        return out
    }

    public static func parseTradeStream(_ text: String) throws(WireError) -> TradeStreamMessage {
        guard let m = try json(text) as? [String: Any] else { throw WireError("expected a JSON object") }
        guard let stream = m["stream"] as? String else { throw WireError("message without a \"stream\"") }
        let data = m["data"] as? [String: Any] ?? [:]
        switch stream {
        case "authorization": return .authorization(authorized: data["status"] as? String == "authorized")
        case "listening": return .listening(data["streams"] as? [String] ?? [])
        case "trade_updates":
            let event = try string(data, "event", in: "trade_updates")
            guard let order = data["order"] as? [String: Any] else { throw WireError("trade_updates \(event) without an order") }
            return .update(event: event, order: try parseOrder(order), price: try optionalNumber(data, "price", in: event),
                           quantity: try optionalNumber(data, "qty", in: event))
        default: return .other(stream)
        }
    }

    public static func parseOrder(_ text: String) throws(WireError) -> WireOrder {
        guard let m = try json(text) as? [String: Any] else { throw WireError("expected an order object") }
        return try parseOrder(m)
    }

    static func parseOrder(_ m: [String: Any]) throws(WireError) -> WireOrder {
        WireOrder(id: try string(m, "id", in: "order"), clientOrderID: m["client_order_id"] as? String ?? "",
                  symbol: try string(m, "symbol", in: "order"), side: try string(m, "side", in: "order"),
                  quantity: try number(m, "qty", in: "order"), filledQuantity: try optionalNumber(m, "filled_qty", in: "order") ?? 0,
                  filledAveragePrice: try optionalNumber(m, "filled_avg_price", in: "order"),
                  status: try string(m, "status", in: "order"))
    }

    /// The `message` of an error body, or the body itself when it is not one.
    public static func errorMessage(_ body: String) -> String {
        if let message = object(body)?["message"] as? String { return message }
        return body.isEmpty ? "(no body)" : String(body.prefix(200))
    }

    /// A JSON object (a REST body, a client's stream message), or nil when the text is not one.
    public static func object(_ text: String) -> [String: Any]? { (try? json(text)) as? [String: Any] }

    /// A JSON array of objects (positions, assets, orders), or nil.
    public static func objects(_ text: String) -> [[String: Any]]? { (try? json(text)) as? [[String: Any]] }

    /// A number, or a decimal string as the trading API sends them; nil when neither, NaN or infinite.
    public static func number(_ raw: Any?) -> Double? {
        let value: Double?
        if let s = raw as? String { value = Double(s) }
        else if let n = raw as? NSNumber { value = n.doubleValue }
        else { value = nil }
        return value.flatMap { $0.isFinite ? $0 : nil }
    }

    // MARK: building

    public static func text(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Alpaca's bar message. Recorded bars carry neither a VWAP nor a trade count, which Alpaca's
    /// models require: `vw` is the bar's typical price (high + low + close) / 3 and `n` is 0.
    public static func barMessage(_ b: WireBar) -> [String: Any] {
        ["T": b.timeframe == .day ? "d" : "b", "S": b.symbol, "o": b.open, "h": b.high, "l": b.low, "c": b.close,
         "v": b.volume, "t": b.start.iso8601, "vw": (b.high + b.low + b.close) / 3, "n": 0]
    }

    /// An order with every field of Alpaca's order model (those that do not apply are null).
    public static func orderObject(_ o: WireOrder) -> [String: Any] {
        func time(_ t: Timestamp?) -> Any { t.map { $0.iso8601 } ?? NSNull() }
        var m: [String: Any] = ["id": o.id, "client_order_id": o.clientOrderID, "symbol": o.symbol, "side": o.side,
                                "qty": decimal(o.quantity), "filled_qty": decimal(o.filledQuantity), "status": o.status,
                                "type": o.type, "order_type": o.type, "time_in_force": o.timeInForce, "order_class": "simple",
                                "asset_class": "us_equity", "extended_hours": false, "notional": NSNull(), "stop_price": NSNull(),
                                "trail_price": NSNull(), "trail_percent": NSNull(), "hwm": NSNull(), "legs": NSNull(),
                                "replaced_by": NSNull(), "replaces": NSNull(), "expired_at": NSNull(), "failed_at": NSNull(),
                                "replaced_at": NSNull(), "expires_at": NSNull(), "position_intent": NSNull()]
        m["asset_id"] = o.assetID.isEmpty ? NSNull() : o.assetID
        m["created_at"] = o.createdAt.iso8601
        m["updated_at"] = o.updatedAt.iso8601
        m["submitted_at"] = o.createdAt.iso8601
        m["filled_at"] = time(o.filledAt)
        m["canceled_at"] = time(o.canceledAt)
        m["limit_price"] = o.limitPrice.map(decimal) ?? NSNull()
        m["filled_avg_price"] = o.filledAveragePrice.map(decimal) ?? NSNull()
        return m
    }

    /// A UUID-shaped id from a kind (eight hex digits) and a number: stable, so reruns give the same ids.
    public static func uuid(_ prefix: String, _ n: Int) -> String {
        let digits = String(n, radix: 10)
        return "\(prefix)-0000-4000-8000-\(String(repeating: "0", count: max(0, 12 - digits.count)))\(digits)"
    }

    /// Alpaca sends quantities and prices in the trading API as decimal strings.
    public static func decimal(_ v: Double) -> String {
        guard let p = Price(v) else { return "0" }
        var s = p.description
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    // MARK: fields

    private static func json(_ text: String) throws(WireError) -> Any {
        guard let data = text.data(using: .utf8), !data.isEmpty else { throw WireError("empty message") }
        do { return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw WireError("not JSON: \(String(text.prefix(80)))")
        }
    }

    private static func string(_ m: [String: Any], _ key: String, in what: String) throws(WireError) -> String {
        guard let v = m[key] as? String, !v.isEmpty else { throw WireError("\(what): \"\(key)\" is missing or not a string") }
        return v
    }

    private static func number(_ m: [String: Any], _ key: String, in what: String) throws(WireError) -> Double {
        guard let v = try optionalNumber(m, key, in: what) else { throw WireError("\(what): \"\(key)\" is missing") }
        return v
    }

    /// Absent (or null) is nil; present but not a finite number is an error.
    private static func optionalNumber(_ m: [String: Any], _ key: String, in what: String) throws(WireError) -> Double? {
        guard let raw = m[key], !(raw is NSNull) else { return nil }
        guard let value = number(raw) else { throw WireError("\(what): \"\(key)\" is not a number") }
        return value
    }

    private static func time(_ m: [String: Any], _ key: String, in what: String) throws(WireError) -> Timestamp {
        let text = try string(m, key, in: what)
        do { return try TimeText.parse(text) } catch { throw WireError("\(what): \"\(key)\" \"\(text)\" is not an RFC 3339 time") }
    }
}
