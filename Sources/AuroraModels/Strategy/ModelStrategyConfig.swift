import AuroraFeatures
import AuroraKernel
import AuroraRun
import Yams

/// The model strategy's settings (`strategy: {type: model, …}`; docs/MODELS.md lists each key).
public struct ModelStrategyConfig: Sendable, Equatable {
    public enum Feature: Sendable, Equatable {
        case alpha158(Alpha158Settings, only: [String]?)
        case alpha(String)
    }

    /// When models are refitted and on what.
    public struct Training: Sendable, Equatable {
        /// Bar times between retrains (21: about monthly on daily bars).
        public var every = 21
        /// Training dates: the last `window` dates whose labels are known.
        public var window = 252
        /// No model before this many dates with known labels.
        public var minDates = 126
        /// The share of the window's last dates that chooses among candidate hyperparameters.
        public var validation = 0.2
        /// Every `stride`-th training date.
        public var stride = 1
        /// Boosted trees' histogram cuts are sketched anew every this many retrains.
        public var refreshCuts = 12
        public init() {}
    }

    /// Retirement and promotion by the record: every `block` bar times each model's mean Rank IC
    /// over the block is its record; below `icFloor` for `retireAfter` blocks in a row retires it;
    /// beating the champion for `promoteAfter` blocks in a row makes a challenger the champion.
    public struct Monitor: Sendable, Equatable {
        public enum Mode: String, Sendable, CaseIterable {
            /// The ensemble weighs every active model by its trailing IC.
            case icWeighted = "ic_weighted"
            /// Only the champion's predictions count.
            case champion
        }
        public var block = 21
        public var icFloor = 0.0
        public var retireAfter = 3
        public var promoteAfter = 3
        public var mode: Mode = .icWeighted
        public init() {}
    }

    public var features: [Feature] = [.alpha158(Alpha158Settings(), only: nil)]
    public var label = LabelSpec(horizon: 5, price: .open)
    public var training = Training()
    public var models: [ModelSpec] = []
    public var ensemble = EnsembleSettings()
    public var calibration = CalibrationSettings()
    /// Names bought (highest scores) and sold (lowest) each decision.
    public var long = 20
    public var short = 20
    /// A folder of `research train` artifacts to predict with instead of retraining.
    public var artifacts: String?
    public var monitor = Monitor()

    public init() {}
}

extension ModelStrategyConfig: StrategySettings {
    package static let type = "model"

    package var summary: String {
        let kinds = models.map { "\($0.name) (\($0.kind.rawValue))" }.joined(separator: ", ")
        return "\(kinds); \(artifacts.map { "fixed artifacts from \($0)" } ?? "retrained every \(training.every) on \(training.window) dates"), label \(label.name), top/bottom \(long)/\(short)"
    }

    package static func read(_ node: Node, _ r: NodeReader) throws -> ModelStrategyConfig {
        let m = try r.mapping(node, "strategy", allowed: ["type", "features", "label", "training", "models", "ensemble", "calibration",
                                                          "positions", "artifacts", "monitor"])
        var c = ModelStrategyConfig()
        if let v = m["features"] { c.features = try r.modelFeatures(v) }
        if let v = m["label"] {
            let l = try r.mapping(v, "strategy.label", allowed: ["horizon", "price"])
            if let h = l["horizon"] { c.label.horizon = try r.int(h, "strategy.label.horizon", min: 1, max: 1_000) }
            if let p = l["price"] { c.label.price = try r.choice(p, "strategy.label.price", LabelSpec.Price.self) }
        }
        if let v = m["training"] {
            let t = try r.mapping(v, "strategy.training", allowed: ["every", "window", "min_dates", "validation", "stride", "refresh_cuts"])
            if let x = t["every"] { c.training.every = try r.int(x, "strategy.training.every", min: 1, max: 100_000) }
            if let x = t["window"] { c.training.window = try r.int(x, "strategy.training.window", min: 5, max: 100_000) }
            if let x = t["min_dates"] { c.training.minDates = try r.int(x, "strategy.training.min_dates", min: 5, max: 100_000) }
            if let x = t["validation"] { c.training.validation = try r.double(x, "strategy.training.validation", min: 0.05, max: 0.5) }
            if let x = t["stride"] { c.training.stride = try r.int(x, "strategy.training.stride", min: 1, max: 100) }
            if let x = t["refresh_cuts"] { c.training.refreshCuts = try r.int(x, "strategy.training.refresh_cuts", min: 1, max: 10_000) }
        }
        if let v = m["artifacts"] { c.artifacts = try r.string(v, "strategy.artifacts") }
        switch (m["models"], c.artifacts) {
        case (let models?, nil): c.models = try r.modelSpecs(models, "strategy.models")
        case (let models?, _?): throw r.fail(models, "strategy.models", "give models (retrained in the run) or artifacts (fixed, from research train), not both")
        case (nil, nil): throw r.fail(node, "strategy.models", "the model strategy needs models: a list of {name, type, …}, or artifacts: a folder from research train")
        case (nil, _?): break
        }
        if let v = m["ensemble"] { c.ensemble = try r.ensemble(v, "strategy.ensemble") }
        if let v = m["calibration"] { c.calibration = try r.calibration(v, "strategy.calibration") }
        if let v = m["positions"] {
            let p = try r.mapping(v, "strategy.positions", allowed: ["long", "short"])
            if let x = p["long"] { c.long = try r.int(x, "strategy.positions.long", min: 0, max: 100_000) }
            if let x = p["short"] { c.short = try r.int(x, "strategy.positions.short", min: 0, max: 100_000) }
        }
        if let v = m["monitor"] {
            let t = try r.mapping(v, "strategy.monitor", allowed: ["block", "ic_floor", "retire_after", "promote_after", "mode"])
            if let x = t["block"] { c.monitor.block = try r.int(x, "strategy.monitor.block", min: 1, max: 100_000) }
            if let x = t["ic_floor"] { c.monitor.icFloor = try r.double(x, "strategy.monitor.ic_floor", min: -1, max: 1) }
            if let x = t["retire_after"] { c.monitor.retireAfter = try r.int(x, "strategy.monitor.retire_after", min: 1, max: 10_000) }
            if let x = t["promote_after"] { c.monitor.promoteAfter = try r.int(x, "strategy.monitor.promote_after", min: 1, max: 10_000) }
            if let x = t["mode"] { c.monitor.mode = try r.choice(x, "strategy.monitor.mode", Monitor.Mode.self) }
        }
        return c
    }

