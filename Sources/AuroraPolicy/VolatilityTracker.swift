import AuroraModel

/// Each symbol's last `window` close-to-close returns, from the adjusted bars (a split is not a
/// return), and their standard deviation (ddof 1) once the window is full.
struct VolatilityTracker {
    let window: Int
    private var returns: [Double] = []
    private var filled: [Int] = []
    private var lastClose: [Double] = []

    init(window: Int) { self.window = window }

    mutating func observe(_ bars: [Bar], symbols S: Int) {
        if lastClose.count < S {
            lastClose += [Double](repeating: .nan, count: S - lastClose.count)
            filled += [Int](repeating: 0, count: S - filled.count)
            returns += [Double](repeating: 0, count: S * window - returns.count)
        }
        for b in bars where b.symbol.index < S {
            let s = b.symbol.index, c = b.close.doubleValue
            if lastClose[s] > 0, c > 0 {
                returns[s * window + filled[s] % window] = c / lastClose[s] - 1
                filled[s] += 1
            }
            lastClose[s] = c
        }
    }

    /// The symbol's volatility per bar, or nil before its window is full.
    func volatility(_ s: Int) -> Double? {
        guard s < filled.count, filled[s] >= window else { return nil }
        let slice = returns[(s * window)..<((s + 1) * window)]
        let mean = slice.reduce(0, +) / Double(window)
        let variance = slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(window - 1)
        return variance > 0 ? variance.squareRoot() : nil
    }
}
