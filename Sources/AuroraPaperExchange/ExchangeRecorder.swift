import AuroraAlpaca
import AuroraData
import AuroraKernel
import AuroraLog
import AuroraModel

/// What the paper exchange did, as an Aurora log (`--out`), so a session driven by any client —
/// a user's alpaca-py script, say — can be audited, inspected and diffed like Aurora's own: the
/// bars it played, and for each order the client sent a planned trade, the submission and its
/// acceptance, its fills and its cancellation, stamped with the exchange's data time. Each
/// order is its own trade (id = the order's number), so `aurora audit` reports per order.
final class ExchangeRecorder {
    private let writer: LogWriter

    init(path: String, symbols: [String], cash: Double, source: String, at start: Timestamp) throws {
        let manifest = Manifest(formatVersion: 1, engineVersion: AuroraVersion.engine, dataSource: source,
                                properties: [KeyValue("portfolio.initial_cash", ConfigText.number(cash)),
                                             KeyValue("session.broker", "paper-exchange")])
        writer = try LogWriter.create(path: path, options: LogWriterOptions(flush: .live))
        try writer.append(.manifest(manifest), at: start)
        for (i, name) in symbols.enumerated() { try writer.append(.symbolDefinition(SymbolDefinition(symbol: SymbolID(i), name: name)), at: start) }
        try writer.append(.sessionStart(SessionStart(mode: .paper, sessionID: "paper-exchange")), at: start)
    }

    func bars(_ bars: [Bar], at t: Timestamp) throws {
        for b in bars { _ = try writer.append(bar: b, at: t) }
    }

    func submitted(_ n: Int, symbol: Int, _ o: AlpacaWire.WireOrder, at t: Timestamp) throws {
        let id = UInt64(n + 1), s = SymbolID(symbol), side: Side = o.side == "buy" ? .buy : .sell
        let q = Quantity(rawValue: Int64((o.quantity * Double(Quantity.scale)).rounded()))
        try writer.append(.plannedTrade(PlannedTrade(planID: id, tradeID: id, symbol: s, side: side, quantity: q, priority: 0)), at: t)
        try writer.append(.orderSubmitted(OrderSubmitted(orderID: id, tradeID: id, symbol: s, side: side, type: o.limitPrice == nil ? .market : .limit,
                                                         quantity: q, limitPrice: o.limitPrice.flatMap { Price($0) })), at: t)
        try writer.append(.orderAccepted(OrderAccepted(orderID: id, brokerOrderID: o.id)), at: t)
    }

    func filled(_ n: Int, symbol: Int, side: String, quantity: Double, price: Double, at t: Timestamp) throws {
        try writer.append(.fill(Fill(orderID: UInt64(n + 1), symbol: SymbolID(symbol), side: side == "buy" ? .buy : .sell,
                                     quantity: Quantity(rawValue: Int64((quantity * Double(Quantity.scale)).rounded())),
                                     price: Price(saturating: price), fees: .zero, liquidity: .taker)), at: t)
    }

    func cancelled(_ n: Int, at t: Timestamp) throws {
        try writer.append(.orderCancelled(OrderCancelled(orderID: UInt64(n + 1), reason: "cancelled by the client")), at: t)
    }

    func close(at t: Timestamp, reason: String) throws -> LogSummary {
        try writer.append(.sessionEnd(SessionEnd(reason: reason)), at: t)
        return try writer.close()
    }
}
