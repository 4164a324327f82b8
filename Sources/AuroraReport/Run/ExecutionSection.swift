import AuroraExecution
import AuroraModel
import Foundation

/// Execution quality drawn: what `aurora audit` computes per trade (the execution monitor's
/// reducer), summed per day and per symbol with the same notional weights as its totals.
enum ExecutionSection {
    static func render(_ page: inout Page, _ run: RunSeries) {
        page.heading("Execution")
        let trades = run.trades
        let why = trades.isEmpty ? "no planned trades in this log" : "no fills in this log"
        let totals = ExecutionTotals(trades)
        func bps(_ v: Double?) -> String { v.map { SVGText.fixed($0, 2) + " bp" } ?? "-" }
        page.facts([
            ("trades", "Trades planned", String(totals.trades)),
            ("complete", "Complete", "\(totals.completed) (\(SVGText.percent(totals.completion)) of planned shares)"),
            ("slippage_arrival", "Slippage vs arrival", bps(totals.slippageVsArrivalBps)),
            ("slippage_vwap", "Slippage vs market VWAP", bps(totals.slippageVsMarketVWAPBps)),
            ("shortfall", "Implementation shortfall", bps(totals.shortfallBps)),
            ("escalations", "Escalations", String(totals.escalations)),
            ("waits", "Rate-limit waits", String(totals.rateLimitWaits)),
        ], id: "execution")

        // Per day (UTC date of the plan).
        var byDay: [Int64: [TradeExecution]] = [:]
        for t in trades { byDay[t.plannedAt.rawValue / 86_400_000_000_000, default: []].append(t) }
        let days = byDay.keys.sorted()
        let x = days.map { Double($0) * 86_400 }
        let dayTotals = days.map { ExecutionTotals(byDay[$0] ?? []) }
        page.chart(Chart(title: "Planned and filled shares per day", yFormat: .number,
                         series: [.init("planned", x: x, y: dayTotals.map(\.planned), color: RunReport.colors[0], style: .columns),
                                  .init("filled", x: x, y: dayTotals.map(\.filled), color: RunReport.colors[2], style: .columns)],
                         emptyReason: why).svg)
        page.chart(Chart(title: "Slippage per day (bp, positive is a cost)", yFormat: .bps,
                         series: [.init("vs arrival", x: x, y: dayTotals.map { $0.slippageVsArrivalBps ?? .nan }, color: RunReport.colors[0]),
                                  .init("vs market VWAP", x: x, y: dayTotals.map { $0.slippageVsMarketVWAPBps ?? .nan }, color: RunReport.colors[1]),
                                  .init("shortfall", x: x, y: dayTotals.map { $0.shortfallBps ?? .nan }, color: RunReport.colors[3])],
                         emptyReason: why).svg)
        page.chart(Chart(title: "Completion per day", yFormat: .percent,
                         series: [.init("completion", x: x, y: dayTotals.map(\.completion), color: RunReport.colors[2], style: .columns)],
                         emptyReason: why).svg)

        // Per symbol, the 25 with the most filled notional.
        var bySymbol: [SymbolID: [TradeExecution]] = [:]
        for t in trades { bySymbol[t.symbol, default: []].append(t) }
        let ranked = bySymbol.map { ($0.key, $0.value, $0.value.reduce(0) { $0 + $1.filledNotional }) }
            .sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.0 < $1.0 }
        let rows = ranked.prefix(25).map { symbol, list, notional -> [String] in
            let t = ExecutionTotals(list)
            let marketVolume = list.reduce(0) { $0 + $1.marketVolume }
            let participation = marketVolume > 0 ? t.filled / marketVolume : Double.nan
            let name = symbol.index < run.symbols.count ? run.symbols[symbol.index] : "#\(symbol.rawValue)"
            return [name, String(t.trades), SVGText.short(t.planned), SVGText.short(t.filled), SVGText.percent(t.completion),
                    SVGText.money(notional), bps(t.slippageVsArrivalBps), bps(t.slippageVsMarketVWAPBps), bps(t.shortfallBps),
                    SVGText.percent(participation, digits: 3), String(t.escalations), String(t.rateLimitWaits)]
        }
        page.heading("Execution by symbol\(ranked.count > 25 ? " (the 25 with the most filled notional of \(ranked.count))" : "")", level: 3)
        if rows.isEmpty { page.paragraph(why) } else {
            page.table(["symbol", "trades", "planned", "filled", "completion", "filled notional", "slip arrival", "slip VWAP", "shortfall",
                        "participation", "escalations", "waits"], rows, id: "execution-by-symbol")
        }
    }
}
