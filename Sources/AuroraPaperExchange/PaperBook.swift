import AuroraAlpaca
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

    /// An HTTP-style refusal: status and Alpaca's code and message.
    typealias Refusal = AlpacaOrderRequest.Refusal

    let symbols: [String]
    let index: [String: Int]
    var cash: Double
    var positions: [Double]
    var lastPrice: [Double]
    /// Average entry price of each open position.
    var averageCost: [Double]
    /// The exchange's time (its data's clock): what order times are stamped with.
    var now = Timestamp(rawValue: 0)
    /// Each symbol's first open in the data (NaN when it has no bar).
    let firstOpen: [Double]
    var orders: [Order] = []
    /// Indices of the orders still open, oldest first: what each bar and each buy check look at,
    /// so a long session's filled orders cost nothing.
    private(set) var open: [Int] = []
    var byID: [String: Int] = [:]
    var byClientID: [String: Int] = [:]
    var maxParticipation: Double
    var rejectEvery: Int
    var submitted = 0

    init(symbols: [String], firstOpen: [Double], cash: Double, maxParticipation: Double, rejectEvery: Int) {
        self.firstOpen = firstOpen
        self.symbols = symbols
        var index: [String: Int] = [:]
        for (i, s) in symbols.enumerated() { index[s] = i }
        self.index = index
        self.cash = cash
        positions = Array(repeating: 0, count: symbols.count)
        lastPrice = Array(repeating: .nan, count: symbols.count)
        averageCost = Array(repeating: 0, count: symbols.count)
        self.maxParticipation = maxParticipation
        self.rejectEvery = rejectEvery
    }

    var equity: Double {
        var e = cash
        for i in positions.indices where positions[i] != 0 && lastPrice[i].isFinite { e += positions[i] * lastPrice[i] }
        return e
    }

    /// Cash not promised to open buy orders (each counted at its limit or reference price).
    var buyingPower: Double {
        var promised = 0.0
        for n in open where orders[n].wire.side == "buy" {
            let o = orders[n]
            promised += (o.wire.quantity - o.wire.filledQuantity) * (o.limit ?? referencePrice(o.symbolIndex) ?? 0)
        }
        return cash - promised
    }

    static func assetID(_ i: Int) -> String { AlpacaWire.uuid("a55e7000", i + 1) }

    static func isOpen(_ o: Order) -> Bool { o.wire.status == "accepted" || o.wire.status == "partially_filled" }

    /// The price a buy is checked (and its promised cash counted) at: the last close, or before
    /// the symbol's first bar the open it would fill at. nil when the symbol has no bar at all.
    func referencePrice(_ i: Int) -> Double? {
        if lastPrice[i].isFinite { return lastPrice[i] }
        return firstOpen[i].isFinite ? firstOpen[i] : nil
    }

    /// A checked order request: the new order, or why not.
    mutating func submit(_ request: AlpacaOrderRequest) -> Result<AlpacaWire.WireOrder, Refusal> {
        func bad(_ m: String) -> Result<AlpacaWire.WireOrder, Refusal> { .failure(Refusal(status: 422, code: 42210000, message: m)) }
        guard let i = index[request.symbol] else { return bad("asset \"\(request.symbol)\" not found") }
        let clientID = request.clientOrderID
        if !clientID.isEmpty, byClientID[clientID] != nil { return bad("client_order_id must be unique") }
        submitted += 1
        if rejectEvery > 0 && submitted % rejectEvery == 0 {
            return .failure(Refusal(status: 403, code: 40310000, message: "rehearsal: every \(rejectEvery)th order is refused"))
        }
        if request.side == .buy {
            guard let price = request.limitPrice ?? referencePrice(i) else {
                return .failure(Refusal(status: 403, code: 40310000, message: "no price for \(request.symbol): it has no bars"))
            }
            guard request.quantity * price <= buyingPower else {
                return .failure(Refusal(status: 403, code: 40310000, message: "insufficient buying power"))
            }
        }
        var wire = AlpacaWire.WireOrder(id: AlpacaWire.uuid("0a0e0000", orders.count + 1), clientOrderID: clientID,
                                        symbol: request.symbol, side: request.side.rawValue, quantity: request.quantity,
                                        filledQuantity: 0, filledAveragePrice: nil, status: "accepted")
        wire.type = request.limitPrice == nil ? "market" : "limit"
        wire.limitPrice = request.limitPrice
        wire.timeInForce = request.timeInForce
        wire.assetID = Self.assetID(i)
        wire.createdAt = now
        wire.updatedAt = now
        byID[wire.id] = orders.count
        if !clientID.isEmpty { byClientID[clientID] = orders.count }
        open.append(orders.count)
        orders.append(Order(wire: wire, symbolIndex: i, limit: request.limitPrice))
        return .success(wire)
    }

    mutating func cancel(_ id: String) -> Result<AlpacaWire.WireOrder, Refusal> {
        guard let n = byID[id] else { return .failure(Refusal(status: 404, code: 40410000, message: "order not found")) }
        guard Self.isOpen(orders[n]) else { return .failure(Refusal(status: 422, code: 42210000, message: "order is not cancelable")) }
        orders[n].wire.status = "canceled"
        orders[n].wire.canceledAt = now
        orders[n].wire.updatedAt = now
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
            var quantity = min(remaining, max(cap, 0))
            // No margin: a buy that opens above its reference price fills only what the cash pays for.
            if buy, quantity * price > cash { quantity = max(0, (cash / price).rounded(.down)) }
            guard quantity > 0 else { continue }
            used[o.symbolIndex, default: 0] += quantity
            let filledBefore = o.wire.filledQuantity
            orders[n].wire.filledQuantity += quantity
            let value = (o.wire.filledAveragePrice ?? 0) * filledBefore + price * quantity
            orders[n].wire.filledAveragePrice = value / orders[n].wire.filledQuantity
            let done = orders[n].wire.filledQuantity >= o.wire.quantity - 1e-9
            orders[n].wire.status = done ? "filled" : "partially_filled"
            orders[n].wire.updatedAt = now
            if done { orders[n].wire.filledAt = now }
            let i = o.symbolIndex, signed = buy ? quantity : -quantity, held = positions[i]
            if held == 0 || (held > 0) == (signed > 0) {
                averageCost[i] = (abs(held) * averageCost[i] + quantity * price) / (abs(held) + quantity)
            } else if abs(signed) > abs(held) {
                averageCost[i] = price
            }
            positions[o.symbolIndex] += signed
            if positions[i] == 0 { averageCost[i] = 0 }
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
