import Foundation
import Testing

/// `aurora sweep` with the real binary: on this machine's cores, and on a real single-node Slurm
/// cluster that scripts/test starts for the tests (scripts/slurm-cluster; skipped with a message
/// where Slurm and munge are not installed).
@Suite("aurora sweep", .serialized)
struct SweepCLITests {
    /// Eight tiny shards: two lookbacks × two thresholds × two blocks of 30 synthetic days.
    static let sweep = """
    config:
      strategy: {type: momentum, lookback: 5, threshold: 0.01}
      data: {source: synthetic, synthetic: {symbols: 10, days: 80}}
    grid:
      strategy.lookback: [5, 10]
      strategy.threshold: [0, 0.02]
    blocks:
      - {start: 2020-01-02, end: 2020-02-28}
      - {start: 2020-03-02, end: 2020-04-22}
    """

    static func plan(_ dir: String, _ name: String) throws -> String {
        try Self.sweep.write(toFile: dir + "/sweep.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["sweep", "plan", dir + "/sweep.yaml", "--out", dir + "/" + name])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("8 shards planned"))
        return dir + "/" + name
    }

    static func digest(_ stdout: String) -> String? {
        stdout.split(separator: "\n").first { $0.hasPrefix("digest ") }.map { String($0.split(separator: " ").last ?? "") }
    }

    /// Per shard, the digest its result file records.
    static func shardDigests(_ plan: String) throws -> [String] {
        try (0..<8).map { i in
            let data = try #require(FileManager.default.contents(atPath: "\(plan)/results/00000\(i).json"))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return try #require(object["digest"] as? String)
        }
    }

    @Test("a bad sweep file fails the work (exit 1, no usage); a shard or metric the plan lacks is a misuse of that command's options (exit 64, its usage)")
    func exitStatuses() throws {
        let dir = CLI.temporaryDirectory()
        try "base: nowhere.yaml\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["sweep", "plan", dir + "/bad.yaml", "--out", dir + "/bad-plan"])
        #expect(bad.status == 1 && bad.stderr.contains("bad.yaml:1: base: cannot read nowhere.yaml") && !bad.stderr.contains("Usage:"),
                "\(bad.status) \(bad.stderr)")
        let plan = try Self.plan(dir, "plan")
        let shard = try CLI.run(["sweep", "run-shard", plan, "--index", "99"])
        #expect(shard.status == 64 && shard.stderr.contains("shard 99: the plan has shards 0 to 7"), "\(shard.status) \(shard.stderr)")
        #expect(shard.stderr.contains("Usage: aurora sweep run-shard <plan>") && shard.stderr.contains("See 'aurora sweep run-shard --help'"),
                "\(shard.stderr)")
        let negative = try CLI.run(["sweep", "run-shard", plan, "--index=-1"])
        #expect(negative.status == 64 && negative.stderr.contains("shard -1: the plan has shards 0 to 7"), "\(negative.status) \(negative.stderr)")
        for option in ["--top=-1", "--verify=-2"] {   // a negative count trapped in prefix(_:)
            let r = try CLI.run(["sweep", "collect", plan, option])
            #expect(r.status == 64 && r.stderr.contains("must not be negative"), "\(option): \(r.status) \(r.stderr)")
        }
        let metric = try CLI.run(["sweep", "collect", plan, "--rank-by", "alpha"])
        #expect(metric.status == 64 && metric.stderr.contains("--rank-by alpha: not a metric") && metric.stderr.contains("Usage: aurora sweep collect"),
                "\(metric.status) \(metric.stderr)")
    }

    @Test("local engine: a failing shard is reported, --missing reruns only it, collect ranks all eight and --verify agrees")
    func local() throws {
        let dir = CLI.temporaryDirectory()
        let plan = try Self.plan(dir, "plan")
        try FileManager.default.moveItem(atPath: plan + "/shards/000003.yaml", toPath: dir + "/aside.yaml")
        let first = try CLI.run(["sweep", "submit", plan, "--engine", "local", "--max-parallel", "2"])
        #expect(first.status == 1 && first.stderr.contains("failed       shards 3"), "\(first.stderr)")
        let status = try CLI.run(["sweep", "status", plan])
        #expect(status.status == 3 && status.stdout.contains("7 done, 1 missing"), "\(status.stdout)")
        let early = try CLI.run(["sweep", "collect", plan])
        #expect(early.status != 0 && early.stderr.contains("1 of 8 shards have no result"))
        try FileManager.default.moveItem(atPath: dir + "/aside.yaml", toPath: plan + "/shards/000003.yaml")
        let before = try FileManager.default.attributesOfItem(atPath: plan + "/results/000000.json")[.modificationDate] as? Date
        let again = try CLI.run(["sweep", "submit", plan, "--engine", "local", "--missing"])
        #expect(again.status == 0 && again.stdout.contains("ran          1 of 1 shards"), "\(again.stdout)\(again.stderr)")
        #expect(try FileManager.default.attributesOfItem(atPath: plan + "/results/000000.json")[.modificationDate] as? Date == before)
        let collected = try CLI.run(["sweep", "collect", plan, "--verify", "2", "--out", dir + "/sweep.csv"])
        #expect(collected.status == 0, "\(collected.stderr)")
        #expect(collected.stdout.contains("verify       shard 0: same digest"))
        #expect(try String(contentsOfFile: dir + "/sweep.csv", encoding: .utf8).split(separator: "\n").count == 9)
        // The same plan again, run serially: the same digest for every shard and the sweep.
        let serial = try Self.plan(dir, "serial")
        #expect(try CLI.run(["sweep", "submit", serial, "--engine", "local", "--max-parallel", "1"]).status == 0)
        #expect(try Self.shardDigests(serial) == (try Self.shardDigests(plan)))
        #expect(Self.digest(try CLI.run(["sweep", "collect", serial]).stdout) == Self.digest(collected.stdout))
        // A resubmission with nothing missing does nothing.
        #expect(try CLI.run(["sweep", "submit", plan, "--missing"]).stdout.contains("nothing to run"))
    }

    @Test("a real Slurm cluster: a job array with one failing task, --missing, the afterok collector; every digest equals a local run's")
    func slurm() throws {
        // scripts/test starts the cluster (scripts/slurm-cluster, stopped by its trap) and says
        // where it is; the daemons it forks are best not children of this process.
        guard let conf = ProcessInfo.processInfo.environment["AURORA_TEST_SLURM_CONF"], FileManager.default.fileExists(atPath: conf) else {
            print("skipped: no Slurm cluster (scripts/test starts one where slurmctld, slurmd, slurm-client and munge are installed; AURORA_TEST_SLURM_CONF names it)")
            return
        }
        let dir = CLI.temporaryDirectory()
        let env = ["SLURM_CONF": conf], withSlurm = ProcessInfo.processInfo.environment.merging(env) { $1 }
        func squeue() throws -> String { try CLI.shell(["squeue", "-h", "-o", "%i %t %r"], environment: env).stdout }
        func waitUntil(_ done: () throws -> Bool) throws {
            let deadline = Date().addingTimeInterval(120)
            while try !done() {
                guard Date() < deadline else { Issue.record("Slurm did not finish in 120 s: \(try squeue())"); return }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }

        let plan = try Self.plan(dir, "plan")
        try FileManager.default.moveItem(atPath: plan + "/shards/000005.yaml", toPath: dir + "/aside.yaml")
        let submitted = try CLI.run(["sweep", "submit", plan, "--engine", "slurm", "--max-parallel", "4"], environment: withSlurm)
        #expect(submitted.status == 0 && submitted.stdout.contains("--array=0-7%4"), "\(submitted.stdout)\(submitted.stderr)")
        // Task 5 fails, so the collector's afterok can never be met: wait for the array, then cancel it.
        try waitUntil { try squeue().split(separator: "\n").allSatisfy { $0.contains("PD") && $0.contains("Dependency") } }
        #expect(try CLI.run(["sweep", "status", plan]).stdout.contains("7 done, 1 missing"))
        _ = try CLI.shell(["scancel", "--name", "aurora-\(try Self.sweepID(plan))-collect"], environment: env)
        try FileManager.default.moveItem(atPath: dir + "/aside.yaml", toPath: plan + "/shards/000005.yaml")
        let missing = try CLI.run(["sweep", "submit", plan, "--engine", "slurm", "--missing"], environment: withSlurm)
        #expect(missing.stdout.contains("--array=5"), "\(missing.stdout)\(missing.stderr)")
        try waitUntil { try FileManager.default.fileExists(atPath: plan + "/sweep.csv") && squeue().isEmpty }

        let local = try Self.plan(dir, "local")
        #expect(try CLI.run(["sweep", "submit", local, "--engine", "local"]).status == 0)
        #expect(try Self.shardDigests(plan) == (try Self.shardDigests(local)))
        let a = try CLI.run(["sweep", "collect", plan]), b = try CLI.run(["sweep", "collect", local])
        #expect(Self.digest(a.stdout) != nil && Self.digest(a.stdout) == Self.digest(b.stdout))
        #expect(try String(contentsOfFile: plan + "/sweep.csv", encoding: .utf8).split(separator: "\n").count == 9)
    }

    @Test("two Slurm nodes in two network namespaces: the shards run on both, and every digest equals a local run's")
    func twoNodes() throws {
        guard let conf = ProcessInfo.processInfo.environment["AURORA_TEST_SLURM2_CONF"], FileManager.default.fileExists(atPath: conf) else {
            print("skipped: no two-node Slurm cluster (scripts/test starts one with scripts/slurm-cluster start-two where it may create network namespaces; AURORA_TEST_SLURM2_CONF names it)")
            return
        }
        let env = ProcessInfo.processInfo.environment.merging(["SLURM_CONF": conf]) { $1 }
        let dir = CLI.temporaryDirectory()
        let plan = try Self.plan(dir, "plan")
        let submitted = try CLI.run(["sweep", "submit", plan, "--engine", "slurm"], environment: env)
        #expect(submitted.status == 0, "\(submitted.stdout)\(submitted.stderr)")
        let deadline = Date().addingTimeInterval(120)
        while try !FileManager.default.fileExists(atPath: plan + "/sweep.csv") || !CLI.shell(["squeue", "-h"], environment: ["SLURM_CONF": conf]).stdout.isEmpty {
            guard Date() < deadline else { Issue.record("the two-node sweep did not finish in 120 s"); return }
            Thread.sleep(forTimeInterval: 0.5)
        }
        let hosts = try (0..<8).map { i -> String in
            let data = try #require(FileManager.default.contents(atPath: "\(plan)/results/00000\(i).json"))
            return try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["host"] as? String)
        }
        #expect(hosts.contains { $0.hasSuffix("(node n1)") } && hosts.contains { $0.hasSuffix("(node n2)") }, "\(hosts)")
        let local = try Self.plan(dir, "local")
        #expect(try CLI.run(["sweep", "submit", local, "--engine", "local"]).status == 0)
        #expect(try Self.shardDigests(plan) == (try Self.shardDigests(local)))
    }

    @Test("the Ray driver runs the same plan's shards as Ray tasks; its digests equal a local run's")
    func ray() throws {
        guard try CLI.shell(["python3", "-c", "import ray"]).status == 0 else {
            print("skipped: Ray is not installed (pip install ray); scripts/ray-sweep.py runs a plan's shards as Ray tasks")
            return
        }
        let dir = CLI.temporaryDirectory()
        let plan = try Self.plan(dir, "ray"), local = try Self.plan(dir, "local")
        let driver = CLI.root.appendingPathComponent("scripts/ray-sweep.py").path
        let r = try CLI.shell(["python3", driver, plan, "--aurora", CLI.binary.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLI.run(["sweep", "submit", local, "--engine", "local"]).status == 0)
        #expect(try Self.shardDigests(plan) == (try Self.shardDigests(local)))
    }

    static func sweepID(_ plan: String) throws -> String {
        let data = try #require(FileManager.default.contents(atPath: plan + "/manifest.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["sweep_id"] as? String)
    }
}
