import AuroraModel
import AuroraStats
import AuroraData
import AuroraKernel

/// −z, where z = (close − mean) / sd over the symbol's last `window` closes (the close included,
/// sample standard deviation, ddof 1). Negated so that a close far below its moving average
/// scores high: the bet is that it reverts. Undefined with fewer than `window` closes or sd 0.
///
/// Rolling sums make it constant work per bar; they are recomputed from the window each time
/// the ring wraps, so rounding does not accumulate over a long history.
public struct MeanReversionAlpha: Alpha, Sendable {
    public let name: String
    public let window: Int
    private var closes: [Double] = []
    private var counts: [Int] = []
    /// Ring slot the next close goes to, per symbol (instead of `count % window`, a division).
    private var heads: [Int] = []
    private var sums: [Double] = []
    private var squares: [Double] = []

    public var requiredBars: Int? { window }

    public init(name: String = "mean_reversion", window: Int = 20) {
        self.name = name
        self.window = max(2, window)
    }

    public mutating func step(_ snapshot: MarketSnapshot, into values: inout [Double]) {
        let n = snapshot.symbolNames.count
        if counts.count < n {
            let grow = n - counts.count
            closes.append(contentsOf: repeatElement(0, count: grow * window))
            counts.append(contentsOf: repeatElement(0, count: grow))
            heads.append(contentsOf: repeatElement(0, count: grow))
            sums.append(contentsOf: repeatElement(0, count: grow))
            squares.append(contentsOf: repeatElement(0, count: grow))
        }
        resetToNaN(&values, count: n)
        let w = Double(window)
        for bar in snapshot.bars {
            let s = bar.symbol.index
            let k = counts[s]
            let close = bar.close.doubleValue
            let head = heads[s]
            let slot = s * window + head
            let old = k >= window ? closes[slot] : 0
            closes[slot] = close
            counts[s] = k + 1
            heads[s] = head + 1 == window ? 0 : head + 1
            if head + 1 == window {
                var sum = 0.0, sq = 0.0
                for i in (s * window)..<(s * window + window) { sum += closes[i]; sq += closes[i] * closes[i] }
                sums[s] = sum
                squares[s] = sq
            } else {
                sums[s] += close - old
                squares[s] += close * close - old * old
            }
            guard k + 1 >= window else { continue }
            let mean = sums[s] / w
            let variance = (squares[s] - sums[s] * mean) / (w - 1)
            guard variance > 1e-12 * mean * mean else { continue }
            values[s] = -(close - mean) / variance.squareRoot()
        }
    }
}
