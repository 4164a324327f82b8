import Aurora
import AuroraTestSupport
import Foundation
import Testing

@Suite("Sweeps")
struct SweepTests {
    static let base = """
    strategy: {type: momentum, lookback: 20, threshold: 0.05}
    data: {source: synthetic, synthetic: {symbols: 12, days: 60}}
    """

    static func spec(_ body: String) throws -> SweepSpec {
        let indented = base.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        return try SweepSpec.parse("config:\n\(indented)\n" + body)
    }

    /// A binary stand-in whose digest the plan records: any file works for the checks.
    static func binary(_ text: String = "aurora") throws -> String {
        let path = Paths.temporary("aurora-bin")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a grid, a range, a zip and blocks expand in order; every shard is a resolved, checked configuration")
    func expansion() throws {
        let s = try Self.spec("""
        grid:
          strategy.lookback: [5, 10]
          strategy.threshold: {from: 0, to: 0.02, step: 0.01}
        zip:
          portfolio.max_position: [0.05, 0.1]
          portfolio.gross_exposure: [0.5, 1]
        blocks:
          - {start: 2020-01-02, end: 2020-02-14}
          - {start: 2020-02-18, end: 2020-03-25}
        seed: 3
        """)
        #expect(s.shardCount == 2 * 3 * 2 * 2)
        let plan = Paths.temporary("plan")
        let m = try SweepPlanner.plan(s, to: plan, binary: try Self.binary(), registry: .standard)
        #expect(m.shards.count == 24)
        #expect(m.shards[0].parameters == ["strategy.lookback": "5", "strategy.threshold": "0", "portfolio.max_position": "0.05", "portfolio.gross_exposure": "0.5"])
        #expect(m.shards[0].block == "2020-01-02..2020-02-14" && m.shards[1].block == "2020-02-18..2020-03-25")
        #expect(m.shards[2].parameters["portfolio.max_position"] == "0.1")
        #expect(m.shards[4].parameters["strategy.threshold"] == "0.01")
        #expect(m.shards[23].parameters["strategy.lookback"] == "10" && m.shards[23].seed == 26)
        let text = try String(contentsOfFile: SweepFiles.shardConfig(plan, 3), encoding: .utf8)
        let config = try ConfigReader.parse(text, registry: .standard)
        #expect(config.portfolio.equalWeight.maxPositionWeight == 0.1 && config.portfolio.equalWeight.grossExposure == 1)
        #expect(text.contains("end: \"2020-03-25\""))
        // The same spec plans the same shards (the id is over the shard digests).
        let again = try SweepPlanner.plan(s, to: Paths.temporary("plan"), binary: try Self.binary(), registry: .standard)
        #expect(again.sweepID == m.sweepID && again.shards == m.shards)
        #expect(throws: SweepSpec.Failure.self) { try SweepPlanner.plan(s, to: plan, binary: try Self.binary(), registry: .standard) }
    }

    @Test("bad sweeps: nothing varies, an empty list, too many shards, unequal zips, a bad key in a shard; the file and key are named")
    func badSpecs() throws {
        func message(_ body: String) -> String {
            do { _ = try SweepPlanner.plan(try Self.spec(body), to: Paths.temporary("p"), binary: try Self.binary(), registry: .standard); return "" } catch { return "\(error)" }
        }
        #expect(message("seed: 1").contains("nothing varies"))
        #expect(message("grid: {strategy.lookback: []}").contains("the list is empty"))
        #expect(message("grid: {strategy.lookback: {from: 1, to: 1000, step: 1}, strategy.threshold: {from: 0, to: 1, step: 0.001}}").contains("more than the limit of 100000"))
        #expect(message("zip: {strategy.lookback: [1, 2], strategy.threshold: [0]}").contains("equal lengths"))
        #expect(message("grid: {strategy.lookbak: [5]}").contains("lookbak"))
        #expect(message("grid: {strategy.lookback: [-5]}").contains("strategy.lookback"))
        #expect(message("grid: {strategy.lookback: [5]}\nextra: 1").contains("unknown key"))
    }

    @Test("run-shard: a result by rename, nothing redone; a changed binary or data file is refused; torn and foreign results are named; collect needs every shard")
    func shards() throws {
        let folder = Paths.temporary("data")
        try FileManager.default.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let csv = (folder as NSString).deletingLastPathComponent + "/bars.csv"
        try FileManager.default.copyItem(atPath: Paths.fixture("bars-daily.csv"), toPath: csv)
        let spec = try SweepSpec.parse("""
        config:
          strategy: {type: momentum, lookback: 20, threshold: 0.05}
          data: {source: \(csv)}
        grid: {strategy.lookback: [10, 20, 30]}
        """)
        let plan = Paths.temporary("plan"), bin = try Self.binary()
        let m = try SweepPlanner.plan(spec, to: plan, binary: bin, registry: .standard)
        #expect(m.dataFiles.map(\.path) == [csv])
        guard case .ran(let first) = try ShardRunner.run(plan: plan, index: 0, binary: bin, registry: .standard) else { Issue.record("did not run"); return }
        #expect(try ShardRunner.run(plan: plan, index: 0, binary: bin, registry: .standard) == .alreadyDone(first))
        #expect(try ShardRunner.rerunDigest(plan: plan, index: 0, registry: .standard) == first.digest)

        let other = try Self.binary("another build")
        #expect { try ShardRunner.run(plan: plan, index: 1, binary: other, registry: .standard) } throws: { "\($0)".contains("not the planning binary") }
        let original = try #require(FileManager.default.contents(atPath: csv))
        try (original + Data("\n".utf8)).write(to: URL(fileURLWithPath: csv))
        #expect { try ShardRunner.run(plan: plan, index: 1, binary: bin, registry: .standard) } throws: { "\($0)".contains("the data changed") }
        try original.write(to: URL(fileURLWithPath: csv))
        _ = try ShardRunner.run(plan: plan, index: 1, binary: bin, registry: .standard)

        #expect { try SweepCollection.collect(plan) } throws: { "\($0)".contains("1 of 3 shards have no result") }
        // A torn result: status counts it missing and names it; collect refuses; a rerun replaces it.
        let resultPath = SweepFiles.result(plan, 2)
        try "{\"sweep_id\": \"".write(toFile: resultPath, atomically: true, encoding: .utf8)
        let status = try SweepStatus.of(plan)
        #expect(status.done == [0, 1] && status.missing == [2] && status.invalid.first?.reason.contains("torn") == true)
        #expect { try SweepCollection.collect(plan) } throws: { "\($0)".contains("torn") }
        _ = try ShardRunner.run(plan: plan, index: 2, binary: bin, registry: .standard)
        // A result from another plan is not this plan's.
        var foreign = try #require(ShardRunner.validResult(plan, m, 2))
        foreign.sweepID = "0123456789abcdef"
        try SweepFiles.writeAtomically(try String(decoding: JSONEncoder().encode(foreign), as: UTF8.self), to: resultPath)
        #expect(try SweepStatus.of(plan).invalid.first?.reason.contains("from sweep 0123456789abcdef") == true)
        _ = try ShardRunner.run(plan: plan, index: 2, binary: bin, registry: .standard)

        let c = try SweepCollection.collect(plan, rankBy: "sharpe")
        #expect(c.results.count == 3 && c.ranked.count == 3)
        #expect(c.csv.split(separator: "\n").count == 4)
        #expect(throws: SweepSpec.Failure.self) { try SweepCollection.collect(plan, rankBy: "luck") }
    }

    @Test("a Slurm array: ranges and gaps, a cap, bundles; the collector waits on the array")
    func slurmScript() {
        var b = SlurmBatch(plan: "/p", binary: "/shared/aurora", indices: [0, 1, 2, 5, 7, 8], sweepID: "abc")
        b.maxParallel = 2
        #expect(b.arraySpec == "0-2,5,7-8%2")
        #expect(b.arrayScript.contains("#SBATCH --array=0-2,5,7-8%2") && b.arrayScript.contains("exec '/shared/aurora' sweep run-shard '/p'"))
        b.shardsPerTask = 4
        b.maxParallel = nil
        #expect(b.arraySpec == "0,4,8")
        b.broadcast = true
        #expect(b.arrayScript.contains("sbcast --force '/shared/aurora' /tmp/aurora-abc"))
        #expect(b.collectScript.contains("sweep collect '/p'"))
    }
}
