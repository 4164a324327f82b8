import ArgumentParser
import Aurora
import Foundation

struct ResearchFeatures: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Compute the feature panel and summarize each feature; --out writes it (features.csv).")
    @OptionGroup var options: ResearchOptions

    func run() throws {
        let (config, text) = try options.load()
        let (data, seconds) = try options.build(config)
        let summary = FeatureSummary.of(data)
        if var out = try options.out.map(ResearchOutput.init) {
            try out.write("features.csv") { try ResearchTables.panel(data, emit: $0) }
            try out.write("feature_summary.csv", text: ResearchTables.summary(summary))
            try out.finish(try options.manifest("features", config, text, data))
        }
        switch options.format {
        case .json: print(try ResearchJSON.text(summary))
        case .csv: print(ResearchTables.summary(summary), terminator: "")
        case .table:
            options.printHeader(data, seconds: seconds)
            print()
            print(table(["feature", "defined", "coverage", "mean", "std", "min", "max"], summary.map {
                [$0.name, grouped($0.defined), percent($0.coverage), short($0.mean), short($0.std), short($0.min), short($0.max)]
            }))
            if let out = options.out { print("\nwritten to \(out): features.csv, feature_summary.csv, manifest.json") }
        }
    }
}

struct ResearchEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "IC and Rank IC of every feature, their decay over horizons, quantile returns, long/short, turnover, coverage.")
    @OptionGroup var options: ResearchOptions

    func run() throws {
        let (config, text) = try options.load()
        let (data, seconds) = try options.build(config)
        let began = secondsNow()
        let (report, daily) = SignalEvaluation.evaluate(data, settings: config.evaluation, threads: options.threads)
        let evaluated = secondsNow() - began
        if var out = try options.out.map(ResearchOutput.init) {
            try out.write("ic_summary.csv", text: ResearchTables.icSummary(report))
            try out.write("ic_decay.csv", text: ResearchTables.decay(report))
            try out.write("quantile_returns.csv", text: ResearchTables.quantiles(report))
            if !data.sectors.isEmpty { try out.write("ic_by_sector.csv", text: ResearchTables.sectors(report)) }
            try out.write("ic_daily.csv") { try ResearchTables.daily(report, daily, dates: data.panel.dates, emit: $0) }
            try out.write("evaluation.json", text: try ResearchJSON.text(report) + "\n")
            try out.finish(try options.manifest("evaluate", config, text, data))
        }
        switch options.format {
        case .json: print(try ResearchJSON.text(report))
        case .csv: print(ResearchTables.icSummary(report), terminator: "")
        case .table:
            options.printHeader(data, seconds: seconds)
            print("label        \(report.label) (\(config.labels.price == .open ? "next open to the open h bars later" : "close to the close h bars later")), evaluated in \(fixed(evaluated, 3)) s")
            print()
            let horizons = report.horizons
            print(table(["feature", "IC", "ICIR", "t", "RankIC", "RankICIR", "t", "Q\(config.evaluation.quantiles)-Q1", "L/S Sharpe", "churn", "dates"]
                        + horizons.map { "RankIC@\($0)" },
                        report.features.map { f in
                [f.name, short(f.ic.mean), short(f.ic.icir, 3), short(f.ic.tStat, 2), short(f.rankIC.mean), short(f.rankIC.icir, 3),
                 short(f.rankIC.tStat, 2), short(f.quantiles.spreadMean * 1e4, 1) + "bp", short(f.longShort.annualizedSharpe, 2),
                 short(f.turnover.topChurn, 2), grouped(f.rankIC.dates)] + f.decay.map { short($0.rankIC.mean) }
            }))
            let undefined = report.features.filter { $0.constantDates > 0 || $0.tooFewDates > 0 }
            if !undefined.isEmpty {
                printError("note: dates without an IC (fewer than \(config.evaluation.minNames) names, or constant): "
                           + undefined.prefix(6).map { "\($0.name) \($0.tooFewDates)+\($0.constantDates)" }.joined(separator: ", ")
                           + (undefined.count > 6 ? ", …" : ""))
            }
            if let out = options.out { print("\nwritten to \(out): ic_summary.csv, ic_decay.csv, quantile_returns.csv, ic_daily.csv, evaluation.json, manifest.json") }
        }
    }
}

struct ResearchWalkForward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walkforward",
        abstract: "Purged, embargoed walk-forward: each feature and an IC-weighted combination, or (with models:) each model and their ensemble, out of sample.")
    @OptionGroup var options: ResearchOptions

    func run() throws {
        let (config, text) = try options.load()
        let (data, seconds) = try options.build(config)
        if !config.models.isEmpty { return try ResearchModels.walkForward(options, config, text, data, seconds) }
        let report = try WalkForwardEvaluation.run(data, settings: config.walkForward, evaluation: config.evaluation, threads: options.threads)
        if var out = try options.out.map(ResearchOutput.init) {
            try out.write("folds.csv", text: ResearchTables.folds(report))
            try out.write("walkforward_features.csv", text: ResearchTables.walkForwardFeatures(report))
            try out.write("walkforward.json", text: try ResearchJSON.text(report) + "\n")
            try out.finish(try options.manifest("walkforward", config, text, data))
        }
        switch options.format {
        case .json: print(try ResearchJSON.text(report))
        case .csv: print(ResearchTables.folds(report), terminator: "")
        case .table:
            options.printHeader(data, seconds: seconds)
            let w = config.walkForward
            print("label        \(report.label); \(report.mode), train \(w.train), test \(w.test), embargo \(w.embargo); weights \(report.weighting) from training dates only")
            print()
            print(table(["fold", "train", "dates", "purged", "embargoed", "test", "train RankIC", "test IC", "test RankIC"], report.folds.map { f in
                ["\(f.fold.index)", "\(f.trainFirst)..\(f.trainLast)", grouped(f.trainDates), grouped(f.fold.purged), grouped(f.fold.embargoed),
                 "\(f.testFirst)..\(f.testLast)", short(f.trainRankIC), short(f.testIC.mean), short(f.testRankIC.mean)]
            }))
            print()
            print("combination out of sample: IC \(short(report.combinationIC.mean)) (t \(short(report.combinationIC.tStat, 2))), Rank IC \(short(report.combinationRankIC.mean)) (ICIR \(short(report.combinationRankIC.icir, 3)), t \(short(report.combinationRankIC.tStat, 2))) over \(grouped(report.combinationRankIC.dates)) test dates")
            let best = report.features.sorted { ($0.testRankIC.mean.isNaN ? -1 : abs($0.testRankIC.mean)) > ($1.testRankIC.mean.isNaN ? -1 : abs($1.testRankIC.mean)) }
            print()
            print(table(["feature", "train RankIC", "test RankIC", "test ICIR", "t", "folds same sign"], best.prefix(20).map {
                [$0.feature, short($0.trainRankIC), short($0.testRankIC.mean), short($0.testRankIC.icir, 3), short($0.testRankIC.tStat, 2),
                 "\($0.foldsSameSign)/\(report.folds.count)"]
            }))
            if report.features.count > 20 { print("(the 20 features with the largest test Rank IC of \(report.features.count); all in walkforward_features.csv with --out)") }
        }
    }
}
