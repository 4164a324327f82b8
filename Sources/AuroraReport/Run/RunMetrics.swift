import AuroraStats
import Foundation

/// The headline numbers of a run, each following empyrical's definition; the ones `aurora
/// backtest` prints come from the same `PerformanceStatistics` over the same equity curve.
public struct RunMetrics: Sendable {
    public var statistics: PerformanceStatistics
    /// CAGR ÷ |max drawdown| (empyrical's `calmar_ratio`).
    public var calmar: Double
    /// The peak before the deepest drawdown, its trough, and the recovery (nil while under water).
    public var drawdownPeak: Int?, drawdownTrough: Int?, drawdownRecovery: Int?
    /// The share of steps with a positive return among those with a non-zero one.
    public var hitRate: Double
    /// Mean of traded notional ÷ equity per step, and of gross exposure ÷ equity.
    public var turnover: Double, exposure: Double
    public var fees: Double
    /// Against the benchmark, when given: beta = cov(r, b) ÷ var(b); alpha = (1 + mean(r − β b))^periods − 1.
    public var alpha: Double?, beta: Double?

    public init(_ run: RunSeries, benchmark: [Double]? = nil) {
        statistics = run.statistics
        calmar = statistics.maxDrawdown < 0 ? statistics.annualReturn / abs(statistics.maxDrawdown) : .nan
        var peakValue = run.initialCash, peakIndex: Int? = nil, worst = 0.0
        var bestPeak: Int?, trough: Int?
        for (i, p) in run.points.enumerated() {
            if p.equity > peakValue { peakValue = p.equity; peakIndex = i }
            let dd = peakValue > 0 ? p.equity / peakValue - 1 : 0
            if dd < worst { worst = dd; trough = i; bestPeak = peakIndex }
        }
        drawdownPeak = bestPeak
        drawdownTrough = trough
        if let t = trough {
            let level = bestPeak.map { run.points[$0].equity } ?? run.initialCash
            drawdownRecovery = run.points.indices.dropFirst(t + 1).first { run.points[$0].equity >= level }
        }
        let r = run.returns
        let moved = r.filter { $0.isFinite && $0 != 0 }
        hitRate = moved.isEmpty ? .nan : Double(moved.filter { $0 > 0 }.count) / Double(moved.count)
        var previousTraded = 0.0, t = 0.0, e = 0.0
        for p in run.points {
            if p.equity > 0 { t += (p.traded - previousTraded) / p.equity; e += p.grossExposure / p.equity }
            previousTraded = p.traded
        }
        let n = Double(max(run.points.count, 1))
        turnover = t / n
        exposure = e / n
        fees = run.points.last?.fees ?? 0
        if let b = benchmark, b.count == r.count {
            let pairs = zip(r, b).filter { $0.0.isFinite && $0.1.isFinite }
            if pairs.count > 2 {
                let mr = pairs.map(\.0).reduce(0, +) / Double(pairs.count), mb = pairs.map(\.1).reduce(0, +) / Double(pairs.count)
                var cov = 0.0, varB = 0.0
                for (x, y) in pairs { cov += (x - mr) * (y - mb); varB += (y - mb) * (y - mb) }
                if varB > 0 {
                    let beta = cov / varB
                    self.beta = beta
                    let excess = pairs.map { $0.0 - beta * $0.1 }.reduce(0, +) / Double(pairs.count)
                    let periods = PerformanceStatistics.periodsPerYear(barSeconds: run.stepSeconds)
                    alpha = pow(1 + excess, periods) - 1
                }
            }
        }
    }
}

/// Rolling figures over a trailing window of step returns.
enum Rolling {
    /// Annualized Sharpe and volatility over the last `window` returns (NaN before the window fills).
    static func sharpeAndVolatility(_ r: [Double], window: Int, periodsPerYear: Double) -> (sharpe: [Double], volatility: [Double]) {
        var sharpe = [Double](repeating: .nan, count: r.count), vol = sharpe
        guard window > 1, r.count >= window else { return (sharpe, vol) }
        var sum = 0.0, sq = 0.0, count = 0
        for i in r.indices {
            if r[i].isFinite { sum += r[i]; sq += r[i] * r[i]; count += 1 }
            if i >= window, r[i - window].isFinite { sum -= r[i - window]; sq -= r[i - window] * r[i - window]; count -= 1 }
            guard i >= window - 1, count > 1 else { continue }
            let mean = sum / Double(count)
            let variance = max(0, (sq - Double(count) * mean * mean) / Double(count - 1))
            let sd = variance.squareRoot()
            vol[i] = sd * periodsPerYear.squareRoot()
            sharpe[i] = sd > 0 ? mean / sd * periodsPerYear.squareRoot() : .nan
        }
        return (sharpe, vol)
    }
}
