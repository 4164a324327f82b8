import AuroraModel
import Foundation

/// Computes Alpha158 one bar time at a time, from bars a strategy would see (adjusted), so the
/// same code fills a research panel and feeds a model inside a backtest. A value at t reads
/// only bars up to t.
///
/// Per bar, one backward pass over the symbol's last `max(windows)` rows accumulates every
/// window's sums at once (the windows are nested: all end today), the quantiles and today's
/// rank come from incrementally sorted windows, and the running maximum and minimum carry
/// their positions. Sums are taken around today's value (close, volume, …), which keeps the
/// variance-type differences free of cancellation: the values match a direct two-pass
/// computation to about 1e-12 relative.
public struct Alpha158Engine: Sendable {
    public let settings: Alpha158Settings
    public let names: [String]
    public var featureCount: Int { names.count }
    private var history: SymbolHistory
    private var sorted: SortedWindows
    private let maxWindow: Int

    public init(settings: Alpha158Settings = Alpha158Settings()) {
        self.settings = settings
        self.names = settings.names
        self.maxWindow = settings.windows.max() ?? 1
        self.history = SymbolHistory(keep: maxWindow + 1)
        self.sorted = SortedWindows(windows: settings.windows)
    }

    /// One bar time: each bar (ascending by symbol) extends its symbol's history, and the
    /// symbol's features go to `out[feature * symbolCount + symbol]` (NaN where undefined).
    /// Symbols without a bar are not written.
    public mutating func step(_ bars: [Bar], symbolCount: Int, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(out.count >= featureCount * symbolCount, "the output holds every feature of every symbol")
        history.grow(to: symbolCount)
        sorted.grow(to: symbolCount)
        let o = out.baseAddress!
        for bar in bars {
            let s = bar.symbol.index
            guard s < symbolCount else { continue }
            let open = bar.open.doubleValue, high = bar.high.doubleValue, low = bar.low.doubleValue
            let close = bar.close.doubleValue, volume = bar.volume.doubleValue
            let p = history.push(s, close: close, high: high, low: low, volume: volume)
            let closeBase = history.base(s, .close)
            for (j, w) in settings.windows.enumerated() {
                let leaving: Double? = p >= w ? history.rows[closeBase + p - w] : nil
                sorted.update(s, j, entering: close, leaving: leaving)
            }
            candles(open: open, high: high, low: low, close: close, s: s, S: symbolCount, out: o)
            rolling(s, p, S: symbolCount, out: o)
        }
    }

    private func candles(open o: Double, high h: Double, low l: Double, close c: Double, s: Int, S: Int, out: UnsafeMutablePointer<Double>) {
        let range = h - l + 1e-12
        let top = Swift.max(o, c), bottom = Swift.min(o, c)
        let values = [(c - o) / o, (h - l) / o, (c - o) / range, (h - top) / o, (h - top) / range,
                      (bottom - l) / o, (bottom - l) / range, (2 * c - h - l) / o, (2 * c - h - l) / range,
                      o / c, h / c, l / c, (h + l + c) / 3 / c]
        for (f, v) in values.enumerated() { out[f * S + s] = v }
    }
}

extension Alpha158Engine {
    /// The rolling operators of symbol `s`, whose newest row is `p`.
    private func rolling(_ s: Int, _ p: Int, S: Int, out: UnsafeMutablePointer<Double>) {
        let windows = settings.windows
        let nw = windows.count
        let available = p + 1
        withUnsafeTemporaryAllocation(of: Int.self, capacity: nw) { bounds in
            withUnsafeTemporaryAllocation(of: WindowMoments.self, capacity: nw) { moments in
                for j in 0..<nw { bounds[j] = Swift.min(windows[j], available) }
                let b = UnsafePointer(bounds.baseAddress!)
                history.rows.withUnsafeBufferPointer { rows in
                    let r = rows.baseAddress!
                    func field(_ f: SymbolHistory.Field) -> UnsafePointer<Double> { r + history.base(s, f) + p }
                    let m = moments.baseAddress!
                    m.initialize(repeating: WindowMoments(), count: nw)
                    WindowMoments.closes(field(.close), field(.high), field(.low), field(.logVolume), b, nw, into: m)
                    WindowMoments.pairs(field(.ratio), field(.logVolumeRatio), b, nw, into: m)
                    WindowMoments.changes(field(.change), field(.volumeChange), b, nw, into: m)
                    WindowMoments.volumes(field(.volume), field(.weightedMove), b, nw, into: m)
                    let C = field(.close)
                    let c0 = C[0], v0 = field(.volume)[0], x0 = field(.weightedMove)[0]
                    for j in 0..<nw {
                        let w = windows[j]
                        var values = m[j].values(rows: b[j], window: w, minPeriods: settings.minPeriods.map { Swift.min($0, w) } ?? w,
                                                 close: c0, volume: v0, weightedMove: x0.isNaN ? 0 : x0)
                        values.roc = p >= w ? C[-w] / c0 : .nan
                        sorted.withWindow(s, j) { a, n in
                            guard n >= values.needed else { return }
                            values.qtlu = SortedWindows.quantile(a, n, 0.8) / c0
                            values.qtld = SortedWindows.quantile(a, n, 0.2) / c0
                            values.rank = SortedWindows.percentile(a, n, c0)
                        }
                        values.write(to: out, window: j, windows: nw, symbol: s, symbols: S)
                    }
                }
            }
        }
    }
}
