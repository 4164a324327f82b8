import Foundation
import Testing

@Suite("aurora diff and what-if reruns", .serialized)
struct DiffCLITests {
    static let golden = CLI.root.appendingPathComponent("replay/golden-momentum.alog").path
    static let goldenConfig = CLI.root.appendingPathComponent("replay/golden-momentum.yaml").path

    @Test("a log and its what-if rerun with the same config: identical, exit 0; another threshold: different, exit 1")
    func exits() throws {
        let dir = CLI.temporaryDirectory()
        let same = try CLI.run(["replay", Self.golden, "--config", Self.goldenConfig, "--out", dir + "/same.alog"])
        #expect(same.status == 0, "\(same.stderr)")
        let identical = try CLI.run(["diff", Self.golden, dir + "/same.alog"])
        #expect(identical.status == 0 && identical.stdout.contains("identical"))

        let config = try String(contentsOfFile: Self.goldenConfig, encoding: .utf8).replacingOccurrences(of: "threshold: 0.03", with: "threshold: 0.05")
        try config.write(toFile: dir + "/other.yaml", atomically: true, encoding: .utf8)
        let rerun = try CLI.run(["replay", Self.golden, "--config", dir + "/other.yaml", "--out", dir + "/other.alog"])
        #expect(rerun.status == 0)
        let info = try CLI.run(["info", dir + "/other.alog"]).stdout
        #expect(info.contains("parent.log = golden-momentum.alog"))
        let different = try CLI.run(["diff", Self.golden, dir + "/other.alog", "--by", "symbol"])
        #expect(different.status == 1)
        #expect(different.stdout.contains("first divergence at "))
        #expect(different.stdout.contains("symbol      alphas  signals"))
        let json = try CLI.run(["diff", Self.golden, dir + "/other.alog", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["identical"] as? Bool == false && object["inputs_agree"] as? Bool == true)
    }

    @Test("errors: not a log (exit 2), a config that does not validate, --out without --config")
    func errors() throws {
        let dir = CLI.temporaryDirectory()
        #expect(try CLI.run(["diff", Self.golden, CLI.fixture("bars-daily.csv")]).status == 2)
        try "strategy:\n  type: momentum\n  lookback: -3\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["replay", Self.golden, "--config", dir + "/bad.yaml", "--out", dir + "/x.alog"])
        #expect(bad.status != 0 && bad.stderr.contains("bad.yaml:3: strategy.lookback: must be at least 1"))
        #expect(try CLI.run(["replay", Self.golden, "--out", dir + "/x.alog"]).stderr.contains("--out goes with --config"))
    }
}

@Suite("aurora bench")
struct BenchCLITests {
    @Test("a deterministic workload reproduces its recorded digest; an unknown workload is refused")
    func bench() throws {
        let r = try CLI.run(["bench", "--workload", "momentum", "--repeat", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("momentum") && r.stdout.contains("events/s") && r.stdout.hasSuffix("ok\n"))
        #expect(try CLI.run(["bench", "--workload", "nope"]).stderr.contains("unknown workload \"nope\""))
    }
}
