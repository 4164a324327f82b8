import AuroraRun
import Foundation
import Yams

/// A sweep as written (`sweep.yaml`): a base configuration, and what varies —
///
/// ```yaml
/// base: fixtures/backtest-momentum.yaml      # a configuration file, or `config:` inline
/// grid:                                      # every combination
///   strategy.lookback: [10, 20, 40]          # a list
///   strategy.threshold: {from: 0, to: 0.02, step: 0.01}   # a range, both ends included
/// zip:                                       # these vary together (equal lengths)
///   portfolio.max_position: [0.05, 0.1]
///   portfolio.gross_exposure: [0.5, 1.0]
/// blocks:                                    # walk-forward blocks: each combination on each
///   - {start: 2020-01-02, end: 2020-12-31}
///   - {start: 2021-01-04, end: 2021-12-07}
/// seed: 7                                    # the shards' seeds are seed + index
/// ```
///
/// Keys are dotted paths into the configuration (`strategy.lookback` sets `lookback:` under
/// `strategy:`). Every shard's configuration is resolved here, on the planning machine, and
/// checked by the configuration reader: a worker never expands a grid or meets a bad key.
public struct SweepSpec: Sendable {
    public var baseText: String
    public var baseName: String
    public var grid: [(key: String, values: [String])] = []
    public var zip: [(key: String, values: [String])] = []
    public var blocks: [(start: String, end: String)] = []
    public var seed: UInt64 = 0

    /// The most shards one plan may hold.
    public static let maxShards = 100_000

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ d: String) { description = d }
    }

    public static func load(path: String) throws -> SweepSpec {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Failure("\(path): cannot read the sweep file")
        }
        return try parse(text, file: path, directory: (path as NSString).deletingLastPathComponent)
    }

    public static func parse(_ text: String, file: String = "sweep", directory: String = ".") throws -> SweepSpec {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw Failure("\(file): not YAML: \(error)") }
        guard let root = node?.mapping else { throw Failure("\(file): expected a mapping with base: or config:, and grid:, zip: or blocks:") }
        func fail(_ key: String, _ why: String, _ n: Node?) -> Failure {
            Failure("\(file):\((n?.mark?.line).map { "\($0):" } ?? "") \(key): \(why)")
        }
        for (k, v) in root where !["base", "config", "grid", "zip", "blocks", "seed"].contains(k.string ?? "") {
            throw fail(k.string ?? "?", "unknown key; expected base, config, grid, zip, blocks, seed", v)
        }
        var spec: SweepSpec
        switch (root["base"], root["config"]) {
        case (let b?, nil):
            guard let name = b.string else { throw fail("base", "a configuration file's path", b) }
            let path = name.hasPrefix("/") ? name : (FileManager.default.fileExists(atPath: name) ? name : (directory as NSString).appendingPathComponent(name))
            guard let data = FileManager.default.contents(atPath: path), let base = String(data: data, encoding: .utf8) else {
                throw fail("base", "cannot read \(name)", b)
            }
            spec = SweepSpec(baseText: base, baseName: name)
        case (nil, let c?):
            guard c.mapping != nil else { throw fail("config", "a configuration mapping", c) }
            spec = SweepSpec(baseText: try Yams.serialize(node: c), baseName: "inline")
        case (nil, nil): throw Failure("\(file): give base: (a configuration file) or config: (inline)")
        default: throw Failure("\(file): give base: or config:, not both")
        }
        spec.grid = try axes(root["grid"], "grid", fail)
        spec.zip = try axes(root["zip"], "zip", fail)
        if let z = spec.zip.first, let bad = spec.zip.first(where: { $0.values.count != z.values.count }) {
            throw fail("zip.\(bad.key)", "\(bad.values.count) values, but zip.\(z.key) has \(z.values.count): zipped lists have equal lengths", root["zip"])
        }
        if let b = root["blocks"] {
            guard let items = b.sequence, !items.isEmpty else { throw fail("blocks", "a list of {start: YYYY-MM-DD, end: YYYY-MM-DD}", b) }
            for (i, item) in items.enumerated() {
                guard let m = item.mapping, let s = m["start"]?.string, let e = m["end"]?.string, m.count == 2 else {
                    throw fail("blocks[\(i)]", "expected {start: YYYY-MM-DD, end: YYYY-MM-DD}", item)
                }
                guard s <= e else { throw fail("blocks[\(i)]", "start \(s) is after end \(e)", item) }
                spec.blocks.append((s, e))
            }
        }
        if let s = root["seed"] {
            guard let v = s.string.flatMap(UInt64.init) else { throw fail("seed", "a whole number ≥ 0", s) }
            spec.seed = v
        }
        guard !spec.grid.isEmpty || !spec.zip.isEmpty || !spec.blocks.isEmpty else {
            throw Failure("\(file): nothing varies; give grid:, zip: or blocks:")
        }
        return spec
    }

    private static func axes(_ node: Node?, _ section: String, _ fail: (String, String, Node?) -> Failure) throws -> [(key: String, values: [String])] {
        guard let node else { return [] }
        guard let m = node.mapping else { throw fail(section, "a mapping of dotted keys to lists or ranges", node) }
        var out: [(key: String, values: [String])] = []
        for (k, v) in m {
            guard let key = k.string, !key.isEmpty, key.split(separator: ".").allSatisfy({ !$0.isEmpty }) else {
                throw fail(section, "a key must be a dotted path such as strategy.lookback", k)
            }
            let path = "\(section).\(key)"
            if let items = v.sequence {
                guard !items.isEmpty else { throw fail(path, "the list is empty: the grid would have no shard", v) }
                out.append((key, try items.map { i in
                    if let s = i.string { return s }
                    // A list or mapping as a value (e.g. a model's candidate list): kept as YAML.
                    return try Yams.serialize(node: i).trimmingCharacters(in: .whitespacesAndNewlines)
                }))
            } else if let r = v.mapping {
                guard let from = r["from"]?.string.flatMap(Double.init), let to = r["to"]?.string.flatMap(Double.init),
                      let step = r["step"]?.string.flatMap(Double.init), r.count == 3 else {
                    throw fail(path, "a range is {from: A, to: B, step: S}", v)
                }
                guard step > 0, to >= from, from.isFinite, to.isFinite else { throw fail(path, "a range needs step > 0 and to ≥ from", v) }
                let count = Int(((to - from) / step + 1e-9).rounded(.down)) + 1
                guard count <= maxShards else { throw fail(path, "\(count) values: more than \(maxShards) shards", v) }
                out.append((key, (0..<count).map { i in number(from + Double(i) * step) }))
            } else {
                throw fail(path, "a list [a, b, …] or a range {from, to, step}", v)
            }
        }
        return out
    }

    /// Shortest text that reads back to the same double, without float noise from the steps.
    static func number(_ v: Double) -> String {
        let rounded = (v * 1e12).rounded() / 1e12
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : "\(rounded)"
    }

    /// How many shards the spec expands to (grid product × zip length × blocks).
    public var shardCount: Int {
        var n = 1
        for a in grid { n = n.multipliedReportingOverflow(by: a.values.count).overflow ? Int.max : n * a.values.count }
        if let z = zip.first { n = n.multipliedReportingOverflow(by: z.values.count).overflow ? Int.max : n * z.values.count }
        if !blocks.isEmpty { n = n.multipliedReportingOverflow(by: blocks.count).overflow ? Int.max : n * blocks.count }
        return n
    }
}
