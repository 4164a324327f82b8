import AuroraLog
import AuroraRun
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one shard produced: its log's digest and metrics, and where and how it ran.
public struct ShardResult: Codable, Sendable, Equatable {
    public var sweepID: String
    public var index: Int
    public var configDigest: String
    public var digest: String
    public var metrics: [String: Double]
    public var host: String
    /// The machine's system and C library: where a digest could depend on `libm`, this says
    /// which one produced it.
    public var platform: String
    public var wallSeconds: Double
    public var binarySHA256: String

    enum CodingKeys: String, CodingKey {
        case sweepID = "sweep_id", index, configDigest = "config_digest", digest, metrics, host, platform
        case wallSeconds = "wall_seconds", binarySHA256 = "binary_sha256"
    }
}

public enum ShardRunner {
    public enum Outcome: Sendable, Equatable { case ran(ShardResult), alreadyDone(ShardResult) }

    /// A result file that belongs to `shard` of this plan, or nil (missing, torn or another plan's).
    public static func validResult(_ plan: String, _ manifest: SweepManifest, _ index: Int) -> ShardResult? {
        guard let r = try? SweepFiles.decode(ShardResult.self, SweepFiles.result(plan, index)) else { return nil }
        let shard = manifest.shards[index]
        return r.sweepID == manifest.sweepID && r.index == index && r.configDigest == shard.configDigest ? r : nil
    }

    /// Runs shard `index` of the plan in `plan`: refuses when this binary or a data file differs
    /// from the manifest; does nothing when a matching result exists; otherwise runs the
    /// backtest into `logs/`, then writes the result by a temporary file and a rename.
    public static func run(plan: String, index: Int, binary: String, registry: ComponentRegistry,
                           checkBinary: Bool = true) throws -> Outcome {
        let manifest = try SweepFiles.loadManifest(plan)
        guard manifest.shards.indices.contains(index) else {
            throw SweepSpec.Failure("shard \(index): the plan has shards 0 to \(manifest.shards.count - 1)")
        }
        if let done = validResult(plan, manifest, index) { return .alreadyDone(done) }
        let cache = (plan as NSString).appendingPathComponent(".digests")
        let binaryDigest = try DigestCache.digest(binary, cache: cache)
        if checkBinary && binaryDigest != manifest.binarySHA256 {
            throw SweepSpec.Failure("\(binary): SHA-256 \(binaryDigest.prefix(16))… is not the planning binary's \(manifest.binarySHA256.prefix(16))…; run the sweep with the binary that planned it")
        }
        for file in manifest.dataFiles {
            let digest = try DigestCache.digest(file.path, cache: cache)
            guard digest == file.sha256 else {
                throw SweepSpec.Failure("\(file.path): SHA-256 \(digest.prefix(16))… differs from the plan's \(file.sha256.prefix(16))…; the data changed since the sweep was planned")
            }
        }
        let configPath = SweepFiles.shardConfig(plan, index)
        guard let data = FileManager.default.contents(atPath: configPath), let text = String(data: data, encoding: .utf8) else {
            throw SweepSpec.Failure("\(configPath): missing")
        }
        let configDigest = hexString(sha256(Array(text.utf8)))
        guard configDigest == manifest.shards[index].configDigest else {
            throw SweepSpec.Failure("\(configPath): SHA-256 differs from the manifest's; the shard was edited after planning")
        }
        let config = try ConfigReader.parse(text, file: configPath, registry: registry)
        let began = Date()
        let logPath = SweepFiles.log(plan, index)
        try FileManager.default.createDirectory(atPath: (logPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // A log left by an earlier attempt that died is replaced: the result file is the record.
        try? FileManager.default.removeItem(atPath: logPath)
        var engine = BacktestEngine(config: config, logPath: logPath)
        engine.configFileDigest = sha256(Array(text.utf8))
        engine.registry = registry
        let result = try engine.runMulti()
        let s = result.statistics
        let shard = ShardResult(sweepID: manifest.sweepID, index: index, configDigest: configDigest, digest: result.log.digestHex,
                                metrics: ["total_return": s.totalReturn, "cagr": s.annualReturn, "volatility": s.annualVolatility,
                                          "sharpe": s.sharpe, "sortino": s.sortino, "max_drawdown": s.maxDrawdown,
                                          "fills": Double(result.trades.count), "events": Double(result.log.eventCount),
                                          "final_equity": result.equityCurve.last?.equity ?? config.portfolio.initialCash],
                                host: host, platform: platform,
                                wallSeconds: Date().timeIntervalSince(began), binarySHA256: binaryDigest)
        try SweepFiles.writeAtomically(try SweepFiles.json(shard), to: SweepFiles.result(plan, index))
        return .ran(shard)
    }

    /// SHA-256 of files a worker checks every shard (the binary, the data), remembered in the
    /// plan by the file's device, inode, size and modification time: a node hashes each once,
    /// and a file that changes in any of those is hashed again.
    enum DigestCache {
        static func digest(_ path: String, cache: String) throws -> String {
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return try SweepPlanner.fileDigest(path) }
            let identity = "\(path)\n\(st.st_dev) \(st.st_ino) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
            let entry = (cache as NSString).appendingPathComponent(String(hexString(sha256(Array(identity.utf8))).prefix(32)))
            if let data = FileManager.default.contents(atPath: entry), data.count == 64,
               let text = String(data: data, encoding: .utf8), text.allSatisfy(\.isHexDigit) {
                return text
            }
            let digest = try SweepPlanner.fileDigest(path)
            try? SweepFiles.writeAtomically(digest, to: entry)
            return digest
        }
    }

    /// Runs shard `index`'s configuration again into a temporary log: its digest, to compare with
    /// the result a worker wrote.
    public static func rerunDigest(plan: String, index: Int, registry: ComponentRegistry) throws -> String {
        let configPath = SweepFiles.shardConfig(plan, index)
        guard let data = FileManager.default.contents(atPath: configPath), let text = String(data: data, encoding: .utf8) else {
            throw SweepSpec.Failure("\(configPath): missing")
        }
        let log = NSTemporaryDirectory() + "aurora-verify-\(ProcessInfo.processInfo.processIdentifier)-\(index).alog"
        defer { try? FileManager.default.removeItem(atPath: log) }
        var engine = BacktestEngine(config: try ConfigReader.parse(text, file: configPath, registry: registry), logPath: log)
        engine.configFileDigest = sha256(Array(text.utf8))
        engine.registry = registry
        return try engine.runMulti().log.digestHex
    }

    /// The machine, and the Slurm node when a Slurm task runs the shard (a node may share a
    /// host name with others, as the test's network-namespace nodes do).
    public static var host: String {
        let name = ProcessInfo.processInfo.hostName
        guard let node = ProcessInfo.processInfo.environment["SLURMD_NODENAME"], node != name else { return name }
        return "\(name) (node \(node))"
    }

    /// "Linux 6.1.0 x86_64, glibc 2.36".
    public static var platform: String {
        var u = utsname()
        uname(&u)
        func text<T>(_ field: T) -> String { withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) } }
        var libc = [CChar](repeating: 0, count: 64)
        let n = confstr(Int32(_CS_GNU_LIBC_VERSION), &libc, libc.count)
        let library = n > 0 ? String(decoding: libc.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown C library"
        return "\(text(u.sysname)) \(text(u.release)) \(text(u.machine)), \(library)"
    }
}
