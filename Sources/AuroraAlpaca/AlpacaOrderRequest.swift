import Foundation

/// A `POST /v2/orders` body, read strictly: every field has the type Alpaca documents, numbers
/// are finite, positive and within the limits below, strings are bounded. What is not such an
/// order is a refusal with Alpaca's status and code, never a guess (`"qty": true` is not 1, and
/// `"qty": "1e300"` is not an order).
public struct AlpacaOrderRequest: Sendable, Equatable {
    public enum Side: String, Sendable { case buy, sell }
    public enum Kind: String, Sendable { case market, limit }

    public var symbol: String
    public var side: Side
    public var type: Kind
    public var quantity: Double
    public var limitPrice: Double?
    public var clientOrderID: String
    public var timeInForce: String

    /// The largest order taken, in shares, and the highest limit price.
    public static let maxQuantity = 1e9
    public static let maxPrice = 1e9
    /// Alpaca's own limit on client order ids.
    public static let maxClientOrderIDLength = 128
    public static let maxSymbolLength = 64

    /// A refused request: the HTTP status, Alpaca's error code and a message naming the field.
    public struct Refusal: Error, Sendable, Equatable {
        public var status: Int
        public var code: Int
        public var message: String
        public init(status: Int, code: Int, message: String) {
            self.status = status
            self.code = code
            self.message = message
        }
        static func invalid(_ message: String) -> Refusal { Refusal(status: 422, code: 42_210_000, message: message) }
    }

    public static func parse(_ body: [UInt8]) throws(Refusal) -> AlpacaOrderRequest {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(body))
        } catch let error as Refusal {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .invalid("\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type")
        } catch let DecodingError.keyNotFound(key, _) {
            throw .invalid("\(key.stringValue) is required")
        } catch {
            throw .invalid("request body must be a JSON object")
        }
        guard !wire.symbol.isEmpty, wire.symbol.utf8.count <= maxSymbolLength else {
            throw .invalid("symbol must be 1 to \(maxSymbolLength) characters")
        }
        guard let side = Side(rawValue: wire.side) else { throw .invalid("side must be buy or sell") }
        let typeText = wire.type ?? "market"
        guard let type = Kind(rawValue: typeText) else { throw .invalid("order type \"\(clip(typeText))\" is not supported here") }
        guard let qty = wire.qty else { throw .invalid("qty is required") }
        let quantity = try qty.value("qty", max: maxQuantity)
        var limit: Double?
        if type == .limit {
            guard let l = wire.limit_price else { throw .invalid("limit_price is required for limit orders") }
            limit = try l.value("limit_price", max: maxPrice)
        }
        let clientID = wire.client_order_id ?? ""
        guard clientID.count <= maxClientOrderIDLength else {
            throw .invalid("client_order_id must be at most \(maxClientOrderIDLength) characters")
        }
        let tif = wire.time_in_force ?? "day"
        guard ["day", "gtc", "opg", "cls", "ioc", "fok"].contains(tif) else {
            throw .invalid("time_in_force \"\(clip(tif))\" is not one of day, gtc, opg, cls, ioc, fok")
        }
        return AlpacaOrderRequest(symbol: wire.symbol, side: side, type: type, quantity: quantity, limitPrice: limit,
                                  clientOrderID: clientID, timeInForce: tif)
    }

    static func clip(_ s: String) -> String { s.count > 40 ? String(s.prefix(37)) + "…" : s }

    /// The body as JSON types: numbers may come as JSON numbers or as decimal strings (Alpaca's SDKs send strings).
    private struct Wire: Decodable {
        var symbol: String
        var side: String
        var type: String?
        var qty: Decimal?
        var limit_price: Decimal?
        var client_order_id: String?
        var time_in_force: String?
    }

    private struct Decimal: Decodable {
        var raw: Double?
        var text: String

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) {
                text = s
                // A decimal number, nothing else: no "nan", "inf", hex or spaces.
                let plain = !s.isEmpty && s.count <= 32 && s.allSatisfy { $0.isASCII && ($0.isNumber || ".eE+-".contains($0)) }
                raw = plain ? Double(s) : nil
            } else {
                let d = try c.decode(Double.self)   // a JSON bool or null is a type mismatch here
                raw = d
                text = "\(d)"
            }
        }

        func value(_ name: String, max: Double) throws(Refusal) -> Double {
            guard let v = raw, v.isFinite else { throw .invalid("\(name) must be a number, not \"\(AlpacaOrderRequest.clip(text))\"") }
            guard v > 0 else { throw .invalid("\(name) must be positive, not \(AlpacaOrderRequest.clip(text))") }
            guard v <= max else { throw .invalid("\(name) is out of range: at most \(Int(max)), not \(AlpacaOrderRequest.clip(text))") }
            return v
        }
    }
}
