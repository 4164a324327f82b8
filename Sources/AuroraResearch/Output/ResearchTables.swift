import Foundation
import AuroraFeatures
import AuroraModel

/// One line per feature of a panel: how much of it is defined and how its values spread.
public struct FeatureSummary: Sendable, Codable, Equatable {
    public var name: String
    /// Values defined, and their share of the (date, symbol) cells that have a bar.
    public var defined: Int
    public var coverage: Double
    public var mean: Double
    public var std: Double
    public var min: Double
    public var max: Double

    public static func of(_ data: ResearchData) -> [FeatureSummary] {
        let trading = data.market.close.reduce(0) { $1.isNaN ? $0 : $0 + 1 }
        return (0..<data.panel.featureCount).map { f in
            data.panel.withColumn(f) { (c: UnsafeBufferPointer<Double>) in
                var n = 0, sum = 0.0, lo = Double.infinity, hi = -Double.infinity
                for v in c where v.isFinite { n += 1; sum += v; lo = Swift.min(lo, v); hi = Swift.max(hi, v) }
                let mean = n > 0 ? sum / Double(n) : .nan
                var sq = 0.0
                for v in c where v.isFinite { sq += (v - mean) * (v - mean) }
                return FeatureSummary(name: data.panel.names[f], defined: n, coverage: trading > 0 ? Double(n) / Double(trading) : .nan,
                                      mean: mean, std: n > 1 ? (sq / Double(n - 1)).squareRoot() : .nan,
                                      min: n > 0 ? lo : .nan, max: n > 0 ? hi : .nan)
            }
        }
    }
}

