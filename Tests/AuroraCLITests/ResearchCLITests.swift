import Foundation
import Testing

@Suite("aurora research", .serialized)
struct ResearchCLITests {
    /// A third of the synthetic universe keeps the debug binary's runs short.
    static let symbols = (0..<34).map { String(format: "SYN%03d", $0 * 3) }.joined(separator: ",")

    static var hasSharedData: Bool { FileManager.default.fileExists(atPath: CLI.root.appendingPathComponent("../shared/data/sp500-daily-2013-2016.csv").path) }

    @Test("evaluate on the synthetic fixture: the IC table, the files, and the same manifest from two processes")
    func evaluate() throws {
        let a = CLI.temporaryDirectory(), b = CLI.temporaryDirectory()
        let first = try CLI.run(["research", "evaluate", "--config", CLI.fixture("research.yaml"), "--symbols", Self.symbols, "--out", a])
        #expect(first.status == 0, "\(first.stderr)")
        let lines = first.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("feature ") && $0.contains("RankIC") && $0.contains("RankIC@20") })
        #expect(lines.contains { $0.hasPrefix("momentum_20d ") }, "the alpha has its row")
        #expect(lines.contains { $0.hasPrefix("momentum_60d ") })
        #expect(lines.contains { $0.hasPrefix("CORD60 ") })
        #expect(CLI.field("features", in: first.stdout)?.hasPrefix("160 ") == true)
        for file in ["ic_summary.csv", "ic_decay.csv", "quantile_returns.csv", "ic_by_sector.csv", "ic_daily.csv", "evaluation.json", "manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: a + "/" + file), "\(file) is written")
        }
        let summary = try String(contentsOfFile: a + "/ic_summary.csv", encoding: .utf8).split(separator: "\n")
        #expect(summary.first?.hasPrefix("feature,ic_mean,ic_std,icir,ic_t,rank_ic_mean") == true)
        #expect(summary.count == 161)
        let second = try CLI.run(["research", "evaluate", "--config", CLI.fixture("research.yaml"), "--symbols", Self.symbols, "--out", b,
                                  "--threads", "1"])
        #expect(second.status == 0)
        let m1 = try Data(contentsOf: URL(fileURLWithPath: a + "/manifest.json")), m2 = try Data(contentsOf: URL(fileURLWithPath: b + "/manifest.json"))
        #expect(m1 == m2, "two processes (one and two threads) write the same outputs")
        let manifest = try #require(JSONSerialization.jsonObject(with: m1) as? [String: Any])
        #expect((manifest["panel_sha256"] as? String)?.count == 64)
        #expect((manifest["outputs"] as? [[String: Any]])?.count == 6)
        #expect((manifest["config_text"] as? String)?.contains("neutralize: sector_zscore") == true)
    }

    @Test("walkforward: folds with purges, out-of-sample results, JSON that parses")
    func walkforward() throws {
        let dir = CLI.temporaryDirectory()
        let r = try CLI.run(["research", "walkforward", "--config", CLI.fixture("research.yaml"), "--symbols", Self.symbols, "--format", "json",
                             "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let folds = try #require(json["folds"] as? [[String: Any]])
        #expect(folds.count == 4, "504 dates: test blocks start after 252 training dates")
        #expect(folds.allSatisfy { (($0["fold"] as? [String: Any])?["purged"] as? Int) == 6 }, "a 5-day next-open label reads prices through t + 6: six training dates are purged")
        #expect((json["features"] as? [[String: Any]])?.count == 160)
        let csv = try String(contentsOfFile: dir + "/folds.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first?.hasPrefix("fold,train_first,train_last,train_dates,purged,embargoed,test_first") == true)
        #expect(csv.count == 5)
    }

    @Test("features: a summary per feature, and features.csv a pandas user can read")
    func features() throws {
        let dir = CLI.temporaryDirectory()
        let r = try CLI.run(["research", "features", "--symbols", "SYN000,SYN001,SYN002", "--end", "2020-04-30", "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("KMID "))
        #expect(r.stderr.contains("VWAP0 uses the typical price"))
        let csv = try String(contentsOfFile: dir + "/features.csv", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let header = csv[0].split(separator: ",", omittingEmptySubsequences: false)
        #expect(header.prefix(3) == ["date", "symbol", "KMID"])
        #expect(header.count == 2 + 159)
        #expect(csv[1].hasPrefix("2020-01-02,SYN000,"))
        #expect(csv[1].split(separator: ",", omittingEmptySubsequences: false).count == header.count)
    }

    @Test("bad research configs name the key and the line")
    func badConfigs() throws {
        let dir = CLI.temporaryDirectory()
        let cases: [(String, String)] = [
            ("features: [alpha158, no_such_alpha]\n", "research.yaml:1: features: \"no_such_alpha\" is not alpha158 or a registered alpha"),
            ("features:\n  - {alpha158: {only: [KMID, NOPE5]}}\n", "research.yaml:2: features.alpha158.only: \"NOPE5\" is not an Alpha158 feature"),
            ("transforms: [rank, {winsorize: {lower: 0.9, upper: 0.1}}]\n", "transforms.winsorize: lower must be below upper"),
            ("data: {source: x.csv}\nneutralize: sector_demean\n", "research.yaml:2: neutralize: sector neutralization needs a sector map"),
            ("labels: {horizons: [5, 1]}\n", "research.yaml:1: labels.horizons: must be ascending without repeats"),
            ("walkforward: {combinatorial: {groups: 4, test_groups: 4}}\n", "walkforward.combinatorial.test_groups: must be fewer than groups (4)"),
            ("evaluate: {horizon: 7}\n", "evaluate.horizon: 7 is not one of labels.horizons (1, 5, 20)"),
            ("colour: red\n", "research.yaml:1: colour: unknown key"),
        ]
        for (yaml, expected) in cases {
            let path = dir + "/research.yaml"
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            let r = try CLI.run(["research", "evaluate", "--config", path])
            #expect(r.status != 0, "\(yaml)")
            #expect(r.stderr.contains(expected), "\(yaml) → \(r.stderr)")
        }
        let external = dir + "/external.csv"
        try "symbol,as_of,field,value\nSYN000,2020-02-03,eps,1\nSYN000,2020-02-03,eps,2\n".write(toFile: external, atomically: true, encoding: .utf8)
        try "features:\n  - {external: {source: \(external)}}\n".write(toFile: dir + "/research.yaml", atomically: true, encoding: .utf8)
        let dup = try CLI.run(["research", "features", "--config", dir + "/research.yaml"])
        #expect(dup.status != 0)
        #expect(dup.stderr.contains("external.csv:3: duplicate: eps of SYN000 as of 2020-02-03 is already on line 2"))
    }

    // The whole file (all 499 names, every date) runs in release in scripts/release-check; here the
    // debug binary takes sixty names over 2016.
    @Test("evaluate of all 158 Alpha158 features and momentum_20d on the shared S&P file prints the IC table",
          .enabled(if: hasSharedData, "../shared/data is absent: the S&P research run is skipped"))
    func sp500() throws {
        let names = "AAPL,ABT,ADBE,AEP,AIG,AMGN,AMZN,APA,AXP,BA,BAC,BK,BMY,C,CAT,CL,CMCSA,COP,COST,CSCO,CVS,CVX,D,DIS,DUK,EMR,EXC,F,FDX,GD,"
            + "GE,GILD,GS,HAL,HD,HON,IBM,INTC,JNJ,JPM,KO,LLY,LMT,LOW,MCD,MDT,MMM,MO,MRK,MS,MSFT,NEE,NKE,ORCL,OXY,PEP,PFE,PG,QCOM,T"
        let r = try CLI.run(["research", "evaluate", "--config", CLI.fixture("research-sp500.yaml"), "--start", "2016-01-01", "--symbols", names],
                            in: CLI.root.path)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").filter { $0.first?.isUppercase == true && $0.contains("  ") || $0.hasPrefix("momentum_20d") }
        #expect(rows.contains { $0.hasPrefix("KMID ") } && rows.contains { $0.hasPrefix("VSUMD60 ") } && rows.contains { $0.hasPrefix("momentum_20d ") })
        #expect(rows.contains { $0.hasPrefix("ETFRES20 ") })
        #expect(CLI.field("symbols", in: r.stdout) == "60")
        #expect(CLI.field("features", in: r.stdout)?.hasPrefix("164 ") == true)
        #expect(rows.contains { $0.hasPrefix("momentum_20d_etfres ") })
    }
}

@Suite("aurora research with models", .serialized)
struct ResearchModelsCLITests {
    @Test("train writes artifacts whose digests two processes agree on; walkforward reports every model and the ensemble out of sample")
    func trainAndWalkForward() throws {
        let a = CLI.temporaryDirectory(), b = CLI.temporaryDirectory()
        for dir in [a, b] {
            let r = try CLI.run(["research", "train", "--config", CLI.fixture("research-models.yaml"), "--symbols", ResearchCLITests.symbols, "--out", dir])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("validation RankIC"))
        }
        for name in ["ridge", "lasso", "rank", "gbdt", "forest", "leafwise"] {
            let x = try Data(contentsOf: URL(fileURLWithPath: "\(a)/\(name).model")), y = try Data(contentsOf: URL(fileURLWithPath: "\(b)/\(name).model"))
            #expect(x == y && !x.isEmpty, "\(name).model is the same bytes from two processes")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: a + "/manifest.json")) == Data(contentsOf: URL(fileURLWithPath: b + "/manifest.json")))
        let models = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: a + "/models.json"))) as? [[String: Any]])
        #expect(models.map { $0["name"] as? String } == ["ridge", "lasso", "rank", "gbdt", "forest", "leafwise"])
        #expect(models.allSatisfy { ($0["digest"] as? String)?.count == 64 })
        let ridge = try #require(models.first?["fit"] as? [String: Any])
        #expect((ridge["candidates"] as? [Any])?.count == 2, "ridge's lambda was chosen among two on validation dates")

        let w = try CLI.run(["research", "walkforward", "--config", CLI.fixture("research-models.yaml"), "--symbols", ResearchCLITests.symbols,
                             "--format", "json"])
        #expect(w.status == 0, "\(w.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(w.stdout.utf8)) as? [String: Any])
        #expect((report["models"] as? [[String: Any]])?.count == 6)
        #expect((report["ensemble"] as? [String: Any])?["model"] as? String == "ensemble")
        #expect((report["folds"] as? [Any])?.count == 12)
        #expect((report["calibration"] as? [String: Any])?["pairs"] as? Int ?? 0 > 1000)
    }

    @Test("bad model configs name the key and line")
    func badModels() throws {
        let dir = CLI.temporaryDirectory()
        let cases: [(String, String)] = [
            ("models:\n  - {name: m, type: prophet}\n", "research.yaml:2: models.type: \"prophet\" is not one of: ols, ridge"),
            ("models:\n  - {name: m, type: ridge, depth: 3}\n", "research.yaml:2: models.depth: unknown key; expected one of: name, type, target, lambda"),
            ("models:\n  - {name: m, type: xgboost, max_depth: 99}\n", "models.m.max_depth: 99 is out of range (1 to 16)"),
            ("models:\n  - {name: m, type: ridge}\n  - {name: m, type: lasso}\n", "research.yaml:3: models.name: \"m\" is used twice"),
        ]
        for (yaml, expected) in cases {
            try yaml.write(toFile: dir + "/research.yaml", atomically: true, encoding: .utf8)
            let r = try CLI.run(["research", "train", "--config", dir + "/research.yaml"])
            #expect(r.status != 0)
            #expect(r.stderr.contains(expected), "\(yaml) → \(r.stderr)")
        }
    }
}
