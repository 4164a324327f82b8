import ArgumentParser
import Aurora
import Foundation

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Parameter grids and walk-forward blocks as deterministic shards, run here or on Slurm.",
        discussion: """
        aurora sweep plan sweep.yaml --out PLAN       resolve every shard's configuration, write the manifest
        aurora sweep submit PLAN --engine local       run the shards on this machine's cores
        aurora sweep submit PLAN --engine slurm       a job array and a collector (afterok) through sbatch
        aurora sweep run-shard PLAN [--index N]       one shard (N from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)
        aurora sweep status PLAN                      done, missing and invalid shards, from the result files
        aurora sweep collect PLAN [--verify K]        one ranked table and the sweep digest
        """,
        subcommands: [SweepPlanCommand.self, SweepRunShard.self, SweepSubmit.self, SweepStatusCommand.self, SweepCollect.self])

    /// This executable, as the kernel knows it.
    static var binary: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

struct SweepPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Expand a sweep file into resolved shard configurations and a manifest.")
    @Argument(help: "The sweep file (base or config, grid, zip, blocks, seed).") var sweep: String
    @Option(name: .long, help: "The plan folder to create.") var out: String

    func run() throws {
        let began = Date()
        let spec = try SweepSpec.load(path: sweep)
        let manifest = try SweepPlanner.plan(spec, to: out, binary: Sweep.binary, registry: .standard)
        print("sweep        \(manifest.sweepID): \(grouped(manifest.shards.count)) shards planned in \(fixed(Date().timeIntervalSince(began), 2)) s")
        print("data         \(manifest.dataFiles.isEmpty ? "synthetic" : manifest.dataFiles.map { ($0.path as NSString).lastPathComponent }.joined(separator: ", "))")
        print("plan         \(out) (manifest.json, shards/)")
    }
}

