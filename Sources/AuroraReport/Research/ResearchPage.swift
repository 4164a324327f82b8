import Foundation

/// `aurora report --research DIR`: the tear sheet of a `research evaluate --out DIR` folder (and
/// of `walkforward --out` files when present) — IC over time, decay by horizon, quantile
/// returns, cumulative long/short return, turnover, coverage and the per-feature IC table.
public enum ResearchPage {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The features drawn: the `count` with the largest |Rank IC t|, or those named.
    public static func html(folder: String, features chosen: [String] = [], count: Int = 3) throws -> String {
        let summary = try CSVTable.read(folder, "ic_summary.csv")
        let daily = try CSVTable.read(folder, "ic_daily.csv")
        var page = Page(title: "Aurora research report: \((folder as NSString).lastPathComponent)")
        let names = summary.column("feature")
        let t = summary.numbers("rank_ic_t")
        let order = names.indices.sorted { abs(t[$0].isFinite ? t[$0] : 0) > abs(t[$1].isFinite ? t[$1] : 0) }
        for f in chosen where !names.contains(f) {
            throw Failure(description: "\(folder)/ic_summary.csv: no feature \(f) (it has \(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : ""))")
        }
        let drawn = chosen.isEmpty ? order.prefix(count).map { names[$0] } : chosen
        page.paragraph("Drawn: \(drawn.joined(separator: ", ")) (\(chosen.isEmpty ? "the \(drawn.count) with the largest |Rank IC t|" : "as asked")); \(names.count) features in the table.")

        // Daily Rank IC per drawn feature, smoothed over 21 dates (a day's IC is mostly noise).
        let dates = daily.column("date"), dailyFeature = daily.column("feature")
        let rankIC = daily.numbers("rank_ic"), cumulative = daily.numbers("long_short_cumulative"), names_ = daily.numbers("names")
        var perFeature: [String: [(Double, Double, Double, Double)]] = [:]
        for i in dates.indices where drawn.contains(dailyFeature[i]) {
            perFeature[dailyFeature[i], default: []].append((DiffPage.daySeconds(dates[i]), rankIC[i], cumulative[i], names_[i]))
        }
        page.heading("Information coefficient")
        page.chart(Chart(title: "Rank IC over time (mean of the last 21 dates)", yFormat: .number, series: drawn.enumerated().map { k, f in
            let rows = perFeature[f] ?? []
            return Chart.Series(f, x: rows.map(\.0), y: trailingMean(rows.map(\.1), 21), color: RunReport.colors[k % RunReport.colors.count])
        }, emptyReason: "ic_daily.csv has no dates for these features").svg)

        if let decay = try? CSVTable.read(folder, "ic_decay.csv") {
            let feature = decay.column("feature"), horizon = decay.numbers("horizon"), value = decay.numbers("rank_ic_mean")
            page.chart(Chart(title: "Rank IC decay by horizon (x: bars ahead)", xAxis: .value, yFormat: .number, series: drawn.enumerated().map { k, f in
                let rows = feature.indices.filter { feature[$0] == f }
                return Chart.Series(f, x: rows.map { horizon[$0] }, y: rows.map { value[$0] }, color: RunReport.colors[k % RunReport.colors.count])
            }, emptyReason: "one horizon only: no decay to draw").svg)
        }

        if let quantiles = try? CSVTable.read(folder, "quantile_returns.csv") {
            let feature = quantiles.column("feature"), q = quantiles.numbers("quantile"), r = quantiles.numbers("mean_demeaned_return")
            let labels = Array(Set(q.filter(\.isFinite).map { Int($0) })).sorted().map { "Q\($0)" }
            page.heading("Quantiles and long/short")
            page.chart(Chart(title: "Mean demeaned return by quantile", xAxis: .categories(labels), yFormat: .percent, series: drawn.enumerated().map { k, f in
                let rows = feature.indices.filter { feature[$0] == f }
                return Chart.Series(f, x: rows.map { q[$0] - 1 }, y: rows.map { r[$0] }, color: RunReport.colors[k % RunReport.colors.count], style: .columns)
            }, emptyReason: "quantile_returns.csv has none of these features").svg)
        }
        page.chart(Chart(title: "Cumulative factor-weighted long/short return", yFormat: .percent, series: drawn.enumerated().map { k, f in
            let rows = perFeature[f] ?? []
            return Chart.Series(f, x: rows.map(\.0), y: rows.map(\.2), color: RunReport.colors[k % RunReport.colors.count])
        }, emptyReason: "ic_daily.csv has no long/short returns for these features").svg)

        page.heading("Turnover and coverage")
        let churnTop = summary.numbers("top_churn"), churnBottom = summary.numbers("bottom_churn")
        let drawnRows = drawn.compactMap { names.firstIndex(of: $0) }
        page.chart(Chart(title: "Quantile churn (share of the top and bottom quantile replaced per date)", xAxis: .categories(drawn), yFormat: .percent,
                         series: [.init("top", x: drawnRows.indices.map(Double.init), y: drawnRows.map { churnTop[$0] }, color: RunReport.colors[0], style: .columns),
                                  .init("bottom", x: drawnRows.indices.map(Double.init), y: drawnRows.map { churnBottom[$0] }, color: RunReport.colors[1], style: .columns)],
                         emptyReason: "no churn in ic_summary.csv").svg)
        if let first = drawn.first {
            let rows = perFeature[first] ?? []
            page.chart(Chart(title: "Coverage: names with a value per date (\(first))", yFormat: .number,
                             series: [.init("names", x: rows.map(\.0), y: rows.map(\.3), color: RunReport.colors[2])],
                             emptyReason: "no dates").svg)
        }

        page.heading("Per-feature IC")
        let cols = ["ic_mean", "rank_ic_mean", "rank_icir", "rank_ic_t", "dates", "long_short_sharpe", "top_churn", "coverage"]
        let values = cols.map { summary.numbers($0) }
        page.table(["feature", "IC", "Rank IC", "Rank ICIR", "t", "dates", "L/S Sharpe", "top churn", "coverage"], order.map { i in
            [names[i], SVGText.fixed(values[0][i], 4), SVGText.fixed(values[1][i], 4), SVGText.fixed(values[2][i], 3), SVGText.fixed(values[3][i], 2),
             SVGText.fixed(values[4][i], 0), SVGText.fixed(values[5][i], 2), SVGText.percent(values[6][i]), SVGText.percent(values[7][i])]
        }, id: "features")

        if let folds = try? CSVTable.read(folder, "folds.csv") {
            page.heading("Walk-forward folds")
            page.table(folds.header, folds.rows, id: "folds", textColumns: Set(folds.header.indices))
        }
        return page.html
    }