/// The CSV files research jobs write: plain columns with a header, dates as YYYY-MM-DD, an
/// empty cell for NaN (pandas reads it back as NaN).
public enum ResearchTables {
    static func number(_ v: Double) -> String { v.isNaN ? "" : "\(v)" }
    static func day(_ t: Int64) -> String { String(Timestamp(rawValue: t).iso8601.prefix(10)) }
    static func csv(_ header: [String], _ rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(quoted).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
    static func quoted(_ field: String) -> String {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    public static func summary(_ rows: [FeatureSummary]) -> String {
        csv(["feature", "defined", "coverage", "mean", "std", "min", "max"],
            rows.map { [$0.name, "\($0.defined)", number($0.coverage), number($0.mean), number($0.std), number($0.min), number($0.max)] })
    }

    /// `date,symbol,<features…>`: one row per (date, symbol) with a bar.
    public static func panel(_ data: ResearchData, emit: (String) throws -> Void) throws {
        let p = data.panel
        let S = p.symbolCount, D = p.dateCount, n = p.cellCount
        try emit((["date", "symbol"] + p.names).map(quoted).joined(separator: ",") + "\n")
        let names = p.symbols.map(quoted)
        try p.values.withUnsafeBufferPointer { v in
            for d in 0..<D {
                let date = day(p.dates[d])
                var chunk = ""
                for s in 0..<S where data.market.close[d * S + s].isFinite {
                    chunk += date + "," + names[s]
                    for f in 0..<p.featureCount {
                        let x = v[f * n + d * S + s]
                        chunk += x.isNaN ? "," : "," + x.description
                    }
                    chunk += "\n"
                }
                try emit(chunk)
            }
        }
    }

    public static func icSummary(_ r: EvaluationReport) -> String {
        csv(["feature", "ic_mean", "ic_std", "icir", "ic_t", "rank_ic_mean", "rank_ic_std", "rank_icir", "rank_ic_t", "dates",
             "too_few_dates", "constant_dates", "spread_mean", "spread_se", "long_short_mean", "long_short_sharpe", "top_churn",
             "bottom_churn", "rank_autocorrelation", "coverage"],
            r.features.map { f in
                [f.name, number(f.ic.mean), number(f.ic.std), number(f.ic.icir), number(f.ic.tStat), number(f.rankIC.mean),
                 number(f.rankIC.std), number(f.rankIC.icir), number(f.rankIC.tStat), "\(f.rankIC.dates)", "\(f.tooFewDates)",
                 "\(f.constantDates)", number(f.quantiles.spreadMean), number(f.quantiles.spreadStandardError), number(f.longShort.mean),
                 number(f.longShort.annualizedSharpe), number(f.turnover.topChurn), number(f.turnover.bottomChurn),
                 number(f.turnover.rankAutocorrelation), number(f.coverage.meanShare)]
            })
    }

    public static func decay(_ r: EvaluationReport) -> String {
        csv(["feature", "horizon", "ic_mean", "rank_ic_mean", "rank_icir", "rank_ic_t", "dates"],
            r.features.flatMap { f in f.decay.map { [f.name, "\($0.horizon)", number($0.ic.mean), number($0.rankIC.mean),
                                                      number($0.rankIC.icir), number($0.rankIC.tStat), "\($0.rankIC.dates)"] } })
    }

    public static func quantiles(_ r: EvaluationReport) -> String {
        csv(["feature", "quantile", "mean_demeaned_return", "standard_error"],
            r.features.flatMap { f in f.quantiles.mean.indices.map { [f.name, "\($0 + 1)", number(f.quantiles.mean[$0]),
                                                                       number(f.quantiles.standardError[$0])] } })
    }

    public static func sectors(_ r: EvaluationReport) -> String {
        csv(["feature", "sector", "rank_ic_mean", "rank_icir", "dates"],
            r.features.flatMap { f in f.bySector.map { [f.name, $0.sector, number($0.rankIC.mean), number($0.rankIC.icir), "\($0.rankIC.dates)"] } })
    }

    /// Per date and feature: IC, Rank IC and names of the evaluation label; the long/short return and its compounding.
    public static func daily(_ r: EvaluationReport, _ daily: [DailyIC], dates: [Int64], emit: (String) throws -> Void) throws {
        try emit("date,feature,ic,rank_ic,names,long_short_return,long_short_cumulative\n")
        for (d, t) in dates.enumerated() {
            var chunk = ""
            let date = day(t)
            for (f, feature) in r.features.enumerated() {
                chunk += "\(date),\(quoted(feature.name)),\(number(daily[f].ic[d])),\(number(daily[f].rankIC[d])),\(daily[f].names[d]),"
                chunk += "\(number(feature.longShort.returns[d])),\(number(feature.longShort.cumulative[d]))\n"
            }
            try emit(chunk)
        }
    }

    public static func folds(_ r: WalkForwardReport) -> String {
        csv(["fold", "train_first", "train_last", "train_dates", "purged", "embargoed", "test_first", "test_last", "test_dates",
             "train_rank_ic", "test_ic", "test_rank_ic", "test_rank_icir", "top_weights"],
            r.folds.map { f in
                ["\(f.fold.index)", f.trainFirst, f.trainLast, "\(f.trainDates)", "\(f.fold.purged)", "\(f.fold.embargoed)", f.testFirst,
                 f.testLast, "\(f.fold.testDates.count)", number(f.trainRankIC), number(f.testIC.mean), number(f.testRankIC.mean),
                 number(f.testRankIC.icir), f.weights.prefix(5).map { "\($0.feature) \(ReportNumber.short($0.weight))" }.joined(separator: "; ")]
            })
    }

    public static func walkForwardFeatures(_ r: WalkForwardReport) -> String {
        csv(["feature", "train_rank_ic", "test_rank_ic", "test_rank_icir", "test_rank_ic_t", "test_dates", "folds_same_sign"],
            r.features.map { [$0.feature, number($0.trainRankIC), number($0.testRankIC.mean), number($0.testRankIC.icir),
                              number($0.testRankIC.tStat), "\($0.testRankIC.dates)", "\($0.foldsSameSign)"] })
    }
}

/// Short fixed-point text for tables.
public enum ReportNumber {
    public static func short(_ v: Double, _ decimals: Int = 4) -> String {
        guard v.isFinite else { return v.isNaN ? "-" : "\(v)" }
        var s = String(format: "%.\(decimals)f", v)
        if s.hasPrefix("-0.") && Double(s) == 0 { s.removeFirst() }
        return s
    }
}
