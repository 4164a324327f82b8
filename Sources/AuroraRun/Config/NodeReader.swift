import AuroraData
import AuroraKernel
import AuroraModel
import AuroraStrategies
import Foundation
import Yams

/// Typed access to YAML nodes with errors that point at the line.
package struct NodeReader {
    package let file: String
    package var registry: ComponentRegistry = .builtIn

    package init(file: String, registry: ComponentRegistry = .builtIn) {
        self.file = file
        self.registry = registry
    }

    package func fail(_ node: Node?, _ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: node?.mark?.line, key: key, message: message)
    }

    /// A mapping's entries by key, refusing keys outside `allowed` and duplicates.
    package func mapping(_ node: Node, _ key: String, allowed: [String]) throws -> [String: Node] {
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
    package func clipped(_ text: String) -> String { text.count > 60 ? String(text.prefix(57)) + "…" : text }

    package func string(_ node: Node, _ key: String) throws -> String {
        guard let s = node.scalar?.string else { throw fail(node, key, "expected a single value") }
        return s
    }

    package func double(_ node: Node, _ key: String, min: Double? = nil, max: Double? = nil) throws -> Double {
        let text = try string(node, key)
        guard let v = Double(text) else { throw fail(node, key, "\"\(clipped(text))\" is not a number") }
        guard v.isFinite else { throw fail(node, key, "\"\(clipped(text))\" is out of range\(max.map { ", at most \(ConfigWriter.number($0))" } ?? "")") }
        if let min, v < min { throw fail(node, key, "must be at least \(ConfigWriter.number(min)), not \(clipped(text))") }
        if let max, v > max { throw fail(node, key, "out of range: at most \(ConfigWriter.number(max)), not \(clipped(text))") }
        return v
    }

    package func int(_ node: Node, _ key: String, min: Int? = nil, max: Int? = nil) throws -> Int {
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

    package func bool(_ node: Node, _ key: String) throws -> Bool {
        switch try string(node, key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw fail(node, key, "\"\(other)\" is not true or false")
        }
    }

    package func choice<E: RawRepresentable & CaseIterable>(_ node: Node, _ key: String, _: E.Type) throws -> E where E.RawValue == String {
        let text = try string(node, key)
        guard let v = E(rawValue: text) else {
            throw fail(node, key, "\"\(clipped(text))\" is not one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }
}

/// A mapping of the YAML file as a `ConfigSection`: what components read their settings through.
struct YAMLSection: ConfigSection {
    let reader: NodeReader
    let node: Node
    let path: String
    private let entries: [String: Node]

    init(_ reader: NodeReader, _ node: Node, _ path: String) throws {
        guard let m = node.mapping else { throw reader.fail(node, path, "expected a mapping of keys to values") }
        var entries: [String: Node] = [:]
        for (k, v) in m {
            guard let name = k.scalar?.string else { throw reader.fail(k, path, "keys must be plain names") }
            guard entries[name] == nil else { throw reader.fail(k, "\(path).\(name)", "appears twice") }
            entries[name] = v
        }
        self.reader = reader
        self.node = node
        self.path = path
        self.entries = entries
    }

    private func key(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }

    func allow(_ allowed: [String]) throws {
        // In file order, so the first unknown key is the one reported.
        for (k, _) in node.mapping ?? [:] {
            guard let name = k.scalar?.string, allowed.contains(name) else {
                throw reader.fail(k, key(k.scalar?.string ?? ""), "unknown key; expected one of: \(allowed.joined(separator: ", "))")
            }
        }
    }

    func has(_ k: String) -> Bool { entries[k] != nil }
    func double(_ k: String, min: Double?, max: Double?) throws -> Double? { try entries[k].map { try reader.double($0, key(k), min: min, max: max) } }
    func int(_ k: String, min: Int?, max: Int?) throws -> Int? { try entries[k].map { try reader.int($0, key(k), min: min, max: max) } }
    func bool(_ k: String) throws -> Bool? { try entries[k].map { try reader.bool($0, key(k)) } }
    func string(_ k: String) throws -> String? { try entries[k].map { try reader.string($0, key(k)) } }
    func error(_ k: String, _ message: String) -> any Error { reader.fail(entries[k] ?? node, key(k), message) }

    /// The mapping under `k`, if the section has one.
    func subsection(_ k: String) throws -> YAMLSection? { try entries[k].map { try YAMLSection(reader, $0, key(k)) } }
    func section(_ k: String) throws -> (any ConfigSection)? { try subsection(k) }
}
