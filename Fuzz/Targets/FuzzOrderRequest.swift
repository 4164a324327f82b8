import AuroraAlpaca

/// Any bytes as what a paper-exchange client sends (an order body, a MessagePack stream message) and as what Alpaca's
/// servers send a gateway (market-data and order-update messages): a value or a refusal, never
/// a trap; an accepted order stays within the documented limits.
public func fuzzOrderRequest(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    if let order = try? AlpacaOrderRequest.parse(bytes) {
        guard order.quantity > 0, order.quantity <= AlpacaOrderRequest.maxQuantity,
              (order.limitPrice ?? 1) > 0, (order.limitPrice ?? 1) <= AlpacaOrderRequest.maxPrice,
              order.clientOrderID.count <= AlpacaOrderRequest.maxClientOrderIDLength else {
            fatalError("an order outside the limits was accepted: \(order)")
        }
    }
    if let value = try? MessagePack.decode(bytes) {
        // What decodes encodes again, and that decodes too.
        guard (try? MessagePack.decode(MessagePack.encode(value, timeKeys: []))) != nil else {
            fatalError("decoded MessagePack did not survive a round trip")
        }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? AlpacaWire.parseMarketData(text)
    _ = try? AlpacaWire.parseTradeStream(text)
    _ = try? AlpacaWire.parseOrder(text)
    return 0
}
