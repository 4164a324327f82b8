import Aurora
import AuroraTestSupport
import Foundation
import Testing

/// Small enough to run in a debug build within seconds: 30 synthetic names over 320 bars,
/// a dozen Alpha158 features and momentum, two linear models and a small booster.
let modelStrategyYAML = """
strategy:
  type: model
  features: [{alpha158: {windows: [5, 20], only: [KMID, KLEN, ROC5, ROC20, MA5, MA20, STD20, RSV20, CORR20, VMA5]}}, momentum_20d]
  label: {horizon: 5, price: open}
  training: {every: 21, window: 120, min_dates: 60, validation: 0.25}
  models:
    - {name: ridge, type: ridge, lambda: [1, 100]}
    - {name: rank, type: rank_linear}
    - {name: gbdt, type: xgboost, rounds: 10, max_depth: 3}
  ensemble: {window: 40, floor: 0, min_dates: 5}
  calibration: {method: isotonic, bins: 5, window: 60, min_pairs: 200}
  positions: {long: 5, short: 5}
  monitor: {block: 10, ic_floor: 0, retire_after: 2, promote_after: 2, mode: ic_weighted}
portfolio: {initial_cash: 1000000, gross_exposure: 1.0, max_position: 0.2}
execution: {fill: next_open, cost_bps: 5}
data:
  source: synthetic
  synthetic: {symbols: 30, sectors: 5, days: 320, seed: 9}
"""

func modelBacktest(_ yaml: String, to path: String) throws -> BacktestResult {
    var engine = BacktestEngine(config: try ConfigReader.parse(yaml, registry: .standard), logPath: path)
    engine.registry = .standard
    return try engine.runMulti()
}

func allEvents(_ path: String) throws -> [Event] {
    let cursor = try LogReader(path: path).events()
    var out: [Event] = []
    while let e = try cursor.next() { out.append(e) }
    return out
}

func temporaryDirectory() -> String {
    let path = Paths.temporary("x")
    return String(path.dropLast(2))
}

func records<C: ExtensionCodec>(_ codec: C.Type, in path: String) throws -> [(Timestamp, C.Value)] {
    var out: [(Timestamp, C.Value)] = []
    for event in try allEvents(path) {
        if case .extension(let r) = event.payload, r.name == C.name { out.append((event.timestamp, try C.value(of: r))) }
    }
    return out
}

