import AuroraExecution
import AuroraLog
import AuroraModel
import AuroraStats
import Foundation

/// `aurora report LOG`: the tear sheet of one run — headline numbers, performance plots,
/// execution quality and the run's identity — from its log alone.
public enum RunReport {
    public static let colors = ["#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed"]

    /// The benchmark's step returns, from closes aligned with the run's points.
    public static func benchmarkReturns(_ closes: [Double]) -> [Double] {
        var previous = Double.nan
        return closes.map { c in
            defer { if c.isFinite { previous = c } }
            return previous.isFinite && c.isFinite && previous > 0 ? c / previous - 1 : .nan
        }
    }

    public static func html(_ run: RunSeries, benchmark: (name: String, closes: [Double])? = nil) -> String {
        let bench = benchmark.map { benchmarkReturns($0.closes) }
        let metrics = RunMetrics(run, benchmark: bench)
        var page = Page(title: "Aurora run report: \((run.path as NSString).lastPathComponent)")
        if let torn = run.tornTail { page.paragraph("The log ends in a torn frame (\(torn)); this report covers its intact prefix.", cssClass: "note") }
        if run.points.count < 2 {
            page.paragraph("The log holds \(run.points.count) decision step\(run.points.count == 1 ? "" : "s"): too few for returns; the plots below say what is missing.", cssClass: "note")
        }
        headline(&page, run, metrics, benchmarkName: benchmark?.name)
        performance(&page, run, metrics, benchmark: benchmark.map { ($0.name, $0.closes) })
        ExecutionSection.render(&page, run)
        identity(&page, run)
        return page.html
    }

    static func day(_ t: Timestamp) -> String { String(t.iso8601.prefix(10)) }
    static func seconds(_ t: Timestamp) -> Double { Double(t.rawValue) / 1e9 }

    static func headline(_ page: inout Page, _ run: RunSeries, _ m: RunMetrics, benchmarkName: String?) {
        let s = m.statistics
        let period = run.points.first.map { "\(day($0.time)) .. \(day(run.points[run.points.count - 1].time)), \(run.points.count) steps" } ?? "no decision steps"
        func at(_ i: Int?) -> String { i.map { day(run.points[$0].time) } ?? "-" }
        var facts: [(key: String, label: String, value: String)] = [
            ("period", "Period", period),
            ("final_equity", "Final equity", "\(SVGText.money(run.points.last?.equity ?? run.initialCash)) (from \(SVGText.money(run.initialCash)))"),
            ("total_return", "Total return", SVGText.percent(s.totalReturn, digits: 2)),
            ("cagr", "CAGR", SVGText.percent(s.annualReturn, digits: 2)),
            ("volatility", "Volatility", SVGText.percent(s.annualVolatility, digits: 2)),
            ("sharpe", "Sharpe", SVGText.fixed(s.sharpe, 2)),
            ("sortino", "Sortino", SVGText.fixed(s.sortino, 2)),
            ("calmar", "Calmar", SVGText.fixed(m.calmar, 2)),
            ("max_drawdown", "Max drawdown", SVGText.percent(s.maxDrawdown, digits: 2)),
            ("drawdown_dates", "Drawdown peak / trough / recovery", "\(at(m.drawdownPeak)) / \(at(m.drawdownTrough)) / \(m.drawdownTrough == nil ? "-" : (m.drawdownRecovery.map { day(run.points[$0].time) } ?? "not recovered"))"),
            ("hit_rate", "Hit rate (steps up ÷ steps moved)", SVGText.percent(m.hitRate)),
            ("turnover", "Turnover (traded ÷ equity, per step)", SVGText.percent(m.turnover, digits: 2)),
            ("exposure", "Exposure (gross ÷ equity, mean)", SVGText.percent(m.exposure)),
            ("fees", "Fees", SVGText.money(m.fees)),
            ("fills", "Fills", String(run.fills)),
        ]
        if let name = benchmarkName {
            facts.append(("alpha", "Alpha vs \(name) (annual)", m.alpha.map { SVGText.percent($0, digits: 2) } ?? "-"))
            facts.append(("beta", "Beta vs \(name)", m.beta.map { SVGText.fixed($0, 3) } ?? "-"))
        }
        page.heading("Headline")
        page.facts(facts, id: "headline")
    }

