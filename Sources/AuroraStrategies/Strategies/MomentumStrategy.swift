import AuroraModel
import AuroraStats
import AuroraData
import AuroraKernel

/// Per-symbol time-series momentum: m = close_t / close_{t−lookback} − 1 over the symbol's own
/// bars. BUY when m > threshold, SELL when m < −threshold, HOLD otherwise and while fewer than
/// lookback + 1 bars are known. The score is m. Rolling: one ring buffer of closes per symbol.
public struct MomentumStrategy: Strategy, Sendable {
    public let lookback: Int
    public let threshold: Double
    private var closes: [Double] = []      // symbol-major ring buffers of lookback + 1 closes
    private var counts: [Int] = []

    public init(lookback: Int = 20, threshold: Double = 0.05) {
        self.lookback = max(1, lookback)
        self.threshold = threshold
    }

    public var name: String { "momentum(lookback: \(lookback), threshold: \(threshold))" }

    public mutating func generateSignals(_ snapshot: MarketSnapshot) -> [Signal] {
        let width = lookback + 1
        if counts.count < snapshot.symbolNames.count {
            let grow = snapshot.symbolNames.count - counts.count
            counts.append(contentsOf: repeatElement(0, count: grow))
            closes.append(contentsOf: repeatElement(0, count: grow * width))
        }
        var signals: [Signal] = []
        signals.reserveCapacity(snapshot.bars.count)
        for bar in snapshot.bars {
            let s = bar.symbol.index
            let n = counts[s]
            let close = bar.close.doubleValue
            closes[s * width + n % width] = close
            counts[s] = n + 1
            guard n >= lookback else {
                signals.append(Signal(symbol: bar.symbol, direction: .hold, score: .nan))
                continue
            }
            let past = closes[s * width + (n - lookback) % width]
            let momentum = past > 0 ? close / past - 1 : .nan
            let direction: SignalDirection = momentum > threshold ? .buy : (momentum < -threshold ? .sell : .hold)
            signals.append(Signal(symbol: bar.symbol, direction: direction, score: momentum))
        }
        return signals
    }
}
