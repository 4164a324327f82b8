import AuroraRun
import Yams

/// The YAML of models, as research.yaml and a model strategy's section write it:
///
/// ```yaml
/// models:
///   - {name: ridge, type: ridge, lambda: [1, 10, 100]}     # a list: chosen on validation dates
///   - {name: gbdt, type: xgboost, rounds: 60, max_depth: 4, target: rank}
/// ensemble: {window: 60, floor: 0, min_dates: 10}
/// calibration: {method: isotonic, bins: 10, window: 120, min_pairs: 500}
/// ```
extension NodeReader {
    package func modelSpecs(_ node: Node, _ key: String) throws -> [ModelSpec] {
        guard let items = node.sequence, !items.isEmpty else { throw fail(node, key, "expected a list of models, such as [{name: ridge, type: ridge}]") }
        var specs: [ModelSpec] = []
        for item in items {
            guard let m = item.mapping else { throw fail(item, key, "each model is a mapping with a name and a type") }
            guard let typeNode = m["type"] else { throw fail(item, key, "a model needs a type: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))") }
            let kind = try choice(typeNode, "\(key).type", ModelKind.self)
            let name = try m["name"].map { try string($0, "\(key).name") } ?? kind.rawValue
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !name.isEmpty else {
                throw fail(m["name"], "\(key).name", "\"\(clipped(name))\" must be letters, digits and _")
            }
            guard !specs.contains(where: { $0.name == name }) else { throw fail(m["name"] ?? item, "\(key).name", "\"\(name)\" is used twice") }
            let fields = try mapping(item, key, allowed: ["name", "type", "target"] + kind.parameters.map(\.name))
            var spec = ModelSpec(name: name, kind: kind)
            if let t = fields["target"] { spec.target = try choice(t, "\(key).\(name).target", TargetTransform.self) }
            for p in kind.parameters {
                guard let v = fields[p.name] else { continue }
                let path = "\(key).\(name).\(p.name)"
                let values = try v.sequence.map { try $0.map { try double($0, path) } } ?? [try double(v, path)]
                guard !values.isEmpty else { throw fail(v, path, "the list is empty") }
                for value in values {
                    if case .failure(let e) = kind.resolve([p.name: value]) { throw fail(v, path, e.description.replacingOccurrences(of: "\(p.name): ", with: "")) }
                }
                spec.candidates[p.name] = values
            }
            specs.append(spec)
        }
        return specs
    }

    package func ensemble(_ node: Node, _ key: String) throws -> EnsembleSettings {
        let m = try mapping(node, key, allowed: ["window", "floor", "min_dates"])
        var e = EnsembleSettings()
        if let v = m["window"] { e.window = try int(v, "\(key).window", min: 1, max: 100_000) }
        if let v = m["floor"] { e.floor = try double(v, "\(key).floor", min: -1, max: 1) }
        if let v = m["min_dates"] { e.minDates = try int(v, "\(key).min_dates", min: 0, max: 100_000) }
        return e
    }

    package func calibration(_ node: Node, _ key: String) throws -> CalibrationSettings {
        let m = try mapping(node, key, allowed: ["method", "bins", "window", "min_pairs"])
        var c = CalibrationSettings()
        if let v = m["method"] { c.method = try choice(v, "\(key).method", CalibrationSettings.Method.self) }
        if let v = m["bins"] { c.bins = try int(v, "\(key).bins", min: 2, max: 1_000) }
        if let v = m["window"] { c.window = try int(v, "\(key).window", min: 1, max: 100_000) }
        if let v = m["min_pairs"] { c.minPairs = try int(v, "\(key).min_pairs", min: 1, max: 100_000_000) }
        return c
    }
}
