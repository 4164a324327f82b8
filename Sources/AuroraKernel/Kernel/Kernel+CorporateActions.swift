import AuroraModel

/// Corporate actions in the kernel: the reducer has already applied them to the portfolio; here
/// the execution model re-sizes open orders, a delisted position is closed, and the strategy's
/// view of prices (`AdjustedPriceView`) is adjusted so its history stays continuous across the
/// ex-date.
extension Kernel {
    mutating func onCorporateAction(_ a: CorporateAction, at timestamp: Timestamp) throws {
        let i = a.symbol.index
        guard i < symbolNames.count else { return }
        switch a.kind {
        case .split, .dividend:
            // The raw last close follows a split into post-split terms, as the reducer did for the portfolio.
            lastClose[i] = view.apply(a, lastClose: lastClose[i], symbolCount: symbolNames.count)
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
}
