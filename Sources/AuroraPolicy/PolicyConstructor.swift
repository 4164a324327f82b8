import AuroraKernel
import AuroraModel
import AuroraStats

/// The policy constructor (see `PolicyConstruction` for the configuration). Per decision step:
///
/// 1. **Directions** from the signals: BUY +1, SELL −1, HOLD 0 (or no change with
///    `hold_policy: keep`). Names without a signal or a bar keep what they hold.
/// 2. **Cost filter**: a BUY or SELL whose expected return in its direction is not above
///    margin × round-trip cost opens nothing — a position already held that way is kept, any
///    other goes to 0. Signals without an expected return pass.
/// 3. **Sizing**: the names with a direction share what the gross limit leaves after the kept
///    positions, equally or ∝ confidence ÷ trailing volatility (a name whose volatility is not
///    known yet takes the median of those that are).
/// 4. **Limits**, each only ever shrinking weights: names clipped to the per-name limit; each
///    sector's, then the book's, net exposure brought to its limit by shrinking the side that
///    exceeds it; the gross by scaling every sized name. Shrinking one side can push another
///    sector over, so the net steps repeat until nothing exceeds its limit.
/// 5. **Turnover budget**: when Σ|Δw| exceeds what is left of the day's, week's (5 steps) and
///    month's (21 steps) budget, trades are cut, least expected benefit per unit of turnover
///    (sign(Δw) × expected return) first, the last one partly, so the budget is met exactly.
///    A budget can leave the book between where it was and its target.
public struct PolicyConstructor: PortfolioConstructor {
    public let settings: PolicyConstruction
    private let setup: ConstructionSetup
    private let sectorGroups: [Int]?
    private let sectorNames: [String]
    private var volatility: VolatilityTracker
    /// Σ|Δw| traded at each of the last 20 steps, newest last.
    private var recentTurnover: [Double] = []
    private var explanations: [EventPayload] = []
    private var order = CrossSectionOrder()

    public init(_ settings: PolicyConstruction, setup: ConstructionSetup, sectorOf: [String]?) {
        self.settings = settings
        self.setup = setup
        if let sectorOf {
            let names = Array(Set(sectorOf)).sorted()
            let id = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            sectorGroups = sectorOf.map { id[$0] ?? 0 }
            sectorNames = names
        } else {
            sectorGroups = nil
            sectorNames = []
        }
        volatility = VolatilityTracker(window: settings.sizing.volatilityWindow)
    }

    public var name: String { PolicyConstruction.name }

    public mutating func takeExplanations() -> [EventPayload] {
        defer { explanations.removeAll(keepingCapacity: true) }
        return explanations
    }

    public mutating func targets(for signals: [Signal], in context: PortfolioContext) -> [PortfolioTarget] {
        let S = context.positions.count
        volatility.observe(context.adjustedBars, symbols: S)
        guard context.equity > 0, context.equity.isFinite else { recordTurnover(0); return [] }
        let equity = context.equity
        var current = [Double](repeating: 0, count: S)
        for s in 0..<S where context.positions[s] != 0 && s < context.lastPrice.count {
            current[s] = Double(context.positions[s]) / Double(Quantity.scale) * context.lastPrice[s] / equity
        }
        var decided = [Bool](repeating: false, count: S)
        var direction = [Double](repeating: 0, count: S)
        var expected = [Double](repeating: .nan, count: S), confidence = [Double](repeating: 1, count: S)
        for signal in signals {
            let s = signal.symbol.index
            guard s < S, context.close(signal.symbol) != nil else { continue }
            switch signal.direction {
            case .buy: direction[s] = 1
            case .sell: direction[s] = -1
            case .hold: if settings.holdPolicy == .keep { continue }
            }
            decided[s] = true
            if let e = signal.expectedReturn, e.isFinite { expected[s] = e }
            if let c = signal.confidence, c.isFinite { confidence[s] = max(0, c) }
        }
        if let filter = settings.costFilter { applyCostFilter(filter, context, current, &decided, &direction, expected) }

        var weight = size(context, decided: decided, direction: direction, confidence: confidence, current: current)
        applyLimits(&weight, decided: decided, current: current)

        var delta = [Double](repeating: 0, count: S)
        for s in 0..<S where decided[s] { delta[s] = weight[s] - current[s] }
        if let budget = settings.turnover { applyTurnover(budget, &delta, decided: decided, expected: expected) }
        var traded = 0.0
        var out: [PortfolioTarget] = []
        for s in 0..<S where decided[s] && delta[s] != 0 {
            guard let close = context.close(SymbolID(s)) else { continue }
            let shares = targetShares(weight: delta[s], equity: equity, price: close.doubleValue, fractional: setup.fractionalShares)
            guard shares != 0 else { continue }
            let (quantity, overflow) = context.positions[s].addingReportingOverflow(shares)
            guard !overflow else { continue }
            traded += abs(delta[s])
            out.append(PortfolioTarget(symbol: SymbolID(s), weight: current[s] + delta[s], quantity: quantity))
        }
        recordTurnover(traded)
        return out
    }

    // MARK: Cost filter

