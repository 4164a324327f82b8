import AuroraData
import AuroraKernel
import AuroraModel
import AuroraStrategies
import Foundation
import Yams

extension NodeReader {
    func strategy(_ node: Node) throws -> StrategyConfig {
        guard let m = node.mapping, let typeNode = m["type"] else {
            throw fail(node, "strategy", "needs a type: \((["none", "momentum", "macd", "alpha"] + registry.strategies.map { $0.type }).joined(separator: ", "))")
        }
        switch try string(typeNode, "strategy.type") {
        case "none":
            _ = try mapping(node, "strategy", allowed: ["type"])
            return .noDecisions
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
            if let kind = registry.strategies.first(where: { $0.type == other }) { return .plugin(PluginStrategy(try kind.read(node, self))) }
            let known = ["none", "momentum", "macd", "alpha"] + registry.strategies.map { $0.type }
            throw fail(typeNode, "strategy.type", "unknown strategy \"\(clipped(other))\"; expected \(known.joined(separator: ", "))")
        }
    }

    /// A name (`momentum_20d`), or a family with its window (`{name: momentum, lookback: 60}` →
    /// `momentum_60d`): the instance name is what logs and weights use.
    package func alphaName(_ item: Node, key: String = "strategy.alphas") throws -> String {
        guard item.mapping != nil else { return try string(item, key) }
        guard let nameNode = item.mapping?["name"] else { throw fail(item, key, "an alpha with parameters needs a name, such as {name: momentum, lookback: 60}") }
        let base = try string(nameNode, "\(key).name")
        guard let family = registry.alphas.family(base) else {
            let known = registry.alphas.families.map { "\($0.base) (\($0.parameter))" }.joined(separator: ", ")
            throw fail(nameNode, "\(key).name", "\"\(clipped(base))\" takes no parameters; alphas that do: \(known)")
        }
        let m = try mapping(item, key, allowed: ["name", family.parameter])
        let value = try m[family.parameter].map { try int($0, "\(key).\(family.parameter)", min: 1, max: AlphaRegistry.Family.maxValue) }
        return family.name(value ?? family.defaultValue)
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
                let name = try alphaName(item)
                guard registry.alphas.contains(name) else {
                    throw fail(item, "strategy.alphas", "unknown alpha \"\(clipped(name))\"; known: \(registry.alphas.listing)")
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
}
