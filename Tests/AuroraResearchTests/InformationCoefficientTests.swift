import Aurora
import AuroraTestSupport
import Foundation
import Testing

@Suite("Information coefficients")
struct InformationCoefficientTests {
    /// Sixty S&P names across sectors (parsing only their rows keeps the debug test quick).
    static let sample = ["AAPL", "ABT", "ADBE", "AEP", "AIG", "AMGN", "AMZN", "APA", "AXP", "BA", "BAC", "BK", "BMY", "C", "CAT",
                         "CL", "CMCSA", "COP", "COST", "CSCO", "CVS", "CVX", "D", "DIS", "DUK", "EMR", "EXC", "F", "FDX", "GD",
                         "GE", "GILD", "GS", "HAL", "HD", "HON", "IBM", "INTC", "JNJ", "JPM", "KO", "LLY", "LMT", "LOW", "MCD",
                         "MDT", "MMM", "MO", "MRK", "MS", "MSFT", "NEE", "NKE", "ORCL", "OXY", "PEP", "PFE", "PG", "QCOM", "T"]

    /// Average 1-based ranks, written plainly.
    static func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var out = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            for k in i...j { out[order[k]] = Double(i + j + 2) / 2 }
            i = j + 1
        }
        return out
    }

    static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb) }
        return sab / (saa * sbb).squareRoot()
    }

    /// Checks every feature's per-date IC and Rank IC against a direct computation.
    static func check(_ data: ResearchData, minNames: Int) {
        let label = data.labels[0]
        let daily = InformationCoefficient.daily(data.panel, labels: label, minNames: minNames, threads: 2)
        let S = data.panel.symbolCount
        var compared = 0
        for f in 0..<data.panel.featureCount {
            for d in 0..<data.panel.dateCount {
                var x: [Double] = [], y: [Double] = []
                for s in 0..<S {
                    let a = data.panel.value(f, d, s), b = label.values[d * S + s]
                    if a.isFinite && b.isFinite { x.append(a); y.append(b) }
                }
                let ic = daily[f].ic[d], rank = daily[f].rankIC[d]
                guard x.count >= minNames, Set(x).count > 1, Set(y).count > 1 else {
                    #expect(ic.isNaN && rank.isNaN, "\(data.panel.names[f]) on date \(d): no IC with \(x.count) names")
                    continue
                }
                let want = pearson(x, y), wantRank = pearson(ranks(x), ranks(y))
                #expect(abs(ic - want) <= 1e-12, "IC of \(data.panel.names[f]) on date \(d): \(ic) vs \(want)")
                #expect(abs(rank - wantRank) <= 1e-12, "Rank IC of \(data.panel.names[f]) on date \(d): \(rank) vs \(wantRank)")
                compared += 1
            }
        }
        #expect(compared > 100)
    }

    @Test("IC and Rank IC equal a direct per-date computation to 1e-12 (synthetic universe, all features)")
    func synthetic() throws {
        var config = ResearchConfig()
        config.data.synthetic.symbolCount = 40
        config.data.synthetic.days = 150
        config.features = [.alpha158(Alpha158Settings(), only: nil), .alpha("momentum_20d")]
        config.labels.horizons = [1]
        Self.check(try ResearchData.build(config), minNames: 10)
    }

    @Test("IC and Rank IC equal a direct per-date computation to 1e-12 on the shared S&P file",
          .enabled(if: Paths.hasSharedData, "../shared/data is absent: the S&P IC check is skipped"))
    func sp500() throws {
        var config = ResearchConfig()
        config.data.source = Paths.shared("sp500-daily-2013-2016.csv")
        config.data.symbols = InformationCoefficientTests.sample
        config.data.start = "2015-06-01"
        config.features = [.alpha158(Alpha158Settings(), only: ["ROC20", "STD5", "RANK10", "CORD30", "IMAX60", "CNTP5", "SUMN5", "CNTD10"]), .alpha("momentum_20d")]
        config.labels.horizons = [5]
        Self.check(try ResearchData.build(config), minNames: 10)
    }

    @Test("a constant cross-section and too few names give no IC, counted, never zero")
    func undefined() {
        let S = 12, D = 3
        var feature = [Double](repeating: 1, count: D * S)     // date 0: constant
        var label = (0..<(D * S)).map { Double($0 % 7) }
        for s in 0..<S { feature[S + s] = Double(s) }           // date 1: fine
        for s in 0..<S { feature[2 * S + s] = s < 4 ? Double(s) : .nan }  // date 2: four names
        label[S + 3] = .nan
        let daily = feature.withUnsafeBufferPointer { f in
            label.withUnsafeBufferPointer { l in InformationCoefficient.daily(f, label: l, symbols: S, dates: 0..<D, minNames: 5) }
        }
        #expect(daily.ic[0].isNaN && daily.rankIC[0].isNaN)
        #expect(!daily.ic[1].isNaN && daily.names[1] == 11)
        #expect(daily.ic[2].isNaN)
        #expect(daily.constant == 1 && daily.tooFew == 1)
        #expect(daily.summary.dates == 1)
    }
}
