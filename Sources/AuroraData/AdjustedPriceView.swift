import AuroraModel

/// Prices as a strategy, an alpha or a feature sees them across corporate actions: forward
/// adjusted. A symbol's raw prices are multiplied by the product of the factors of its actions
/// with ex-date so far (a split of r: r; a dividend d after a close P: P / (P − d)), volumes
/// divided by the split part. Ratios of prices — every return an alpha or a feature reads — are
/// then those of a back-adjusted series, and no factor is known before its ex-date.
///
/// The kernel and the research layer share this one type, so a feature computed offline equals
/// the value a model sees inside a backtest.
public struct AdjustedPriceView: Sendable {
    /// Per symbol; empty until the first split or dividend, so a run without any pays nothing.
    public private(set) var priceFactor: [Double] = []
    public private(set) var shareFactor: [Double] = []
    private var bars: [Bar] = []
    private var closes: [Price?] = []

    public init() {}

    /// No action has changed any factor yet: raw prices are the view.
    public var isIdentity: Bool { priceFactor.isEmpty }

    /// Applies a split or a cash dividend of `a.symbol` (of `symbolCount`), whose latest raw
    /// close is `lastClose`; returns that close in post-action terms (a split divides it).
    public mutating func apply(_ a: CorporateAction, lastClose: Price?, symbolCount: Int) -> Price? {
        let i = a.symbol.index
        guard i < symbolCount else { return lastClose }
        switch a.kind {
        case .split where a.ratio > 0 && a.ratio.isFinite && a.ratio != 1:
            grow(symbolCount)
            priceFactor[i] *= a.ratio
            shareFactor[i] *= a.ratio
            return lastClose.map { Price(rawValue: Int64(saturatingRounded: Double($0.rawValue) / a.ratio)) }
        case .dividend:
            guard let p = lastClose?.doubleValue, a.cash.doubleValue > 0, a.cash.doubleValue < p else { return lastClose }
            grow(symbolCount)
            priceFactor[i] *= p / (p - a.cash.doubleValue)
            return lastClose
        default:
            return lastClose
        }
    }

    /// `b` in adjusted terms.
    public func adjusted(_ b: Bar) -> Bar {
        guard !priceFactor.isEmpty else { return b }
        var b = b
        let f = priceFactor[b.symbol.index]
        guard f != 1 else { return b }
        b.open = scale(b.open, f); b.high = scale(b.high, f); b.low = scale(b.low, f); b.close = scale(b.close, f)
        let sf = shareFactor[b.symbol.index]
        if sf != 1 { b.volume = Quantity(rawValue: Int64(saturatingRounded: Double(b.volume.rawValue) / sf)) }
        return b
    }

    /// The snapshot of `bars` (raw, ascending by symbol) and the raw latest closes, adjusted.
    public mutating func snapshot(at timestamp: Timestamp, bars raw: [Bar], lastClose: [Price?], symbolNames: [String]) -> MarketSnapshot {
        guard !priceFactor.isEmpty else {
            return MarketSnapshot(timestamp: timestamp, bars: raw, lastClose: lastClose, symbolNames: symbolNames)
        }
        bars.removeAll(keepingCapacity: true)
        for b in raw { bars.append(adjusted(b)) }
        if closes.count != lastClose.count { closes = lastClose }
        for i in lastClose.indices { closes[i] = lastClose[i].map { scale($0, priceFactor[i]) } }
        return MarketSnapshot(timestamp: timestamp, bars: bars, lastClose: closes, symbolNames: symbolNames)
    }

    private func scale(_ p: Price, _ f: Double) -> Price { f == 1 ? p : Price(saturating: p.doubleValue * f) }

    private mutating func grow(_ n: Int) {
        guard priceFactor.count < n else { return }
        priceFactor = Array(repeating: 1, count: n)
        shareFactor = Array(repeating: 1, count: n)
    }
}
