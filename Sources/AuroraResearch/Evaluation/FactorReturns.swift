import AuroraStats
/// The return of a dollar-neutral portfolio weighted by the factor (alphalens'
/// `factor_returns`): on each date w = (f − mean f) / Σ|f − mean f| over the symbols with both
/// a factor value and a label, so the long and short sides each hold half of the gross; its
/// return is Σ w × label. A label over h bars overlaps the next h − 1 dates' labels, so the
/// cumulative return compounds every h-th date only, and the annualized Sharpe ratio scales by
/// √(252 / h).
public struct FactorReturns: Sendable, Codable, Equatable {
    public var horizon: Int
    /// Per date (NaN where undefined).
    public var returns: [Double]
    public var mean: Double
    public var std: Double
    public var annualizedSharpe: Double
    /// Compounded over non-overlapping dates, one value per date (flat between them).
    public var cumulative: [Double]

    struct Accumulator {
        let horizon: Int
        var returns: [Double] = []

        mutating func add(pairs: [Int32], feature f: UnsafePointer<Double>, label: UnsafePointer<Double>, defined: Bool) {
            guard defined, pairs.count >= 2 else { returns.append(.nan); return }
            var sum = 0.0
            for s in pairs { sum += f[Int(s)] }
            let m = sum / Double(pairs.count)
            var gross = 0.0
            for s in pairs { gross += abs(f[Int(s)] - m) }
            guard gross > 0 else { returns.append(.nan); return }
            var r = 0.0
            for s in pairs { r += (f[Int(s)] - m) / gross * label[Int(s)] }
            returns.append(r)
        }

        var result: FactorReturns {
            let defined = returns.filter { !$0.isNaN }
            let (mean, _) = QuantileReturns.meanAndError(defined)
            let n = Double(defined.count)
            let std = defined.count > 1 ? (defined.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : .nan
            var cumulative: [Double] = []
            var wealth = 1.0
            for (k, r) in returns.enumerated() {
                if k % horizon == 0, !r.isNaN { wealth *= 1 + r }
                cumulative.append(wealth - 1)
            }
            return FactorReturns(horizon: horizon, returns: returns, mean: mean, std: std,
                                 annualizedSharpe: std > 0 ? mean / std * (252.0 / Double(horizon)).squareRoot() : .nan,
                                 cumulative: cumulative)
        }
    }
}
