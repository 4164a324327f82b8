import AuroraKernel
import AuroraModel

/// Planned against filled, per trade: how much of what the kernel decided has been done. A trade
/// is open until it fills in full or its last order is cancelled or rejected with nothing left
/// working; an order's cancel after a partial fill leaves the rest unfilled and the trade closed.
public struct CompletionState: Sendable {
    public struct Trade: Sendable, Equatable {
        public var tradeID: UInt64
        public var planned: Int64
        public var filled: Int64 = 0
        /// Orders sent for it and not yet finished (filled, cancelled or rejected).
        public var working = 0
        public var closed = false
    }

    public var trades: [Trade] = []
    var tradeIndex = IDMap()
    var orderTrade = IDMap()
    /// Every (order, trade index) pair in the order it was learned: what a checkpoint keeps.
    var orderList: [(order: UInt64, trade: Int)] = []
    /// Remaining quantity per working order, to know when it is done.
    var orderRemaining: [UInt64: Int64] = [:]

    public init() {}
}

public enum CompletionReducer: Reducer {
    public static let name = "completion"
    public static func initialState() -> CompletionState { CompletionState() }

    public static func reduce(_ state: inout CompletionState, _ event: Event) {
        switch event.payload {
        case .plannedTrade(let p):
            // The same trade planned again is a re-size (a split between decision and execution).
            if let t = state.tradeIndex[p.tradeID] {
                state.trades[t].planned = p.quantity.rawValue
                state.trades[t].closed = false
                return
            }
            state.tradeIndex[p.tradeID] = state.trades.count
            state.trades.append(CompletionState.Trade(tradeID: p.tradeID, planned: p.quantity.rawValue))
        case .orderSubmitted(let o): open(&state, order: o.orderID, trade: o.tradeID, quantity: o.quantity.rawValue)
        case .escalation(let e): open(&state, order: e.orderID, trade: e.tradeID, quantity: e.quantity.rawValue)
        case .orderSlice(let o):
            // A slice becomes an order when its timer fires; the submission that follows opens it.
            if let t = state.tradeIndex[o.tradeID] { link(&state, order: o.orderID, trade: t) }
        case .fill(let f):
            guard let t = state.orderTrade[f.orderID] else { return }
            state.trades[t].filled += f.quantity.rawValue
            if let left = state.orderRemaining[f.orderID] {
                let rest = left - f.quantity.rawValue
                if rest <= 0 { finish(&state, order: f.orderID, trade: t) } else { state.orderRemaining[f.orderID] = rest }
            }
            if state.trades[t].filled >= state.trades[t].planned { state.trades[t].closed = true }
        case .orderCancelled(let c):
            if let t = state.orderTrade[c.orderID] { finish(&state, order: c.orderID, trade: t) }
        case .orderRejected(let r):
            if let t = state.orderTrade[r.orderID] { finish(&state, order: r.orderID, trade: t) }
        default: break
        }
    }

    private static func open(_ state: inout CompletionState, order: UInt64, trade tradeID: UInt64, quantity: Int64) {
        guard let t = state.tradeIndex[tradeID] else { return }
        link(&state, order: order, trade: t)
        if state.orderRemaining[order] == nil { state.trades[t].working += 1 }
        state.orderRemaining[order] = quantity
    }

    private static func link(_ state: inout CompletionState, order: UInt64, trade t: Int) {
        if state.orderTrade[order] == nil { state.orderList.append((order, t)) }
        state.orderTrade[order] = t
    }

    private static func finish(_ state: inout CompletionState, order: UInt64, trade t: Int) {
        guard state.orderRemaining.removeValue(forKey: order) != nil else { return }
        state.trades[t].working -= 1
        if state.trades[t].working == 0 { state.trades[t].closed = true }
    }

    public struct Report: Encodable, Sendable {
        public var trades, completed, open, partial: Int
        public var plannedShares, filledShares, completion: Double
        enum CodingKeys: String, CodingKey {
            case trades, completed, open, partial, plannedShares = "planned_shares", filledShares = "filled_shares", completion
        }
    }

    public static func report(_ state: CompletionState, symbols: [String]) -> Report {
        var planned: Int64 = 0, filled: Int64 = 0, completed = 0, open = 0, partial = 0
        for t in state.trades {
            planned &+= t.planned
            filled &+= min(t.filled, t.planned)
            if t.filled >= t.planned { completed += 1 } else if !t.closed { open += 1 } else if t.filled > 0 { partial += 1 }
        }
        let scale = Double(Quantity.scale)
        return Report(trades: state.trades.count, completed: completed, open: open, partial: partial,
                      plannedShares: Double(planned) / scale, filledShares: Double(filled) / scale,
                      completion: planned > 0 ? Double(filled) / Double(planned) : 0)
    }

    public static func tableLines(_ r: Report) -> [String] {
        ["trades        \(ReportText.grouped(r.trades)): \(ReportText.grouped(r.completed)) complete, \(ReportText.grouped(r.open)) open, \(ReportText.grouped(r.partial)) closed part-filled",
         "shares        planned \(ReportText.fixed(r.plannedShares, 6)), filled \(ReportText.fixed(r.filledShares, 6)) (\(ReportText.percent(r.completion)))"]
    }

    /// Version 1: per trade (id, planned, filled, working, closed), then the order table.
    public static func checkpointBytes(_ state: CompletionState) -> [UInt8]? {
        var out: [UInt8] = [1]
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        put(UInt32(state.trades.count))
        for t in state.trades { put(t.tradeID); put(t.planned); put(t.filled); put(Int32(t.working)); put(UInt8(t.closed ? 1 : 0)) }
        put(UInt32(state.orderList.count))
        for (o, t) in state.orderList { put(o); put(Int64(t)); put(state.orderRemaining[o] ?? -1) }
        return out
    }

    public static func restore(_ bytes: [UInt8]) -> CompletionState? {
        var r = CheckpointReader(bytes)
        guard r.take(UInt8.self) == 1, let n = r.take(UInt32.self) else { return nil }
        var s = CompletionState()
        for _ in 0..<n {
            guard let id = r.take(UInt64.self), let planned = r.take(Int64.self), let filled = r.take(Int64.self),
                  let working = r.take(Int32.self), let closed = r.take(UInt8.self) else { return nil }
            s.tradeIndex[id] = s.trades.count
            s.trades.append(CompletionState.Trade(tradeID: id, planned: planned, filled: filled, working: Int(working), closed: closed == 1))
        }
        guard let m = r.take(UInt32.self) else { return nil }
        for _ in 0..<m {
            guard let o = r.take(UInt64.self), let t = r.take(Int64.self), let left = r.take(Int64.self),
                  t >= 0, t < Int64(s.trades.count) else { return nil }
            link(&s, order: o, trade: Int(t))
            if left >= 0 { s.orderRemaining[o] = left }
        }
        return r.atEnd ? s : nil
    }
}
