import AuroraFeatures
import AuroraModels
import AuroraRun
import Foundation
import Yams

/// Reads `research.yaml`. As for run configurations, an unknown key or a bad value is an error
/// naming the key and its line.
public enum ResearchConfigReader {
    public static func load(path: String, registry: ComponentRegistry = .builtIn) throws -> (config: ResearchConfig, text: String) {
        let text = try ConfigReader.readText(path)
        return (try parse(text, file: path, registry: registry), text)
    }

    public static func parse(_ text: String, file: String = "research", registry: ComponentRegistry = .builtIn) throws -> ResearchConfig {
        let root = try ConfigReader.compose(text, file: file)
        var config = ResearchConfig()
        guard let root else { return config }
        let r = NodeReader(file: file, registry: registry)
        let top = try r.mapping(root, "", allowed: ["data", "sectors", "features", "transforms", "neutralize", "labels", "evaluate", "walkforward",
                                                    "models", "ensemble", "calibration", "training"])
        if let v = top["data"] { config.data = try r.data(v) }
        if let v = top["sectors"] { config.sectors = try r.string(v, "sectors") }
        if let v = top["features"] { config.features = try r.features(v) }
        if let v = top["transforms"] { config.transforms = try r.transforms(v) }
        if let v = top["neutralize"] { config.neutralize = try r.choice(v, "neutralize", Neutralization.self) }
        if config.neutralize != .none && config.sectors == nil && !config.data.isSynthetic {
            throw r.fail(top["neutralize"], "neutralize", "sector neutralization needs a sector map: add sectors: PATH (Symbol,Name,Sector)")
        }
        if let v = top["labels"] {
            let m = try r.mapping(v, "labels", allowed: ["horizons", "price"])
            if let h = m["horizons"] { config.labels.horizons = try r.horizons(h, "labels.horizons") }
            if let p = m["price"] { config.labels.price = try r.choice(p, "labels.price", LabelSpec.Price.self) }
        }
        if let v = top["evaluate"] {
            let m = try r.mapping(v, "evaluate", allowed: ["quantiles", "min_names", "horizon"])
            if let x = m["quantiles"] { config.evaluation.quantiles = try r.int(x, "evaluate.quantiles", min: 2, max: 100) }
            if let x = m["min_names"] { config.evaluation.minNames = try r.int(x, "evaluate.min_names", min: 3, max: 100_000) }
            if let x = m["horizon"] {
                let h = try r.int(x, "evaluate.horizon", min: 1, max: 10_000)
                guard config.labels.horizons.contains(h) else {
                    throw r.fail(x, "evaluate.horizon", "\(h) is not one of labels.horizons (\(config.labels.horizons.map(String.init).joined(separator: ", ")))")
                }
                config.evaluation.horizon = h
            }
        }
        if let v = top["walkforward"] { config.walkForward = try r.walkForward(v) }
        if let v = top["models"] { config.models = try r.modelSpecs(v, "models") }
        if let v = top["ensemble"] { config.ensemble = try r.ensemble(v, "ensemble") }
        if let v = top["calibration"] { config.calibration = try r.calibration(v, "calibration") }
        if let v = top["training"] {
            let m = try r.mapping(v, "training", allowed: ["validation", "stride"])
            if let x = m["validation"] { config.validation = try r.double(x, "training.validation", min: 0.05, max: 0.5) }
            if let x = m["stride"] { config.stride = try r.int(x, "training.stride", min: 1, max: 100) }
        }
        return config
    }
}

