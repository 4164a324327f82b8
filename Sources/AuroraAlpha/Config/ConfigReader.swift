import AuroraCore
import AuroraModel
import Foundation
import Yams

/// Reads the YAML configuration. Unknown keys, wrong types and invalid values are errors that
/// name the key (as a dotted path) and its line.
public enum ConfigReader {
    public static func load(path: String) throws -> (AuroraConfig, text: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, key: "", message: "cannot read the file")
        }
        let text = String(decoding: data, as: UTF8.self)
        return (try parse(text, file: path), text)
    }

    public static func parse(_ text: String, file: String = "config", registry: AlphaRegistry = .builtIn) throws -> AuroraConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(file: file, line: nil, key: "", message: "not valid YAML: \(error)")
        }
        var config = AuroraConfig()
        guard let root else { return config }
        let reader = NodeReader(file: file, registry: registry)
        let top = try reader.mapping(root, "", allowed: ["strategy", "portfolio", "execution", "data", "log"])
        if let node = top["strategy"] { config.strategy = try reader.strategy(node) }
        if let node = top["portfolio"] {
            let m = try reader.mapping(node, "portfolio", allowed: ["initial_cash", "gross_exposure", "max_position", "hold_policy"])
            if let v = m["initial_cash"] { config.kernel.initialCash = try reader.double(v, "portfolio.initial_cash", min: 0.01, max: 1e12) }
            if let v = m["gross_exposure"] { config.kernel.grossExposure = try reader.double(v, "portfolio.gross_exposure", min: 0, max: 100) }
            if let v = m["max_position"] { config.kernel.maxPositionWeight = try reader.double(v, "portfolio.max_position", min: 0, max: 100) }
            if let v = m["hold_policy"] { config.kernel.holdPolicy = try reader.choice(v, "portfolio.hold_policy", HoldPolicy.self) }
        }
        if let node = top["execution"] {
            let m = try reader.mapping(node, "execution", allowed: ["algorithm", "fill", "fractional_shares", "cost_per_share", "cost_bps", "twap"])
            if let v = m["algorithm"] { config.kernel.algorithm = try reader.choice(v, "execution.algorithm", ExecutionAlgorithm.self) }
            if let v = m["twap"] { config.kernel.twap = try reader.twap(v) }
            if let v = m["fill"] { config.kernel.fill = try reader.choice(v, "execution.fill", FillTiming.self) }
            if let v = m["fractional_shares"] { config.kernel.fractionalShares = try reader.bool(v, "execution.fractional_shares") }
            if let v = m["cost_per_share"] { config.kernel.costPerShare = try reader.double(v, "execution.cost_per_share", min: 0, max: 1_000) }
            if let v = m["cost_bps"] { config.kernel.costBps = try reader.double(v, "execution.cost_bps", min: 0, max: 10_000) }
        }
        if let node = top["data"] { config.data = try reader.data(node) }
        if let node = top["log"] {
            let m = try reader.mapping(node, "log", allowed: ["checkpoint_every"])
            if let v = m["checkpoint_every"] { config.kernel.checkpointEvery = try reader.int(v, "log.checkpoint_every", min: 0, max: 1_000_000_000) }
        }
        return config
    }
}

/// Typed access to YAML nodes with errors that point at the line.
struct NodeReader {
    let file: String
    var registry: AlphaRegistry = .builtIn

