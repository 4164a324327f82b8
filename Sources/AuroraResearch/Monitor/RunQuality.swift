import AuroraKernel
import AuroraLog
import AuroraModel
import AuroraStats

/// What `aurora research models LOG` reports of a run, from its log alone: the model
/// monitor's table (IC, Rank IC, ICIR, hit rate, contributions per model, the ensemble and the
/// signal) and the run's performance gross and net of fees, from its equity at the end of
/// each day.
public struct RunQuality: Sendable {
    public var monitor: ModelMonitor.Report
    public var performance: GrossNetPerformance
    public var days: Int

    public static func read(_ path: String) throws -> RunQuality {
        let reader = try LogReader(path: path)
        let cursor = reader.events()
        var monitor = ModelMonitor.initialState()
        var portfolio = PortfolioReducer.initialState()
        var equity: [Double] = [], fees: [Double] = [], traded: [Double] = [], gross: [Double] = []
        // Day by day (UTC), only days with a bar: the session's start and end are not trading days.
        var days = DecisionSteps(daily: true)
        func close() {
            equity.append(portfolio.equity); fees.append(portfolio.fees); traded.append(portfolio.turnover); gross.append(portfolio.grossExposure)
        }
        while let event = try cursor.next() {
            if days.closes(before: event) != nil { close() }
            ModelMonitor.reduce(&monitor, event)
            PortfolioReducer.reduce(&portfolio, event)
        }
        if days.last != nil { close() }
        return RunQuality(monitor: ModelMonitor.report(monitor, symbols: reader.symbols),
                          performance: GrossNetPerformance(equity: equity, fees: fees, traded: traded, grossExposure: gross,
                                                           start: portfolio.initialCash),
                          days: equity.count)
    }
}
