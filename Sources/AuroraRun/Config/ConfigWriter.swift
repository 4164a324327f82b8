import AuroraData
import AuroraKernel
import AuroraStats
import AuroraModel
import Foundation
import AuroraExecution
import AuroraStrategies

/// Writes a configuration as canonical YAML: every key, fixed order, numbers in their shortest
/// exact form. Reading it back gives an equal configuration; its SHA-256 identifies the config.
public enum ConfigWriter {
    public static func yaml(_ c: AuroraConfig) -> String {
        var lines: [String] = ["strategy:"]
        switch c.strategy {
        case .noDecisions:
            lines.append("  type: none")
        case .momentum(let lookback, let threshold):
            lines += ["  type: momentum", "  lookback: \(lookback)", "  threshold: \(number(threshold))"]
        case .macd(let fast, let slow, let signal):
            lines += ["  type: macd", "  fast: \(fast)", "  slow: \(slow)", "  signal: \(signal)"]
        case .alpha(let a):
            let s = a.strategy
            lines += ["  type: alpha", "  alphas: [\(s.alphaNames.map(quoted).joined(separator: ", "))]"]
            if let w = s.alphaWeights {
                lines.append("  weights: {\(s.alphaNames.map { "\(quoted($0)): \(number(w[$0] ?? 0))" }.joined(separator: ", "))}")
            }
            lines += [
                "  thresholds: {long: \(number(s.longThreshold)), short: \(number(s.shortThreshold))}",
                "  refresh: \(s.refresh.rawValue)",
                "  max_positions: \(s.maxPositions)",
                "  normalize: \(s.normalization.rawValue)",
                "  sector_neutral: \(s.sectorNeutral)",
            ]
            switch a.weightModel {
            case .equal: if s.alphaWeights == nil { lines.append("  weight_model: equal") }
            case .ic(let window): lines.append("  weight_model: {type: ic, window: \(window)}")
            }
            if let map = a.sectorMap { lines.append("  sector_map: \(quoted(map))") }
        case .plugin(let p):
            lines += ["  type: \(p.type)"] + p.settings.canonicalLines
        }
        let e = c.execution
        lines += ["portfolio:", "  initial_cash: \(number(c.portfolio.initialCash))"]
        let construction = type(of: c.portfolio.construction).name
        // The reference constructor is implied (so configs written before there was a choice keep their text).
        if construction != EqualWeightConstruction.name { lines.append("  construction: \(construction)") }
        lines += c.portfolio.construction.canonicalLines.map { "  " + $0 }
        lines += [
            "execution:",
            "  algorithm: \(e.algorithmName)",
            "  fill: \(e.common.fill.rawValue)",
            "  fractional_shares: \(e.common.fractionalShares)",
            "  cost_per_share: \(number(e.common.costPerShare))",
            "  cost_bps: \(number(e.common.costBps))",
        ]
        if let section = type(of: e.algorithm).section, !e.algorithm.canonicalLines.isEmpty {
            lines.append("  \(section):")
            lines += e.algorithm.canonicalLines.map { "    " + $0 }
        }
        lines.append("data:")
        lines.append(c.data.moreSources.isEmpty ? "  source: \(quoted(c.data.source))"
                     : "  source: [\(c.data.paths.map(quoted).joined(separator: ", "))]")
        if let symbols = c.data.symbols { lines.append("  symbols: [\(symbols.map(quoted).joined(separator: ", "))]") }
        if let start = c.data.start { lines.append("  start: \(quoted(start))") }
        if let end = c.data.end { lines.append("  end: \(quoted(end))") }
        lines += ["  tz: \(quoted(c.data.timeZone))", "  stamp: \(c.data.stamp.rawValue)"]
        // Options still at their defaults are left out, so configs from before they existed keep their text.
        lines += dataLines(c.data)
        let s = c.data.synthetic
        lines += [
            "  synthetic:",
            "    symbols: \(s.symbolCount)",
            "    sectors: \(s.sectorCount)",
            "    days: \(s.days)",
            "    start: \(quoted(s.startDate))",
            "    timeframe: \(s.timeframe)",
            "    seed: \(s.seed)",
            "log:",
            "  checkpoint_every: \(c.kernel.checkpointEvery)",
        ]
        // Only when there are some: configs from before the key existed keep their text.
        if !c.kernel.checkpointReducers.isEmpty {
            lines.append("  checkpoint_reducers: [\(c.kernel.checkpointReducers.map(\.name).joined(separator: ", "))]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func dataLines(_ d: DataConfig) -> [String] {
        var out: [String] = []
        let o = d.csv, base = BarCSVOptions()
        func add(_ key: String, _ value: String?) { if let value { out.append("  \(key): \(quoted(value))") } }
        add("time_column", o.timeColumn); add("symbol_column", o.symbolColumn); add("open_column", o.openColumn)
        add("high_column", o.highColumn); add("low_column", o.lowColumn); add("close_column", o.closeColumn)
        add("volume_column", o.volumeColumn); add("split_column", o.splitColumn); add("dividend_column", o.dividendColumn)
        add("symbol", o.symbol)
        if let tf = o.timeframe { out.append("  timeframe: \(tf)") }
        if o.sessionCloseMinutes != base.sessionCloseMinutes {
            out.append("  session_close: \"\(String(format: "%02d:%02d", o.sessionCloseMinutes / 60, o.sessionCloseMinutes % 60))\"")
        }
        if o.epochUnit != base.epochUnit { out.append("  epoch_unit: \(o.epochUnit.rawValue)") }
        if o.invalidRows != base.invalidRows { out.append("  invalid_rows: \(o.invalidRows.rawValue)") }
        if o.delimiter != base.delimiter { add("delimiter", String(UnicodeScalar(o.delimiter))) }
        if !o.filters.isEmpty {
            out.append("  where:")
            out += o.filters.map { "    \(quoted($0.column)): \(quoted($0.value))" }
        }
        add("actions", d.actions)
        if d.adjust != .auto { out.append("  adjust: \(d.adjust.rawValue)") }
        if d.delisting != .close { out.append("  delisting: \(d.delisting.rawValue)") }
        if d.noVolume != .skip { out.append("  no_volume: \(d.noVolume.rawValue)") }
        if d.guards != DataGuards() {
            out += ["  guards:", "    max_move: \(number(d.guards.maxMove))", "    on_suspect: \(d.guards.onSuspect.rawValue)"]
        }
        return out
    }

    public static func save(_ c: AuroraConfig, to path: String) throws {
        try yaml(c).write(toFile: path, atomically: true, encoding: .utf8)
    }

    public static func number(_ v: Double) -> String { ConfigText.number(v) }
    static func quoted(_ s: String) -> String { ConfigText.quoted(s) }
}
