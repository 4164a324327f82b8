import AuroraCore
import AuroraModel
import Foundation

/// Writes a configuration as canonical YAML: every key, fixed order, numbers in their shortest
/// exact form. Reading it back gives an equal configuration; its SHA-256 identifies the config.
public enum ConfigWriter {
    public static func yaml(_ c: AuroraConfig) -> String {
        var lines: [String] = ["strategy:"]
        switch c.strategy {
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
        }
        let k = c.kernel
        lines += [
            "portfolio:",
            "  initial_cash: \(number(k.initialCash))",
            "  gross_exposure: \(number(k.grossExposure))",
            "  max_position: \(number(k.maxPositionWeight))",
            "  hold_policy: \(k.holdPolicy.rawValue)",
            "execution:",
            "  algorithm: \(k.algorithm.rawValue)",
            "  fill: \(k.fill.rawValue)",
            "  fractional_shares: \(k.fractionalShares)",
            "  cost_per_share: \(number(k.costPerShare))",
            "  cost_bps: \(number(k.costBps))",
        ]
        if k.algorithm == .twap {
            let t = k.twap
            func hhmm(_ m: Int) -> String { "\"\(m / 60 < 10 ? "0" : "")\(m / 60):\(m % 60 < 10 ? "0" : "")\(m % 60)\"" }
            lines += [
                "  twap:",
                "    slices: \(t.slices)",
                "    start: \(hhmm(t.startMinutes))",
                "    cutoff: \(hhmm(t.cutoffMinutes))",
                "    rate_limit: \(t.rateLimitPerMinute)",
                "    fill_price: \(t.fillPrice)",
                "    participation_cap: \(t.participationCap.map(number) ?? "none")",
                "    slippage_bps: \(number(t.slippageBps))",
                "    impact_bps: \(number(t.impactBps))",
                "    minimum_per_order: \(number(t.minimumPerOrder))",
            ]
        }
        lines += [
            "data:",
            "  source: \(quoted(c.data.source))",
        ]
        if let symbols = c.data.symbols { lines.append("  symbols: [\(symbols.map(quoted).joined(separator: ", "))]") }
        if let start = c.data.start { lines.append("  start: \(quoted(start))") }
        if let end = c.data.end { lines.append("  end: \(quoted(end))") }
        lines += ["  tz: \(quoted(c.data.timeZone))", "  stamp: \(c.data.stamp.rawValue)"]
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
            "  checkpoint_every: \(k.checkpointEvery)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    public static func save(_ c: AuroraConfig, to path: String) throws {
        try yaml(c).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Shortest text that reads back to the same Double ("1000000", "0.05").
    public static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// Double-quoted when YAML would otherwise read the text as something else.
    static func quoted(_ s: String) -> String {
        let plain = s.allSatisfy { $0.isLetter || $0.isNumber || "._/-".contains($0) } && !s.isEmpty
            && Double(s) == nil && !["true", "false", "yes", "no", "on", "off", "null", "~"].contains(s.lowercased())
        if plain && !s.contains("-") { return s }
        // Escapes for everything YAML would otherwise fold or refuse inside double quotes
        // (a newline reads back as a space): the text reads back exactly.
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
