import AuroraLog
import AuroraRun
import AuroraStats
import Foundation
import Yams

/// A planned sweep on disk: `manifest.json` and one fully resolved configuration per shard
/// (`shards/000042.yaml`). Workers read their shard and nothing else of the spec.
public struct SweepManifest: Codable, Sendable, Equatable {
    public struct Shard: Codable, Sendable, Equatable {
        public var index: Int
        public var parameters: [String: String]
        public var block: String?
        public var seed: UInt64
        /// SHA-256 of the shard's configuration file.
        public var configDigest: String

        enum CodingKeys: String, CodingKey { case index, parameters, block, seed, configDigest = "config_digest" }
    }
    public struct DataFile: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
    }
    public var sweepID: String
    public var engineVersion: String
    /// SHA-256 of the `aurora` binary that planned the sweep; workers must run the same one.
    public var binarySHA256: String
    public var dataFiles: [DataFile]
    public var shards: [Shard]

    enum CodingKeys: String, CodingKey {
        case sweepID = "sweep_id", engineVersion = "engine_version", binarySHA256 = "binary_sha256", dataFiles = "data_files", shards
    }
}

public enum SweepPlanner {
    /// Expands `spec` into shards, checks each configuration, and writes the plan to `folder`
    /// (which must not hold another plan). `binary` is the path of the running `aurora`.
    @discardableResult
    public static func plan(_ spec: SweepSpec, to folder: String, binary: String, registry: ComponentRegistry) throws -> SweepManifest {
        let count = spec.shardCount
        guard count >= 1 else { throw SweepSpec.Failure("the sweep expands to no shard") }
        guard count <= SweepSpec.maxShards else {
            throw SweepSpec.Failure("the sweep expands to \(count == .max ? "more than \(Int64.max)" : String(count)) shards, more than the limit of \(SweepSpec.maxShards): split it into several plans")
        }
        let fm = FileManager.default
        if fm.fileExists(atPath: (folder as NSString).appendingPathComponent("manifest.json")) {
            throw SweepSpec.Failure("\(folder): already holds a plan (manifest.json); plan into a new folder")
        }
        let base: Node
        do {
            guard let b = try Yams.compose(yaml: spec.baseText), b.mapping != nil else { throw SweepSpec.Failure("\(spec.baseName): not a configuration mapping") }
            base = b
        } catch let e as SweepSpec.Failure { throw e } catch { throw SweepSpec.Failure("\(spec.baseName): not YAML: \(error)") }

        // Each shard resolved and checked on its own, on every core; the order is the index's.
        let resolved = Parallel.map(count, threads: Parallel.threads) { index in
            Result { try resolve(spec, base: base, index: index, registry: registry) }
        }
        var texts: [String] = [], shards: [SweepManifest.Shard] = []
        var dataPaths = Set<String>()
        for r in resolved {
            let (text, shard, paths) = try r.get()
            texts.append(text)
            shards.append(shard)
            dataPaths.formUnion(paths)
        }
        let dataFiles = try dataPaths.sorted().map { SweepManifest.DataFile(path: $0, sha256: try fileDigest($0)) }
        let id = SHA256Hasher()
        for s in shards { Array(s.configDigest.utf8).withUnsafeBytes { id.update($0) } }
        let manifest = SweepManifest(sweepID: String(hexString(id.digest()).prefix(16)), engineVersion: AuroraVersion.engine,
                                     binarySHA256: try fileDigest(binary), dataFiles: dataFiles, shards: shards)
        try fm.createDirectory(atPath: (folder as NSString).appendingPathComponent("shards"), withIntermediateDirectories: true)
        // Shard files are written in place: the plan is a new folder, and the manifest, written
        // last by a rename, is what makes it a plan.
        for (i, text) in texts.enumerated() {
            let path = SweepFiles.shardConfig(folder, i)
            guard fm.createFile(atPath: path, contents: Data(text.utf8)) else { throw SweepSpec.Failure("\(path): cannot write here") }
        }
        try SweepFiles.writeAtomically(try SweepFiles.json(manifest), to: (folder as NSString).appendingPathComponent("manifest.json"))
        return manifest
    }

