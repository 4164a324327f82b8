import ArgumentParser
import Aurora
import Foundation

struct ResearchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the configured models on the last walkforward.train dates with known labels; --out writes the artifacts.",
        discussion: """
        Hyperparameters given as lists are chosen on the last training.validation share of the window.
        Each artifact (NAME.model) carries its type, hyperparameters, target and features; its SHA-256
        is its identity. A model strategy loads them with strategy.artifacts instead of retraining.
        """)
    @OptionGroup var options: ResearchOptions

    func run() throws {
        let (config, text) = try options.load()
        guard !config.models.isEmpty else { throw CommandError("the configuration lists no models (models: [...])") }
        let (data, seconds) = try options.build(config)
        let label = data.label(horizon: config.evaluation.horizon)
        let D = data.panel.dateCount
        let known = (0..<D).filter { label.spec.end(of: $0) < D }
        let window = Array(known.suffix(config.walkForward.train))
        guard !window.isEmpty else { throw CommandError("no date has a known label: the data is shorter than the label's horizon") }
        let train = ModelData.trainingSet(data.panel, label, dates: window)
        let trained = try ModelTrainer.fit(config.models, train, validation: config.validation, gap: label.spec.end(of: 0))
        let first = day(data.panel.dates[window[0]]), last = day(data.panel.dates[window[window.count - 1]])
        let entries = trained.map { ModelArtifactEntry(name: $0.0.name, kind: $0.0.kind.rawValue, digest: $0.0.digest, file: "\($0.0.name).model",
                                                       label: label.name, trainFirst: first, trainLast: last, features: $0.0.featureNames,
                                                       fit: $0.1) }
        if var out = try options.out.map(ResearchOutput.init) {
            for (model, _) in trained { try out.writeBytes("\(model.name).model", model.bytes) }
            try out.write(ModelArtifacts.indexFile, text: try ResearchJSON.text(entries) + "\n")
            try out.finish(try options.manifest("train", config, text, data))
        }
        switch options.format {
        case .json: print(try ResearchJSON.text(entries))
        case .csv, .table:
            options.printHeader(data, seconds: seconds)
            print("label        \(label.name); trained on \(first) .. \(last), \(grouped(train.rows)) rows")
            print()
            print(table(["model", "type", "in-sample RankIC", "validation RankIC", "hyperparameters", "digest"], entries.map { e in
                [e.name, e.kind, short(e.fit.inSampleRankIC), e.fit.validationRankIC.map { short($0) } ?? "-",
                 e.fit.hyperparameters.keys.sorted().map { "\($0)=\(ModelNumber.text(e.fit.hyperparameters[$0] ?? 0))" }.joined(separator: " "),
                 String(e.digest.prefix(16))]
            }))
            if let out = options.out { print("\nwritten to \(out): \(entries.map(\.file).joined(separator: ", ")), models.json, manifest.json") }
        }
    }
}

enum ModelNumber {
    static func text(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)" }
}

