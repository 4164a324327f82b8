/// A run's performance before and after its fees, and how it used its capital.
///
/// - **net**: the equity curve as run (fees paid, fills at the prices the execution model gave).
/// - **gross**: the same curve with every fee paid so far added back, i.e. before explicit
///   costs. Slippage and impact of a simulated execution are in its fill prices and stay in
///   both curves (the execution monitor's shortfall measures them).
/// - **alpha retention**: net total return ÷ gross total return, the share of the gross edge
///   that survives costs (reported only when the gross return is positive).
/// - **turnover**: notional traded per period ÷ that period's equity, averaged over periods.
/// - **capital utilization**: gross exposure ÷ equity, averaged over periods.
public struct GrossNetPerformance: Sendable, Equatable {
    public var net: PerformanceStatistics
    public var gross: PerformanceStatistics
    public var retention: Double
    public var fees: Double
    public var turnover: Double
    public var capitalUtilization: Double

    /// From per-period equity, cumulative fees, cumulative traded notional and gross exposure.
    public init(equity: [Double], fees: [Double], traded: [Double], grossExposure: [Double], start: Double, periodsPerYear: Double = 252) {
        precondition(equity.count == fees.count && fees.count == traded.count && traded.count == grossExposure.count,
                     "a value of each per period")
        net = PerformanceStatistics(equity: equity, start: start, periodsPerYear: periodsPerYear)
        gross = PerformanceStatistics(equity: zip(equity, fees).map { $0 + $1 }, start: start, periodsPerYear: periodsPerYear)
        retention = gross.totalReturn > 0 ? net.totalReturn / gross.totalReturn : .nan
        self.fees = fees.last ?? 0
        var turnover = 0.0, utilization = 0.0, n = 0.0, previous = 0.0
        for i in equity.indices where equity[i] > 0 {
            turnover += (traded[i] - previous) / equity[i]
            utilization += grossExposure[i] / equity[i]
            n += 1
            previous = traded[i]
        }
        self.turnover = n > 0 ? turnover / n : .nan
        capitalUtilization = n > 0 ? utilization / n : .nan
    }
}