    private mutating func applyCostFilter(_ filter: PolicyConstruction.CostFilter, _ context: PortfolioContext, _ current: [Double],
                                          _ decided: inout [Bool], _ direction: inout [Double], _ expected: [Double]) {
        var binding = Binding(rule: "cost")
        var considered = 0
        for s in decided.indices where decided[s] && direction[s] != 0 && expected[s].isFinite {
            considered += 1
            guard let barIndex = context.barOf[s] >= 0 ? Int(context.barOf[s]) : nil else { continue }
            let bar = context.bars[barIndex]
            let price = bar.close.doubleValue
            let shares = settings.limits.name * context.equity / max(price, 1e-12)
            let cost = filter.margin * setup.costs.roundTrip(price: price, shares: shares, volume: bar.volume.doubleValue)
            let edge = direction[s] * expected[s]
            guard edge <= cost else { continue }
            if current[s] != 0 && (current[s] > 0) == (direction[s] > 0) { decided[s] = false } else { direction[s] = 0 }
            binding.add(s, edge, cost)
        }
        if !binding.symbols.isEmpty { log(binding, limit: filter.margin, measure: (Double(considered), Double(binding.symbols.count))) }
    }

    // MARK: Sizing

    private func size(_ context: PortfolioContext, decided: [Bool], direction: [Double], confidence: [Double], current: [Double]) -> [Double] {
        let S = decided.count
        var kept = 0.0
        for s in 0..<S where !decided[s] { kept += abs(current[s]) }
        let budget = max(0, settings.limits.gross - kept)
        var raw = [Double](repeating: 0, count: S)
        switch settings.sizing.method {
        case .equal:
            for s in 0..<S where decided[s] { raw[s] = direction[s] }
        case .risk:
            var known: [Double] = []
            for s in 0..<S where decided[s] && direction[s] != 0 { if let v = volatility.volatility(s) { known.append(v) } }
            let fallback = Self.median(known) ?? 1
            for s in 0..<S where decided[s] && direction[s] != 0 {
                raw[s] = direction[s] * confidence[s] / (volatility.volatility(s) ?? fallback)
            }
        }
        let total = raw.reduce(0) { $0 + abs($1) }
        guard total > 0 else { return raw }
        return raw.map { $0 * budget / total }
    }

