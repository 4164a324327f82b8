import AuroraModel

/// Execution quality per planned trade, rebuilt from the log by a pure fold.
///
/// - arrival price: the symbol's last close at or before the planned-trade event (with no bar
///   before it, the open of the symbol's first bar after it: the first price one could trade at)
/// - execution VWAP: Σ fill quantity × price ÷ Σ quantity
/// - market VWAP: Σ typical price × volume ÷ Σ volume, typical = (high + low + close) / 3, over
///   the symbol's bars that end after the plan and no later than the trade's last fill
/// - slippage, bps: side × (execution VWAP − benchmark) ÷ benchmark × 10⁴ (positive is a cost),
///   against arrival and against market VWAP
/// - implementation shortfall (Perold), bps of the planned notional at arrival: side × Σ q (p −
///   arrival) on what filled + side × unfilled × (last price − arrival) + fees
/// - participation: filled ÷ market volume over the same bars; completion: filled ÷ planned
public struct TradeExecution: Sendable, Equatable {
    public var tradeID: UInt64
    public var symbol: SymbolID
    public var side: Side
    public var planned: Double
    public var plannedAt: Timestamp
    public var arrivalPrice: Double?
    public var filled: Double = 0
    public var filledNotional: Double = 0
    public var fees: Double = 0
    public var fills = 0
    public var slices = 0
    public var lastFill: Timestamp?
    public var escalations: [String] = []
    public var rateLimitWaits = 0
    /// Market volume and Σ typical × volume of the symbol's bars since the plan, up to the last fill.
    public var marketVolume: Double = 0
    public var marketNotional: Double = 0
    var pendingVolume: Double = 0
    var pendingNotional: Double = 0
    public var lastPrice: Double?

    var sign: Double { side == .buy ? 1 : -1 }
    public var executionVWAP: Double? { filled > 0 ? filledNotional / filled : nil }
    public var marketVWAP: Double? { marketVolume > 0 ? marketNotional / marketVolume : nil }
    public var completion: Double { planned > 0 ? filled / planned : 0 }
    public var participation: Double? { marketVolume > 0 ? filled / marketVolume : nil }

    public var slippageVsArrivalBps: Double? {
        guard let v = executionVWAP, let a = arrivalPrice, a > 0 else { return nil }
        return sign * (v - a) / a * 10_000
    }

    public var slippageVsMarketVWAPBps: Double? {
        guard let v = executionVWAP, let m = marketVWAP, m > 0 else { return nil }
        return sign * (v - m) / m * 10_000
    }

    public var shortfallBps: Double? {
        guard let a = arrivalPrice, a > 0, planned > 0 else { return nil }
        let executed = sign * (filledNotional - filled * a)
        let opportunity = sign * (planned - filled) * ((lastPrice ?? a) - a)
        return (executed + opportunity + fees) / (planned * a) * 10_000
    }
}

public struct ExecutionMonitorState: Sendable, Equatable {
    /// Trades in plan order.
    public var trades: [TradeExecution] = []
    var tradeIndex = IDMap()
    var orderTrade = IDMap()
    var lastClose: [Double] = []
    /// Open trades per symbol, for attributing bars.
    var openBySymbol: [[Int]] = []

    public init() {}

    /// Per symbol (ascending id): execution VWAP over all its trades' fills and its completion.
    public var bySymbol: [(symbol: SymbolID, executionVWAP: Double?, completion: Double)] {
        var planned: [Int: Double] = [:], filled: [Int: Double] = [:], notional: [Int: Double] = [:]
        for t in trades {
            planned[t.symbol.index, default: 0] += t.planned
            filled[t.symbol.index, default: 0] += t.filled
            notional[t.symbol.index, default: 0] += t.filledNotional
        }
        return planned.keys.sorted().map { s in
            let f = filled[s] ?? 0
            return (SymbolID(s), f > 0 ? (notional[s] ?? 0) / f : nil, (planned[s] ?? 0) > 0 ? f / (planned[s] ?? 1) : 0)
        }
    }

    public var overallCompletion: Double {
        let planned = trades.reduce(0) { $0 + $1.planned }
        return planned > 0 ? trades.reduce(0) { $0 + $1.filled } / planned : 0
    }
}

