import AuroraModel

/// Order lifecycle, fills, escalations and rate-limit waits, in field order.
extension RecordEncoder {
    func encode(_ e: OrderSubmitted) {
        varint(e.orderID)
        varint(e.tradeID)
        symbol(e.symbol)
        u8(e.side.rawValue)
        u8(e.type.rawValue)
        quantity(e.quantity)
        optionalPrice(e.limitPrice)
    }

    func encode(_ e: OrderAccepted) {
        varint(e.orderID)
        string(e.brokerOrderID)
    }

    func encode(_ e: OrderRejected) {
        varint(e.orderID)
        string(e.reason)
    }

    func encode(_ e: OrderCancelled) {
        varint(e.orderID)
        string(e.reason)
    }

    func encode(_ e: Fill) {
        varint(e.orderID)
        symbol(e.symbol)
        u8(e.side.rawValue)
        quantity(e.quantity)
        price(e.price)
        price(e.fees)
        u8(e.liquidity.rawValue)
    }

    func encode(_ e: Escalation) {
        varint(e.tradeID)
        varint(e.orderID)
        symbol(e.symbol)
        u8(e.side.rawValue)
        quantity(e.quantity)
        string(e.reason)
    }

    func encode(_ e: RateLimitWait) {
        varint(e.orderID)
        time(e.until)
        varint(UInt64(e.queueDepth))
    }
}

extension RecordDecoder {
    func decodeOrderSubmitted(_ r: inout ByteReader) throws(RecordError) -> OrderSubmitted {
        OrderSubmitted(orderID: try varint(&r), tradeID: try varint(&r), symbol: try symbol(&r),
                       side: try enumeration(&r, Side.self), type: try enumeration(&r, OrderType.self),
                       quantity: try quantity(&r), limitPrice: try optionalPrice(&r))
    }

    func decodeOrderAccepted(_ r: inout ByteReader) throws(RecordError) -> OrderAccepted {
        OrderAccepted(orderID: try varint(&r), brokerOrderID: try string(&r))
    }

    func decodeOrderRejected(_ r: inout ByteReader) throws(RecordError) -> OrderRejected {
        OrderRejected(orderID: try varint(&r), reason: try string(&r))
    }

    func decodeOrderCancelled(_ r: inout ByteReader) throws(RecordError) -> OrderCancelled {
        OrderCancelled(orderID: try varint(&r), reason: try string(&r))
    }

    func decodeFill(_ r: inout ByteReader) throws(RecordError) -> Fill {
        Fill(orderID: try varint(&r), symbol: try symbol(&r), side: try enumeration(&r, Side.self),
             quantity: try quantity(&r), price: try price(&r), fees: try price(&r),
             liquidity: try enumeration(&r, Liquidity.self))
    }

    func decodeEscalation(_ r: inout ByteReader) throws(RecordError) -> Escalation {
        Escalation(tradeID: try varint(&r), orderID: try varint(&r), symbol: try symbol(&r),
                   side: try enumeration(&r, Side.self), quantity: try quantity(&r), reason: try string(&r))
    }

    func decodeRateLimitWait(_ r: inout ByteReader) throws(RecordError) -> RateLimitWait {
        RateLimitWait(orderID: try varint(&r), until: try time(&r), queueDepth: try u32(&r, "queue depth"))
    }
}
