import AuroraFeatures
import AuroraKernel
import AuroraLog
import AuroraModel
import AuroraRun
import AuroraStats

/// Models inside the kernel: at each bar time the strategy computes its features from the
/// snapshot (the Alpha158 engine, alphas), learns the labels that became known (a date's
/// forward return is known once its last price has printed), scores each model's past
/// predictions against them, retrains on schedule from the trailing window of labelled dates,
/// predicts the cross-section with every model, weighs the models by trailing out-of-sample
/// Rank IC (or follows the champion), maps the ensemble's score to an expected excess return,
/// and buys the top and sells the bottom names.
///
/// Everything it decides is logged before the signals: each retrain (`model_retrain`), each
/// calibration (`model_calibration`), each retirement, promotion or load (`model_decision`),
/// every prediction as an alpha value named after its model and the ensemble's score as
/// `ensemble`, the ensemble's weights when they change. Training is deterministic and reads
/// only what the log reads before it, so a run, its replay and a second process agree to the
/// byte.
public struct ModelStrategy: Strategy {
    public let config: ModelStrategyConfig
    public let featureNames: [String]
    private var sources: [any FeatureSource]
    /// Per kept feature: its source and its column there.
    private let columns: [(source: Int, column: Int)]
    private var rows: [[Double]]
    private let specs: [ModelSpec]
    private var models: [TrainedModel?]
    private let fixed: Bool
    private var history: DateHistory
    private var prices: [Double]
    private let priceDepth: Int
    private var board: ModelScoreboard
    private var roster: ModelRoster
    private var blockICs: [[Double]]
    private var pairs: [(scores: [Double], excess: [Double])] = []
    private var calibration: Calibration?
    private let memory: TrainingMemory
    private var step = -1
    private var lastSchedule: Int?
    private var loggedWeights: [Double]?
    private var explanations: [EventPayload] = []
    private var order = CrossSectionOrder()
    private let S: Int

    /// Prediction inputs kept between steps, so a step allocates little.
    private var rowSymbols: [Int] = []

    public init(_ config: ModelStrategyConfig, symbols: [String], registry: ComponentRegistry) throws {
        self.config = config
        S = symbols.count
        var sources: [any FeatureSource] = []
        var columns: [(Int, Int)] = [], names: [String] = []
        for feature in config.features {
            switch feature {
            case .alpha158(let settings, let only):
                let source = Alpha158Source(settings: settings)
                let wanted = only ?? source.names
                for name in wanted {
                    guard let c = source.names.firstIndex(of: name) else { throw ModelError("strategy.features: \(name) is not an Alpha158 feature") }
                    columns.append((sources.count, c)); names.append(name)
                }
                sources.append(source)
            case .alpha(let name):
                guard let alpha = registry.alphas.make(name) else { throw ModelError("strategy.features: unknown alpha \(name)") }
                columns.append((sources.count, 0)); names.append(name)
                sources.append(AlphaFeature(alpha))
            }
        }
        if let duplicate = names.indices.first(where: { names[..<$0].contains(names[$0]) }) {
            throw ModelError("strategy.features: \(names[duplicate]) is listed twice")
        }
        self.sources = sources
        self.columns = columns
        featureNames = names
        rows = sources.map { [Double](repeating: .nan, count: $0.names.count * symbols.count) }

        if let folder = config.artifacts {
            let loaded = try ModelArtifacts.load(folder)
            for (model, entry) in loaded {
                if let missing = model.featureNames.first(where: { !names.contains($0) }) {
                    throw ModelError("strategy.artifacts: \(entry.file) reads feature \(missing), which strategy.features does not compute")
                }
                guard entry.label == config.label.name else {
                    throw ModelError("strategy.artifacts: \(entry.file) was trained on \(entry.label); strategy.label is \(config.label.name)")
                }
            }
            specs = loaded.map { ModelSpec(name: $0.0.name, kind: $0.0.kind, target: $0.0.target) }
            models = loaded.map(\.0)
            fixed = true
        } else {
            guard !config.models.isEmpty else { throw ModelError("strategy.models: the model strategy needs models or artifacts") }
            do { try ModelTrainer.openLibraries(for: config.models) } catch { throw ModelError("strategy.models: \(error)") }
            specs = config.models
            models = config.models.map { _ in nil }
            fixed = false
        }
        let lag = config.label.end(of: 0)
        history = DateHistory(capacity: config.training.window * config.training.stride + lag + 1, features: names.count,
                              symbols: symbols.count, models: specs.count)
        priceDepth = config.label.horizon + 1
        prices = [Double](repeating: .nan, count: priceDepth * symbols.count)
        board = ModelScoreboard(models: specs.map(\.name))
        roster = ModelRoster(names: specs.map(\.name))
        blockICs = specs.map { _ in [] }
        memory = TrainingMemory(refreshEvery: config.training.refreshCuts)
    }