/// The model walk-forward's printing, for `research walkforward` with models.
enum ResearchModels {
    static func walkForward(_ options: ResearchOptions, _ config: ResearchConfig, _ text: String?, _ data: ResearchData, _ seconds: Double) throws {
        let interactive = isatty(2) == 1
        let report = try ModelWalkForward.run(data, models: config.models, settings: config.walkForward, evaluation: config.evaluation,
                                              ensemble: config.ensemble, calibration: config.calibration, validation: config.validation,
                                              stride: config.stride, progress: interactive ? { printProgress("fold \($0)/\($1)") } : nil)
        if interactive { printProgress("") }
        let rows = report.models + [report.ensemble]
        if var out = try options.out.map(ResearchOutput.init) {
            try out.write("models_oos.csv", text: csvTable(["model", "type", "ic_mean", "ic_t", "rank_ic_mean", "rank_icir", "rank_ic_t", "dates"],
                                                           rows.map { [$0.model, $0.kind, "\($0.ic.mean)", "\($0.ic.tStat)", "\($0.rankIC.mean)",
                                                                       "\($0.rankIC.icir)", "\($0.rankIC.tStat)", "\($0.rankIC.dates)"] }))
            try out.write("models_folds.csv", text: csvTable(["fold", "train_first", "train_last", "train_rows", "test_first", "test_last"]
                                                             + report.models.map { "\($0.model)_test_rank_ic" } + ["ensemble_test_rank_ic"],
                                                             report.folds.map { f in
                ["\(f.fold)", f.trainFirst, f.trainLast, "\(f.trainRows)", f.testFirst, f.testLast] + f.models.map { "\($0.testRankIC)" } + ["\(f.ensembleRankIC)"]
            }))
            try out.write("walkforward_models.json", text: try ResearchJSON.text(report) + "\n")
            try out.finish(try options.manifest("walkforward", config, text, data))
        }
        switch options.format {
        case .json: print(try ResearchJSON.text(report))
        case .csv: print(csvTable(["model", "type", "ic_mean", "rank_ic_mean", "rank_icir", "rank_ic_t"],
                                  rows.map { [$0.model, $0.kind, "\($0.ic.mean)", "\($0.rankIC.mean)", "\($0.rankIC.icir)", "\($0.rankIC.tStat)"] }), terminator: "")
        case .table:
            options.printHeader(data, seconds: seconds)
            let w = config.walkForward
            print("label        \(report.label); \(w.mode.rawValue) training window \(w.train) dates, retrained every \(w.test); hyperparameters from the last \(Int(config.validation * 100))% of each window")
            print()
            print(table(["fold", "train", "rows", "test"] + report.models.map(\.model) + ["ensemble"], report.folds.map { f in
                ["\(f.fold)", "\(f.trainFirst)..\(f.trainLast)", grouped(f.trainRows), "\(f.testFirst)..\(f.testLast)"]
                    + f.models.map { short($0.testRankIC) } + [short(f.ensembleRankIC)]
            }))
            print()
            print(table(["out of sample", "type", "IC", "t", "RankIC", "RankICIR", "t", "dates"], rows.map {
                [$0.model, $0.kind, short($0.ic.mean), short($0.ic.tStat, 2), short($0.rankIC.mean), short($0.rankIC.icir, 3),
                 short($0.rankIC.tStat, 2), grouped($0.rankIC.dates)]
            }))
            let c = report.calibration
            print()
            print("calibration  error \(short(c.meanAbsoluteError * 1e4, 2)) bp against \(short(c.zeroForecastError * 1e4, 2)) bp for a zero forecast, slope \(short(c.slope, 3)), \(grouped(c.pairs)) pairs")
        }
    }

