import Aurora
import AuroraTestSupport
import Foundation
import Testing

/// The evaluation's statistics against plainly written ones, on a synthetic universe whose
/// features have many ties (IMAX, CNTP, RANK) and gaps (the warm-up).
@Suite("Signal evaluation")
struct SignalEvaluationTests {
    static let data: ResearchData = {
        var config = ResearchConfig()
        config.data.synthetic.symbolCount = 60
        config.data.synthetic.sectorCount = 4
        config.data.synthetic.days = 160
        config.features = [.alpha158(Alpha158Settings(), only: ["IMAX10", "CNTP5", "RANK20", "ROC5", "STD20"]), .alpha("momentum_20d")]
        config.labels.horizons = [1, 5]
        return try! ResearchData.build(config)
    }()

    static func rows(_ f: Int, _ d: Int, _ label: Labels) -> (symbols: [Int], x: [Double], y: [Double]) {
        let S = data.panel.symbolCount
        var symbols: [Int] = [], x: [Double] = [], y: [Double] = []
        for s in 0..<S {
            let a = data.panel.value(f, d, s), b = label.values[d * S + s]
            if a.isFinite && b.isFinite { symbols.append(s); x.append(a); y.append(b) }
        }
        return (symbols, x, y)
    }

    @Test("quantile returns, the spread and the long/short return equal a direct computation per date")
    func quantilesAndLongShort() {
        var settings = EvaluationSettings()
        settings.quantiles = 5
        let (report, _) = SignalEvaluation.evaluate(Self.data, settings: settings, threads: 2)
        let label = Self.data.labels[0]
        for (f, feature) in report.features.enumerated() {
            var perQuantile = [[Double]](repeating: [], count: 5)
            for d in 0..<Self.data.panel.dateCount {
                let (_, x, y) = Self.rows(f, d, label)
                guard x.count >= 10, Set(x).count > 1, Set(y).count > 1 else {
                    #expect(feature.quantiles.spread[d].isNaN && feature.longShort.returns[d].isNaN)
                    continue
                }
                let ranks = InformationCoefficientTests.ranks(x)
                let mean = y.reduce(0, +) / Double(y.count)
                var sums = [Double](repeating: 0, count: 5), counts = [Double](repeating: 0, count: 5)
                for i in x.indices {
                    let q = min(4, Int((ranks[i] - 1) * 5 / Double(x.count)))
                    sums[q] += y[i]; counts[q] += 1
                }
                for q in 0..<5 where counts[q] > 0 { perQuantile[q].append(sums[q] / counts[q] - mean) }
                // With heavy ties the top (or bottom) group can be empty: then there is no spread.
                let spread = counts[4] > 0 && counts[0] > 0 ? sums[4] / counts[4] - sums[0] / counts[0] : .nan
                let got = feature.quantiles.spread[d]
                #expect(spread.isNaN ? got.isNaN : abs(got - spread) < 1e-12, "\(feature.name) spread on \(d): \(got) vs \(spread)")
                let m = x.reduce(0, +) / Double(x.count)
                let gross = x.reduce(0) { $0 + abs($1 - m) }
                let r = x.indices.reduce(0.0) { $0 + (x[$1] - m) / gross * y[$1] }
                #expect(abs(feature.longShort.returns[d] - r) < 1e-12, "\(feature.name) long/short on \(d)")
            }
            for q in 0..<5 {
                let want = perQuantile[q].reduce(0, +) / Double(perQuantile[q].count)
                #expect(abs(feature.quantiles.mean[q] - want) < 1e-12, "\(feature.name) quantile \(q + 1)")
            }
        }
    }