    public var name: String { "model(\(specs.map(\.name).joined(separator: ", ")))" }

    public mutating func takeExplanations() -> [EventPayload] {
        defer { explanations.removeAll(keepingCapacity: true) }
        return explanations
    }

    public mutating func generateSignals(_ snapshot: MarketSnapshot) -> [Signal] {
        step += 1
        let t = step
        let k = history.begin(t, time: snapshot.timestamp.rawValue)
        computeFeatures(snapshot, slot: k)
        learnLabels(snapshot, at: t)
        if fixed && t == 0 {
            for model in models.compactMap({ $0 }) {
                log(ModelDecision(action: .loaded, model: model.name, reason: "artifact \(model.digest) from \(config.artifacts ?? "")"))
            }
        }
        if lastSchedule.map({ t - $0 >= config.training.every }) ?? true {
            let known = t - config.label.end(of: 0) + 1
            if fixed || known >= config.training.minDates {
                lastSchedule = t
                if !fixed { retrain(at: t) }
                recalibrate()
            }
        }
        guard models.contains(where: { $0 != nil }) else { return [] }
        return predict(snapshot, slot: k)
    }

    // MARK: Features and labels

    private mutating func computeFeatures(_ snapshot: MarketSnapshot, slot k: Int) {
        for i in sources.indices {
            rows[i].withUnsafeMutableBufferPointer { row in
                row.update(repeating: .nan)
                sources[i].step(snapshot, date: step, into: row)
            }
        }
        let S = self.S
        history.withFeatures(k) { out in
            for (f, c) in columns.enumerated() {
                rows[c.source].withUnsafeBufferPointer { row in
                    (out.baseAddress! + f * S).update(from: row.baseAddress! + c.column * S, count: S)
                }
            }
        }
    }

    /// Stores this step's label prices; the date whose label ends here gets its labels, and
    /// every model's predictions of that date (and the ensemble's) are scored against them.
    private mutating func learnLabels(_ snapshot: MarketSnapshot, at t: Int) {
        let row = t % priceDepth
        for s in 0..<S { prices[row * S + s] = .nan }
        for bar in snapshot.bars where bar.symbol.index < S {
            prices[row * S + bar.symbol.index] = config.label.price == .open ? bar.open.doubleValue : bar.close.doubleValue
        }
        let date = t - config.label.end(of: 0)
        guard let k = history.slot(date) else { return }
        let startRow = (t - config.label.horizon) % priceDepth
        var labels = [Double](repeating: .nan, count: S)
        for s in 0..<S {
            let a = prices[startRow * S + s], b = prices[row * S + s]
            if a > 0, b.isFinite { labels[s] = b / a - 1 }
        }
        history.setLabels(k, labels)
        for m in specs.indices {
            let ic = ModelTrainer.meanRankIC(history.predictionRow(k, m), labels, [0..<S])
            board.record(m, date: date, ic: ic)
            if ic.isFinite { blockICs[m].append(ic) }
        }
        let score = history.predictionRow(k, specs.count)
        if score.contains(where: \.isFinite) {
            pairs.append((score, Self.demeaned(labels)))
            if pairs.count > config.calibration.window { pairs.removeFirst(pairs.count - config.calibration.window) }
        }
        if (date + 1) % config.monitor.block == 0 { closeBlock() }
    }

    private mutating func closeBlock() {
        let means = blockICs.map { $0.isEmpty ? Double.nan : $0.reduce(0, +) / Double($0.count) }
        blockICs = specs.map { _ in [] }
        guard means.contains(where: \.isFinite) else { return }
        for decision in roster.close(means, rules: config.monitor) { log(decision) }
    }