public enum ExecutionMonitor {
    public static func reduce(_ state: inout ExecutionMonitorState, _ event: Event) {
        switch event.payload {
        case .symbolDefinition(let d):
            grow(&state, d.symbol.index)
        case .bar(let b):
            let s = b.symbol.index
            grow(&state, s)
            state.lastClose[s] = b.close.doubleValue
            let typical = (b.high.doubleValue + b.low.doubleValue + b.close.doubleValue) / 3
            let volume = b.volume.doubleValue
            for t in state.openBySymbol[s] {
                if state.trades[t].arrivalPrice == nil { state.trades[t].arrivalPrice = b.open.doubleValue }
                // Counted toward the window once a later fill shows the trade was still working.
                state.trades[t].pendingVolume += volume
                state.trades[t].pendingNotional += typical * volume
                state.trades[t].lastPrice = b.close.doubleValue
            }
        case .plannedTrade(let p):
            let s = p.symbol.index
            grow(&state, s)
            if let t = state.tradeIndex[p.tradeID] {
                state.trades[t].planned = p.quantity.doubleValue   // re-sized at a split
                return
            }
            let arrival = state.lastClose[s] > 0 ? state.lastClose[s] : nil
            state.tradeIndex[p.tradeID] = state.trades.count
            state.openBySymbol[s].append(state.trades.count)
            state.trades.append(TradeExecution(tradeID: p.tradeID, symbol: p.symbol, side: p.side, planned: p.quantity.doubleValue,
                                               plannedAt: event.timestamp, arrivalPrice: arrival, lastPrice: arrival))
        case .corporateAction(let a) where a.kind == .split && a.ratio > 0:
            // Prices before the split in post-split terms, so slippage compares like with like.
            let s = a.symbol.index
            grow(&state, s)
            state.lastClose[s] /= a.ratio
            for t in state.openBySymbol[s] {
                state.trades[t].arrivalPrice = state.trades[t].arrivalPrice.map { $0 / a.ratio }
                state.trades[t].lastPrice = state.trades[t].lastPrice.map { $0 / a.ratio }
                state.trades[t].filled *= a.ratio
                // A broker re-sizes open orders itself; a simulated model's re-plan then logs the same size.
                state.trades[t].planned *= a.ratio
            }
        case .orderSlice(let o):
            if let t = state.tradeIndex[o.tradeID] {
                state.orderTrade[o.orderID] = t
                state.trades[t].slices += 1
            }
        case .orderSubmitted(let o):
            if let t = state.tradeIndex[o.tradeID] { state.orderTrade[o.orderID] = t }
        case .escalation(let e):
            if let t = state.tradeIndex[e.tradeID] {
                state.orderTrade[e.orderID] = t
                state.trades[t].escalations.append(e.reason)
            }
        case .rateLimitWait(let w):
            if let t = state.orderTrade[w.orderID] { state.trades[t].rateLimitWaits += 1 }
        case .fill(let f):
            guard let t = state.orderTrade[f.orderID] else { return }
            let q = f.quantity.doubleValue
            state.trades[t].filled += q
            state.trades[t].filledNotional += q * f.price.doubleValue
            state.trades[t].fees += f.fees.doubleValue
            state.trades[t].fills += 1
            state.trades[t].lastFill = event.timestamp
            state.trades[t].marketVolume += state.trades[t].pendingVolume
            state.trades[t].marketNotional += state.trades[t].pendingNotional
            state.trades[t].pendingVolume = 0
            state.trades[t].pendingNotional = 0
            if state.trades[t].filled >= state.trades[t].planned - 1e-9 {
                let s = f.symbol.index
                if s < state.openBySymbol.count { state.openBySymbol[s].removeAll { $0 == t } }
            }
        default:
            break
        }
    }

    private static func grow(_ state: inout ExecutionMonitorState, _ index: Int) {
        guard index >= state.lastClose.count else { return }
        let n = index + 1 - state.lastClose.count
        state.lastClose.append(contentsOf: repeatElement(0, count: n))
        state.openBySymbol.append(contentsOf: repeatElement([], count: n))
    }
}

/// Order and trade ids to indices. Engines number them 1, 2, 3, …, so a dense array serves; ids
/// far apart (a broker's) fall back to a dictionary.
struct IDMap: Sendable, Equatable {
    private var dense: [Int32] = []
    private var sparse: [UInt64: Int] = [:]
    static let denseLimit: UInt64 = 1 << 22

    subscript(id: UInt64) -> Int? {
        get {
            if id < Self.denseLimit { return id < UInt64(dense.count) && dense[Int(id)] >= 0 ? Int(dense[Int(id)]) : nil }
            return sparse[id]
        }
        set {
            if id < Self.denseLimit {
                let i = Int(id)
                if i >= dense.count { dense.append(contentsOf: repeatElement(-1, count: max(i + 1 - dense.count, dense.count))) }
                dense[i] = newValue.map { Int32($0) } ?? -1
            } else {
                sparse[id] = newValue
            }
        }
    }
}
