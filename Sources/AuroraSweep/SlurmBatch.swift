import Foundation

/// The `sbatch` scripts of a sweep on Slurm: a job array of `run-shard` tasks (the array index
/// is the shard, or the first of a bundle), and a collector that runs once every task has
/// succeeded (`--dependency=afterok`). Slurm does not retry a failed task by itself; `--missing`
/// resubmits the shards without a valid result.
public struct SlurmBatch: Sendable {
    public var plan: String
    /// The binary the tasks run: a path every node sees, or, with `broadcast`, copied to each
    /// node's /tmp by `sbcast` first.
    public var binary: String
    public var broadcast = false
    public var indices: [Int]
    public var shardsPerTask = 1
    public var maxParallel: Int?
    public var partition: String?
    public var sweepID: String

    public init(plan: String, binary: String, indices: [Int], sweepID: String) {
        self.plan = plan
        self.binary = binary
        self.indices = indices
        self.sweepID = sweepID
    }

    /// Task ids for the array: shard indices, or bundle starts (the bundles of --shards-per-task).
    public var arrayIndices: [Int] {
        guard shardsPerTask > 1 else { return indices }
        return Array(Set(indices.map { $0 / shardsPerTask * shardsPerTask })).sorted()
    }

    /// `0-199` or `1,5,7-9`, with `%N` when parallelism is capped.
    public var arraySpec: String {
        var parts: [String] = []
        var i = 0
        let xs = arrayIndices
        while i < xs.count {
            var j = i
            while j + 1 < xs.count && xs[j + 1] == xs[j] + 1 { j += 1 }
            parts.append(i == j ? "\(xs[i])" : "\(xs[i])-\(xs[j])")
            i = j + 1
        }
        return parts.joined(separator: ",") + (maxParallel.map { "%\($0)" } ?? "")
    }

    private func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    public var arrayScript: String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=aurora-\(sweepID)", "#SBATCH --array=\(arraySpec)",
                     "#SBATCH --output=\(plan)/slurm/%A_%a.out", "#SBATCH --ntasks=1", "#SBATCH --cpus-per-task=1"]
        if let p = partition { lines.append("#SBATCH --partition=\(p)") }
        lines.append("set -euo pipefail")
        var run = quoted(binary)
        if broadcast {
            lines.append("sbcast --force \(quoted(binary)) /tmp/aurora-\(sweepID)")
            run = "/tmp/aurora-\(sweepID)"
        }
        lines.append("exec \(run) sweep run-shard \(quoted(plan)) --shards-per-task \(shardsPerTask)")
        return lines.joined(separator: "\n") + "\n"
    }

    public var collectScript: String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=aurora-\(sweepID)-collect", "#SBATCH --output=\(plan)/slurm/collect_%j.out", "#SBATCH --ntasks=1"]
        if let p = partition { lines.append("#SBATCH --partition=\(p)") }
        var run = quoted(binary)
        if broadcast {
            lines.append("sbcast --force \(quoted(binary)) /tmp/aurora-\(sweepID)")
            run = "/tmp/aurora-\(sweepID)"
        }
        lines.append("exec \(run) sweep collect \(quoted(plan)) --out \(quoted(plan + "/sweep.csv"))")
        return lines.joined(separator: "\n") + "\n"
    }
}
