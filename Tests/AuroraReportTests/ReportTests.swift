import Aurora
import AuroraTestSupport
import Foundation
import Testing

/// What every report page must hold: each plot with both axes and at least one path, and
/// nothing fetched from anywhere (no script, no link, no image, no font, no URL but SVG's
/// namespace).
enum PageCheck {
    static func charts(_ html: String) -> [Substring] {
        html.components(separatedBy: "<svg ").dropFirst().map { Substring($0.prefix { _ in true }.components(separatedBy: "</svg>")[0]) }
    }

    static func selfContained(_ html: String) -> [String] {
        var problems: [String] = []
        for bad in ["<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "@font-face"] where html.contains(bad) { problems.append(bad) }
        let urls = html.components(separatedBy: "http").dropFirst().filter { !$0.hasPrefix("://www.w3.org/2000/svg") }
        if !urls.isEmpty { problems.append("a URL: http\(urls[0].prefix(40))") }
        return problems
    }

    static func value(_ html: String, _ key: String) -> String? {
        guard let r = html.range(of: "data-key=\"\(key)\">") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "<" })
    }
}

@Suite("HTML reports")
struct ReportTests {
    static func backtest(_ yaml: String, _ name: String) throws -> (String, BacktestResult) {
        let config = try ConfigReader.parse(yaml, registry: .standard)
        let path = Paths.temporary(name)
        return (path, try BacktestEngine(config: config, logPath: path).runMulti())
    }

