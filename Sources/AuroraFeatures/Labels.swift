/// What a label measures: the return a signal taken at date t's close could earn.
public struct LabelSpec: Sendable, Equatable, Hashable {
    public enum Price: String, Sendable, CaseIterable {
        /// t+1 open → t+1+h open: a signal at t's close trades at the next open (the default).
        case open
        /// t close → t+h close.
        case close
    }

    public var horizon: Int
    public var price: Price

    public init(horizon: Int, price: Price = .open) {
        self.horizon = horizon
        self.price = price
    }

    /// `fwd_open_5` (open to open over 5 bars) or `fwd_close_5`.
    public var name: String { "fwd_\(price.rawValue)_\(horizon)" }

    /// The last date whose prices the label of date t reads: the interval (t, end] is what a
    /// walk-forward splitter must keep out of training when it overlaps a test block.
    public func end(of t: Int) -> Int { price == .open ? t + 1 + horizon : t + horizon }
}

/// Forward returns per date and symbol (`[date × symbols + symbol]`), NaN where a price the
/// label needs is missing (no bar that day) or lies beyond the data. Computed from adjusted
/// prices, so a split inside the horizon is not a return.
public struct Labels: Sendable {
    public let spec: LabelSpec
    public let dateCount: Int
    public let symbolCount: Int
    public let values: [Double]

    public init(_ spec: LabelSpec, market: MarketPanel) {
        let D = market.dateCount, S = market.symbolCount
        let prices = spec.price == .open ? market.open : market.close
        let lead = spec.price == .open ? 1 : 0
        var out = [Double](repeating: .nan, count: D * S)
        for t in 0..<D {
            let a = t + lead, b = t + lead + spec.horizon
            guard b < D else { break }
            for s in 0..<S {
                let p0 = prices[a * S + s], p1 = prices[b * S + s]
                if p0 > 0 && p1 > 0 { out[t * S + s] = p1 / p0 - 1 }
            }
        }
        self.spec = spec
        self.dateCount = D
        self.symbolCount = S
        self.values = out
    }

    public var name: String { spec.name }

    /// The label's cross-section on date t.
    public func crossSection(_ t: Int) -> ArraySlice<Double> { values[(t * symbolCount)..<((t + 1) * symbolCount)] }
}
