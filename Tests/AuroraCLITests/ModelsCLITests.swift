import Foundation
import Testing

@Suite("aurora backtest with models", .serialized)
struct ModelsCLITests {
    /// 30 synthetic names, 300 bars, three models retrained every 21 bars: seconds in a debug build.
    static let yaml = """
    strategy:
      type: model
      features: [{alpha158: {windows: [5, 20], only: [KMID, ROC5, ROC20, MA5, STD20, RSV20, CORR20, VMA5]}}, momentum_20d]
      label: {horizon: 5, price: open}
      training: {every: 21, window: 120, min_dates: 60}
      models:
        - {name: ridge, type: ridge, lambda: [1, 100]}
        - {name: lasso, type: lasso, lambda: 0.001}
        - {name: gbdt, type: xgboost, rounds: 10, max_depth: 3}
      calibration: {bins: 5, window: 60, min_pairs: 200}
      positions: {long: 5, short: 5}
    portfolio:
      initial_cash: 1000000
      construction: policy
      sizing: {method: risk, volatility_window: 20}
      cost_filter: {margin: 1}
      limits: {gross: 1, net: 0.1, name: 0.15}
      turnover: {daily: 0.5}
    execution: {fill: next_open, cost_bps: 5}
    data:
      source: synthetic
      synthetic: {symbols: 30, sectors: 5, days: 300, seed: 4}
    """