extension NodeReader {
    func features(_ node: Node) throws -> [FeatureChoice] {
        guard let items = node.sequence, !items.isEmpty else { throw fail(node, "features", "expected a list, such as [alpha158, momentum_20d]") }
        var out: [FeatureChoice] = []
        for item in items {
            if let name = item.scalar?.string {
                if name == "alpha158" { out.append(.alpha158(Alpha158Settings(), only: nil)); continue }
                guard registry.alphas.contains(name) else {
                    throw fail(item, "features", "\"\(clipped(name))\" is not alpha158 or a registered alpha; alphas: \(registry.alphas.listing)")
                }
                out.append(.alpha(name))
                continue
            }
            guard let m = item.mapping, m.count >= 1 else { throw fail(item, "features", "expected a name or a mapping") }
            if m["name"] != nil {
                let name = try alphaName(item, key: "features")
                guard registry.alphas.contains(name) else { throw fail(item, "features", "\"\(clipped(name))\" is not a registered alpha") }
                out.append(.alpha(name))
                continue
            }
            let entry = try mapping(item, "features", allowed: ["alpha158", "etf_residual", "external"])
            guard entry.count == 1, let (key, value) = entry.first else { throw fail(item, "features", "one feature set per entry") }
            switch key {
            case "alpha158": out.append(try alpha158(value))
            case "etf_residual": out.append(.etfResidual(try etfResidual(value)))
            default: out.append(try external(value))
            }
        }
        return out
    }

    private func alpha158(_ node: Node) throws -> FeatureChoice {
        let m = try mapping(node, "features.alpha158", allowed: ["windows", "min_periods", "only"])
        var settings = Alpha158Settings()
        if let w = m["windows"] { settings.windows = try horizons(w, "features.alpha158.windows") }
        if let p = m["min_periods"] { settings.minPeriods = try int(p, "features.alpha158.min_periods", min: 1, max: 1_000) }
        do { try settings.validate() } catch let e as FeatureError { throw fail(node, "features.alpha158", e.description) }
        var only: [String]?
        if let o = m["only"] {
            guard let seq = o.sequence, !seq.isEmpty else { throw fail(o, "features.alpha158.only", "expected a list of feature names") }
            let known = settings.names
            only = try seq.map { item in
                let name = try string(item, "features.alpha158.only")
                guard known.contains(name) else { throw fail(item, "features.alpha158.only", "\"\(clipped(name))\" is not an Alpha158 feature (e.g. KMID, ROC20, CORD60)") }
                return name
            }
        }
        return .alpha158(settings, only: only)
    }

    private func etfResidual(_ node: Node) throws -> ETFResidualSettings {
        let key = "features.etf_residual"
        let m = try mapping(node, key, allowed: ["source", "window", "horizons", "map", "fallback", "alphas"])
        guard let source = m["source"] else { throw fail(node, key, "needs source: the ETFs' bar CSV") }
        var s = ETFResidualSettings(source: try string(source, "\(key).source"))
        if let w = m["window"] { s.window = try int(w, "\(key).window", min: 5, max: 5_000) }
        if let h = m["horizons"] { s.horizons = try horizons(h, "\(key).horizons") }
        if let map = m["map"] {
            if let text = map.scalar?.string {
                guard text == "spdr" else { throw fail(map, "\(key).map", "\"\(clipped(text))\" is not spdr or a mapping of sector: ETF") }
            } else {
                guard let pairs = map.mapping else { throw fail(map, "\(key).map", "expected spdr or a mapping of sector: ETF") }
                var etfOf: [String: String] = [:]
                for (k, v) in pairs { etfOf[try string(k, "\(key).map")] = try string(v, "\(key).map") }
                s.map = SectorETFMap(etfOf, fallback: s.map.fallback)
            }
        }
        if let f = m["fallback"] { s.map.fallback = try string(f, "\(key).fallback") }
        if let a = m["alphas"] {
            guard let seq = a.sequence else { throw fail(a, "\(key).alphas", "expected a list of alphas, such as [momentum_20d]") }
            s.alphas = try seq.map { item in
                let name = try alphaName(item, key: "\(key).alphas")
                guard registry.alphas.contains(name) else { throw fail(item, "\(key).alphas", "\"\(clipped(name))\" is not a registered alpha") }
                return name
            }
        }
        return s
    }

    private func external(_ node: Node) throws -> FeatureChoice {
        let key = "features.external"
        let m = try mapping(node, key, allowed: ["source", "lag_days", "max_age_days"])
        guard let source = m["source"] else { throw fail(node, key, "needs source: a symbol,as_of,field,value CSV") }
        var settings = ExternalSettings()
        if let l = m["lag_days"] { settings.lagDays = try int(l, "\(key).lag_days", min: 0, max: 3_650) }
        if let a = m["max_age_days"] {
            if a.scalar?.string == "none" { settings.maxAgeDays = nil } else { settings.maxAgeDays = try int(a, "\(key).max_age_days", min: 1, max: 36_500) }
        }
        return .external(path: try string(source, "\(key).source"), settings: settings)
    }

