import AuroraModel

/// Alpha values, signals, targets, planned trades and order slices, in field order.
extension RecordEncoder {
    func encode(_ e: AlphaValue) {
        string(e.alpha)
        symbol(e.symbol)
        f64(e.value)
    }

    func encode(_ e: Signal) {
        symbol(e.symbol)
        u8(e.direction.rawValue)
        f64(e.score)
        zigzag(Int64(e.rank))
        varint(UInt64(e.contributions.count))
        for c in e.contributions {
            string(c.alpha)
            f64(c.value)
        }
        // Trailing and only when there is a forecast, so signals without one keep their bytes.
        if e.expectedReturn != nil || e.confidence != nil {
            optionalF64(e.expectedReturn)
            optionalF64(e.confidence)
        }
    }

    func optionalF64(_ v: Double?) {
        if let v { u8(1); f64(v) } else { u8(0) }
    }

    func encode(_ e: AlphaWeights) {
        string(e.model)
        varint(UInt64(e.weights.count))
        for w in e.weights {
            string(w.alpha)
            f64(w.value)
        }
    }

    func encode(_ e: TargetPosition) {
        symbol(e.symbol)
        quantity(e.quantity)
        f64(e.weight)
    }

    func encode(_ e: PlannedTrade) {
        varint(e.planID)
        varint(e.tradeID)
        symbol(e.symbol)
        u8(e.side.rawValue)
        quantity(e.quantity)
        zigzag(Int64(e.priority))
        optionalPrice(e.limitPrice)
    }

    func encode(_ e: OrderSlice) {
        varint(e.tradeID)
        varint(UInt64(e.sliceIndex))
        varint(e.orderID)
        symbol(e.symbol)
        time(e.scheduledTime)
        quantity(e.quantity)
    }
}

extension RecordDecoder {
    func decodeAlphaValue(_ r: inout ByteReader) throws(RecordError) -> AlphaValue {
        AlphaValue(alpha: try string(&r), symbol: try symbol(&r), value: try f64(&r))
    }

    func decodeSignal(_ r: inout ByteReader) throws(RecordError) -> Signal {
        var e = Signal(symbol: try symbol(&r), direction: try enumeration(&r, SignalDirection.self), score: try f64(&r))
        e.rank = try i32(&r, "signal rank")
        let count = try varint(&r)
        // Each contribution takes at least nine bytes.
        guard count <= UInt64(r.remaining / 9) else { throw .malformed("signal contribution count \(count)") }
        e.contributions.reserveCapacity(Int(count))
        for _ in 0..<count {
            e.contributions.append(AlphaContribution(alpha: try string(&r), value: try f64(&r)))
        }
        if !r.isAtEnd {
            e.expectedReturn = try optionalF64(&r)
            e.confidence = try optionalF64(&r)
        }
        return e
    }

    func optionalF64(_ r: inout ByteReader) throws(RecordError) -> Double? {
        switch try r.readByte() {
        case 0: return nil
        case 1: return try f64(&r)
        case let b: throw .malformed("presence flag \(b) is neither 0 nor 1")
        }
    }

    func decodeAlphaWeights(_ r: inout ByteReader) throws(RecordError) -> AlphaWeights {
        var e = AlphaWeights(model: try string(&r), weights: [])
        let count = try varint(&r)
        guard count <= UInt64(r.remaining / 9) else { throw .malformed("alpha weight count \(count)") }
        for _ in 0..<count { e.weights.append(AlphaContribution(alpha: try string(&r), value: try f64(&r))) }
        return e
    }

    func decodeTargetPosition(_ r: inout ByteReader) throws(RecordError) -> TargetPosition {
        TargetPosition(symbol: try symbol(&r), quantity: try quantity(&r), weight: try f64(&r))
    }

    func decodePlannedTrade(_ r: inout ByteReader) throws(RecordError) -> PlannedTrade {
        PlannedTrade(planID: try varint(&r), tradeID: try varint(&r), symbol: try symbol(&r),
                     side: try enumeration(&r, Side.self), quantity: try quantity(&r),
                     priority: try i32(&r, "priority"), limitPrice: try optionalPrice(&r))
    }

    func decodeOrderSlice(_ r: inout ByteReader) throws(RecordError) -> OrderSlice {
        OrderSlice(tradeID: try varint(&r), sliceIndex: try u32(&r, "slice index"), orderID: try varint(&r),
                   symbol: try symbol(&r), scheduledTime: try time(&r), quantity: try quantity(&r))
    }
}
