import AuroraLog
import Foundation

/// The state of a plan from its result files alone (not from the cluster's accounting, which
/// lags): which shards are done, missing, or have a torn or foreign result.
public struct SweepStatus: Sendable {
    public var total: Int
    public var done: [Int] = []
    public var missing: [Int] = []
    /// Result files that exist but are torn or belong to another plan or shard configuration.
    public var invalid: [(index: Int, reason: String)] = []

    public static func of(_ plan: String) throws -> SweepStatus {
        let manifest = try SweepFiles.loadManifest(plan)
        var s = SweepStatus(total: manifest.shards.count)
        for shard in manifest.shards {
            let path = SweepFiles.result(plan, shard.index)
            if ShardRunner.validResult(plan, manifest, shard.index) != nil {
                s.done.append(shard.index)
            } else if FileManager.default.fileExists(atPath: path) {
                let reason: String
                if let r = try? SweepFiles.decode(ShardResult.self, path) {
                    reason = r.sweepID != manifest.sweepID ? "from sweep \(r.sweepID), not \(manifest.sweepID)" : "for another configuration of shard \(shard.index)"
                } else { reason = "torn (not a whole result file)" }
                s.invalid.append((shard.index, reason))
                s.missing.append(shard.index)
            } else {
                s.missing.append(shard.index)
            }
        }
        return s
    }
}

/// Every shard's result merged into one table, ranked by a metric, and the sweep's digest:
/// SHA-256 over the shard digests in index order — the same sweep run anywhere gives it.
public struct SweepCollection: Sendable {
    public var manifest: SweepManifest
    public var results: [ShardResult]
    public var digest: String
    public var rankedBy: String

    public static let metrics = ["sharpe", "sortino", "total_return", "cagr", "volatility", "max_drawdown", "final_equity", "fills", "events"]

    public static func collect(_ plan: String, rankBy metric: String = "sharpe") throws -> SweepCollection {
        guard metrics.contains(metric) else { throw SweepSpec.Failure("--rank-by \(metric): not a metric; one of \(metrics.joined(separator: ", "))") }
        let manifest = try SweepFiles.loadManifest(plan)
        let status = try SweepStatus.of(plan)
        if let bad = status.invalid.first {
            throw SweepSpec.Failure("\(SweepFiles.result(plan, bad.index)): \(bad.reason); rerun it (`aurora sweep submit \(plan) --missing`)")
        }
        guard status.missing.isEmpty else {
            let list = status.missing.prefix(10).map(String.init).joined(separator: ", ")
            throw SweepSpec.Failure("\(status.missing.count) of \(status.total) shards have no result (\(list)\(status.missing.count > 10 ? ", …" : "")); resubmit with --missing, then collect")
        }
        let results = manifest.shards.compactMap { ShardRunner.validResult(plan, manifest, $0.index) }
        let hasher = SHA256Hasher()
        for r in results { Array((r.digest + "\n").utf8).withUnsafeBytes { hasher.update($0) } }
        return SweepCollection(manifest: manifest, results: results, digest: hexString(hasher.digest()), rankedBy: metric)
    }

    /// Results best first (drawdowns and volatility: the least first); NaN last; ties by index.
    public var ranked: [ShardResult] {
        let lowerIsBetter = rankedBy == "volatility"
        return results.sorted { a, b in
            let x = a.metrics[rankedBy] ?? .nan, y = b.metrics[rankedBy] ?? .nan
            if x.isNaN != y.isNaN { return !x.isNaN }
            if x != y && !x.isNaN { return lowerIsBetter ? x < y : x > y }
            return a.index < b.index
        }
    }

    /// The table as CSV: rank, index, each parameter, the block, each metric, the digest.
    public var csv: String {
        let keys = Array(Set(manifest.shards.flatMap { $0.parameters.keys })).sorted()
        var lines = [(["rank", "index"] + keys + ["block"] + Self.metrics + ["digest", "host", "wall_seconds"]).joined(separator: ",")]
        for (rank, r) in ranked.enumerated() {
            let shard = manifest.shards[r.index]
            let cells = ["\(rank + 1)", "\(r.index)"] + keys.map { quoted(shard.parameters[$0] ?? "") } + [shard.block ?? ""]
                + Self.metrics.map { r.metrics[$0].map { "\($0)" } ?? "" } + [r.digest, quoted(r.host), "\(r.wallSeconds)"]
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func quoted(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
}