    func transforms(_ node: Node) throws -> [CrossSectionTransform] {
        guard let items = node.sequence else { throw fail(node, "transforms", "expected a list, such as [{winsorize: {lower: 0.01, upper: 0.99}}, zscore]") }
        return try items.map { item in
            if let name = item.scalar?.string {
                switch name {
                case "rank": return .rank
                case "zscore": return .zscore
                case "demean": return .demean
                default: throw fail(item, "transforms", "\"\(clipped(name))\" is not one of: rank, zscore, demean, winsorize, clip")
                }
            }
            let m = try mapping(item, "transforms", allowed: ["winsorize", "clip"])
            guard m.count == 1, let (name, v) = m.first else { throw fail(item, "transforms", "one transform per entry") }
            let b = try mapping(v, "transforms.\(name)", allowed: ["lower", "upper"])
            guard let lo = b["lower"], let hi = b["upper"] else { throw fail(v, "transforms.\(name)", "needs lower and upper") }
            let bounds = name == "winsorize" ? (0.0, 1.0) : (-1e300, 1e300)
            let lower = try double(lo, "transforms.\(name).lower", min: bounds.0, max: bounds.1)
            let upper = try double(hi, "transforms.\(name).upper", min: bounds.0, max: bounds.1)
            guard lower < upper else { throw fail(v, "transforms.\(name)", "lower must be below upper") }
            return name == "winsorize" ? .winsorize(lower: lower, upper: upper) : .clip(lower: lower, upper: upper)
        }
    }

    /// A list of distinct whole numbers of bars, ascending.
    func horizons(_ node: Node, _ key: String) throws -> [Int] {
        guard let items = node.sequence, !items.isEmpty else { throw fail(node, key, "expected a list of whole numbers, such as [1, 5, 20]") }
        let values = try items.map { try int($0, key, min: 1, max: 1_000) }
        guard values == values.sorted(), Set(values).count == values.count else { throw fail(node, key, "must be ascending without repeats") }
        return values
    }

    func walkForward(_ node: Node) throws -> WalkForwardSettings {
        let m = try mapping(node, "walkforward", allowed: ["mode", "train", "test", "embargo", "combinatorial", "combine", "weighting"])
        var w = WalkForwardSettings()
        if let v = m["mode"] { w.mode = try choice(v, "walkforward.mode", WalkForwardSettings.Mode.self) }
        if let v = m["train"] { w.train = try int(v, "walkforward.train", min: 1, max: 100_000) }
        if let v = m["test"] { w.test = try int(v, "walkforward.test", min: 1, max: 100_000) }
        if let v = m["embargo"] { w.embargo = try int(v, "walkforward.embargo", min: 0, max: 100_000) }
        if let v = m["weighting"] { w.weighting = try choice(v, "walkforward.weighting", WalkForwardSettings.Weighting.self) }
        if let v = m["combine"] {
            guard let seq = v.sequence, !seq.isEmpty else { throw fail(v, "walkforward.combine", "expected a list of feature names") }
            w.combine = try seq.map { try string($0, "walkforward.combine") }
        }
        if let v = m["combinatorial"] {
            let c = try mapping(v, "walkforward.combinatorial", allowed: ["groups", "test_groups"])
            guard let g = c["groups"], let t = c["test_groups"] else { throw fail(v, "walkforward.combinatorial", "needs groups and test_groups") }
            let groups = try int(g, "walkforward.combinatorial.groups", min: 2, max: 64)
            let test = try int(t, "walkforward.combinatorial.test_groups", min: 1, max: 63)
            guard test < groups else { throw fail(t, "walkforward.combinatorial.test_groups", "must be fewer than groups (\(groups))") }
            w.combinatorial = .init(groups: groups, testGroups: test)
        }
        return w
    }
}