    static func csvTable(_ header: [String], _ rows: [[String]]) -> String {
        ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}

struct ResearchModelsHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "A run's models from its log: IC, Rank IC, hit rate and contribution per model, retrains, promotions and retirements, performance gross and net of fees.",
        discussion: """
        Reads any log: for a model strategy's run, every model, the ensemble and the signal are
        scored against the forward returns of the models' label, rebuilt from the log's bars; for
        other runs, each logged alpha and the signal score against the next bar's open-to-open return.
        """)
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: "The log.") var log: String
    @Option(name: .long, help: "table or json.") var format: Format = .table
    @Option(name: .long, help: "Retrains and decisions to list (the latest).") var last = 12

    func validate() throws {
        guard last >= 0 else { throw ValidationError("--last must not be negative, not \(last)") }
    }

    func run() throws {
        let q = try RunQuality.read(log)
        switch format {
        case .json:
            print(try ResearchJSON.text(ModelsHistoryJSON(monitor: q.monitor, performance: .init(q.performance), days: q.days)))
        case .table:
            print(RunQualityText.lines(q).joined(separator: "\n"))
            let m = q.monitor
            if !m.retrains.isEmpty {
                print("\nretrains     \(grouped(m.retrains.count)) (the latest \(min(last, m.retrains.count)))")
                print(table(["time", "model", "trained on", "rows", "in-sample RankIC", "validation RankIC", "digest"], m.retrains.suffix(last).map { r in
                    [String(r.time.prefix(10)), r.model, "\(r.trainFirst.prefix(10))..\(r.trainLast.prefix(10))", grouped(r.rows),
                     short(r.inSampleRankIC), short(r.validationRankIC), String(r.digest.prefix(12))]
                }))
            }
            print("\ndecisions    \(grouped(m.decisions.count))\(m.decisions.isEmpty ? "" : " (the latest \(min(last, m.decisions.count)))")")
            for d in m.decisions.suffix(last) {
                let evidence = d.evidence.isEmpty ? "" : "; block Rank IC \(d.evidence.map { short($0) }.joined(separator: ", "))"
                let against = d.challengerEvidence.isEmpty ? "" : " vs \(d.previous) \(d.challengerEvidence.map { short($0) }.joined(separator: ", "))"
                print("  \(d.time.prefix(10))  \(d.action.padding(toLength: 8, withPad: " ", startingAt: 0)) \(d.model): \(d.reason)\(evidence)\(against)")
            }
        }
    }
}

/// The gross/net block shared by `backtest` and `research models`.
enum RunQualityText {
    static func lines(_ q: RunQuality) -> [String] {
        monitorLines(q.monitor) + [""] + performanceLines(q.performance)
    }

    static func monitorLines(_ m: ModelMonitor.Report) -> [String] {
        ["label        \(m.label) (out of sample: each date scored once its forward return was known)", ""]
            + [table(["name", "kind", "status", "dates", "IC", "RankIC", "RankICIR", "t", "hit rate", "LS bp/bar", "contribution bp", "last 21 RankIC", "weight"],
                     m.models.map { l in
                         [l.name, l.kind, l.status, grouped(l.dates), short(l.ic), short(l.rankIC), short(l.rankICIR, 3), short(l.rankICt, 2),
                          short(l.hitRate, 3), short(l.factorReturn * 1e4, 2), short(l.contribution * 1e4, 1), short(l.rollingRankIC),
                          l.weight.map { short($0, 3) } ?? "-"]
                     })]
    }

    static func performanceLines(_ p: GrossNetPerformance) -> [String] {
        [
            "gross / net  return \(percent(p.gross.totalReturn)) / \(percent(p.net.totalReturn)), Sharpe \(fixed(p.gross.sharpe, 2)) / \(fixed(p.net.sharpe, 2)), max drawdown \(percent(p.gross.maxDrawdown)) / \(percent(p.net.maxDrawdown))",
            "costs        fees \(money(p.fees)); alpha retention (net ÷ gross return) \(p.retention.isFinite ? percent(p.retention) : "- (no gross gain)")",
            "capital      turnover \(percent(p.turnover)) of equity a day, capital utilization \(percent(p.capitalUtilization)) (gross exposure ÷ equity)",
        ]
    }
}

/// `research models --format json`.
struct ModelsHistoryJSON: Encodable {
    struct Side: Encodable {
        var totalReturn, annualReturn, sharpe, maxDrawdown: Double
        init(_ s: PerformanceStatistics) { totalReturn = s.totalReturn; annualReturn = s.annualReturn; sharpe = s.sharpe; maxDrawdown = s.maxDrawdown }
    }
    struct Performance: Encodable {
        var gross, net: Side
        var fees, retention, turnover, capitalUtilization: Double
        init(_ p: GrossNetPerformance) {
            gross = Side(p.gross); net = Side(p.net); fees = p.fees; retention = p.retention; turnover = p.turnover
            capitalUtilization = p.capitalUtilization
        }
    }
    var monitor: ModelMonitor.Report
    var performance: Performance
    var days: Int
}
