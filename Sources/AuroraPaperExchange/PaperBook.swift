import AuroraGateway
import AuroraModel

/// The paper exchange's ledger: orders, positions and cash, and how a bar fills orders. Market
/// orders fill at the bar's open, limit orders when the bar reaches the limit; either takes at
/// most `maxParticipation` of the bar's volume, so a large order fills in parts over several bars.
/// No margin: a buy must fit the cash not already promised to open buys.
struct PaperBook {
    struct Order {
        var wire: AlpacaWire.WireOrder
        var symbolIndex: Int
        var limit: Double?
    }

    /// An HTTP-style refusal: status and Alpaca-like code and message.
    struct Refusal: Error { var status: Int; var code: Int; var message: String }

    let symbols: [String]
    let index: [String: Int]
    var cash: Double
    var positions: [Double]
    var lastPrice: [Double]
    var orders: [Order] = []
    /// Indices of the orders still open, oldest first: what each bar and each buy check look at,
    /// so a long session's filled orders cost nothing.
    private(set) var open: [Int] = []
    var byID: [String: Int] = [:]
    var byClientID: [String: Int] = [:]
    var maxParticipation: Double
    var rejectEvery: Int
    var submitted = 0

    init(symbols: [String], cash: Double, maxParticipation: Double, rejectEvery: Int) {
        self.symbols = symbols
        var index: [String: Int] = [:]
        for (i, s) in symbols.enumerated() { index[s] = i }
        self.index = index
        self.cash = cash
        positions = Array(repeating: 0, count: symbols.count)
        lastPrice = Array(repeating: .nan, count: symbols.count)
        self.maxParticipation = maxParticipation
        self.rejectEvery = rejectEvery
    }

    var equity: Double {
        var e = cash
        for i in positions.indices where positions[i] != 0 && lastPrice[i].isFinite { e += positions[i] * lastPrice[i] }
        return e
    }

    /// Cash not promised to open buy orders.
    var buyingPower: Double {
        var promised = 0.0
        for n in open where orders[n].wire.side == "buy" && lastPrice[orders[n].symbolIndex].isFinite {
            let o = orders[n]
            promised += (o.wire.quantity - o.wire.filledQuantity) * (o.limit ?? lastPrice[o.symbolIndex])
        }
        return cash - promised
    }

    static func isOpen(_ o: Order) -> Bool { o.wire.status == "accepted" || o.wire.status == "partially_filled" }

    /// A POST /v2/orders body: the new order, or why not.
    mutating func submit(_ body: [String: Any]) -> Result<AlpacaWire.WireOrder, Refusal> {
        func bad(_ m: String) -> Result<AlpacaWire.WireOrder, Refusal> { .failure(Refusal(status: 422, code: 42210000, message: m)) }
        guard let symbol = body["symbol"] as? String, !symbol.isEmpty else { return bad("symbol is required") }
        guard let i = index[symbol] else { return bad("asset \"\(symbol)\" not found") }
        guard let side = body["side"] as? String, side == "buy" || side == "sell" else { return bad("side must be buy or sell") }
        let type = body["type"] as? String ?? "market"
        guard type == "market" || type == "limit" else { return bad("order type \"\(type)\" is not supported here") }
        guard let qty = AlpacaWire.number(body["qty"]), qty > 0 else { return bad("qty must be a positive number") }
        var limit: Double?
        if type == "limit" {
            guard let l = AlpacaWire.number(body["limit_price"]), l > 0 else { return bad("limit_price is required for limit orders") }
            limit = l
        }
        let clientID = body["client_order_id"] as? String ?? ""
        if !clientID.isEmpty, byClientID[clientID] != nil { return bad("client_order_id must be unique") }
        submitted += 1
        if rejectEvery > 0 && submitted % rejectEvery == 0 {
            return .failure(Refusal(status: 403, code: 40310000, message: "rehearsal: every \(rejectEvery)th order is refused"))
        }
        if side == "buy", let price = limit ?? (lastPrice[i].isFinite ? lastPrice[i] : nil), qty * price > buyingPower {
            return .failure(Refusal(status: 403, code: 40310000, message: "insufficient buying power"))
        }
        let wire = AlpacaWire.WireOrder(id: "paper-\(orders.count + 1)", clientOrderID: clientID, symbol: symbol, side: side,
                                        quantity: qty, filledQuantity: 0, filledAveragePrice: nil, status: "accepted")
        byID[wire.id] = orders.count
        if !clientID.isEmpty { byClientID[clientID] = orders.count }
        open.append(orders.count)
        orders.append(Order(wire: wire, symbolIndex: i, limit: limit))
        return .success(wire)
    }

    mutating func cancel(_ id: String) -> Result<AlpacaWire.WireOrder, Refusal> {
        guard let n = byID[id] else { return .failure(Refusal(status: 404, code: 40410000, message: "order not found")) }
        guard Self.isOpen(orders[n]) else { return .failure(Refusal(status: 422, code: 42210000, message: "order is not cancelable")) }
        orders[n].wire.status = "canceled"
        open.removeAll { $0 == n }
        return .success(orders[n].wire)
    }

    struct Execution { var event: String; var order: AlpacaWire.WireOrder; var price: Double; var quantity: Double; var position: Double }

    /// Fills open orders against one bar time's bars, oldest order first.
    mutating func fill(_ bars: [Bar]) -> [Execution] {
        var barOf: [Int: Bar] = [:]
        for b in bars { barOf[b.symbol.index] = b }
        var out: [Execution] = []
        var used: [Int: Double] = [:]
        for n in open {
            let o = orders[n]
            guard let bar = barOf[o.symbolIndex] else { continue }
            let open = bar.open.doubleValue, buy = o.wire.side == "buy"
            var price = open
            if let limit = o.limit {
                if buy { guard bar.low.doubleValue <= limit else { continue }; price = min(open, limit) }
                else { guard bar.high.doubleValue >= limit else { continue }; price = max(open, limit) }
            }
            let cap = (maxParticipation * bar.volume.doubleValue).rounded(.down) - used[o.symbolIndex, default: 0]
            let remaining = o.wire.quantity - o.wire.filledQuantity
            let quantity = min(remaining, max(cap, 0))
            guard quantity > 0 else { continue }
            used[o.symbolIndex, default: 0] += quantity
            let filledBefore = o.wire.filledQuantity
            orders[n].wire.filledQuantity += quantity
            let value = (o.wire.filledAveragePrice ?? 0) * filledBefore + price * quantity
            orders[n].wire.filledAveragePrice = value / orders[n].wire.filledQuantity
            let done = orders[n].wire.filledQuantity >= o.wire.quantity - 1e-9
            orders[n].wire.status = done ? "filled" : "partially_filled"
            positions[o.symbolIndex] += buy ? quantity : -quantity
            cash -= (buy ? 1 : -1) * quantity * price
            out.append(Execution(event: done ? "fill" : "partial_fill", order: orders[n].wire, price: price, quantity: quantity,
                                 position: positions[o.symbolIndex]))
        }
        let orders = self.orders
        open.removeAll { !Self.isOpen(orders[$0]) }
        for b in bars { lastPrice[b.symbol.index] = b.close.doubleValue }
        return out
    }
}
