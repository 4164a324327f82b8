import AuroraModel
import AuroraData
import AuroraStats

/// The portfolio as a pure fold over events: `reduce(&state, event)` for every event in order.
///
/// - manifest: starting cash from the property `portfolio.initial_cash` (0 when absent)
/// - symbol definition: room for the symbol
/// - bar: the symbol's last price becomes the close (equity is marked at each close)
/// - price update of a trade (live sessions' ticks): the symbol's last price becomes the trade's
/// - fill: cash, position, average cost, realized P&L (before fees), fees and turnover
/// - split of r: position × r, average cost and last price ÷ r (no P&L, equity unchanged)
/// - cash dividend d: cash += position × d (a short pays), counted in `dividends`
/// - symbol change: position, cost and last price move to the new symbol
/// Every other kind only advances the time and sequence.
public enum PortfolioReducer: Reducer {
    public static let initialCashProperty = "portfolio.initial_cash"
    public static let name = PortfolioState.reducerName
    public static func initialState() -> PortfolioState { PortfolioState() }

    /// Kinds whose payload the fold reads; an event of any other kind only moves the state's
    /// sequence and time (`advance`), so a pass may hand it over as a header.
    public static let foldedKinds: Set<EventKind> = [.manifest, .symbolDefinition, .bar, .fill, .corporateAction, .priceUpdate]

    /// The fold of an event whose kind is not in `foldedKinds`, from its header.
    @inline(__always)
    public static func advance(_ state: inout PortfolioState, sequence: UInt64, timestamp: Timestamp) {
        state.timestamp = timestamp
        state.sequence = sequence
    }

    /// A bar's fold without the event around it (a pass that reads bars as values).
    @inline(__always)
    public static func reduce(_ state: inout PortfolioState, bar b: Bar, sequence: UInt64, timestamp: Timestamp) {
        state.timestamp = timestamp
        state.sequence = sequence
        reduce(&state, bar: b)
    }

    /// A fill's fold without the event around it (a pass that reads fills as values).
    @inline(__always)
    public static func reduce(_ state: inout PortfolioState, fill f: Fill, sequence: UInt64, timestamp: Timestamp) {
        state.timestamp = timestamp
        state.sequence = sequence
        apply(f, to: &state)
    }

    @inline(__always)
    private static func reduce(_ state: inout PortfolioState, bar b: Bar) {
        state.ensureSymbol(b.symbol.index)
        state.lastPrice[b.symbol.index] = b.close.doubleValue
    }

    public static func reduce(_ state: inout PortfolioState, _ event: Event) {
        reduce(&state, event.payload, sequence: event.sequence, timestamp: event.timestamp)
    }

    /// The same fold from an event's parts (the kernel's path, which does not build the event).
    @inline(__always)
    public static func reduce(_ state: inout PortfolioState, _ payload: EventPayload, sequence: UInt64, timestamp: Timestamp) {
        state.timestamp = timestamp
        state.sequence = sequence
        switch payload {
        case .manifest(let m):
            let cash = m.properties.first { $0.key == initialCashProperty }.flatMap { Double($0.value) } ?? 0
            state.initialCash = cash
            state.cash = cash
        case .symbolDefinition(let d):
            state.ensureSymbol(d.symbol.index)
        case .bar(let b):
            reduce(&state, bar: b)
        case .fill(let f):
            apply(f, to: &state)
        case .corporateAction(let a):
            apply(a, to: &state)
        case .priceUpdate(let u):
            if u.kind == .trade, let price = u.price, price.rawValue > 0 {
                state.ensureSymbol(u.symbol.index)
                state.lastPrice[u.symbol.index] = price.doubleValue
            }
        default:
            break
        }
    }

    static func apply(_ a: CorporateAction, to state: inout PortfolioState) {
        let i = a.symbol.index
        state.ensureSymbol(max(i, a.target.index))
        switch a.kind {
        case .split:
            guard a.ratio > 0, a.ratio.isFinite else { return }
            state.positions[i] = Int64(max(-9.2e18, min(9.2e18, (Double(state.positions[i]) * a.ratio).rounded())))
            state.averageCost[i] /= a.ratio
            state.lastPrice[i] /= a.ratio
        case .dividend:
            let amount = Double(state.positions[i]) / Double(Quantity.scale) * a.cash.doubleValue
            state.cash += amount
            state.dividends += amount
        case .symbolChange:
            let j = a.target.index
            guard j != i else { return }
            // The new symbol's own holding (normally none) is kept at its cost alongside.
            let (q, qj) = (Double(state.positions[i]), Double(state.positions[j]))
            if q + qj != 0 { state.averageCost[j] = (abs(q) * state.averageCost[i] + abs(qj) * state.averageCost[j]) / (abs(q) + abs(qj)) }
            state.positions[j] &+= state.positions[i]
            if state.lastPrice[j] == 0 { state.lastPrice[j] = state.lastPrice[i] }
            state.positions[i] = 0
            state.averageCost[i] = 0
        case .delisting:
            break
        }
    }

    static func apply(_ f: Fill, to state: inout PortfolioState) {
        let i = f.symbol.index
        state.ensureSymbol(i)
        let signedRaw = f.side == .buy ? f.quantity.rawValue : -f.quantity.rawValue
        let quantity = Double(signedRaw) / Double(Quantity.scale)
        let price = f.price.doubleValue
        let fee = f.fees.doubleValue
        state.cash -= quantity * price + fee
        state.fees += fee
        state.turnover += abs(quantity) * price
        state.fillCount += 1

        let before = state.positions[i]
        let after = before &+ signedRaw
        let held = Double(before) / Double(Quantity.scale)
        if before == 0 || (before > 0) == (signedRaw > 0) {
            // Opening or adding: the average cost moves toward this price.
            let total = abs(held) + abs(quantity)
            state.averageCost[i] = total == 0 ? 0 : (abs(held) * state.averageCost[i] + abs(quantity) * price) / total
        } else {
            // Reducing, closing or flipping: realize on the part that closes.
            let closing = min(abs(quantity), abs(held))
            state.realizedPnL += closing * (price - state.averageCost[i]) * (held > 0 ? 1 : -1)
            if after == 0 {
                state.averageCost[i] = 0
            } else if (after > 0) != (before > 0) {
                state.averageCost[i] = price
            }
        }
        state.positions[i] = after
    }
}
