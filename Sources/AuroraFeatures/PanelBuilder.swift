import AuroraData
import AuroraModel

/// Adjusted opens and closes by date and symbol (`[date × symbols + symbol]`, NaN without a
/// bar): what labels and residual returns are computed from. Adjusted forward, as the kernel's
/// view is, so the ratio of two prices of a symbol is a true return across splits.
public struct MarketPanel: Sendable {
    public var dates: [Int64]
    public var symbols: [String]
    public var open: [Double]
    public var close: [Double]

    public var dateCount: Int { dates.count }
    public var symbolCount: Int { symbols.count }
}

/// Walks a series bar time by bar time, as the kernel does: corporate actions due by a bar time
/// are applied before its bars, and every source sees the adjusted snapshot. Each date's
/// features go from a row buffer into the panel's columns.
public enum PanelBuilder {
    public static func build(_ series: BarSeries, sources: inout [any FeatureSource],
                             progress: ((Int, Int) -> Void)? = nil) throws -> (FeaturePanel, MarketPanel) {
        let steps = series.steps
        let S = series.symbols.count, D = steps.count
        var panel = FeaturePanel(dates: steps.map(\.time.rawValue), symbols: series.symbols)
        panel.reserve(features: sources.reduce(0) { $0 + $1.names.count })
        var firsts: [Int] = []
        for source in sources { firsts.append(try panel.add(source.names)) }
        var market = MarketPanel(dates: panel.dates, symbols: series.symbols,
                                 open: [Double](repeating: .nan, count: D * S), close: [Double](repeating: .nan, count: D * S))
        var view = AdjustedPriceView()
        var lastClose = [Price?](repeating: nil, count: S)
        var raw: [Bar] = []
        var rows = sources.map { [Double](repeating: .nan, count: $0.names.count * S) }
        var nextAction = 0
        for (d, step) in steps.enumerated() {
            while nextAction < series.actions.count, series.actions[nextAction].effective <= step.time.rawValue {
                let a = series.actions[nextAction].action
                if a.symbol.index < S { lastClose[a.symbol.index] = view.apply(a, lastClose: lastClose[a.symbol.index], symbolCount: S) }
                nextAction += 1
            }
            series.bars(step.range, into: &raw)
            for b in raw { lastClose[b.symbol.index] = b.close }
            let snapshot = view.snapshot(at: step.time, bars: raw, lastClose: lastClose, symbolNames: series.symbols)
            for b in snapshot.bars {
                market.open[d * S + b.symbol.index] = b.open.doubleValue
                market.close[d * S + b.symbol.index] = b.close.doubleValue
            }
            for k in sources.indices {
                rows[k].withUnsafeMutableBufferPointer { row in
                    row.update(repeating: .nan)
                    sources[k].step(snapshot, date: d, into: row)
                }
                let count = sources[k].names.count
                for f in 0..<count {
                    rows[k].withUnsafeBufferPointer { row in
                        panel.withColumn(firsts[k] + f) { column in
                            (column.baseAddress! + d * S).update(from: row.baseAddress! + f * S, count: S)
                        }
                    }
                }
            }
            if let progress, d % 64 == 0 { progress(d, D) }
        }
        return (panel, market)
    }
}
