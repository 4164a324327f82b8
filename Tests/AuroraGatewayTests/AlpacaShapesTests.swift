import Foundation
import Testing
import AuroraAlpaca
import AuroraModel

/// Payloads in the shapes Alpaca documents (UUID ids, RFC 3339 times, decimal strings), as its
/// servers send them, and the MessagePack its SDKs speak on the market-data stream.
@Suite("Alpaca's documented shapes and MessagePack")
struct AlpacaShapesTests {
    /// An order as Alpaca's trading API documents it (trimmed of nothing the SDK requires).
    static let documentedOrder = #"""
    {"id":"61e69015-8549-4bfd-b9c3-01e75843f47d","client_order_id":"eb9e2aaa-f71a-4f51-b5b4-52a6c565dad4",
     "created_at":"2021-03-16T18:38:01.942282Z","updated_at":"2021-03-16T18:38:01.942282Z","submitted_at":"2021-03-16T18:38:01.937734Z",
     "filled_at":"2021-03-16T18:38:02.105Z","expired_at":null,"canceled_at":null,"failed_at":null,"replaced_at":null,
     "replaced_by":null,"replaces":null,"asset_id":"b0b6dd9d-8b9b-48a9-ba46-b9d54906e415","symbol":"AAPL","asset_class":"us_equity",
     "notional":null,"qty":"15","filled_qty":"15","filled_avg_price":"124.75","order_class":"","order_type":"market","type":"market",
     "side":"buy","time_in_force":"day","limit_price":null,"stop_price":null,"status":"filled","extended_hours":false,"legs":null,
     "trail_percent":null,"trail_price":null,"hwm":null}
    """#

    @Test("the gateway's parser reads a documented order and a documented trade update")
    func documented() throws {
        let o = try AlpacaWire.parseOrder(Self.documentedOrder)
        #expect(o.id == "61e69015-8549-4bfd-b9c3-01e75843f47d")
        #expect(o.quantity == 15 && o.filledQuantity == 15 && o.filledAveragePrice == 124.75 && o.status == "filled")
        let update = #"{"stream":"trade_updates","data":{"event":"fill","execution_id":"7922ab44-4b1c-4a4a-9a8f-2cd0e3f2a4e8","#
            + #""timestamp":"2021-03-16T18:38:02.105Z","position_qty":"15","price":"124.75","qty":"15","order":"# + Self.documentedOrder + "}}"
        guard case .update(let event, let order, let price, let qty) = try AlpacaWire.parseTradeStream(update) else {
            Issue.record("not a trade update"); return
        }
        #expect(event == "fill" && order.symbol == "AAPL" && price == 124.75 && qty == 15)
    }

    @Test("orders the paper exchange builds carry every field the SDK's order model requires, with UUID ids")
    func orderShape() throws {
        var o = AlpacaWire.WireOrder(id: AlpacaWire.uuid("0a0e0000", 7), clientOrderID: "c1", symbol: "AAPL", side: "buy", quantity: 3,
                                     filledQuantity: 0, filledAveragePrice: nil, status: "accepted")
        o.type = "limit"; o.limitPrice = 101.5; o.createdAt = Timestamp(rawValue: 1_600_000_000_000_000_000); o.updatedAt = o.createdAt
        let m = AlpacaWire.orderObject(o)
        for key in ["id", "client_order_id", "created_at", "updated_at", "submitted_at", "order_class", "time_in_force", "status", "extended_hours"] {
            #expect(m[key] != nil && !(m[key] is NSNull), "\(key)")
        }
        #expect(UUID(uuidString: o.id) != nil)
        #expect(m["limit_price"] as? String == "101.5")
        #expect(m["created_at"] as? String == "2020-09-13T12:26:40Z")
        #expect(try AlpacaWire.parseOrder(AlpacaWire.text(m)) == AlpacaWire.WireOrder(id: o.id, clientOrderID: "c1", symbol: "AAPL", side: "buy",
                                                                                  quantity: 3, filledQuantity: 0, filledAveragePrice: nil, status: "accepted"))
    }

    @Test("MessagePack: bars go out with msgpack timestamps and come back equal; client messages decode; bad bytes are errors")
    func messagePack() throws {
        let bar = AlpacaWire.barMessage(AlpacaWire.WireBar(symbol: "AAPL", timeframe: .minute, start: Timestamp(rawValue: 1_615_900_000_123_456_789),
                                                           open: 1.5, high: 2, low: 1, close: 1.75, volume: 300))
        let bytes = MessagePack.encode([bar])
        // A timestamp 96 extension (0xc7, 12, -1) carries "t".
        #expect(bytes.indices.contains { i in i + 2 < bytes.count && bytes[i] == 0xC7 && bytes[i + 1] == 12 && bytes[i + 2] == 0xFF })
        let back = try MessagePack.decode(bytes) as? [[String: Any]]
        #expect(back?.first?["t"] as? String == "2021-03-16T13:06:40.123456789Z")
        #expect(back?.first?["S"] as? String == "AAPL" && back?.first?["c"] as? Double == 1.75 && back?.first?["n"] as? Int == 0)
        // {"action": "auth", "key": "k", "secret": "s"} as Python's msgpack packs it.
        let auth: [UInt8] = [0x83, 0xA6] + Array("action".utf8) + [0xA4] + Array("auth".utf8) + [0xA3] + Array("key".utf8) + [0xA1, 0x6B]
            + [0xA6] + Array("secret".utf8) + [0xA1, 0x73]
        let m = try MessagePack.decode(auth) as? [String: Any]
        #expect(m?["action"] as? String == "auth" && m?["key"] as? String == "k" && m?["secret"] as? String == "s")
        for bad: [UInt8] in [[0xC1], [0x92, 0x01], [0x81, 0x01, 0x02], [0xA3, 0x61], [0xCB, 0, 0]] {
            #expect(throws: MessagePack.DecodeError.self) { try MessagePack.decode(bad) }
        }
        var deep: [UInt8] = Array(repeating: 0x91, count: 100); deep.append(0x00)
        #expect(throws: MessagePack.DecodeError.self) { try MessagePack.decode(deep) }
    }
}