    static func trailingMean(_ v: [Double], _ window: Int) -> [Double] {
        var out = [Double](repeating: .nan, count: v.count)
        var sum = 0.0, count = 0
        for i in v.indices {
            if v[i].isFinite { sum += v[i]; count += 1 }
            if i >= window, v[i - window].isFinite { sum -= v[i - window]; count -= 1 }
            if i >= window - 1, count > 0 { out[i] = sum / Double(count) }
        }
        return out
    }
}

/// A CSV file as `research --out` writes it: a header, then rows; quoted cells allowed.
struct CSVTable {
    var header: [String]
    var rows: [[String]]
    var path: String

    static func read(_ folder: String, _ name: String) throws -> CSVTable {
        try read(path: (folder as NSString).appendingPathComponent(name))
    }

    static func read(path: String) throws -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ResearchPage.Failure(description: "\(path): missing or not UTF-8 (a folder written by `aurora research evaluate --out`)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { cells(String($0)) }
        guard !lines.isEmpty else { throw ResearchPage.Failure(description: "\(path): empty") }
        let header = lines.removeFirst()
        for (i, row) in lines.enumerated() where row.count != header.count {
            throw ResearchPage.Failure(description: "\(path):\(i + 2): \(row.count) cells, the header has \(header.count)")
        }
        return CSVTable(header: header, rows: lines, path: path)
    }

    static func cells(_ line: String) -> [String] {
        var out: [String] = [], cell = "", quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" { quoted = false } else { cell.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { out.append(cell); cell = "" } else if c != "\r" { cell.append(c) }
        }
        out.append(cell)
        return out
    }

    func column(_ name: String) -> [String] {
        guard let i = header.firstIndex(of: name) else { return rows.map { _ in "" } }
        return rows.map { $0[i] }
    }

    func numbers(_ name: String) -> [Double] { column(name).map { Double($0) ?? .nan } }
}
