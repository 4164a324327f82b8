// The library in a few lines: a configuration, a backtest through a date, a replay that proves
// the log reproduces, a what-if rerun on the same inputs, and the portfolio rebuilt from the log.
// Run it with `swift run BacktestExample [OUT_DIR]`.
import Aurora
import Foundation

let out = CommandLine.arguments.dropFirst().first ?? NSTemporaryDirectory()

// A configuration as values (`ConfigReader.load(path:)` reads the same from YAML): the default
// momentum strategy on the embedded synthetic universe, executed as a TWAP over minute bars.
var config = AuroraConfig()
config.strategy = .momentum(lookback: 1, threshold: 0)
config.data.synthetic.symbolCount = 20
config.data.synthetic.days = 5
config.data.synthetic.timeframe = .minute
config.execution.twap = TWAPAlgorithm()
config.execution.common.fractionalShares = false

do {
    let path = out + "/example.alog"
    let result = try BacktestEngine(config: config, logPath: path).runMulti(end: .day("2020-01-08"))
    print("backtest   \(result.first.iso8601) .. \(result.last.iso8601): \(result.trades.count) fills, final equity \(ReportText.money(result.equityCurve.last?.equity ?? 0))")
    print("log        \(result.log.path), \(result.log.eventCount) events, digest \(result.log.digestHex)")

    let replay = try ReplayEngine.replay(path: path)
    print("replay     \(replay.identical ? "identical" : "different") (\(replay.events) events compared)")

    var other = config
    other.strategy = .momentum(lookback: 2, threshold: 0)
    let whatIf = try WhatIfEngine.rerun(parent: path, config: other, out: out + "/example-whatif.alog")
    print("what-if    \(whatIf.trades.count) fills on the same inputs; compare them with `aurora diff`")

    let state = try StateQuery.portfolio(of: LogReader(path: path), at: nil).state
    print("state      cash \(ReportText.money(state.cash)), \(state.openSymbols.count) positions, equity \(ReportText.money(state.equity))")
} catch {
    print("error: \(error)")
    exit(1)
}
