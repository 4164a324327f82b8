import Foundation

/// Performance statistics of a return series, following empyrical's definitions: NaN returns are
/// ignored by means and deviations but count as periods for the annual return; sample standard
/// deviation (ddof 1); CAGR for the annual return; drawdown from the running peak, starting value included.
public struct PerformanceStatistics: Sendable, Equatable {
    public var totalReturn: Double
    public var annualReturn: Double
    public var annualVolatility: Double
    public var sharpe: Double
    public var sortino: Double
    public var maxDrawdown: Double
    public var periods: Int

    /// From per-period simple returns, `periodsPerYear` of them a year (252 for daily bars).
    public init(returns: [Double], periodsPerYear: Double = 252) {
        periods = returns.count
        let valid = returns.filter { !$0.isNaN }
        var growth = 1.0
        for r in returns where !r.isNaN { growth *= 1 + r }
        totalReturn = growth - 1
        let years = Double(returns.count) / periodsPerYear
        annualReturn = years > 0 ? pow(growth, 1 / years) - 1 : .nan

        let n = Double(valid.count)
        let mean = valid.isEmpty ? Double.nan : valid.reduce(0, +) / n
        var squares = 0.0
        for r in valid { squares += (r - mean) * (r - mean) }
        let std = valid.count > 1 ? (squares / (n - 1)).squareRoot() : .nan
        annualVolatility = std * periodsPerYear.squareRoot()
        sharpe = std > 0 ? mean / std * periodsPerYear.squareRoot() : .nan

        var downside = 0.0
        for r in valid where r < 0 { downside += r * r }
        let downsideRisk = valid.isEmpty ? Double.nan : (downside / n).squareRoot() * periodsPerYear.squareRoot()
        sortino = downsideRisk > 0 ? mean * periodsPerYear / downsideRisk : (mean > 0 ? .infinity : .nan)

        var value = 1.0, peak = 1.0, worst = 0.0
        for r in returns where !r.isNaN {
            value *= 1 + r
            peak = max(peak, value)
            worst = min(worst, (value - peak) / peak)
        }
        maxDrawdown = worst
    }

    /// From an equity curve: each value's return against the one before, the first against `start`.
    public init(equity: [Double], start: Double, periodsPerYear: Double = 252) {
        var returns: [Double] = []
        returns.reserveCapacity(equity.count)
        var previous = start
        for e in equity {
            returns.append(previous != 0 ? e / previous - 1 : .nan)
            previous = e
        }
        self.init(returns: returns, periodsPerYear: periodsPerYear)
    }

    /// Periods a year for bars of `seconds` length: 252 sessions of 6.5 hours for intraday bars.
    public static func periodsPerYear(barSeconds seconds: Int64) -> Double {
        seconds >= 86_400 || seconds <= 0 ? 252 * 86_400 / Double(max(seconds, 86_400)) : 252 * 23_400 / Double(seconds)
    }
}