    // MARK: Training and calibration

    private mutating func retrain(at t: Int) {
        let lag = config.label.end(of: 0), stride = config.training.stride
        let last = t - lag
        var dates: [Int] = []
        var d = last
        while d >= 0 && dates.count < config.training.window, history.slot(d) != nil {
            dates.append(d)
            d -= stride
        }
        dates.reverse()
        let set = trainingSet(dates)
        do {
            let fitted = try ModelTrainer.fit(specs, set, validation: config.training.validation, gap: (lag + stride - 1) / stride, memory: memory)
            let featuresDigest = hexString(sha256(Array(featureNames.joined(separator: "\n").utf8)))
            for (m, (model, report)) in fitted.enumerated() {
                models[m] = model
                explanations.append(ModelRetrainCodec.record(ModelRetrain(
                    model: model.name, kind: model.kind.rawValue, trainFirst: history.time(dates[0]) ?? 0,
                    trainLast: history.time(dates[dates.count - 1]) ?? 0, rows: report.rows, features: featureNames.count,
                    featuresDigest: featuresDigest, hyperparameters: report.hyperparameters, digest: model.digest,
                    inSampleRankIC: report.inSampleRankIC, validationRankIC: report.validationRankIC ?? .nan,
                    labelHorizon: config.label.horizon, labelPrice: config.label.price.rawValue)))
            }
        } catch {
            // The models in force stay; the failure and its reason are in the log.
            for spec in specs {
                log(ModelDecision(action: .failed, model: spec.name, reason: "retrain on \(dates.count) dates, \(set.rows) rows: \(error)"))
            }
        }
    }

    /// The labelled rows of `dates` (a symbol with a label and at least one feature), date by
    /// date, symbols ascending: the rows `ModelData.trainingSet` gives in research.
    private func trainingSet(_ dates: [Int]) -> TrainingSet {
        let F = featureNames.count
        var values: [Double] = [], y: [Double] = [], rowDates: [Int32] = []
        for d in dates {
            guard let k = history.slot(d) else { continue }
            for s in 0..<S where history.label(k, s).isFinite && history.hasFeature(k, s) {
                for f in 0..<F { values.append(history.feature(k, f, s)) }
                y.append(history.label(k, s))
                rowDates.append(Int32(d))
            }
        }
        return TrainingSet(x: FeatureMatrix(rows: y.count, columns: F, values: values), y: y, dates: rowDates, featureNames: featureNames)
    }

    private mutating func recalibrate() {
        let scores = pairs.flatMap(\.scores), excess = pairs.flatMap(\.excess)
        guard let fitted = Calibration(scores: scores, returns: excess, settings: config.calibration) else { return }
        calibration = fitted
        explanations.append(CalibrationCodec.record(CalibrationRecord(edges: fitted.edges, expected: fitted.expected,
                                                                      standardError: fitted.standardError, counts: fitted.counts)))
    }

    // MARK: Prediction and signals

    private mutating func predict(_ snapshot: MarketSnapshot, slot k: Int) -> [Signal] {
        let F = featureNames.count
        rowSymbols.removeAll(keepingCapacity: true)
        for bar in snapshot.bars where bar.symbol.index < S && history.hasFeature(k, bar.symbol.index) { rowSymbols.append(bar.symbol.index) }
        var values = [Double](repeating: .nan, count: rowSymbols.count * F)
        history.copyRows(k, symbols: rowSymbols, into: &values)
        let x = FeatureMatrix(rows: rowSymbols.count, columns: F, values: values)

        // Models predict on both cores; each prediction depends only on its model and x, so the
        // log is the same with one thread or two.
        let predictors = models, names = featureNames, empty = rowSymbols.isEmpty
        let outputs = Parallel.map(predictors.count, threads: Parallel.threads) { m -> [Double]? in
            guard let model = predictors[m], !empty else { return nil }
            return try? model.predict(x, names: names)
        }
        var z: [[Double]] = []
        for m in models.indices {
            var row = [Double](repeating: .nan, count: S)
            if let p = outputs[m] {
                for (r, s) in rowSymbols.enumerated() where p[r].isFinite {
                    row[s] = p[r]
                    history.setPrediction(k, m, s, p[r])
                    explanations.append(.alphaValue(AlphaValue(alpha: specs[m].name, symbol: SymbolID(s), value: p[r])))
                }
            }
            z.append(PredictionScale.zscores(row))
        }
        let weights = ensembleWeights(before: step)
        if loggedWeights != weights {
            explanations.append(.alphaWeights(AlphaWeights(model: config.monitor.mode == .champion ? "champion" : "ic_weighted",
                                                           weights: zip(specs, weights).map { AlphaContribution(alpha: $0.name, value: $1) })))
            loggedWeights = weights
        }
        var score = PredictionScale.combine(z, weights: weights)
        var predicted = [Bool](repeating: false, count: S)
        for s in rowSymbols { predicted[s] = true }
        for s in score.indices where !predicted[s] { score[s] = .nan }
        for s in rowSymbols where score[s].isFinite {
            history.setPrediction(k, specs.count, s, score[s])
            explanations.append(.alphaValue(AlphaValue(alpha: "ensemble", symbol: SymbolID(s), value: score[s])))
        }
        return signals(snapshot, score: score, z: z, weights: weights)
    }

