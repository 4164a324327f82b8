import AuroraData
import AuroraKernel
import AuroraModel
import AuroraStrategies
import Foundation
import Yams

/// Reads the YAML configuration. Unknown keys, wrong types and invalid values are errors that
/// name the key (as a dotted path) and its line. Execution algorithms and portfolio constructors
/// read their own settings, through `ConfigSection`, from the registry's components.
public enum ConfigReader {
    public static func load(path: String, registry: ComponentRegistry = .builtIn) throws -> (config: AuroraConfig, text: String) {
        let text = try readText(path)
        return (try parse(text, file: path, registry: registry), text)
    }

    public static func parse(_ text: String, file: String = "config", registry: ComponentRegistry = .builtIn) throws -> AuroraConfig {
        let root = try compose(text, file: file)
        var config = AuroraConfig()
        guard let root else { return config }
        let reader = NodeReader(file: file, registry: registry)
        let top = try reader.mapping(root, "", allowed: ["strategy", "portfolio", "execution", "data", "log"])
        if let node = top["strategy"] { config.strategy = try reader.strategy(node) }
        if let node = top["portfolio"] { config.portfolio = try reader.portfolio(node) }
        if let node = top["execution"] { config.execution = try reader.execution(node) }
        if let node = top["data"] { config.data = try reader.data(node) }
        if let node = top["log"] {
            let m = try reader.mapping(node, "log", allowed: ["checkpoint_every", "checkpoint_reducers"])
            if let v = m["checkpoint_every"] { config.kernel.checkpointEvery = try reader.int(v, "log.checkpoint_every", min: 0, max: 1_000_000_000) }
            if let v = m["checkpoint_reducers"] { config.kernel.checkpointReducers = try reader.checkpointReducers(v) }
        }
        return config
    }
}

extension ConfigReader {
    /// A YAML file's text, or an error naming it (shared by every YAML file Aurora reads).
    package static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, key: "", message: "cannot read the file")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The text's YAML node tree (nil for an empty file), or an error naming the file.
    /// Composed without YAML's implicit types: every key reads its value's text itself, and the
    /// default rules' regular expressions took ~3 ms to compile in every command that reads one.
    package static func compose(_ text: String, file: String) throws -> Node? {
        do {
            return try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw ConfigError(file: file, line: nil, key: "", message: "not valid YAML: \(ConfigText.clipped("\(error)"))")
        }
    }
}

extension NodeReader {
    /// Reducers besides the portfolio whose states full checkpoints carry: names of registered
    /// reducers that can checkpoint, each once.
    func checkpointReducers(_ node: Node) throws -> [ReducerEntry] {
        guard let seq = node.sequence else { throw fail(node, "log.checkpoint_reducers", "expected a list of reducer names") }
        var out: [ReducerEntry] = []
        for item in seq {
            let name = try string(item, "log.checkpoint_reducers")
            let known = registry.reducers.filter { $0.checkpoints && $0.name != PortfolioReducer.name }
            guard let entry = known.first(where: { $0.name == name }) else {
                throw fail(item, "log.checkpoint_reducers", "\"\(clipped(name))\" is not a reducer that keeps checkpoints besides the portfolio; known: \(known.map(\.name).joined(separator: ", "))")
            }
            guard !out.contains(where: { $0.name == name }) else { throw fail(item, "log.checkpoint_reducers", "\"\(name)\" is listed twice") }
            out.append(entry)
        }
        return out
    }

    func portfolio(_ node: Node) throws -> PortfolioSettings {
        let section = try YAMLSection(self, node, "portfolio")
        var p = PortfolioSettings()
        let name = try section.string("construction") ?? EqualWeightConstruction.name
        guard let kind = registry.portfolioConstruction(named: name) else {
            throw section.error("construction", "unknown portfolio construction \"\(ConfigText.clipped(name))\"; known: \(registry.portfolioConstructions.map { $0.name }.joined(separator: ", "))")
        }
        try section.allow(["initial_cash", "construction"] + kind.keys)
        if let v = try section.double("initial_cash", min: 0.01, max: 1e12) { p.initialCash = v }
        p.construction = try kind.init(section: section)
        return p
    }

    func execution(_ node: Node) throws -> ExecutionSettings {
        let section = try YAMLSection(self, node, "execution")
        let sections = registry.executionAlgorithms.compactMap { $0.section }
        try section.allow(["algorithm", "fill", "fractional_shares", "cost_per_share", "cost_bps"] + sections)
        var e = ExecutionSettings()
        let name = try section.string("algorithm") ?? ImmediateAlgorithm.name
        guard let kind = registry.executionAlgorithm(named: name) else {
            throw section.error("algorithm", "\"\(ConfigText.clipped(name))\" is not one of: \(registry.executionAlgorithms.map { $0.name }.joined(separator: ", "))")
        }
        for other in sections where other != kind.section && section.has(other) {
            throw section.error(other, "settings of another algorithm than execution.algorithm (\(name))")
        }
        e.algorithm = try kind.init(section: try kind.section.flatMap { try section.subsection($0) })
        if let v = try section.choice("fill", FillTiming.self) { e.common.fill = v }
        if let v = try section.bool("fractional_shares") { e.common.fractionalShares = v }
        if let v = try section.double("cost_per_share", min: 0, max: 1_000) { e.common.costPerShare = v }
        if let v = try section.double("cost_bps", min: 0, max: 10_000) { e.common.costBps = v }
        return e
    }
}