    /// Shard `index`: its parameters, its configuration (checked, canonical) and the data it reads.
    static func resolve(_ spec: SweepSpec, base: Node, index: Int, registry: ComponentRegistry) throws -> (String, SweepManifest.Shard, [String]) {
        // Grid in the order written (the last key fastest), then the zip, then the block.
        var rest = index
        var parameters: [(String, String)] = []
        let blockIndex = spec.blocks.isEmpty ? nil : rest % spec.blocks.count
        if !spec.blocks.isEmpty { rest /= spec.blocks.count }
        if let z = spec.zip.first {
            let k = rest % z.values.count
            rest /= z.values.count
            parameters += spec.zip.map { ($0.key, $0.values[k]) }
        }
        var gridValues: [(String, String)] = []
        for axis in spec.grid.reversed() {
            gridValues.insert((axis.key, axis.values[rest % axis.values.count]), at: 0)
            rest /= axis.values.count
        }
        parameters = gridValues + parameters
        var node = base
        for (key, value) in parameters { node = try set(node, key.split(separator: ".").map(String.init), value, key: key) }
        var block: String?
        if let b = blockIndex {
            let (s, e) = spec.blocks[b]
            node = try set(node, ["data", "start"], s, key: "data.start")
            node = try set(node, ["data", "end"], e, key: "data.end")
            block = "\(s)..\(e)"
        }
        let text = try Yams.serialize(node: node)
        var config: AuroraConfig
        do { config = try ConfigReader.parse(text, file: "shard \(index) (\(describe(parameters, block)))", registry: registry) } catch {
            throw SweepSpec.Failure("\(error)")
        }
        absolutize(&config.data)
        var paths: [String] = config.data.isSynthetic ? [] : config.data.paths
        if let a = config.data.actions { paths.append(a) }
        let canonical = ConfigWriter.yaml(config)
        let shard = SweepManifest.Shard(index: index, parameters: Dictionary(parameters, uniquingKeysWith: { $1 }), block: block,
                                        seed: spec.seed &+ UInt64(index), configDigest: hexString(sha256(Array(canonical.utf8))))
        return (canonical, shard, paths)
    }

    static func describe(_ parameters: [(String, String)], _ block: String?) -> String {
        (parameters.map { "\($0.0)=\($0.1)" } + (block.map { ["block \($0)"] } ?? [])).joined(separator: ", ")
    }

    /// Sets `path` in a YAML mapping to `value` (read as YAML: 10 is a number, [1, 2] a list).
    static func set(_ node: Node, _ path: [String], _ value: String, key: String) throws -> Node {
        guard var m = node.mapping else { throw SweepSpec.Failure("\(key): \(path.first ?? "") is not a mapping in the base configuration") }
        guard let head = path.first else { return node }
        if path.count == 1 {
            let v: Node
            do { v = try Yams.compose(yaml: value) ?? Node("") } catch { throw SweepSpec.Failure("\(key): \"\(value.prefix(40))\" is not a YAML value") }
            m[Node(head)] = v
        } else {
            let child = m[Node(head)] ?? Node.mapping(Node.Mapping([]))
            m[Node(head)] = try set(child, Array(path.dropFirst()), value, key: key)
        }
        return .mapping(m)
    }

    /// Data paths as absolute paths, so a worker in any folder of a shared file system finds them.
    static func absolutize(_ data: inout DataConfig) {
        guard !data.isSynthetic else { return }
        data.source = absolute(data.source)
        data.moreSources = data.moreSources.map(absolute)
        data.actions = data.actions.map(absolute)
    }

    static func absolute(_ p: String) -> String {
        p.hasPrefix("/") ? p : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(p).standardized.path
    }

    /// SHA-256 of a file, read in pieces.
    public static func fileDigest(_ path: String) throws -> String {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            // A folder source: its files' names and digests, in name order.
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            let text = try names.map { "\($0) \(try fileDigest((path as NSString).appendingPathComponent($0)))" }.joined(separator: "\n")
            return hexString(sha256(Array(text.utf8)))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SweepSpec.Failure("\(path): cannot read it to take its SHA-256") }
        defer { try? handle.close() }
        let hasher = SHA256Hasher()
        while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty { chunk.withUnsafeBytes { hasher.update($0) } }
        return hexString(hasher.digest())
    }
}
