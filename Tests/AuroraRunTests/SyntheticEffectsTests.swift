import Testing
import AuroraRun
import AuroraStrategies
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraModel

/// The synthetic universe promises weak momentum and short-term reversal. Check both are there:
/// the mean daily Rank IC against the next day's return, with a t-statistic.
@Suite("Synthetic universe effects")
struct SyntheticEffectsTests {
    func dailyICs(_ signal: ([[Double]], Int, Int) -> Double) throws -> (mean: Double, t: Double) {
        let u = SyntheticUniverse()   // the embedded default: 100 symbols, 504 days, seed 42
        let series = try u.generate()
        let groups = series.groups
        var closes = [[Double]](repeating: [], count: series.symbols.count)
        for range in groups { for i in range { closes[Int(series.symbol[i])].append(Double(series.close[i]) / 1e9) } }
        var ics: [Double] = []
        for t in 61..<(groups.count - 1) {
            var x: [Double] = [], y: [Double] = []
            for s in closes.indices {
                x.append(signal(closes, s, t))
                y.append(closes[s][t + 1] / closes[s][t] - 1)
            }
            ics.append(CrossSection.rankCorrelation(x, y))
        }
        let mean = ics.reduce(0, +) / Double(ics.count)
        let sd = (ics.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(ics.count - 1)).squareRoot()
        return (mean, mean / sd * Double(ics.count).squareRoot())
    }

    @Test("intermediate momentum (t−60 … t−21) predicts the next day's return")
    func momentum() throws {
        let ic = try dailyICs { c, s, t in c[s][t - 20] / c[s][t - 60] - 1 }
        #expect(ic.mean > 0.02 && ic.t > 2, "mean IC \(ic.mean), t \(ic.t)")
    }

    @Test("yesterday's return predicts the next day's return with the opposite sign")
    func reversal() throws {
        let ic = try dailyICs { c, s, t in c[s][t] / c[s][t - 1] - 1 }
        #expect(ic.mean < -0.01 && ic.t < -2, "mean IC \(ic.mean), t \(ic.t)")
    }
}
