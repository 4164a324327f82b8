import AuroraData
import AuroraFeatures
import AuroraModel

/// Forward returns of decision steps, rebuilt from a log's bars as the strategy saw them
/// (adjusted across splits and dividends by the logged corporate actions). Each decision step
/// keeps its opens (the first bar of each symbol since the step before) and latest closes; the
/// label of step t is known once its last price has printed, `spec.end(of: t)` steps later.
struct ForwardReturns: Sendable {
    private var view = AdjustedPriceView()
    private var close: [Double] = []
    private var open: [Double] = []
    private var rawClose: [Price?] = []
    /// The last `depth` steps' opens and closes, newest last.
    private var rows: [(open: [Double], close: [Double])] = []
    private(set) var steps = 0
    let depth: Int

    init(depth: Int) { self.depth = max(depth, 2) }

    mutating func bar(_ raw: Bar) {
        let s = raw.symbol.index
        grow(s + 1)
        rawClose[s] = raw.close
        let b = view.adjusted(raw)
        close[s] = b.close.doubleValue
        if open[s].isNaN { open[s] = b.open.doubleValue }
    }

    mutating func action(_ a: CorporateAction) {
        grow(a.symbol.index + 1)
        rawClose[a.symbol.index] = view.apply(a, lastClose: rawClose[a.symbol.index], symbolCount: rawClose.count)
    }

    /// Closes a decision step: its prices are those seen so far.
    mutating func step() {
        rows.append((open, close))
        if rows.count > depth { rows.removeFirst(rows.count - depth) }
        for i in open.indices { open[i] = .nan }
        steps += 1
    }

    /// The label of step t (0-based), once known: per symbol, NaN where a price is missing.
    func label(_ t: Int, _ spec: LabelSpec) -> [Double]? {
        let start = spec.price == .open ? t + 1 : t, end = spec.end(of: t)
        guard end < steps, let a = row(start), let b = row(end) else { return nil }
        let p = spec.price == .open ? (a.open, b.open) : (a.close, b.close)
        return p.0.indices.map { s in
            guard s < p.1.count, p.0[s] > 0, p.1[s].isFinite else { return .nan }
            return p.1[s] / p.0[s] - 1
        }
    }

    private func row(_ t: Int) -> (open: [Double], close: [Double])? {
        let i = rows.count - (steps - t)
        return i >= 0 && i < rows.count ? rows[i] : nil
    }

    private mutating func grow(_ n: Int) {
        guard close.count < n else { return }
        let more = n - close.count
        close += [Double](repeating: .nan, count: more)
        open += [Double](repeating: .nan, count: more)
        rawClose += [Price?](repeating: nil, count: more)
    }
}