    package var canonicalLines: [String] {
        func n(_ v: Double) -> String { ConfigText.number(v) }
        let features = self.features.map { f -> String in
            switch f {
            case .alpha(let name): return ConfigText.quoted(name)
            case .alpha158(let s, let only):
                var parts = ["windows: [\(s.windows.map(String.init).joined(separator: ", "))]"]
                if let p = s.minPeriods { parts.append("min_periods: \(p)") }
                if let only { parts.append("only: [\(only.map(ConfigText.quoted).joined(separator: ", "))]") }
                return "{alpha158: {\(parts.joined(separator: ", "))}}"
            }
        }
        var lines = [
            "  features: [\(features.joined(separator: ", "))]",
            "  label: {horizon: \(label.horizon), price: \(label.price.rawValue)}",
            "  training: {every: \(training.every), window: \(training.window), min_dates: \(training.minDates), validation: \(n(training.validation)), stride: \(training.stride), refresh_cuts: \(training.refreshCuts)}",
        ]
        if !models.isEmpty { lines.append("  models:") }
        for spec in models {
            var parts = ["name: \(spec.name)", "type: \(spec.kind.rawValue)", "target: \(spec.target.rawValue)"]
            for key in spec.candidates.keys.sorted() {
                let values = spec.candidates[key] ?? []
                parts.append("\(key): " + (values.count == 1 ? n(values[0]) : "[\(values.map(n).joined(separator: ", "))]"))
            }
            lines.append("    - {\(parts.joined(separator: ", "))}")
        }
        lines += [
            "  ensemble: {window: \(ensemble.window), floor: \(n(ensemble.floor)), min_dates: \(ensemble.minDates)}",
            "  calibration: {method: \(calibration.method.rawValue), bins: \(calibration.bins), window: \(calibration.window), min_pairs: \(calibration.minPairs)}",
            "  positions: {long: \(long), short: \(short)}",
            "  monitor: {block: \(monitor.block), ic_floor: \(n(monitor.icFloor)), retire_after: \(monitor.retireAfter), promote_after: \(monitor.promoteAfter), mode: \(monitor.mode.rawValue)}",
        ]
        if let artifacts { lines.append("  artifacts: \(ConfigText.quoted(artifacts))") }
        return lines
    }

    package func makeStrategy(symbols: [String], data: DataConfig, registry: ComponentRegistry) throws -> any Strategy {
        try ModelStrategy(self, symbols: symbols, registry: registry)
    }
}

extension NodeReader {
    /// `[alpha158, momentum_20d, {alpha158: {only: [ROC20], min_periods: 1}}, {name: momentum, lookback: 60}]`.
    package func modelFeatures(_ node: Node) throws -> [ModelStrategyConfig.Feature] {
        let key = "strategy.features"
        guard let items = node.sequence, !items.isEmpty else { throw fail(node, key, "expected a list, such as [alpha158, momentum_20d]") }
        return try items.map { item in
            if item.scalar?.string == "alpha158" { return .alpha158(Alpha158Settings(), only: nil) }
            if let m = item.mapping, let a = m["alpha158"] {
                _ = try mapping(item, key, allowed: ["alpha158"])
                let f = try mapping(a, "\(key).alpha158", allowed: ["windows", "min_periods", "only"])
                var s = Alpha158Settings()
                if let w = f["windows"] {
                    guard let seq = w.sequence else { throw fail(w, "\(key).alpha158.windows", "expected a list of bar counts") }
                    s.windows = try seq.map { try int($0, "\(key).alpha158.windows", min: 2, max: 1_000) }
                }
                if let p = f["min_periods"] { s.minPeriods = try int(p, "\(key).alpha158.min_periods", min: 1, max: 1_000) }
                do { try s.validate() } catch let e as FeatureError { throw fail(a, "\(key).alpha158", e.description) }
                let only = try f["only"].map { o -> [String] in
                    guard let seq = o.sequence else { throw fail(o, "\(key).alpha158.only", "expected a list of feature names") }
                    return try seq.map { x in
                        let name = try string(x, "\(key).alpha158.only")
                        guard s.names.contains(name) else { throw fail(x, "\(key).alpha158.only", "\"\(clipped(name))\" is not an Alpha158 feature") }
                        return name
                    }
                }
                return .alpha158(s, only: only)
            }
            let name = try alphaName(item, key: key)
            guard registry.alphas.contains(name) else {
                throw fail(item, key, "\"\(clipped(name))\" is not alpha158 or a registered alpha; alphas: \(registry.alphas.listing)")
            }
            return .alpha(name)
        }
    }
}

