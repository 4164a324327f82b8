import AuroraDiff
import AuroraModel
import Foundation

/// `aurora report A.alog B.alog`: both equity curves, B − A over time, the P&L difference
/// attributed to symbols and days, the first divergent decision, the changed decisions and
/// execution quality side by side — `aurora diff` drawn.
public enum DiffPage {
    /// `describe` renders an event for the first-divergence box (the tool passes its JSON line).
    public static func html(_ r: DiffReport, a: String, b: String, describe: (Event) -> String) -> String {
        var page = Page(title: "Aurora diff report: \((a as NSString).lastPathComponent) vs \((b as NSString).lastPathComponent)")
        for note in r.notes { page.paragraph(note, cssClass: "note") }
        page.heading("Summary")
        page.facts([
            ("a", "A", a), ("b", "B", b),
            ("inputs", "Inputs", r.inputDifference.map { "differ: \($0)" } ?? "agree"),
            ("identical", "Decisions", r.identical ? "identical (\(r.eventsCompared.a) events)" : "differ"),
            ("events", "Events compared", "A \(r.eventsCompared.a), B \(r.eventsCompared.b)"),
            ("pnl_a", "P&L of A", SVGText.money(r.finalPnL.a)),
            ("pnl_b", "P&L of B", SVGText.money(r.finalPnL.b)),
            ("pnl_difference", "B − A", SVGText.money(r.finalPnL.b - r.finalPnL.a)),
            ("changed", "Changed decisions", "\(r.totals.alphas) alphas, \(r.totals.signals) signals, \(r.totals.plans) plans, \(r.totals.slices) slices, \(r.totals.fills) fills"),
        ], id: "summary")

        if let d = r.firstDivergence {
            page.heading("First divergent decision", level: 3)
            page.paragraph("at \(d.time.iso8601)")
            page.preformatted("A: \(d.a.map(describe) ?? "(nothing)")\nB: \(d.b.map(describe) ?? "(nothing)")")
        }

        let x = r.equity.map { daySeconds($0.day) }
        page.heading("Equity")
        var equity = Chart(title: "Equity of A and B", yFormat: .money,
                           series: [.init("A", x: x, y: r.equity.map(\.a), color: RunReport.colors[0]),
                                    .init("B", x: x, y: r.equity.map(\.b), color: RunReport.colors[1])],
                           emptyReason: "neither log has a day of equity")
        equity.baseline = nil
        page.chart(equity.svg)
        page.chart(Chart(title: "B − A equity", yFormat: .money, series: [.init("B − A", x: x, y: r.equity.map { $0.b - $0.a }, color: RunReport.colors[3], style: .area)],
                         emptyReason: "neither log has a day of equity").svg)
        var previous = 0.0
        let daily = r.equity.map { e -> Double in defer { previous = e.b - e.a }; return (e.b - e.a) - previous }
        page.chart(Chart(title: "P&L difference by day (change of B − A)", yFormat: .money,
                         series: [.init("by day", x: x, y: daily, color: RunReport.colors[4], style: .columns)],
                         emptyReason: "neither log has a day of equity").svg)

        page.heading("P&L difference by symbol")
        let top = Array(r.attribution.prefix(20))
        page.chart(Chart(title: "B − A by symbol (the 20 largest)", xAxis: .categories(top.map(\.symbol)), yFormat: .money,
                         series: [.init("B − A", x: top.indices.map(Double.init), y: top.map(\.difference), color: RunReport.colors[2], style: .columns)],
                         emptyReason: r.identical ? "identical runs: no difference to attribute" : "no symbol's P&L differs").svg)
        if !r.attribution.isEmpty {
            page.table(["symbol", "B − A"], r.attribution.prefix(40).map { [$0.symbol, SVGText.money($0.difference)] }, id: "attribution")
        }

        page.heading("Changed decisions")
        let days = r.byDay
        page.chart(Chart(title: "Changed decisions per day", yFormat: .number,
                         series: [.init("signals", x: days.map { daySeconds($0.day) }, y: days.map { Double($0.counts.signals) }, color: RunReport.colors[0], style: .columns),
                                  .init("fills", x: days.map { daySeconds($0.day) }, y: days.map { Double($0.counts.fills) }, color: RunReport.colors[1], style: .columns)],
                         emptyReason: "no decision changed").svg)
        if !r.bySymbol.isEmpty {
            page.table(["symbol", "alphas", "signals", "plans", "slices", "fills"],
                       r.bySymbol.prefix(40).map { [$0.symbol, String($0.counts.alphas), String($0.counts.signals), String($0.counts.plans),
                                                    String($0.counts.slices), String($0.counts.fills)] }, id: "changed-by-symbol")
        }

        page.heading("Execution side by side")
        func bps(_ v: Double?) -> String { v.map { SVGText.fixed($0, 2) + " bp" } ?? "-" }
        page.table(["", "A", "B"], [
            ["trades", String(r.execution.a.trades), String(r.execution.b.trades)],
            ["completion", SVGText.percent(r.execution.a.completion), SVGText.percent(r.execution.b.completion)],
            ["slippage vs arrival", bps(r.execution.a.slippageVsArrivalBps), bps(r.execution.b.slippageVsArrivalBps)],
        ], id: "execution")
        return page.html
    }

    static func daySeconds(_ day: String) -> Double {
        let parts = day.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return .nan }
        return Civil(year: parts[0], month: parts[1], day: parts[2]).epochSeconds
    }
}