    func fail(_ node: Node?, _ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: node?.mark?.line, key: key, message: message)
    }

    /// A mapping's entries by key, refusing keys outside `allowed` and duplicates.
    func mapping(_ node: Node, _ key: String, allowed: [String]) throws -> [String: Node] {
        guard let m = node.mapping else { throw fail(node, key, "expected a mapping of keys to values") }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let name = k.scalar?.string else { throw fail(k, key, "keys must be plain names") }
            let path = key.isEmpty ? name : "\(key).\(name)"
            guard allowed.contains(name) else {
                throw fail(k, path, "unknown key; expected one of: \(allowed.joined(separator: ", "))")
            }
            guard out[name] == nil else { throw fail(k, path, "appears twice") }
            out[name] = v
        }
        return out
    }

    /// A value shortened for a message (a 10 MB scalar must not become a 10 MB error).
    func clipped(_ text: String) -> String { text.count > 60 ? String(text.prefix(57)) + "…" : text }

    func string(_ node: Node, _ key: String) throws -> String {
        guard let s = node.scalar?.string else { throw fail(node, key, "expected a single value") }
        return s
    }

    func double(_ node: Node, _ key: String, min: Double? = nil, max: Double? = nil) throws -> Double {
        let text = try string(node, key)
        guard let v = Double(text) else { throw fail(node, key, "\"\(clipped(text))\" is not a number") }
        guard v.isFinite else { throw fail(node, key, "\"\(clipped(text))\" is out of range\(max.map { ", at most \(ConfigWriter.number($0))" } ?? "")") }
        if let min, v < min { throw fail(node, key, "must be at least \(ConfigWriter.number(min)), not \(clipped(text))") }
        if let max, v > max { throw fail(node, key, "out of range: at most \(ConfigWriter.number(max)), not \(clipped(text))") }
        return v
    }

    func int(_ node: Node, _ key: String, min: Int? = nil, max: Int? = nil) throws -> Int {
        let text = try string(node, key)
        guard let v = Int(text) else {
            let digits = text.drop { $0 == "-" || $0 == "+" }
            if !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber) {
                throw fail(node, key, "\"\(clipped(text))\" is out of range\(max.map { ", at most \($0)" } ?? "")")
            }
            throw fail(node, key, "\"\(clipped(text))\" is not a whole number")
        }
        if let min, v < min { throw fail(node, key, "must be at least \(min), not \(text)") }
        if let max, v > max { throw fail(node, key, "out of range: at most \(max), not \(text)") }
        return v
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        switch try string(node, key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw fail(node, key, "\"\(other)\" is not true or false")
        }
    }

    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, _ key: String, _: E.Type) throws -> E where E.RawValue == String {
        let text = try string(node, key)
        guard let v = E(rawValue: text) else {
            throw fail(node, key, "\"\(clipped(text))\" is not one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    func strategy(_ node: Node) throws -> StrategyConfig {
        guard let m = node.mapping, let typeNode = m["type"] else { throw fail(node, "strategy", "needs a type: momentum, macd or alpha") }
        switch try string(typeNode, "strategy.type") {
        case "momentum":
            let f = try mapping(node, "strategy", allowed: ["type", "lookback", "threshold"])
            return .momentum(lookback: try f["lookback"].map { try int($0, "strategy.lookback", min: 1, max: 10_000) } ?? 20,
                             threshold: try f["threshold"].map { try double($0, "strategy.threshold", min: 0, max: 1e6) } ?? 0.05)
        case "macd":
            let f = try mapping(node, "strategy", allowed: ["type", "fast", "slow", "signal"])
            let fast = try f["fast"].map { try int($0, "strategy.fast", min: 1, max: 10_000) } ?? 12
            let slow = try f["slow"].map { try int($0, "strategy.slow", min: 2, max: 10_000) } ?? 26
            let signal = try f["signal"].map { try int($0, "strategy.signal", min: 1, max: 10_000) } ?? 9
            guard slow > fast else { throw fail(f["slow"] ?? node, "strategy.slow", "must be greater than fast (\(fast))") }
            return .macd(fast: fast, slow: slow, signal: signal)
        case "alpha":
            return .alpha(try alpha(node))
        case let other:
            throw fail(typeNode, "strategy.type", "unknown strategy \"\(other)\"; expected momentum, macd or alpha")
        }
    }

    func alpha(_ node: Node) throws -> AlphaSettings {
        var a = AlphaSettings()
        let f = try mapping(node, "strategy", allowed: ["type", "alphas", "weights", "thresholds", "refresh", "max_positions",
                                                        "weight_model", "normalize", "sector_neutral", "sector_map"])
        if let v = f["alphas"] {
            guard let seq = v.sequence else { throw fail(v, "strategy.alphas", "expected a list of alpha names") }
            guard !seq.isEmpty else { throw fail(v, "strategy.alphas", "needs at least one alpha") }
            var names: [String] = []
            for item in seq {
                let name = try string(item, "strategy.alphas")
                guard registry.contains(name) else {
                    throw fail(item, "strategy.alphas", "unknown alpha \"\(name)\"; known: \(registry.names.joined(separator: ", "))")
                }
                guard !names.contains(name) else { throw fail(item, "strategy.alphas", "\"\(name)\" is listed twice") }
                names.append(name)
            }
            a.strategy.alphaNames = names
        }
        if let v = f["weights"] {
            let w = try mapping(v, "strategy.weights", allowed: a.strategy.alphaNames)
            var weights: [String: Double] = [:]
            for name in a.strategy.alphaNames {
                guard let x = w[name] else { throw fail(v, "strategy.weights", "no weight for alpha \"\(name)\"") }
                weights[name] = try double(x, "strategy.weights.\(name)", min: 0, max: 1)
            }
            let total = a.strategy.alphaNames.reduce(0.0) { $0 + (weights[$1] ?? 0) }
            guard abs(total - 1) <= 1e-9 else { throw fail(v, "strategy.weights", "weights sum to \(total), not 1") }
            a.strategy.alphaWeights = weights
        }
        if let v = f["thresholds"] {
            let t = try mapping(v, "strategy.thresholds", allowed: ["long", "short"])
            if let x = t["long"] { a.strategy.longThreshold = try double(x, "strategy.thresholds.long", min: -1e6, max: 1e6) }
            if let x = t["short"] { a.strategy.shortThreshold = try double(x, "strategy.thresholds.short", min: -1e6, max: 1e6) }
            guard a.strategy.longThreshold > a.strategy.shortThreshold || (a.strategy.longThreshold == 0 && a.strategy.shortThreshold == 0) else {
                throw fail(v, "strategy.thresholds", "long (\(a.strategy.longThreshold)) must be greater than short (\(a.strategy.shortThreshold))")
            }
        }
        if let v = f["refresh"] { a.strategy.refresh = try choice(v, "strategy.refresh", AlphaStrategyConfig.Refresh.self) }
        if let v = f["max_positions"] { a.strategy.maxPositions = try int(v, "strategy.max_positions", min: 1, max: 100_000) }
        if let v = f["normalize"] { a.strategy.normalization = try choice(v, "strategy.normalize", AlphaStrategyConfig.Normalization.self) }
        if let v = f["sector_neutral"] { a.strategy.sectorNeutral = try bool(v, "strategy.sector_neutral") }
        if let v = f["sector_map"] { a.sectorMap = try string(v, "strategy.sector_map") }
        if let v = f["weight_model"] {
            let kind: String
            var window = 60
            if v.scalar != nil {
                kind = try string(v, "strategy.weight_model")
            } else {
                let m = try mapping(v, "strategy.weight_model", allowed: ["type", "window"])
                guard let t = m["type"] else { throw fail(v, "strategy.weight_model", "needs a type: equal or ic") }
                kind = try string(t, "strategy.weight_model.type")
                if let w = m["window"] { window = try int(w, "strategy.weight_model.window", min: 1, max: 100_000) }
            }
            switch kind {
            case "equal": a.weightModel = .equal
            case "ic": a.weightModel = .ic(window: window)
            default: throw fail(v, "strategy.weight_model", "unknown weight model \"\(kind)\"; expected equal or ic")
            }
            if a.strategy.alphaWeights != nil, kind != "equal" {
                throw fail(v, "strategy.weight_model", "give either fixed weights or a weight model, not both")
            }
        }
        return a
    }

    func twap(_ node: Node) throws -> TWAPSettings {
        var t = TWAPSettings()
        let m = try mapping(node, "execution.twap", allowed: ["slices", "start", "cutoff", "rate_limit", "fill_price",
                                                              "participation_cap", "slippage_bps", "impact_bps", "minimum_per_order"])
        if let v = m["slices"] { t.slices = try int(v, "execution.twap.slices", min: 1, max: 10_000) }
        if let v = m["start"] { t.startMinutes = try sessionTime(v, "execution.twap.start") }
        if let v = m["cutoff"] { t.cutoffMinutes = try sessionTime(v, "execution.twap.cutoff") }
        guard t.startMinutes < t.cutoffMinutes else {
            throw fail(m["cutoff"] ?? node, "execution.twap.cutoff", "must be after start")
        }
        if let v = m["rate_limit"] { t.rateLimitPerMinute = try int(v, "execution.twap.rate_limit", min: 1, max: 1_000_000) }
        if let v = m["fill_price"] {
            let text = try string(v, "execution.twap.fill_price")
            guard ["open", "close", "typical", "vwap_proxy"].contains(text) else {
                throw fail(v, "execution.twap.fill_price", "\"\(clipped(text))\" is not one of: open, close, typical, vwap_proxy")
            }
            t.fillPrice = text
        }
        if let v = m["participation_cap"] {
            if let text = v.scalar?.string, ["none", "null", "~"].contains(text.lowercased()) {
                t.participationCap = nil
            } else {
                let cap = try double(v, "execution.twap.participation_cap", min: 0, max: 1)
                guard cap > 0 else { throw fail(v, "execution.twap.participation_cap", "must be above 0 (or none)") }
                t.participationCap = cap
            }
        }
        if let v = m["slippage_bps"] { t.slippageBps = try double(v, "execution.twap.slippage_bps", min: 0, max: 10_000) }
        if let v = m["impact_bps"] { t.impactBps = try double(v, "execution.twap.impact_bps", min: 0, max: 10_000) }
        if let v = m["minimum_per_order"] { t.minimumPerOrder = try double(v, "execution.twap.minimum_per_order", min: 0, max: 1_000_000) }
        return t
    }

    /// "HH:MM" within the regular session 09:30–16:00 (New York time), as minutes after midnight.
    private func sessionTime(_ node: Node, _ key: String) throws -> Int {
        let text = try string(node, key)
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else {
            throw fail(node, key, "\"\(clipped(text))\" is not a time HH:MM")
        }
        let minutes = h * 60 + m
        guard (9 * 60 + 30)...(16 * 60) ~= minutes else { throw fail(node, key, "\(text) is outside the session 09:30–16:00") }
        return minutes
    }

    func data(_ node: Node) throws -> DataConfig {
        var d = DataConfig()
        let m = try mapping(node, "data", allowed: ["source", "symbols", "start", "end", "synthetic", "tz", "stamp"])
        if let v = m["source"] { d.source = try string(v, "data.source") }
        if let v = m["symbols"] {
            guard let seq = v.sequence else { throw fail(v, "data.symbols", "expected a list such as [AAPL, MSFT]") }
            let names = try seq.map { try string($0, "data.symbols") }
            guard !names.isEmpty else { throw fail(v, "data.symbols", "the list is empty") }
            d.symbols = names
        }
        if let v = m["start"] { d.start = try time(v, "data.start") }
        if let v = m["end"] { d.end = try time(v, "data.end") }
        if let v = m["tz"] { d.timeZone = try string(v, "data.tz") }
        if let v = m["stamp"] { d.stamp = try choice(v, "data.stamp", BarStamp.self) }
        if let v = m["synthetic"] {
            let s = try mapping(v, "data.synthetic", allowed: ["symbols", "sectors", "days", "start", "timeframe", "seed"])
            if let x = s["symbols"] { d.synthetic.symbolCount = try int(x, "data.synthetic.symbols", min: 1, max: 100_000) }
            if let x = s["sectors"] { d.synthetic.sectorCount = try int(x, "data.synthetic.sectors", min: 1, max: 100_000) }
            if let x = s["days"] { d.synthetic.days = try int(x, "data.synthetic.days", min: 1, max: 100_000) }
            if let x = s["start"] { d.synthetic.startDate = try time(x, "data.synthetic.start") }
            if let x = s["timeframe"] {
                let text = try string(x, "data.synthetic.timeframe")
                guard let tf = Timeframe(text: text), tf == .day || tf == .minute else {
                    throw fail(x, "data.synthetic.timeframe", "\"\(clipped(text))\" is not 1d or 1m")
                }
                d.synthetic.timeframe = tf
            }
            if let x = s["seed"] {
                let text = try string(x, "data.synthetic.seed")
                guard let seed = UInt64(text) else { throw fail(x, "data.synthetic.seed", "\"\(clipped(text))\" is not a whole number ≥ 0") }
                d.synthetic.seed = seed
            }
            if d.synthetic.sectorCount > d.synthetic.symbolCount {
                throw fail(s["sectors"] ?? v, "data.synthetic.sectors", "more sectors than symbols")
            }
            do { try d.synthetic.validate() } catch let error as DataError { throw fail(v, "data.synthetic", error.description) }
        }
        return d
    }

    private func time(_ node: Node, _ key: String) throws -> String {
        let text = try string(node, key)
        guard (try? TimeText.parse(text)) != nil else { throw fail(node, key, "\"\(clipped(text))\" is not a date (YYYY-MM-DD) or ISO 8601 time") }
        return text
    }
}
