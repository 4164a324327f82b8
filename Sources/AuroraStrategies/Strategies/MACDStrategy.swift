import AuroraModel
import AuroraStats
import AuroraData
import AuroraKernel

/// Per-symbol MACD: EMA(fast) − EMA(slow) of closes against its EMA(signal) line, with the usual
/// smoothing 2 / (n + 1) and each EMA seeded with the first close. BUY while MACD is above the
/// signal line, SELL while below, HOLD until slow + signal bars are known. The score is the
/// histogram (MACD − signal line) divided by the close, so it compares across symbols.
public struct MACDStrategy: Strategy, Sendable {
    public let fast: Int
    public let slow: Int
    public let signalPeriod: Int
    private var state: [EMAState] = []

    struct EMAState {
        var count = 0
        var fast = 0.0
        var slow = 0.0
        var signal = 0.0
    }

    public init(fast: Int = 12, slow: Int = 26, signal: Int = 9) {
        self.fast = max(1, fast)
        self.slow = max(self.fast + 1, slow)
        self.signalPeriod = max(1, signal)
    }

    public var name: String { "macd(fast: \(fast), slow: \(slow), signal: \(signalPeriod))" }

    public mutating func generateSignals(_ snapshot: MarketSnapshot) -> [Signal] {
        if state.count < snapshot.symbolNames.count {
            state.append(contentsOf: repeatElement(EMAState(), count: snapshot.symbolNames.count - state.count))
        }
        let af = 2 / Double(fast + 1), aslow = 2 / Double(slow + 1), asig = 2 / Double(signalPeriod + 1)
        var signals: [Signal] = []
        signals.reserveCapacity(snapshot.bars.count)
        for bar in snapshot.bars {
            let close = bar.close.doubleValue
            var e = state[bar.symbol.index]
            if e.count == 0 {
                e.fast = close
                e.slow = close
                e.signal = 0
            } else {
                e.fast += af * (close - e.fast)
                e.slow += aslow * (close - e.slow)
                e.signal += asig * ((e.fast - e.slow) - e.signal)
            }
            e.count += 1
            state[bar.symbol.index] = e
            let histogram = (e.fast - e.slow) - e.signal
            guard e.count >= slow + signalPeriod else {
                signals.append(Signal(symbol: bar.symbol, direction: .hold, score: .nan))
                continue
            }
            let direction: SignalDirection = histogram > 0 ? .buy : (histogram < 0 ? .sell : .hold)
            signals.append(Signal(symbol: bar.symbol, direction: direction, score: close > 0 ? histogram / close : .nan))
        }
        return signals
    }
}