struct SweepRunShard: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run-shard", abstract: "Run one shard (or a bundle of them); safe to run again.")
    @Argument(help: "The plan folder.") var plan: String
    @Option(name: .long, help: "The shard (default: SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX).") var index: Int?
    @Option(name: .long, help: "Run this many shards from the index on (bundles short shards into one task).") var shardsPerTask = 1

    func validate() throws {
        guard (1...10_000).contains(shardsPerTask) else { throw ValidationError("--shards-per-task must be 1 to 10000") }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        guard let first = index ?? env["SLURM_ARRAY_TASK_ID"].flatMap(Int.init) ?? env["JOB_COMPLETION_INDEX"].flatMap(Int.init) else {
            throw OptionMisuse("no shard: give --index N, or run under a Slurm array (SLURM_ARRAY_TASK_ID) or an indexed Kubernetes job (JOB_COMPLETION_INDEX)")
        }
        let manifest = try SweepFiles.loadManifest(plan)
        // Checked before the range is formed: past the plan's end it would be empty or reversed.
        guard manifest.shards.indices.contains(first) else {
            let problem = "shard \(first): " + (manifest.shards.isEmpty ? "the plan has no shards" : "the plan has shards 0 to \(manifest.shards.count - 1)")
            if index != nil { throw OptionMisuse(problem) }
            throw CommandError("\(problem) (the index from the environment: SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)")
        }
        var failed = 0
        for i in first..<min(first + shardsPerTask, manifest.shards.count) {
            do {
                switch try ShardRunner.run(plan: plan, index: i, binary: Sweep.binary, registry: .standard) {
                case .alreadyDone(let r): print("shard \(i)     already done (digest \(r.digest.prefix(16))…)")
                case .ran(let r): print("shard \(i)     digest \(r.digest), Sharpe \(fixed(r.metrics["sharpe"] ?? .nan, 3)), \(fixed(r.wallSeconds, 2)) s on \(r.host)")
                }
            } catch {
                failed += 1
                printError("shard \(i): \(error)")
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

struct SweepSubmit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Run the shards: on this machine, on Slurm, or print the batch script.")
    enum Engine: String, ExpressibleByArgument, CaseIterable { case local, slurm, print }
    @Argument(help: "The plan folder.") var plan: String
    @Option(name: .long, help: "local, slurm or print.") var engine: Engine = .local
    @Flag(name: .long, help: "Only the shards without a valid result.") var missing = false
    @Option(name: .long, help: "At most this many shards at once (default: this machine's cores; Slurm: %N).") var maxParallel: Int?
    @Option(name: .long, help: "Slurm partition.") var partition: String?
    @Option(name: .long, help: "Shards per Slurm task.") var shardsPerTask = 1
    @Flag(name: .long, help: "Copy the binary to each node's /tmp with sbcast instead of running it from a shared path.") var sbcast = false

    func validate() throws {
        if let m = maxParallel, !(1...10_000).contains(m) { throw ValidationError("--max-parallel must be 1 to 10000") }
        guard (1...10_000).contains(shardsPerTask) else { throw ValidationError("--shards-per-task must be 1 to 10000") }
    }

    func run() throws {
        let manifest = try SweepFiles.loadManifest(plan)
        let status = try SweepStatus.of(plan)
        let indices = missing ? status.missing : manifest.shards.map(\.index)
        guard !indices.isEmpty else { print("nothing to run: every shard has a valid result"); return }
        let absolutePlan = URL(fileURLWithPath: plan).standardized.path
        switch engine {
        case .print, .slurm:
            var batch = SlurmBatch(plan: absolutePlan, binary: Sweep.binary, indices: indices, sweepID: manifest.sweepID)
            batch.maxParallel = maxParallel
            batch.partition = partition
            batch.shardsPerTask = shardsPerTask
            batch.broadcast = sbcast
            if engine == .print { print(batch.arrayScript, terminator: ""); return }
            try SweepFiles.writeAtomically(batch.arrayScript, to: absolutePlan + "/slurm/array.sbatch")
            try SweepFiles.writeAtomically(batch.collectScript, to: absolutePlan + "/slurm/collect.sbatch")
            let job = try sbatch(["--parsable", absolutePlan + "/slurm/array.sbatch"])
            let collector = try sbatch(["--parsable", "--dependency=afterok:\(job)", absolutePlan + "/slurm/collect.sbatch"])
            print("submitted    job array \(job) (\(indices.count) shards, --array=\(batch.arraySpec)); collector \(collector) after it succeeds")
        case .local:
            let began = Date()
            let failed = try LocalEngine.run(binary: Sweep.binary, plan: plan, indices: indices,
                                             parallel: maxParallel ?? ProcessInfo.processInfo.activeProcessorCount)
            print("ran          \(indices.count - failed.count) of \(indices.count) shards in \(fixed(Date().timeIntervalSince(began), 2)) s")
            if !failed.isEmpty {
                printError("failed       shards \(failed.map(String.init).joined(separator: ", ")); see above, then `aurora sweep submit \(plan) --missing`")
                throw ExitCode(1)
            }
        }
    }

    /// `sbatch ARGS`: the job id it prints with --parsable ("123" or "123;cluster").
    func sbatch(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sbatch"] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw CommandError("sbatch: cannot start it (\(error)); is Slurm's client installed?") }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0, let id = text.split(separator: ";").first?.trimmingCharacters(in: .whitespacesAndNewlines), !id.isEmpty else {
            throw CommandError("sbatch failed (exit \(p.terminationStatus)): \(problem.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return id
    }
}

/// Shards as child processes of this binary, at most `parallel` at once.
enum LocalEngine {
    static func run(binary: String, plan: String, indices: [Int], parallel: Int) throws -> [Int] {
        var pending = indices[...], running: [(Int, Process)] = [], failed: [Int] = []
        while !pending.isEmpty || !running.isEmpty {
            while running.count < max(1, parallel), let i = pending.popFirst() {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: binary)
                p.arguments = ["sweep", "run-shard", plan, "--index", String(i)]
                try p.run()
                running.append((i, p))
            }
            if let k = running.firstIndex(where: { !$0.1.isRunning }) {
                let (i, p) = running.remove(at: k)
                p.waitUntilExit()
                if p.terminationStatus != 0 { failed.append(i) }
            } else {
                usleep(2_000)
            }
        }
        return failed.sorted()
    }
}

struct SweepStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Done, missing and invalid shards, from the result files.")
    @Argument(help: "The plan folder.") var plan: String

    func run() throws {
        let s = try SweepStatus.of(plan)
        print("shards       \(s.total): \(s.done.count) done, \(s.missing.count) missing\(s.invalid.isEmpty ? "" : " (\(s.invalid.count) with an invalid result)")")
        if !s.missing.isEmpty { print("missing      \(s.missing.prefix(40).map(String.init).joined(separator: ", "))\(s.missing.count > 40 ? ", …" : "")") }
        for bad in s.invalid.prefix(20) { print("invalid      shard \(bad.index): \(bad.reason)") }
        if !s.missing.isEmpty { throw ExitCode(3) }
    }
}

struct SweepCollect: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "collect", abstract: "Every shard's result in one ranked table, and the sweep digest.")
    @Argument(help: "The plan folder.") var plan: String
    @Option(name: .long, help: "Rank by this metric.") var rankBy = "sharpe"
    @Option(name: .long, help: "Write the table here (.csv, or .json).") var out: String?
    @Option(name: .long, help: "Re-run this many shards here and compare their digests.") var verify = 0
    @Option(name: .long, help: "Rows to print.") var top = 20

    func validate() throws {
        guard SweepCollection.metrics.contains(rankBy) else {
            throw ValidationError("--rank-by \(rankBy): not a metric; one of \(SweepCollection.metrics.joined(separator: ", "))")
        }
        guard top >= 0 else { throw ValidationError("--top must not be negative, not \(top)") }
        guard verify >= 0 else { throw ValidationError("--verify must not be negative, not \(verify)") }
    }

    func run() throws {
        let began = Date()
        let c = try SweepCollection.collect(plan, rankBy: rankBy)
        if let out {
            let text = out.hasSuffix(".json") ? try JSONOutput.text(c.ranked.map { r in
                ["index": "\(r.index)", "digest": r.digest, "host": r.host] .merging(r.metrics.mapValues { "\($0)" }) { a, _ in a }
                    .merging(c.manifest.shards[r.index].parameters) { a, _ in a }
            }) : c.csv
            try SweepFiles.writeAtomically(text, to: out)
        }
        let keys = Array(Set(c.manifest.shards.flatMap { $0.parameters.keys })).sorted()
        print("sweep        \(c.manifest.sweepID): \(c.results.count) shards, ranked by \(rankBy), collected in \(fixed(Date().timeIntervalSince(began), 2)) s")
        print((["rank", "shard"] + keys + ["block", rankBy, "total_return", "max_drawdown", "digest"]).joined(separator: "  "))
        for (k, r) in c.ranked.prefix(top).enumerated() {
            let s = c.manifest.shards[r.index]
            print(([String(k + 1), String(r.index)] + keys.map { s.parameters[$0] ?? "" } + [s.block ?? "-", fixed(r.metrics[rankBy] ?? .nan, 4),
                   percent(r.metrics["total_return"] ?? .nan), percent(r.metrics["max_drawdown"] ?? .nan), String(r.digest.prefix(16))]).joined(separator: "  "))
        }
        print("digest       \(c.digest)")
        if verify > 0 {
            let n = min(verify, c.results.count)
            let chosen = (0..<n).map { $0 * c.results.count / n }
            var mismatches = 0
            for i in chosen {
                let again = try ShardRunner.rerunDigest(plan: plan, index: i, registry: .standard)
                let same = again == c.results[i].digest
                if !same { mismatches += 1 }
                print("verify       shard \(i): \(same ? "same digest" : "DIFFERENT: here \(again.prefix(16))…, worker \(c.results[i].digest.prefix(16))… on \(c.results[i].host)")")
            }
            if mismatches > 0 { throw ExitCode(1) }
        }
    }
}