    @Test("turnover: quantile churn and rank autocorrelation equal a direct computation")
    func turnover() {
        let (report, _) = SignalEvaluation.evaluate(Self.data, settings: EvaluationSettings(), threads: 1)
        let S = Self.data.panel.symbolCount
        for (f, feature) in report.features.enumerated() {
            var churn: [Double] = [], autocorrelation: [Double] = []
            var previousTop: Set<Int>?
            for d in 0..<Self.data.panel.dateCount {
                let symbols = (0..<S).filter { Self.data.panel.value(f, d, $0).isFinite }
                guard symbols.count >= 10 else { previousTop = nil; continue }
                let ranks = InformationCoefficientTests.ranks(symbols.map { Self.data.panel.value(f, d, $0) })
                let top = Set(symbols.indices.filter { min(4, Int((ranks[$0] - 1) * 5 / Double(symbols.count))) == 4 }.map { symbols[$0] })
                if let previousTop, !top.isEmpty { churn.append(Double(top.subtracting(previousTop).count) / Double(top.count)) }
                previousTop = top
                guard d > 0 else { continue }
                let common = (0..<S).filter { Self.data.panel.value(f, d, $0).isFinite && Self.data.panel.value(f, d - 1, $0).isFinite }
                guard common.count >= 10 else { continue }
                let a = InformationCoefficientTests.ranks(common.map { Self.data.panel.value(f, d, $0) })
                let b = InformationCoefficientTests.ranks(common.map { Self.data.panel.value(f, d - 1, $0) })
                let r = InformationCoefficientTests.pearson(a, b)
                if !r.isNaN { autocorrelation.append(r) }
            }
            #expect(abs(feature.turnover.topChurn - churn.reduce(0, +) / Double(churn.count)) < 1e-12, "\(feature.name) churn")
            #expect(abs(feature.turnover.rankAutocorrelation - autocorrelation.reduce(0, +) / Double(autocorrelation.count)) < 1e-12,
                    "\(feature.name) rank autocorrelation")
        }
    }

    @Test("Rank IC within each sector equals Spearman's correlation over the sector's names, per date")
    func sectors() throws {
        var config = ResearchConfig()
        config.data.synthetic.symbolCount = 80
        config.data.synthetic.sectorCount = 4
        config.data.synthetic.days = 120
        config.sectors = nil
        config.features = [.alpha158(Alpha158Settings(), only: ["ROC10", "IMAX5"])]
        config.labels.horizons = [1]
        var data = try ResearchData.build(config)
        let S = data.panel.symbolCount
        data.groups = (0..<S).map { $0 % 4 }
        data.sectors = ["A", "B", "C", "D"]
        let (report, _) = SignalEvaluation.evaluate(data, settings: EvaluationSettings(), threads: 2)
        let label = data.labels[0]
        for (f, feature) in report.features.enumerated() {
            for k in 0..<4 {
                var daily: [Double] = []
                for d in 0..<data.panel.dateCount {
                    let members = (0..<S).filter { $0 % 4 == k && data.panel.value(f, d, $0).isFinite && label.values[d * S + $0].isFinite }
                    guard members.count >= 10 else { continue }
                    let x = members.map { data.panel.value(f, d, $0) }, y = members.map { label.values[d * S + $0] }
                    let r = InformationCoefficientTests.pearson(InformationCoefficientTests.ranks(x), InformationCoefficientTests.ranks(y))
                    if !r.isNaN { daily.append(r) }
                }
                let want = ICSummary(daily)
                #expect(feature.bySector[k].rankIC.dates == want.dates)
                #expect(abs(feature.bySector[k].rankIC.mean - want.mean) < 1e-12, "\(feature.name) in sector \(k)")
            }
        }
    }

    @Test("the same report with one thread or two, and the decay covers every horizon")
    func threadsAndDecay() throws {
        let (one, dailyOne) = SignalEvaluation.evaluate(Self.data, settings: EvaluationSettings(), threads: 1)
        let (two, dailyTwo) = SignalEvaluation.evaluate(Self.data, settings: EvaluationSettings(), threads: 2)
        #expect(try ResearchJSON.text(one) == ResearchJSON.text(two))
        #expect(dailyOne.map(\.rankIC).description == dailyTwo.map(\.rankIC).description)
        #expect(one.features.allSatisfy { $0.decay.map(\.horizon) == [1, 5] })
        #expect(one.label == "fwd_open_1")
    }
}
