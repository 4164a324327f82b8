import Foundation
import AuroraTestSupport
import Testing
import AuroraRun
import AuroraStrategies
import AuroraData
import AuroraKernel
import AuroraStats
import AuroraDiff
import AuroraLog
import AuroraModel

@Suite("Log diff")
struct LogDiffTests {
    static func temporary(_ name: String) -> String { Paths.temporary(name) }

    /// A recorded alpha backtest on the synthetic universe, and what-if reruns of it.
    static func recorded() throws -> (path: String, config: AuroraConfig) {
        var settings = AlphaSettings()
        settings.strategy = AlphaStrategyConfig(alphaNames: ["momentum_20d", "mean_reversion"], longThreshold: 0.2, shortThreshold: -0.2, maxPositions: 4)
        var config = AuroraConfig()
        config.strategy = .alpha(settings)
        config.data.synthetic.symbolCount = 16
        config.data.synthetic.sectorCount = 4
        config.data.synthetic.days = 80
        let path = temporary("a.alog")
        _ = try BacktestEngine(config: config, logPath: path).runMulti()
        return (path, config)
    }

    func signals(_ path: String) throws -> [(Timestamp, SymbolID, SignalDirection)] {
        let cursor = try LogReader(path: path).events()
        var out: [(Timestamp, SymbolID, SignalDirection)] = []
        while let e = try cursor.next() { if case .signal(let s) = e.payload { out.append((e.timestamp, s.symbol, s.direction)) } }
        return out
    }

    @Test("two threshold settings on the same inputs: the first differing signal is named, and the attribution sums to the P&L difference")
    func versions() throws {
        let (a, config) = try Self.recorded()
        var other = config
        if case .alpha(var s) = other.strategy {
            s.strategy.longThreshold = 0.6
            s.strategy.shortThreshold = -0.6
            other.strategy = .alpha(s)
        }
        let b = Self.temporary("b.alog")
        let rerun = try WhatIfEngine.rerun(parent: a, config: other, out: b)
        let manifest = try LogReader(path: b).manifest
        let parentDigest = hexString(try LogInspector.inspect(path: a).digest ?? [])
        #expect(manifest?.properties.contains { $0.key == "parent.digest" && $0.value == parentDigest } == true)
        #expect(rerun.trades.count > 0)

        let report = try LogDiff.compare(a, b)
        #expect(report.inputDifference == nil && !report.identical)
        // Independently: the first (time, symbol) whose signal direction differs.
        let sa = try signals(a), sb = try signals(b)
        let firstDifferent = zip(sa, sb).first { $0.0.2 != $0.1.2 }
        let divergence = try #require(report.firstDivergence)
        #expect(divergence.time == firstDifferent?.0.0)
        #expect(divergence.a?.payload.symbol == firstDifferent?.0.1)
        #expect(report.totals.signals > 0 && report.byDay.first?.day == String(divergence.time.iso8601.prefix(10)))
        let difference = report.finalPnL.b - report.finalPnL.a
        let attributed = report.attribution.reduce(0) { $0 + $1.difference }
        #expect(abs(attributed - difference) <= 1e-9 * max(abs(difference), 1), "attributed \(attributed), total \(difference)")
    }

    @Test("a log and its own what-if rerun with the same config are identical")
    func selfRerun() throws {
        let (a, config) = try Self.recorded()
        let b = Self.temporary("same.alog")
        _ = try WhatIfEngine.rerun(parent: a, config: config, out: b)
        let report = try LogDiff.compare(a, b)
        #expect(report.identical && report.totals.total == 0 && report.attribution.isEmpty)
    }

    @Test("different inputs: the first input difference, then a stop unless forced")
    func differentInputs() throws {
        let (a, config) = try Self.recorded()
        var shifted = config
        shifted.data.synthetic.seed = 7
        let b = Self.temporary("other.alog")
        _ = try BacktestEngine(config: shifted, logPath: b).runMulti()
        let report = try LogDiff.compare(a, b)
        #expect(report.inputDifference?.contains("bar") == true)
        #expect(report.firstDivergence == nil && report.totals.total == 0)
        let forced = try LogDiff.compare(a, b, force: true)
        #expect(forced.firstDivergence != nil)
    }

    @Test("different symbol tables: reported as an input difference; --force compares without failing")
    func differentSymbols() throws {
        let (a, config) = try Self.recorded()
        var wider = config
        wider.data.synthetic.symbolCount = 24
        let b = Self.temporary("wider.alog")
        _ = try BacktestEngine(config: wider, logPath: b).runMulti()
        let report = try LogDiff.compare(a, b)
        #expect(report.inputDifference?.contains("symbol tables differ") == true)
        let forced = try LogDiff.compare(b, a, force: true)
        #expect(!forced.identical && forced.bySymbol.allSatisfy { !$0.symbol.isEmpty })
    }

    @Test("a truncated log is compared up to its intact prefix, and the report says so")
    func truncated() throws {
        let (a, _) = try Self.recorded()
        // Small frames so that cutting the file keeps some of them.
        let reader = try LogReader(path: a)
        let small = Self.temporary("small.alog")
        let writer = try LogWriter.create(path: small, options: LogWriterOptions(flush: FlushPolicy(maxEvents: 500)))
        let cursor = reader.events()
        while let e = try cursor.next() { try writer.append(e.payload, at: e.timestamp) }
        try writer.close()
        let whole = try Data(contentsOf: URL(fileURLWithPath: small))
        let cut = Self.temporary("cut.alog")
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        let report = try LogDiff.compare(small, cut)
        #expect(report.notes.contains { $0.contains("torn tail") })
        #expect(report.notes.contains { $0.hasPrefix("B ends at") })
        #expect(report.firstDivergence == nil && report.inputDifference == nil)
    }
}
