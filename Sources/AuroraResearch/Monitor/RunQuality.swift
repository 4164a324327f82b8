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
        var day: Int64?
        func close() {
            equity.append(portfolio.equity); fees.append(portfolio.fees); traded.append(portfolio.turnover); gross.append(portfolio.grossExposure)
        }
        while let event = try cursor.next() {
            let d = event.timestamp.rawValue / 86_400_000_000_000
            // Only days with a bar count: the session's start and end are not trading days.
            if case .bar = event.payload {
                if let current = day, d != current { close() }
                day = d
            }
            ModelMonitor.reduce(&monitor, event)
            PortfolioReducer.reduce(&portfolio, event)
        }
        if day != nil { close() }
        return RunQuality(monitor: ModelMonitor.report(monitor, symbols: reader.symbols),
                          performance: GrossNetPerformance(equity: equity, fees: fees, traded: traded, grossExposure: gross,
                                                           start: portfolio.initialCash),
                          days: equity.count)
    }
}