    static func performance(_ page: inout Page, _ run: RunSeries, _ m: RunMetrics, benchmark: (String, [Double])?) {
        let x = run.points.map { seconds($0.time) }
        let r = run.returns
        let few = "too few decision steps"
        page.heading("Performance")
        var equity = [Chart.Series("equity", x: x, y: run.points.map(\.equity), color: colors[0])]
        if let (name, closes) = benchmark, let first = closes.first(where: \.isFinite), first > 0 {
            equity.append(Chart.Series(name, x: x, y: closes.map { $0 * run.initialCash / first }, color: colors[1]))
        }
        var chart = Chart(title: "Equity", yFormat: .money, series: equity, emptyReason: few)
        chart.baseline = nil
        page.chart(chart.svg)

        var peak = run.initialCash
        let underwater = run.points.map { p -> Double in peak = max(peak, p.equity); return peak > 0 ? p.equity / peak - 1 : 0 }
        page.chart(Chart(title: "Drawdown", yFormat: .percent, series: [.init("drawdown", x: x, y: underwater, color: colors[3], style: .area)],
                         emptyReason: few).svg)

        let (years, months) = calendarReturns(run)
        page.chart(HeatMap(title: "Monthly returns", rows: years.map(\.label), columns: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
                           values: months, emptyReason: few).svg)
        page.chart(Chart(title: "Yearly returns", xAxis: .categories(years.map(\.label)), yFormat: .percent,
                         series: [.init("return", x: years.indices.map(Double.init), y: years.map(\.value), color: colors[0], style: .columns)],
                         emptyReason: few).svg)

        let perYear = PerformanceStatistics.periodsPerYear(barSeconds: run.stepSeconds)
        let window = run.stepSeconds >= 86_400 ? 63 : max(2, Int(perYear / 252))
        let rolling = Rolling.sharpeAndVolatility(r, window: window, periodsPerYear: perYear)
        let rollingWhy = "fewer than \(window) steps: no rolling window yet"
        page.chart(Chart(title: "Rolling Sharpe (\(window) steps)", yFormat: .number, series: [.init("Sharpe", x: x, y: rolling.sharpe, color: colors[0])],
                         emptyReason: rollingWhy).svg)
        page.chart(Chart(title: "Rolling volatility (\(window) steps, annualized)", yFormat: .percent,
                         series: [.init("volatility", x: x, y: rolling.volatility, color: colors[1])], emptyReason: rollingWhy).svg)

        let gross = run.points.map { $0.equity > 0 ? $0.grossExposure / $0.equity : .nan }
        let net = run.points.map { $0.equity > 0 ? $0.netExposure / $0.equity : .nan }
        page.chart(Chart(title: "Exposure (÷ equity)", yFormat: .percent,
                         series: [.init("gross", x: x, y: gross, color: colors[0]), .init("net", x: x, y: net, color: colors[2])], emptyReason: few).svg)
        page.chart(Chart(title: "Positions held", yFormat: .number, series: [.init("positions", x: x, y: run.points.map { Double($0.positions) }, color: colors[4])],
                         emptyReason: few).svg)
        var previous = 0.0
        let turnover = run.points.map { p -> Double in defer { previous = p.traded }; return p.equity > 0 ? (p.traded - previous) / p.equity : .nan }
        page.chart(Chart(title: "Turnover per step (traded ÷ equity)", yFormat: .percent,
                         series: [.init("turnover", x: x, y: turnover, color: colors[1], style: .columns)],
                         emptyReason: run.fills == 0 ? "no fills in this log" : few).svg)
        page.chart(histogram(r.filter(\.isFinite), title: "Distribution of step returns", emptyReason: few))
    }

    /// Compounded returns per calendar month and year (UTC), from the step returns.
    static func calendarReturns(_ run: RunSeries) -> (years: [(label: String, value: Double)], months: [[Double?]]) {
        var years: [(label: String, value: Double)] = [], months: [[Double?]] = []
        var growthYear = 1.0, growthMonth = 1.0
        var currentYear: Int?, currentMonth: Int?
        let r = run.returns
        for (i, p) in run.points.enumerated() {
            let c = Civil(seconds: seconds(p.time))
            if currentYear != c.year {
                if let y = currentYear {
                    if let m = currentMonth { months[months.count - 1][m - 1] = growthMonth - 1 }
                    years.append((String(y), growthYear - 1))
                }
                currentYear = c.year; currentMonth = nil
                months.append(Array(repeating: nil, count: 12))
                growthYear = 1
            }
            if currentMonth != c.month {
                if let m = currentMonth { months[months.count - 1][m - 1] = growthMonth - 1 }
                currentMonth = c.month
                growthMonth = 1
            }
            if r[i].isFinite { growthYear *= 1 + r[i]; growthMonth *= 1 + r[i] }
        }
        if let y = currentYear {
            if let m = currentMonth { months[months.count - 1][m - 1] = growthMonth - 1 }
            years.append((String(y), growthYear - 1))
        }
        return (years, months)
    }

    static func histogram(_ values: [Double], title: String, emptyReason: String) -> String {
        guard values.count >= 2, let lo = values.min(), let hi = values.max(), hi > lo else {
            return Chart(title: title, xAxis: .value, yFormat: .number, series: [], emptyReason: emptyReason).svg
        }
        let bins = min(50, max(10, Int(Double(values.count).squareRoot())))
        let width = (hi - lo) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in values { counts[min(bins - 1, Int((v - lo) / width))] += 1 }
        var chart = Chart(title: title + " (count per bin; x: return)", xAxis: .value, yFormat: .number,
                          series: [.init("steps", x: (0..<bins).map { lo + width * (Double($0) + 0.5) }, y: counts, color: colors[0], style: .columns)],
                          emptyReason: emptyReason)
        chart.baseline = nil
        return chart.svg
    }

    static func identity(_ page: inout Page, _ run: RunSeries) {
        page.heading("Identity")
        var facts: [(key: String, label: String, value: String)] = [
            ("log", "Log", run.path),
            ("digest", "Digest", run.digest.map(hexString) ?? "none (the log is not closed)"),
            ("events", "Events read", String(run.events)),
            ("symbols", "Symbols", String(run.symbols.count)),
        ]
        if let m = run.manifest {
            facts.append(("engine", "Engine version", m.engineVersion))
            facts.append(("format", "Log format", String(m.formatVersion)))
            facts.append(("data", "Data source", m.dataSource))
            facts.append(("config_digest", "Config SHA-256", hexString(m.configDigest)))
            for p in m.properties { facts.append((p.key, p.key, p.value)) }
        }
        page.facts(facts, id: "identity")
        if let config = run.manifest?.config, !config.isEmpty {
            page.heading("Configuration", level: 3)
            page.preformatted(config)
        }
    }
}