    @Test("ticks: round values, calendar steps for daily and intraday ranges, civil dates both ways")
    func ticks() {
        #expect(Ticks.values(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        #expect(Ticks.values(-0.26, 0.03) == [-0.2, -0.1, 0])
        for s in [0.0, 951_782_400, 1_583_020_800, -86_400, 4_102_444_800] { #expect(Civil(seconds: s).epochSeconds == s) }
        #expect(Civil(seconds: 1_583_020_800).day == "2020-03-01")
        let years = Ticks.times(Civil(year: 2013, month: 2, day: 8).epochSeconds, Civil(year: 2016, month: 12, day: 30).epochSeconds)
        #expect(years.map(\.label) == ["2014", "2015", "2016"])
        #expect(Ticks.times(Civil(year: 2020, month: 1, day: 2).epochSeconds, Civil(year: 2020, month: 12, day: 7).epochSeconds).map(\.label) == ["2020-03", "2020-05", "2020-07", "2020-09", "2020-11"])
        let day = Civil(year: 2020, month: 1, day: 2).epochSeconds
        let intraday = Ticks.times(day + 14.5 * 3600, day + 21 * 3600)
        #expect(intraday.map(\.label) == ["16:00", "18:00", "20:00"])
    }

    @Test("a backtest's report: the headline numbers aurora backtest prints, every plot with axes and a path, nothing fetched")
    func runReport() throws {
        let (path, result) = try Self.backtest("strategy: {type: momentum, lookback: 20}\ndata: {source: synthetic}\n", "run.alog")
        let run = try RunSeries.read(path, registry: .standard)
        #expect(run.points.count == result.equityCurve.count)
        #expect(run.statistics == result.statistics)
        let html = RunReport.html(run, benchmark: ("SYN001", try #require(try RunSeries.read(path, benchmarkSymbol: "SYN001").benchmarkCloses)))
        let s = result.statistics
        #expect(PageCheck.value(html, "sharpe") == SVGText.fixed(s.sharpe, 2))
        #expect(PageCheck.value(html, "sortino") == SVGText.fixed(s.sortino, 2))
        #expect(PageCheck.value(html, "cagr") == SVGText.percent(s.annualReturn, digits: 2))
        #expect(PageCheck.value(html, "max_drawdown") == SVGText.percent(s.maxDrawdown, digits: 2))
        #expect(PageCheck.value(html, "fills") == String(result.trades.count))
        #expect(PageCheck.value(html, "digest") == result.log.digestHex)
        #expect(PageCheck.value(html, "beta") != "-")
        let charts = PageCheck.charts(html)
        #expect(charts.count == 13)
        for chart in charts {
            #expect(chart.contains("class=\"axis x\"") && chart.contains("class=\"axis y\""))
            #expect(chart.contains("class=\"line\"") || chart.contains("class=\"area\"") || chart.contains("class=\"columns\"") || chart.contains("class=\"cell\""),
                    "a plot without marks: \(chart.prefix(160))")
        }
        #expect(PageCheck.selfContained(html).isEmpty, "\(PageCheck.selfContained(html))")
        #expect(html.utf8.count < 2_000_000)
    }

    @Test("a TWAP run's report draws execution per day; a diff report shows both curves and the first divergence")
    func twapAndDiff() throws {
        let twapYAML = try String(contentsOfFile: Paths.fixture("alpha-twap.yaml"), encoding: .utf8)
        let (twap, result) = try Self.backtest(twapYAML, "twap.alog")
        let run = try RunSeries.read(twap, registry: .standard)
        #expect(run.stepSeconds == 86_400)
        #expect(run.statistics == result.statistics)
        let html = RunReport.html(run)
        #expect(PageCheck.value(html, "sharpe") == SVGText.fixed(result.statistics.sharpe, 2))
        #expect(html.contains("Slippage per day") && html.contains("id=\"execution-by-symbol\""))
        #expect(!html.contains("no planned trades in this log"))

        let (a, _) = try Self.backtest("strategy: {type: momentum, lookback: 20}\ndata: {source: synthetic}\n", "a.alog")
        let (b, _) = try Self.backtest("strategy: {type: momentum, lookback: 10}\ndata: {source: synthetic}\n", "b.alog")
        let diff = try LogDiff.compare(a, b)
        let page = DiffPage.html(diff, a: a, b: b) { "\($0.kind)" }
        #expect(page.contains("First divergent decision"))
        #expect(PageCheck.value(page, "pnl_difference") == SVGText.money(diff.finalPnL.b - diff.finalPnL.a))
        for chart in PageCheck.charts(page) { #expect(chart.contains("class=\"axis x\"") && chart.contains("class=\"axis y\"")) }
        #expect(PageCheck.selfContained(page).isEmpty)
    }

    @Test("a torn log is reported on its intact prefix and says so; a log of one day still renders, its plots saying why")
    func tornAndEmpty() throws {
        let (path, _) = try Self.backtest("strategy: {type: momentum, lookback: 20}\ndata: {source: synthetic}\n", "whole.alog")
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let cut = Paths.temporary("cut.alog")
        try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: cut))
        let run = try RunSeries.read(cut)
        #expect(run.tornTail != nil)
        #expect(run.points.count > 10)
        #expect(RunReport.html(run).contains("torn frame"))

        let (one, _) = try Self.backtest("strategy: {type: momentum, lookback: 20}\ndata: {source: synthetic, end: 2020-01-02}\n", "one.alog")
        let single = try RunSeries.read(one)
        #expect(single.points.count == 1 && single.fills == 0)
        let html = RunReport.html(single)
        #expect(html.contains("too few for returns"))
        #expect(html.contains("no planned trades in this log"))
        #expect(html.contains("fewer than 63 steps"))
        for chart in PageCheck.charts(html) { #expect(chart.contains("class=\"axis x\"") && chart.contains("class=\"frame\"")) }
    }

    @Test("a research folder's report: IC over time, decay, quantiles, long/short, coverage, the feature table; a missing file is named")
    func research() throws {
        let folder = Paths.temporary("research")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = try ResearchConfigReader.parse("""
        data: {source: synthetic}
        features: [{alpha158: {only: [ROC5, ROC10, STD20, VMA5]}}, momentum_20d]
        labels: {horizons: [1, 5], price: open}
        """)
        let data = try ResearchData.build(config)
        let (report, daily) = SignalEvaluation.evaluate(data, settings: config.evaluation)
        func write(_ name: String, _ text: String) throws { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        try write("ic_summary.csv", ResearchTables.icSummary(report))
        try write("ic_decay.csv", ResearchTables.decay(report))
        try write("quantile_returns.csv", ResearchTables.quantiles(report))
        var lines = ""
        try ResearchTables.daily(report, daily, dates: data.panel.dates) { lines += $0 }
        try write("ic_daily.csv", lines)
        let html = try ResearchPage.html(folder: folder)
        for title in ["Rank IC over time", "Rank IC decay", "Mean demeaned return by quantile", "Cumulative factor-weighted", "Coverage"] {
            #expect(html.contains(title), "missing \(title)")
        }
        #expect(html.contains("id=\"features\""))
        for chart in PageCheck.charts(html) { #expect(chart.contains("class=\"axis x\"") && chart.contains("class=\"axis y\"")) }
        #expect(throws: ResearchPage.Failure.self) { try ResearchPage.html(folder: folder, features: ["NOPE"]) }
        #expect { try ResearchPage.html(folder: Paths.temporary("empty")) } throws: { "\($0)".contains("ic_summary.csv") }
    }
}
