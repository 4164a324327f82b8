import AuroraModel

/// Price updates and timers. A price update starts with a presence byte: bit i set when the
/// i-th optional field (price, size, bid, bid size, ask, ask size) is there.
extension RecordEncoder {
    func encode(_ e: PriceUpdate) {
        symbol(e.symbol)
        u8(e.kind.rawValue)
        var present: UInt8 = 0
        if e.price != nil { present |= 1 }
        if e.size != nil { present |= 2 }
        if e.bid != nil { present |= 4 }
        if e.bidSize != nil { present |= 8 }
        if e.ask != nil { present |= 16 }
        if e.askSize != nil { present |= 32 }
        u8(present)
        if let v = e.price { price(v) }
        if let v = e.size { quantity(v) }
        if let v = e.bid { price(v) }
        if let v = e.bidSize { quantity(v) }
        if let v = e.ask { price(v) }
        if let v = e.askSize { quantity(v) }
    }

    func encode(_ e: CorporateAction) {
        symbol(e.symbol)
        u8(e.kind.rawValue)
        string(e.exDate)
        f64(e.ratio)
        price(e.cash)
        symbol(e.target)
        string(e.note)
    }

    func encode(_ e: TimerFired) {
        varint(e.timerID)
        string(e.purpose)
    }
}

extension RecordDecoder {
    func decodePriceUpdate(_ r: inout ByteReader) throws(RecordError) -> PriceUpdate {
        let s = try symbol(&r)
        let kind = try enumeration(&r, PriceUpdateKind.self)
        let present = try r.readByte()
        guard present & 0xC0 == 0 else { throw .malformed("price update presence bits \(present)") }
        var e = PriceUpdate(symbol: s, kind: kind)
        if present & 1 != 0 { e.price = try price(&r) }
        if present & 2 != 0 { e.size = try quantity(&r) }
        if present & 4 != 0 { e.bid = try price(&r) }
        if present & 8 != 0 { e.bidSize = try quantity(&r) }
        if present & 16 != 0 { e.ask = try price(&r) }
        if present & 32 != 0 { e.askSize = try quantity(&r) }
        return e
    }

    func decodeCorporateAction(_ r: inout ByteReader) throws(RecordError) -> CorporateAction {
        CorporateAction(symbol: try symbol(&r), kind: try enumeration(&r, CorporateAction.Kind.self), exDate: try string(&r),
                        ratio: try f64(&r), cash: try price(&r), target: try symbol(&r), note: try string(&r))
    }

    func decodeTimer(_ r: inout ByteReader) throws(RecordError) -> TimerFired {
        TimerFired(timerID: try varint(&r), purpose: try string(&r))
    }
}