    @Test("two processes write byte-identical logs; replay is identical; research models reports each model gross and net")
    func determinism() throws {
        let dir = CLI.temporaryDirectory()
        try Self.yaml.write(toFile: dir + "/models.yaml", atomically: true, encoding: .utf8)
        for name in ["a", "b"] {
            let r = try CLI.run(["backtest", "--config", dir + "/models.yaml", "--out", "\(dir)/\(name).alog"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("gross / net") && r.stdout.contains("alpha retention"))
            #expect(r.stdout.contains("ensemble") && r.stdout.contains("RankIC"))
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.alog")), b = try Data(contentsOf: URL(fileURLWithPath: dir + "/b.alog"))
        #expect(a == b && !a.isEmpty, "the same bytes from two processes")

        let replay = try CLI.run(["replay", dir + "/a.alog"])
        #expect(replay.status == 0 && replay.stdout.hasPrefix("identical"), "\(replay.stdout)\(replay.stderr)")

        let report = try CLI.run(["research", "models", dir + "/a.alog"])
        #expect(report.status == 0, "\(report.stderr)")
        for name in ["ridge", "lasso", "gbdt", "ensemble", "signal"] { #expect(report.stdout.contains(name)) }
        #expect(report.stdout.contains("retrains") && report.stdout.contains("capital utilization"))
        let json = try CLI.run(["research", "models", dir + "/a.alog", "--format", "json"])
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let models = try #require((parsed["monitor"] as? [String: Any])?["models"] as? [[String: Any]])
        #expect(models.count == 5)
        #expect(models.allSatisfy { ($0["dates"] as? Int ?? 0) > 100 })

        // The policy's bindings are records cat shows with their fields.
        let cat = try CLI.run(["cat", dir + "/a.alog", "--kind", "extension", "--limit", "2000"])
        #expect(cat.stdout.contains("\"name\":\"model_retrain\"") && cat.stdout.contains("\"rule\":\"turnover_daily\""))
    }

    @Test("XGBoost and LAPACK are opened when a model first needs them, not at every start")
    func librariesOpenedAtFirstUse() throws {
        // The loader names each library it opens when LD_DEBUG=libs asks it to (on stderr).
        let environment = ProcessInfo.processInfo.environment.merging(["LD_DEBUG": "libs"]) { $1 }
        let version = try CLI.run(["--version"], environment: environment)
        #expect(version.status == 0)
        #expect(version.stderr.contains("libzstd"), "LD_DEBUG lists the libraries linked: \(version.stderr.prefix(400))")
        #expect(!version.stderr.contains("libxgboost") && !version.stderr.contains("liblapacke"))

        let dir = CLI.temporaryDirectory()
        let small = Self.yaml.replacingOccurrences(of: "symbols: 30, sectors: 5, days: 300", with: "symbols: 12, sectors: 3, days: 160")
        #expect(small != Self.yaml)
        try small.write(toFile: dir + "/models.yaml", atomically: true, encoding: .utf8)
        let run = try CLI.run(["backtest", "--config", dir + "/models.yaml", "--out", dir + "/m.alog"], environment: environment)
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        #expect(run.stderr.contains("libxgboost") && run.stderr.contains("liblapacke"), "a ridge and a boosted model were fitted")
    }

    /// Whether this process may hide a file in a mount namespace of its own (root, as CI runs).
    static let canHideFiles = (try? CLI.shell(["unshare", "-m", "true"]).status == 0) ?? false

    @Test("without libxgboost or liblapacke, commands that fit no model still run and a backtest that names one stops before it starts, naming the library",
          .enabled(if: canHideFiles, "unshare -m is not permitted here: the missing-library check is skipped"),
          arguments: [("libxgboost.so.0", "strategy.models: model gbdt (xgboost): XGBoost: cannot open libxgboost.so.0", "install libxgboost-dev"),
                      ("liblapacke.so.3", "strategy.models: model ridge (ridge): LAPACK: cannot open liblapacke.so.3",
                       "install liblapacke-dev and libopenblas-dev")])
    func missingLibrary(library: String, error: String, install: String) throws {
        let dir = CLI.temporaryDirectory()
        try Self.yaml.write(toFile: dir + "/models.yaml", atomically: true, encoding: .utf8)
        // The library file, wherever the loader finds it, replaced by an empty one for this process tree only.
        let script = """
            lib=$(ldconfig -p | awk -v name="$3" '$1 == name {print $NF; exit}')
            [ -n "$lib" ] && mount --bind /dev/null "$(readlink -f "$lib")" || exit 90
            "$0" --version >/dev/null || exit 91
            exec "$0" backtest --config "$1" --out "$2"
            """
        let run = try CLI.shell(["unshare", "-m", "sh", "-c", script, CLI.binary.path, dir + "/models.yaml", dir + "/m.alog", library])
        #expect(run.status != 90 && run.status != 91, "hiding the library, or --version without it: \(run.status) \(run.stderr)")
        #expect(run.status == 1)
        #expect(run.stderr.contains(error) && run.stderr.contains(install), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/m.alog"), "no log is begun for a run that cannot fit its models")
    }

    @Test("fixed artifacts from research train: loaded (not retrained) and checked; a changed artifact or index is refused by name")
    func artifacts() throws {
        let dir = CLI.temporaryDirectory()
        let research = """
        data: {source: synthetic, synthetic: {symbols: 30, sectors: 5, days: 300, seed: 4}}
        features: [{alpha158: {windows: [5, 20]}}, momentum_20d]
        labels: {horizons: [5], price: open}
        walkforward: {train: 150, test: 21}
        models:
          - {name: ridge, type: ridge, lambda: 10}
          - {name: gbdt, type: xgboost, rounds: 10, max_depth: 3}
        """
        try research.write(toFile: dir + "/research.yaml", atomically: true, encoding: .utf8)
        let train = try CLI.run(["research", "train", "--config", dir + "/research.yaml", "--end", "2020-09-30", "--out", dir + "/models"])
        #expect(train.status == 0, "\(train.stderr)")

        let strategy = """
        strategy:
          type: model
          features: [{alpha158: {windows: [5, 20]}}, momentum_20d]
          label: {horizon: 5, price: open}
          artifacts: \(dir)/models
          positions: {long: 5, short: 5}
        data:
          source: synthetic
          synthetic: {symbols: 30, sectors: 5, days: 300, seed: 4}
          start: 2020-10-01
        """
        try strategy.write(toFile: dir + "/fixed.yaml", atomically: true, encoding: .utf8)
        let run = try CLI.run(["backtest", "--config", dir + "/fixed.yaml", "--out", dir + "/fixed.alog"])
        #expect(run.status == 0, "\(run.stderr)")
        let cat = try CLI.run(["cat", dir + "/fixed.alog", "--kind", "extension"])
        #expect(cat.stdout.components(separatedBy: "\"action\":\"loaded\"").count == 3, "one load per model")
        #expect(!cat.stdout.contains("model_retrain"))
        #expect(try CLI.run(["replay", dir + "/fixed.alog"]).stdout.hasPrefix("identical"))

        // A byte changed in an artifact: its digest no longer matches the index.
        let path = dir + "/models/ridge.model"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 3] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        let tampered = try CLI.run(["backtest", "--config", dir + "/fixed.yaml", "--out", dir + "/t.alog"])
        #expect(tampered.status != 0)
        #expect(tampered.stderr.contains("ridge.model") && tampered.stderr.contains("does not match"), "\(tampered.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/t.alog"), "no log for a run that cannot start")

        // Features the strategy does not compute.
        bytes[bytes.count - 3] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        let narrow = strategy.replacingOccurrences(of: "features: [{alpha158: {windows: [5, 20]}}, momentum_20d]", with: "features: [momentum_20d]")
        try narrow.write(toFile: dir + "/narrow.yaml", atomically: true, encoding: .utf8)
        let missing = try CLI.run(["backtest", "--config", dir + "/narrow.yaml", "--out", dir + "/n.alog"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("reads feature") && missing.stderr.contains("strategy.features"), "\(missing.stderr)")

        // An index whose feature list differs from the artifact's.
        let index = dir + "/models/models.json"
        let text = try String(contentsOfFile: index, encoding: .utf8)
        try text.replacingOccurrences(of: "\"KMID\"", with: "\"KMID_X\"").write(toFile: index, atomically: true, encoding: .utf8)
        let mismatch = try CLI.run(["backtest", "--config", dir + "/fixed.yaml", "--out", dir + "/m.alog"])
        #expect(mismatch.status != 0)
        #expect(mismatch.stderr.contains("its features do not match models.json"), "\(mismatch.stderr)")
    }
}
