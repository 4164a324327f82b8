import ArgumentParser
import Aurora
import Foundation

struct Backtest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest a strategy; every bar, signal, order and fill goes to the log.",
        discussion: """
        With no options: the default momentum strategy on the embedded synthetic universe
        (100 symbols in 10 sectors, 504 daily bars, seed 42). --config gives a YAML file (see
        fixtures/backtest-momentum.yaml); --data, --symbols, --start and --end override its data section.
        """)

    @Option(name: .long, help: "YAML configuration.") var config: String?
    @Option(name: .long, help: "Bars to run on: a CSV file, an Aurora log (.alog) or 'synthetic'.") var data: String?
    @Option(name: .long, help: "Only these symbols, comma-separated.") var symbols: String?
    @Option(name: .long, help: "First bar date (YYYY-MM-DD or ISO 8601).") var start: String?
    @Option(name: .long, help: "Last bar date (inclusive).") var end: String?
    @Option(name: .long, help: "The log to write.") var out = "backtest.alog"

    func validate() throws {
        if let symbols, symbols.split(separator: ",").isEmpty { throw ValidationError("--symbols is empty") }
        try TimeOptions.check(start, "--start")
        try TimeOptions.check(end, "--end")
    }

    func run() throws {
        var cfg = AuroraConfig()
        var fileDigest: [UInt8]?
        if let config {
            let (parsed, text) = try ConfigReader.load(path: config, registry: .standard)
            cfg = parsed
            fileDigest = sha256(Array(text.utf8))
        }
        if let data { cfg.data.source = data; cfg.data.moreSources = [] }   // --data replaces every file the config lists
        if let symbols { cfg.data.symbols = symbols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if let start { cfg.data.start = start }
        if let end { cfg.data.end = end }
        var engine = BacktestEngine(config: cfg, logPath: out)
        engine.registry = .standard
        engine.configFileDigest = fileDigest

        let interactive = isatty(2) == 1
        let began = secondsNow()
        let result = try engine.runMulti(progress: interactive ? { done, total in
            printProgress("step \(done)/\(total)")
        } : nil)
        if interactive { printProgress("") }
        let elapsed = secondsNow() - began
        let s = result.statistics
        let finalEquity = result.equityCurve.last?.equity ?? cfg.portfolio.initialCash
        let execution = cfg.execution.twap.map { "; TWAP, \($0.slices) slices" } ?? ""
        print("strategy     \(cfg.strategy.typeName) (\(describe(cfg.strategy))\(execution))")
        print("data         \(cfg.data.isSynthetic ? cfg.data.synthetic.sourceDescription : cfg.data.source)")
        let steps = cfg.execution.algorithm.needsIntradayBars
            ? "\(grouped(result.outcome.steps)) daily decisions executed over \(result.timeframe) bars"
            : "\(grouped(result.outcome.steps)) bars of \(result.timeframe)"
        print("period       \(result.first.iso8601) .. \(result.last.iso8601), \(steps)")
        print("symbols      \(grouped(result.symbols.count))")
        print("trades       \(grouped(result.trades.count)) fills, turnover \(money(result.outcome.finalState.turnover)), fees \(money(result.outcome.finalState.fees))")
        print("final equity \(money(finalEquity)) (from \(money(cfg.portfolio.initialCash)))")
        print("return       total \(percent(s.totalReturn)), CAGR \(percent(s.annualReturn)), volatility \(percent(s.annualVolatility))")
        print("risk         Sharpe \(fixed(s.sharpe, 2)), Sortino \(fixed(s.sortino, 2)), max drawdown \(percent(s.maxDrawdown))")
        let curve = result.equityCurve
        let costs = GrossNetPerformance(equity: curve.map(\.equity), fees: curve.map(\.fees), traded: curve.map(\.traded),
                                        grossExposure: curve.map(\.grossExposure), start: cfg.portfolio.initialCash,
                                        periodsPerYear: PerformanceStatistics.periodsPerYear(barSeconds: cfg.execution.algorithm.needsIntradayBars
                                            ? 86_400 : result.timeframe.rawValue / Timestamp.nanosecondsPerSecond))
        for line in RunQualityText.performanceLines(costs) { print(line) }
        printDataReport(result.data, warnings: result.outcome.warnings)
        print("events       \(grouped(result.log.eventCount)) in \(fixed(elapsed, 3)) s (data \(fixed(result.preparationSeconds, 3)) s, "
              + "run \(fixed(elapsed - result.preparationSeconds, 3)) s), \(grouped(Int(Double(result.log.eventCount) / max(elapsed, 1e-9)))) events/s")
        print("log          \(result.log.path) (\(grouped(result.log.fileSize)) bytes)")
        print("digest       \(result.log.digestHex)")
        if case .plugin = cfg.strategy {
            // Models' quality out of sample, from the log just written.
            print()
            for line in RunQualityText.monitorLines(try RunQuality.read(out).monitor) { print(line) }
        }
    }

    private func describe(_ s: StrategyConfig) -> String {
        switch s {
        case .noDecisions: "no decisions"
        case .momentum(let l, let t): "lookback \(l), threshold \(t)"
        case .macd(let f, let sl, let sg): "fast \(f), slow \(sl), signal \(sg)"
        case .plugin(let p): p.summary
        case .alpha(let a):
            "\(a.strategy.alphaNames.joined(separator: " + ")), top/bottom \(a.strategy.maxPositions), \(a.strategy.normalization.rawValue)\(a.strategy.sectorNeutral ? ", sector-neutral" : "")"
        }
    }
}