@Suite("Model strategy", .serialized)
struct ModelStrategyTests {
    @Test("a backtest that retrains inside the run logs every retrain, prediction and weight, and replays identically")
    func retrainsAndReplays() throws {
        let dir = temporaryDirectory()
        let path = dir + "/models.alog"
        let result = try modelBacktest(modelStrategyYAML, to: path)
        #expect(result.trades.count > 0)

        let retrains = try records(ModelRetrainCodec.self, in: path)
        // First at the 60th labelled date (bar 65: label end 6), then every 21 bars.
        #expect(retrains.count == 3 * Int(((320 - 66) / 21) + 1))
        #expect(Set(retrains.map(\.1.model)) == ["ridge", "rank", "gbdt"])
        for (time, r) in retrains {
            // Trained only on dates whose labels were known: the last one ended by the retrain.
            #expect(r.trainLast < time.rawValue)
            #expect(r.digest.count == 64 && r.features == 11)
        }
        let ridge = retrains.filter { $0.1.model == "ridge" }
        #expect(ridge.allSatisfy { [1, 100].contains($0.1.hyperparameters["lambda"] ?? 0) && $0.1.validationRankIC.isFinite })

        var alphaNames: Set<String> = [], weights = 0, expected = 0, signals = 0
        for event in try allEvents(path) {
            switch event.payload {
            case .alphaValue(let a): alphaNames.insert(a.alpha)
            case .alphaWeights(let w):
                // Normalized, or all zero when no model's trailing IC is above the floor.
                weights += 1
                let total = w.weights.reduce(0) { $0 + $1.value }
                #expect(abs(total - 1) < 1e-9 || total == 0)
            case .signal(let s):
                signals += 1
                if let e = s.expectedReturn { expected += 1; #expect(e.isFinite && (s.confidence ?? -1) >= 0 && (s.confidence ?? 2) <= 1) }
            default: break
            }
        }
        #expect(alphaNames == ["ridge", "rank", "gbdt", "ensemble"])
        #expect(weights > 1)
        #expect(expected > 0 && expected < signals, "expected returns once the calibration has its pairs")
        #expect(try !records(CalibrationCodec.self, in: path).isEmpty)

        let replay = try ReplayEngine.replay(path: path, registry: .standard)
        #expect(replay.identical)
    }

    @Test("no peeking: the decisions up to a date are the same whether or not the data goes on after it")
    func prefix() throws {
        let dir = temporaryDirectory()
        let long = dir + "/long.alog", short = dir + "/short.alog"
        _ = try modelBacktest(modelStrategyYAML, to: long)
        _ = try modelBacktest(modelStrategyYAML.replacingOccurrences(of: "source: synthetic\n", with: "source: synthetic\n  end: 2020-12-31\n"),
                              to: short)
        func decisions(_ path: String) throws -> [Event] {
            try allEvents(path).filter {
                switch $0.kind {
                case .alphaValue, .signal, .alphaWeights, .extension, .targetPosition: $0.timestamp.rawValue < 1_609_372_800_000_000_000
                default: false
                }
            }
        }
        let a = try decisions(long), b = try decisions(short)
        #expect(a.count > 1000)
        #expect(a.count == b.count)
        // Compared as bytes: a HOLD without a score carries NaN, which == never equals.
        func bytes(_ e: Event) -> [UInt8] { EventCodec.canonicalBytes(Event(sequence: 0, timestamp: e.timestamp, payload: e.payload)) }
        let differ = a.indices.first { $0 < b.count && bytes(a[$0]) != bytes(b[$0]) }
        #expect(differ == nil, "first difference at decision \(differ ?? -1) of \(a.count): \(differ.map { "\(a[$0].timestamp.iso8601) \(a[$0].kind)" } ?? "")")
    }

    @Test("a what-if rerun with another model set diffs cleanly against the run")
    func whatIf() throws {
        let dir = temporaryDirectory()
        let path = dir + "/a.alog"
        _ = try modelBacktest(modelStrategyYAML, to: path)
        let other = modelStrategyYAML.replacingOccurrences(of: "    - {name: gbdt, type: xgboost, rounds: 10, max_depth: 3}\n",
                                                           with: "    - {name: forest, type: random_forest, trees: 8, max_depth: 3}\n")
        _ = try WhatIfEngine.rerun(parent: path, config: try ConfigReader.parse(other, registry: .standard), out: dir + "/b.alog",
                                   registry: .standard)
        let report = try LogDiff.compare(path, dir + "/b.alog")
        #expect(report.inputDifference == nil)
        #expect(report.totals.alphas > 0 && report.totals.signals > 0)
        let first = try #require(report.firstDivergence)
        // The runs agree until the first retrain: nothing differs while no model exists.
        let retrain = try #require(try records(ModelRetrainCodec.self, in: path).first?.0)
        #expect(first.time >= retrain)
    }

    @Test("champion mode: one model's predictions are the score, and the monitor's decisions carry their evidence")
    func champion() throws {
        let dir = temporaryDirectory()
        let yaml = modelStrategyYAML.replacingOccurrences(of: "mode: ic_weighted", with: "mode: champion")
            .replacingOccurrences(of: "ic_floor: 0,", with: "ic_floor: 0.9,")   // a floor no model reaches: retirements follow
        let path = dir + "/champion.alog"
        _ = try modelBacktest(yaml, to: path)
        var weightSets: [[Double]] = []
        for event in try allEvents(path) { if case .alphaWeights(let w) = event.payload { weightSets.append(w.weights.map(\.value)) } }
        #expect(weightSets.allSatisfy { $0.filter { $0 != 0 } == [1] })
        let decisions = try records(ModelDecisionCodec.self, in: path).map(\.1)
        let retired = decisions.filter { $0.action == .retired }
        #expect(retired.count == 2, "all but the last active model retire below a floor of 0.9")
        #expect(retired.allSatisfy { $0.evidence.suffix(2).allSatisfy { $0 < 0.9 } })
    }

    @Test("roster rules: retire after N blocks under the floor, promote a challenger that beats the champion M blocks in a row")
    func roster() {
        var rules = ModelStrategyConfig.Monitor()
        rules.icFloor = 0; rules.retireAfter = 2; rules.promoteAfter = 2
        var r = ModelRoster(names: ["a", "b", "c"])
        #expect(r.close([0.02, 0.03, -0.01], rules: rules).isEmpty)
        let second = r.close([0.01, 0.04, -0.02], rules: rules)
        #expect(second.map(\.action) == [.retired, .promoted])
        #expect(second[0].model == "c" && second[0].evidence == [-0.01, -0.02])
        #expect(second[1].model == "b" && second[1].previous == "a" && second[1].challengerEvidence == [0.02, 0.01])
        #expect(r.champion == 1 && r.active == [true, true, false])
        // A block without a record changes no count; the last active model is never retired.
        #expect(r.close([.nan, .nan, .nan], rules: rules).isEmpty)
        _ = r.close([-0.01, -0.01, 0], rules: rules)
        let last = r.close([-0.01, -0.02, 0], rules: rules)
        #expect(last.filter { $0.action == .retired }.count == 1)
        #expect(r.active.filter { $0 }.count == 1)
    }

    @Test("bad model strategy configs name the key")
    func badConfigs() throws {
        let cases: [(String, String)] = [
            ("type: xgboost, rounds: 10, max_depth: 3", "- {name: gbdt, type: prophet}"),
            ("type: xgboost, rounds: 10, max_depth: 3", "- {name: gbdt, type: xgboost, depth: 3}"),
        ]
        let expected = ["strategy.models.type: \"prophet\" is not one of", "strategy.models.depth: unknown key"]
        for ((_, replacement), message) in zip(cases, expected) {
            let yaml = modelStrategyYAML.replacingOccurrences(of: "- {name: gbdt, type: xgboost, rounds: 10, max_depth: 3}", with: replacement)
            #expect { _ = try ConfigReader.parse(yaml, registry: .standard) } throws: { "\($0)".contains(message) }
        }
        let unknownFeature = modelStrategyYAML.replacingOccurrences(of: "momentum_20d]", with: "no_such_alpha]")
        #expect { _ = try ConfigReader.parse(unknownFeature, registry: .standard) } throws: { "\($0)".contains("strategy.features") }
        let both = modelStrategyYAML.replacingOccurrences(of: "  ensemble:", with: "  artifacts: models\n  ensemble:")
        #expect { _ = try ConfigReader.parse(both, registry: .standard) } throws: { "\($0)".contains("not both") }
        // Without the standard registry the type is unknown, and the error lists what is known.
        #expect { _ = try ConfigReader.parse(modelStrategyYAML) } throws: { "\($0)".contains("unknown strategy \"model\"") }
    }
}
