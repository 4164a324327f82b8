import Foundation
import Testing
import AuroraTestSupport
import AuroraRun
import AuroraStrategies
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraModel

/// The acceptance check of the reference mode: the kernel's equity curve against a plain loop over
/// a price matrix that shares no code with it (its own CSV parsing, signals, sizing and fills).
@Suite("Reference mode against an independent computation")
struct ReferenceModeTests {
    /// Long-format `date,open,high,low,close,volume,Name` → the equity curve of per-symbol momentum
    /// with equal weights, next-open fills, fractional (10⁻⁶) shares, zero costs, HOLD exits.
    static func independentEquity(csv: String, lookback: Int, threshold: Double, cash start: Double,
                                  gross: Double, maxWeight: Double) -> [Double] {
        independentEquity(csv: csv, cash: start, gross: gross, maxWeight: maxWeight) { history, present in
            var direction = [Int](repeating: 0, count: history.count)
            for s in history.indices where present[s] && history[s].count > lookback {
                let h = history[s]
                let m = h[h.count - 1] / h[h.count - 1 - lookback] - 1
                direction[s] = m > threshold ? 1 : (m < -threshold ? -1 : 0)
            }
            return direction
        }
    }

    /// The same loop with the directions chosen by `decide(closes so far per symbol, has a bar now)`.
    static func independentEquity(csv: String, cash start: Double, gross: Double, maxWeight: Double,
                                  decide: ([[Double]], [Bool]) -> [Int]) -> [Double] {
        var rows: [(date: String, name: String, open: Double, close: Double)] = []
        for line in csv.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 7, let o = Double(f[1]), let h = Double(f[2]), let l = Double(f[3]), let c = Double(f[4]),
                  Double(f[5]) != nil, o > 0, h > 0, l > 0, c > 0, l <= min(o, c), h >= max(o, c) else { continue }
            rows.append((f[0], f[6], o, c))
        }
        let dates = Array(Set(rows.map(\.date))).sorted()
        let names = Array(Set(rows.map(\.name))).sorted()
        let d = Dictionary(uniqueKeysWithValues: dates.enumerated().map { ($1, $0) })
        let n = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var open = [[Double]](repeating: [Double](repeating: .nan, count: names.count), count: dates.count)
        var close = open
        for r in rows {
            open[d[r.date]!][n[r.name]!] = r.open
            close[d[r.date]!][n[r.name]!] = r.close
        }
        var cash = start
        var position = [Int64](repeating: 0, count: names.count)      // micro-shares
        var pending = [Int64](repeating: 0, count: names.count)
        var last = [Double](repeating: 0, count: names.count)
        var history = [[Double]](repeating: [], count: names.count)
        var curve: [Double] = []
        for t in dates.indices {
            for s in names.indices where pending[s] != 0 {
                if !open[t][s].isNaN {
                    position[s] += pending[s]
                    cash -= Double(pending[s]) / 1e6 * open[t][s]
                }
                pending[s] = 0
            }
            for s in names.indices where !close[t][s].isNaN { last[s] = close[t][s] }
            var marked = 0.0
            for s in names.indices where position[s] != 0 { marked += Double(position[s]) / 1e6 * last[s] }
            let equity = cash + marked
            curve.append(equity)
            for s in names.indices where !close[t][s].isNaN { history[s].append(close[t][s]) }
            let direction = decide(history, names.indices.map { !close[t][$0].isNaN })
            let active = direction.filter { $0 != 0 }.count
            // Held names without a bar today cannot trade: they keep their share of the gross budget.
            var kept = 0.0
            for s in names.indices where position[s] != 0 && close[t][s].isNaN { kept += abs(Double(position[s]) / 1e6 * last[s]) }
            let budget = max(0, gross - kept / equity)
            let weight = active > 0 ? min(budget / Double(active), maxWeight) : 0
            for s in names.indices where !close[t][s].isNaN {
                let target = Int64((Double(direction[s]) * weight * equity / close[t][s] * 1e6).rounded())
                pending[s] = target - position[s]
            }
        }
        return curve
    }

    func check(csvPath: String, lookback: Int, threshold: Double) throws {
        var config = AuroraConfig()
        config.strategy = .momentum(lookback: lookback, threshold: threshold)
        config.data.source = csvPath
        config.kernel.checkpointEvery = 0
        let result = try BacktestEngine(config: config, logPath: Paths.temporary("ref.alog")).runMulti()
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8)
        let expected = Self.independentEquity(csv: csv, lookback: lookback, threshold: threshold, cash: 1_000_000,
                                              gross: config.portfolio.equalWeight.grossExposure, maxWeight: config.portfolio.equalWeight.maxPositionWeight)
        #expect(result.equityCurve.count == expected.count)
        var worst = 0.0
        for (a, b) in zip(result.equityCurve.map(\.equity), expected) { worst = max(worst, abs(a - b) / abs(b)) }
        #expect(worst <= 1e-9, "largest relative difference \(worst)")
        #expect(result.trades.count > 100)
    }

    /// Top/bottom-K cross-sectional selection on momentum_20d, written plainly.
    static func alphaDecision(k: Int, long: Double, short: Double) -> ([[Double]], [Bool]) -> [Int] {
        { history, present in
            var m = [Double](repeating: .nan, count: history.count)
            for s in history.indices where present[s] && history[s].count >= 21 {
                m[s] = history[s][history[s].count - 1] / history[s][history[s].count - 21] - 1
            }
            let ranked = history.indices.filter { !m[$0].isNaN }.sorted { m[$0] != m[$1] ? m[$0] > m[$1] : $0 < $1 }
            var direction = [Int](repeating: 0, count: history.count)
            for s in ranked.prefix(k) where m[s] > long { direction[s] = 1 }
            for s in ranked.reversed().prefix(k) where m[s] < short && direction[s] == 0 { direction[s] = -1 }
            return direction
        }
    }

    func checkAlpha(csvPath: String, k: Int, long: Double, short: Double) throws {
        var settings = AlphaSettings()
        settings.strategy = AlphaStrategyConfig(alphaNames: ["momentum_20d"], longThreshold: long, shortThreshold: short, maxPositions: k)
        settings.strategy.normalization = .none
        var config = AuroraConfig()
        config.strategy = .alpha(settings)
        config.data.source = csvPath
        config.portfolio.equalWeight.maxPositionWeight = 1   // every BUY/SELL name: gross ÷ (number of them)
        config.kernel.checkpointEvery = 0
        let result = try BacktestEngine(config: config, logPath: Paths.temporary("alpha-ref.alog")).runMulti()
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8)
        let expected = Self.independentEquity(csv: csv, cash: 1_000_000, gross: 1, maxWeight: 1,
                                              decide: Self.alphaDecision(k: k, long: long, short: short))
        #expect(result.equityCurve.count == expected.count)
        var worst = 0.0
        for (a, b) in zip(result.equityCurve.map(\.equity), expected) { worst = max(worst, abs(a - b) / abs(b)) }
        #expect(worst <= 1e-9, "largest relative difference \(worst)")
        #expect(result.trades.count > 100)
    }

    @Test("alpha strategy, momentum_20d, top/bottom K, equal weights: the daily fixture matches to 1e-9 relative")
    func alphaFixture() throws {
        try checkAlpha(csvPath: Paths.fixture("bars-daily.csv"), k: 3, long: 0.01, short: -0.01)
    }

    @Test("alpha strategy, momentum_20d, top/bottom K: the S&P file matches to 1e-9 relative",
          .enabled(if: Paths.hasSharedData, "../shared/data is absent: the S&P reference check is skipped"))
    func alphaSP500() throws {
        try checkAlpha(csvPath: Paths.shared("sp500-daily-2013-2016.csv"), k: 10, long: 0.02, short: -0.02)
    }

    @Test("momentum on the daily fixture matches to 1e-9 relative")
    func fixture() throws {
        try check(csvPath: Paths.fixture("bars-daily.csv"), lookback: 10, threshold: 0.02)
    }

    @Test("momentum on the S&P file matches to 1e-9 relative",
          .enabled(if: Paths.hasSharedData, "../shared/data is absent: the S&P reference check is skipped"))
    func sp500() throws {
        try check(csvPath: Paths.shared("sp500-daily-2013-2016.csv"), lookback: 20, threshold: 0.05)
    }
}