func printDataReport(_ report: DataReport, warnings: KernelWarnings) {
    if report.skippedRows > 0 {
        printError("warning: \(report.skippedRows) data rows skipped as invalid; first ones:")
        for e in report.skippedExamples.prefix(5) { printError("  \(e)") }
        if report.skippedExamples.count > 5 { printError("  … (\(report.skippedRows - 5) more)") }
    }
    if report.totalGaps > 0 {
        let worst = report.gapsBySymbol.sorted { $0.missing > $1.missing }.prefix(5)
            .map { "\($0.symbol) \($0.missing) (first \($0.first.iso8601.prefix(10)))" }.joined(separator: ", ")
        printError("warning: \(report.totalGaps) missing bars inside \(report.gapsBySymbol.count) symbols' histories: \(worst)")
    }
    if !report.unmappedSymbols.isEmpty {
        printError("warning: \(report.unmappedSymbols.count) symbols are not in the sector map and form one group \"(unmapped)\": \(report.unmappedSymbols.prefix(10).joined(separator: ", "))\(report.unmappedSymbols.count > 10 ? ", …" : "")")
    }
    if report.zeroVolumeBars > 0 { printError("note: \(report.zeroVolumeBars) bars have zero volume") }
    if report.brokenBarCount > 0 {
        let first = report.brokenBars.map { "\($0.symbol) \($0.time.iso8601): \($0.what)" }.joined(separator: "; ")
        printError("warning: \(report.brokenBarCount) bars with broken OHLC relations: \(first)")
    }
    for note in report.actionNotes { printError("note: \(note)") }
    for w in report.neverDefined { printError("warning: \(w)") }
    if report.suspectMoveCount > 0 {
        let verb = report.suspectBarsSkipped > 0 ? "left out" : "flagged, traded as they are"
        printError("warning: \(report.suspectMoveCount) suspect moves (\(verb); data.guards); first ones:")
        for f in report.suspectMoves.prefix(5) {
            printError("  \(f.place.map { "\($0): " } ?? "")\(f.symbol) \(f.time.iso8601.prefix(10)): \(f.what)")
        }
    }
    if !report.noVolumeSymbols.isEmpty {
        let names = report.noVolumeSymbols.prefix(10).joined(separator: ", ") + (report.noVolumeSymbols.count > 10 ? ", …" : "")
        printError("warning: \(report.noVolumeSymbols.count) symbols have no volume on any bar and \(report.noVolumeKept ? "are kept (data.no_volume: keep)" : "are left out (they could never fill)"): \(names)")
    }
    if !report.delistings.isEmpty {
        let names = report.delistings.prefix(8).map { "\($0.symbol) \($0.date)" }.joined(separator: ", ") + (report.delistings.count > 8 ? ", …" : "")
        printError("note: \(report.delistings.count) symbols end before the data does (delisted): \(names); positions closed \(warnings.delistingsClosed), kept \(warnings.delistingsKept)")
    }
    if !report.entries.isEmpty {
        let names = report.entries.prefix(8).map { "\($0.symbol) \($0.date)" }.joined(separator: ", ") + (report.entries.count > 8 ? ", …" : "")
        printError("note: \(report.entries.count) symbols start after the data does and join when their alphas are defined: \(names)")
    }
    if warnings.skippedForMissingOpen > 0 {
        printError("note: \(warnings.skippedForMissingOpen) trades skipped: no bar at the next open (never a trade at a missing price)")
    }
    if warnings.signalsWithoutBar + warnings.outOfOrderSignals + warnings.outOfRangeTargets > 0 {
        printError("warning: signals ignored: \(warnings.signalsWithoutBar) without a bar, \(warnings.outOfOrderSignals) out of order, \(warnings.outOfRangeTargets) out of range")
    }
}

func money(_ v: Double) -> String { ReportText.money(v) }

func percent(_ v: Double) -> String { ReportText.percent(v) }

func printProgress(_ text: String) {
    printErrorRaw("\r\u{1B}[K" + text)
}
