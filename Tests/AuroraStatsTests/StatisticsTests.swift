import Testing
import AuroraData
import AuroraKernel
import AuroraStats

@Suite("Performance statistics (empyrical's test values)")
struct StatisticsTests {
    let returns = [Double.nan, 0.01, 0.1, -0.04, 0.02, 0.03, 0.02, 0.01, -0.1]

    @Test("Sharpe, Sortino, max drawdown, annual return and volatility")
    func empyricalValues() {
        let s = PerformanceStatistics(returns: returns)
        #expect(abs(s.sharpe - 1.7238613961706866) < 1e-8)
        #expect(abs(s.sortino - 2.605531251673693) < 1e-8)
        #expect(abs(s.maxDrawdown - -0.1) < 1e-8)
        #expect(abs(s.annualReturn - 1.9135925373194231) < 1e-8)
        #expect(abs(s.annualVolatility - 0.9136465399704637) < 1e-8)
    }

    @Test("an equity curve gives the same statistics as its returns")
    func fromEquity() {
        var equity: [Double] = []
        var value = 100.0
        for r in returns.dropFirst() { value *= 1 + r; equity.append(value) }
        let s = PerformanceStatistics(equity: equity, start: 100)
        let t = PerformanceStatistics(returns: Array(returns.dropFirst()))
        #expect(abs(s.sharpe - t.sharpe) < 1e-12)
        #expect(abs(s.totalReturn - (value / 100 - 1)) < 1e-12)
        #expect(abs(s.maxDrawdown - t.maxDrawdown) < 1e-12)
    }

    @Test("edge cases: no returns, constant returns, only gains")
    func edges() {
        #expect(PerformanceStatistics(returns: []).sharpe.isNaN)
        #expect(PerformanceStatistics(returns: [0.01, 0.01, 0.01]).sharpe.isNaN)   // zero deviation
        #expect(PerformanceStatistics(returns: [0.01, 0.02]).sortino == .infinity)
        #expect(PerformanceStatistics(returns: [0.01, 0.02]).maxDrawdown == 0)
    }

    @Test("periods per year follow the bar length")
    func annualization() {
        #expect(PerformanceStatistics.periodsPerYear(barSeconds: 86_400) == 252)
        #expect(PerformanceStatistics.periodsPerYear(barSeconds: 60) == 252 * 390)
    }
}
