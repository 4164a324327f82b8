import AuroraModel

/// Corporate actions in the kernel: the reducer has already applied them to the portfolio; here
/// the execution model re-sizes open orders, a delisted position is closed, and the strategy's
/// view of prices is adjusted so its history stays continuous across the ex-date.
///
/// The view is forward-adjusted: a symbol's raw prices are multiplied by the product of the
/// factors of its actions with ex-date so far (a split of r: r; a dividend d after a close P:
/// P / (P − d)), volumes divided by the split part. Ratios of prices — every return an alpha
/// reads — are then those of a back-adjusted series, and no factor is known before its ex-date.
extension Kernel {
    mutating func onCorporateAction(_ a: CorporateAction, at timestamp: Timestamp) throws {
        let i = a.symbol.index
        guard i < symbolNames.count else { return }
        switch a.kind {
        case .split where a.ratio > 0 && a.ratio.isFinite && a.ratio != 1:
            growFactors()
            priceFactor[i] *= a.ratio
            shareFactor[i] *= a.ratio
            // The raw last close in post-split terms, as the reducer did for the portfolio.
            if let p = lastClose[i] { lastClose[i] = Price(rawValue: Int64((Double(p.rawValue) / a.ratio).rounded())) }
        case .dividend:
            guard let p = lastClose[i]?.doubleValue, a.cash.doubleValue > 0, a.cash.doubleValue < p else { break }
            growFactors()
            priceFactor[i] *= p / (p - a.cash.doubleValue)
        case .symbolChange where a.target.index < symbolNames.count && a.target != a.symbol:
            if lastClose[a.target.index] == nil { lastClose[a.target.index] = lastClose[i] }
        case .delisting:
            try delist(a, at: timestamp)
            return
        default:
            break
        }
        for event in execution.onCorporateAction(a, at: timestamp) { try emit(event, at: timestamp) }
    }

    private mutating func delist(_ a: CorporateAction, at timestamp: Timestamp) throws {
        let i = a.symbol.index
        let held = state.positions[i]
        guard held != 0 else { return }
        guard config.delisting == .close, let price = lastClose[i], price.rawValue > 0 else {
            ownWarnings.delistingsKept += 1
            return
        }
        let side: Side = held > 0 ? .sell : .buy
        let bar = Bar(symbol: a.symbol, timeframe: .day, open: price, high: price, low: price, close: price, volume: .zero)
        let trade = DecidedTrade(tradeID: nextTradeID, planID: nextPlanID, symbol: a.symbol, side: side,
                                 quantity: Quantity(rawValue: held.magnitude > UInt64(Int64.max) ? .max : abs(held)), bar: bar)
        let events = execution.closeOut(trade, at: price, reason: "delisted: \(a.note)", timestamp: timestamp)
        guard !events.isEmpty else {
            ownWarnings.delistingsKept += 1
            return
        }
        nextTradeID += 1
        nextPlanID += 1
        try emit(.targetPosition(TargetPosition(symbol: a.symbol, quantity: .zero, weight: 0)), at: timestamp)
        for event in events { try emit(event, at: timestamp) }
        ownWarnings.delistingsClosed += 1
    }

    private mutating func growFactors() {
        guard priceFactor.count < symbolNames.count else { return }
        priceFactor = Array(repeating: 1, count: symbolNames.count)
        shareFactor = Array(repeating: 1, count: symbolNames.count)
    }

    /// The snapshot the strategy sees once some symbol has an adjustment factor.
    mutating func adjustedSnapshot(at timestamp: Timestamp, bars: [Bar]) -> MarketSnapshot {
        func scale(_ p: Price, _ f: Double) -> Price { f == 1 ? p : Price(saturating: p.doubleValue * f) }
        viewBars.removeAll(keepingCapacity: true)
        for var b in bars {
            let f = priceFactor[b.symbol.index]
            if f != 1 {
                b.open = scale(b.open, f); b.high = scale(b.high, f); b.low = scale(b.low, f); b.close = scale(b.close, f)
                let sf = shareFactor[b.symbol.index]
                if sf != 1 { b.volume = Quantity(rawValue: Int64((Double(b.volume.rawValue) / sf).rounded())) }
            }
            viewBars.append(b)
        }
        if viewClose.count != lastClose.count { viewClose = lastClose }
        for i in lastClose.indices { viewClose[i] = lastClose[i].map { scale($0, priceFactor[i]) } }
        return MarketSnapshot(timestamp: timestamp, bars: viewBars, lastClose: viewClose, symbolNames: symbolNames)
    }
}