    static func median(_ v: [Double]) -> Double? {
        guard !v.isEmpty else { return nil }
        var sorted = v
        sorted.withUnsafeMutableBufferPointer { b in
            // Insertion sort: a few hundred values, and no closure-based sort (docs/RESEARCH.md).
            for i in 1..<max(b.count, 1) {
                let x = b[i]
                var j = i - 1
                while j >= 0 && b[j] > x { b[j + 1] = b[j]; j -= 1 }
                b[j + 1] = x
            }
        }
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    // MARK: Limits

    private mutating func applyLimits(_ w: inout [Double], decided: [Bool], current: [Double]) {
        let S = w.count
        let limits = settings.limits
        // Per name.
        var names = Binding(rule: "name")
        for s in 0..<S where decided[s] && abs(w[s]) > limits.name {
            let clipped = limits.name * (w[s] > 0 ? 1 : -1)
            names.add(s, w[s], clipped)
            w[s] = clipped
        }
        if !names.symbols.isEmpty { log(names, limit: limits.name, measure: (names.before.map(abs).max() ?? 0, limits.name)) }

        func book(_ s: Int, _ w: [Double]) -> Double { decided[s] ? w[s] : current[s] }
        var sectorBindings: [Int: Binding] = [:], netBinding = Binding(rule: "net")
        var netBefore: Double?, sectorBefore: [Int: Double] = [:]
        for _ in 0..<16 {
            var changed = false
            if let limit = limits.sector, let groups = sectorGroups {
                var net = [Double](repeating: 0, count: sectorNames.count)
                for s in 0..<S { net[groups[s]] += book(s, w) }
                for g in net.indices where abs(net[g]) > limit * (1 + 1e-12) {
                    if sectorBefore[g] == nil { sectorBefore[g] = net[g] }
                    var binding = sectorBindings[g] ?? Binding(rule: "sector")
                    if shrinkSide(&w, decided: decided, sign: net[g] > 0 ? 1 : -1, excess: abs(net[g]) - limit, member: { groups[$0] == g },
                                  binding: &binding) { changed = true }
                    sectorBindings[g] = binding
                }
            }
            if let limit = limits.net {
                var net = 0.0
                for s in 0..<S { net += book(s, w) }
                if abs(net) > limit * (1 + 1e-12) {
                    if netBefore == nil { netBefore = net }
                    if shrinkSide(&w, decided: decided, sign: net > 0 ? 1 : -1, excess: abs(net) - limit, member: { _ in true },
                                  binding: &netBinding) { changed = true }
                }
            }
            if !changed { break }
        }
        for g in sectorBindings.keys.sorted() {
            guard var binding = sectorBindings[g], let before = sectorBefore[g], let groups = sectorGroups else { continue }
            binding.group = sectorNames[g]
            binding.finish(w)
            var net = 0.0
            for s in 0..<S where groups[s] == g { net += book(s, w) }
            log(binding, limit: limits.sector ?? 0, measure: (abs(before), abs(net)))
        }
        if let before = netBefore {
            netBinding.finish(w)
            var net = 0.0
            for s in 0..<S { net += book(s, w) }
            log(netBinding, limit: limits.net ?? 0, measure: (abs(before), abs(net)))
        }
        // Gross: sizing spends exactly the budget, so only kept positions over it make this bind.
        var gross = 0.0, sized = 0.0
        for s in 0..<S { gross += abs(book(s, w)); if decided[s] { sized += abs(w[s]) } }
        if gross > limits.gross * (1 + 1e-12), sized > 0 {
            let factor = max(0, sized - (gross - limits.gross)) / sized
            var binding = Binding(rule: "gross")
            for s in 0..<S where decided[s] && w[s] != 0 { binding.add(s, w[s], w[s] * factor); w[s] *= factor }
            var after = 0.0
            for s in 0..<S { after += abs(book(s, w)) }
            log(binding, limit: limits.gross, measure: (gross, after))
        }
    }

    /// Shrinks the sized weights of sign `sign` among `member` names proportionally, by `excess`
    /// in total (or to zero when they hold less); false when there was nothing to shrink.
    private func shrinkSide(_ w: inout [Double], decided: [Bool], sign: Double, excess: Double, member: (Int) -> Bool,
                            binding: inout Binding) -> Bool {
        var side = 0.0
        for s in w.indices where decided[s] && member(s) && w[s] * sign > 0 { side += abs(w[s]) }
        guard side > 0 else { return false }
        let factor = max(0, side - excess) / side
        for s in w.indices where decided[s] && member(s) && w[s] * sign > 0 {
            binding.note(s, w[s])
            w[s] *= factor
        }
        return true
    }

    // MARK: Turnover

    private mutating func applyTurnover(_ budget: PolicyConstruction.Turnover, _ delta: inout [Double], decided: [Bool], expected: [Double]) {
        let windows: [(String, Double?, Int)] = [("turnover_daily", budget.daily, 1), ("turnover_weekly", budget.weekly, 5),
                                                 ("turnover_monthly", budget.monthly, 21)]
        var left = Double.infinity, rule = ""
        for (name, limit, steps) in windows {
            guard let limit else { continue }
            let used = recentTurnover.suffix(steps - 1).reduce(0, +)
            let remaining = max(0, limit - used)
            if remaining < left { left = remaining; rule = name }
        }
        let wanted = delta.reduce(0) { $0 + abs($1) }
        guard wanted > left else { return }
        // Least benefit first: sign(Δw) × expected return (no forecast counts as none).
        let S = delta.count
        var benefit = [Double](repeating: .nan, count: S)
        for s in 0..<S where decided[s] && delta[s] != 0 {
            benefit[s] = (delta[s] > 0 ? 1 : -1) * (expected[s].isFinite ? expected[s] : 0)
        }
        benefit.withUnsafeBufferPointer { order.sort($0.baseAddress!, symbols: S) }
        var excess = wanted - left
        var binding = Binding(rule: rule)
        order.withOrder { o, count in
            for i in 0..<count where excess > 0 {
                let s = Int(o[i])
                let cut = min(abs(delta[s]), excess)
                let after = delta[s] > 0 ? delta[s] - cut : delta[s] + cut
                binding.add(s, delta[s], after)
                delta[s] = after
                excess -= cut
            }
        }
        log(binding, limit: left, measure: (wanted, delta.reduce(0) { $0 + abs($1) }))
    }

    private mutating func recordTurnover(_ traded: Double) {
        recentTurnover.append(traded)
        if recentTurnover.count > 20 { recentTurnover.removeFirst(recentTurnover.count - 20) }
    }

    // MARK: Records

    /// A binding being collected: the names it touched, with their value before and after.
    private struct Binding {
        var rule: String
        var group = ""
        var symbols: [Int] = []
        var before: [Double] = []
        var after: [Double] = []
        private var seen: [Int: Int] = [:]

        init(rule: String) { self.rule = rule }

        mutating func add(_ s: Int, _ b: Double, _ a: Double) {
            symbols.append(s); before.append(b); after.append(a)
        }

        /// A weight before any shrinking (only the first time a name is touched).
        mutating func note(_ s: Int, _ b: Double) {
            guard seen[s] == nil else { return }
            seen[s] = symbols.count
            add(s, b, b)
        }

        /// Fills in the weights after every round of shrinking.
        mutating func finish(_ w: [Double]) {
            for (i, s) in symbols.enumerated() { after[i] = w[s] }
        }
    }

    private mutating func log(_ b: Binding, limit: Double, measure: (Double, Double)) {
        let names = b.symbols.map { $0 < setup.symbols.count ? setup.symbols[$0] : "#\($0)" }
        explanations.append(PolicyBindingCodec.record(PolicyBinding(rule: b.rule, group: b.group, limit: limit, measureBefore: measure.0,
                                                                    measureAfter: measure.1, symbols: names, before: b.before, after: b.after)))
    }
}