    /// Trailing-IC weights over the active models, or all weight on the champion.
    private func ensembleWeights(before t: Int) -> [Double] {
        let available = models.indices.map { roster.active[$0] && models[$0] != nil }
        switch config.monitor.mode {
        case .champion:
            let c = roster.champion
            if available[c] { return specs.indices.map { $0 == c ? 1 : 0 } }
            return board.weights(before: t, settings: config.ensemble, active: available)
        case .icWeighted:
            return board.weights(before: t, settings: config.ensemble, active: available)
        }
    }

    private mutating func signals(_ snapshot: MarketSnapshot, score: [Double], z: [[Double]], weights: [Double]) -> [Signal] {
        score.withUnsafeBufferPointer { order.sort($0.baseAddress!, symbols: S) }
        let n = order.count
        // Highest first; with fewer names than long + short, the longs take the upper half.
        var rank = [Int32](repeating: -1, count: S)
        order.withOrder { o, count in for i in 0..<count { rank[Int(o[count - 1 - i])] = Int32(i) } }
        let longs = min(config.long, n - min(config.short, n / 2)), shorts = min(config.short, n - longs)
        var out: [Signal] = []
        out.reserveCapacity(snapshot.bars.count)
        for bar in snapshot.bars where bar.symbol.index < S {
            let s = bar.symbol.index
            let r = rank[s]
            guard r >= 0 else {
                out.append(Signal(symbol: bar.symbol, direction: .hold, score: .nan))
                continue
            }
            let direction: SignalDirection = Int(r) < longs ? .buy : (Int(r) >= n - shorts ? .sell : .hold)
            var contributions: [AlphaContribution] = []
            for m in specs.indices where weights[m] != 0 && z[m][s].isFinite {
                contributions.append(AlphaContribution(alpha: specs[m].name, value: weights[m] * z[m][s]))
            }
            var expected: Double?, confidence: Double?
            if let calibration {
                let (e, se) = calibration.predict(score[s])
                if e.isFinite {
                    expected = e
                    let spread = se.isFinite ? se : 0
                    confidence = abs(e) + spread > 0 ? abs(e) / (abs(e) + spread) : 0
                }
            }
            out.append(Signal(symbol: bar.symbol, direction: direction, score: score[s], rank: r, contributions: contributions,
                              expectedReturn: expected, confidence: confidence))
        }
        return out
    }

    /// A decision, with the label its evidence is measured on.
    private mutating func log(_ decision: ModelDecision) {
        var d = decision
        d.labelHorizon = config.label.horizon
        d.labelPrice = config.label.price.rawValue
        explanations.append(ModelDecisionCodec.record(d))
    }

    /// A date's labels less their mean: the excess return a cross-sectional model forecasts.
    static func demeaned(_ labels: [Double]) -> [Double] {
        var total = 0.0, n = 0.0
        for v in labels where v.isFinite { total += v; n += 1 }
        guard n > 0 else { return labels }
        let m = total / n
        return labels.map { $0.isFinite ? $0 - m : $0 }
    }
}
