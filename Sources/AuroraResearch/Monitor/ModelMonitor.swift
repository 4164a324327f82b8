import AuroraFeatures
import AuroraKernel
import AuroraLog
import AuroraModel
import AuroraModels
import AuroraStats

/// The model monitor: a reducer over any log that scores every prediction it holds — each
/// model's and the ensemble's alpha values (any alpha's, in runs of the alpha strategy) and the
/// signals' scores — against the forward returns that followed, rebuilt from the log's own bars.
/// The horizon is the models' label (from their retrain or load records), one bar to the next
/// open otherwise. Per name and date: IC (Pearson), Rank IC (Spearman), hit rate (the share of
/// names whose prediction and return fall on the same side of their cross-sectional means),
/// and the factor return — Σ w·r with w = (p − mean p) ÷ Σ|p − mean p| and r the return less
/// its mean — whose product with the model's ensemble weight in force is its P&L contribution.
/// Retrains and decisions (retired, promoted, loaded, failed) are kept with their evidence.
public enum ModelMonitor: Reducer {
    public static let name = "model_monitor"
    /// Dates in the rolling Rank IC.
    public static let rollingDates = 21

    public struct Retrain: Sendable, Codable, Equatable {
        public var time: String
        public var model: String
        public var digest: String
        public var trainFirst: String
        public var trainLast: String
        public var rows: Int
        public var inSampleRankIC: Double
        public var validationRankIC: Double
        public var hyperparameters: [String: Double]
    }

    public struct Decision: Sendable, Codable, Equatable {
        public var time: String
        public var action: String
        public var model: String
        public var previous: String
        public var evidence: [Double]
        public var challengerEvidence: [Double]
        public var reason: String
    }

    struct Record: Sendable {
        var ic: [Double] = [], rankIC: [Double] = []
        var hits = 0.0, factor = 0.0, contribution = 0.0
    }

    public struct State: Sendable {
        var label = LabelSpec(horizon: 1, price: .open)
        var labelKnown = false
        var returns = ForwardReturns(depth: 8)
        var decisionTime: Int64?
        /// Names in order of first appearance, and their kinds where a record says.
        var names: [String] = []
        var kinds: [String: String] = [:]
        var records: [String: Record] = [:]
        /// Per open step (oldest first): its index, predictions by name, weights in force.
        var pending: [(step: Int, predictions: [String: [Double]], weights: [String: Double])] = []
        var weights: [String: Double] = [:]
        var status: [String: String] = [:]
        var retrains: [Retrain] = []
        var decisions: [Decision] = []
        var last = Timestamp(rawValue: 0)
    }

    public static func initialState() -> State { State() }

    public static func reduce(_ state: inout State, _ event: Event) {
        state.last = event.timestamp
        switch event.payload {
        case .bar(let b): state.returns.bar(b)
        case .corporateAction(let a): state.returns.action(a)
        case .alphaValue(let a):
            beginStep(&state, event.timestamp)
            note(&state, a.alpha)
            set(&state, a.alpha, a.symbol.index, a.value)
        case .signal(let s):
            beginStep(&state, event.timestamp)
            if s.score.isFinite {
                note(&state, "signal")
                set(&state, "signal", s.symbol.index, s.score)
            }
        case .alphaWeights(let w):
            for c in w.weights { state.weights[c.alpha] = c.value }
            if let i = state.pending.indices.last, state.decisionTime == event.timestamp.rawValue { state.pending[i].weights = state.weights }
        case .extension(let r):
            extensionRecord(&state, r, event.timestamp)
        default: break
        }
    }

    private static func extensionRecord(_ state: inout State, _ r: ExtensionRecord, _ time: Timestamp) {
        let day = time.iso8601
        if r.name == ModelRetrainCodec.name, let v = try? ModelRetrainCodec.value(of: r) {
            learnLabel(&state, v.labelHorizon, v.labelPrice)
            note(&state, v.model)
            state.kinds[v.model] = v.kind
            state.retrains.append(Retrain(time: day, model: v.model, digest: v.digest, trainFirst: Timestamp(rawValue: v.trainFirst).iso8601,
                                          trainLast: Timestamp(rawValue: v.trainLast).iso8601, rows: v.rows,
                                          inSampleRankIC: v.inSampleRankIC, validationRankIC: v.validationRankIC,
                                          hyperparameters: v.hyperparameters))
        } else if r.name == ModelDecisionCodec.name, let v = try? ModelDecisionCodec.value(of: r) {
            learnLabel(&state, v.labelHorizon, v.labelPrice)
            note(&state, v.model)
            switch v.action {
            case .retired: state.status[v.model] = "retired"
            case .promoted:
                for (k, s) in state.status where s == "champion" { state.status[k] = "active" }
                state.status[v.model] = "champion"
            case .loaded: if state.status[v.model] == nil { state.status[v.model] = "active" }
            case .failed: break
            }
            state.decisions.append(Decision(time: day, action: v.action.rawValue, model: v.model, previous: v.previous, evidence: v.evidence,
                                            challengerEvidence: v.challengerEvidence, reason: v.reason))
        }
    }

    private static func learnLabel(_ state: inout State, _ horizon: Int, _ price: String) {
        guard !state.labelKnown, horizon > 0, let p = LabelSpec.Price(rawValue: price) else { return }
        state.label = LabelSpec(horizon: horizon, price: p)
        state.labelKnown = true
        if state.returns.steps == 0 { state.returns = ForwardReturns(depth: state.label.end(of: 0) + 2) }
    }

    private static func note(_ state: inout State, _ name: String) {
        if state.records[name] == nil {
            state.records[name] = Record()
            state.names.append(name)
        }
    }

    private static func set(_ state: inout State, _ name: String, _ s: Int, _ v: Double) {
        guard let i = state.pending.indices.last else { return }
        var row = state.pending[i].predictions[name] ?? []
        if row.count <= s { row += [Double](repeating: .nan, count: s + 1 - row.count) }
        row[s] = v
        state.pending[i].predictions[name] = row
    }

    /// The first decision of a new bar time: its prices are in, the step is recorded, and the
    /// steps whose label ends here are scored.
    private static func beginStep(_ state: inout State, _ time: Timestamp) {
        guard state.decisionTime != time.rawValue else { return }
        state.decisionTime = time.rawValue
        state.returns.step()
        let now = state.returns.steps - 1
        state.pending.append((now, [:], state.weights))
        while let first = state.pending.first, state.label.end(of: first.step) <= now {
            state.pending.removeFirst()
            guard let label = state.returns.label(first.step, state.label) else { continue }
            for (name, predictions) in first.predictions { score(&state, name, predictions, label, weight: first.weights[name]) }
        }
    }

    private static func score(_ state: inout State, _ name: String, _ p: [Double], _ label: [Double], weight: Double?) {
        var x: [Double] = [], y: [Double] = []
        for s in p.indices where s < label.count && p[s].isFinite && label[s].isFinite { x.append(p[s]); y.append(label[s]) }
        guard x.count >= 3 else { return }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0, hits = 0.0, spread = 0.0
        for i in x.indices {
            let a = x[i] - mx, b = y[i] - my
            sxy += a * b; sxx += a * a; syy += b * b
            if (a > 0 && b > 0) || (a < 0 && b < 0) { hits += 1 }
            spread += abs(a)
        }
        guard sxx > 0, syy > 0 else { return }
        var r = state.records[name] ?? Record()
        r.ic.append(sxy / (sxx * syy).squareRoot())
        r.rankIC.append(CrossSectionOrder.spearman(x, y))
        r.hits += hits / n
        let factor = spread > 0 ? sxy / spread : 0
        r.factor += factor
        r.contribution += (weight ?? (name == "ensemble" || name == "signal" ? 1 : 0)) * factor
        state.records[name] = r
    }

    // MARK: Report

    public struct Line: Sendable, Codable, Equatable {
        public var name: String
        public var kind: String
        public var status: String
        public var dates: Int
        public var ic: Double
        public var rankIC: Double
        public var rankICIR: Double
        public var rankICt: Double
        public var hitRate: Double
        /// Mean per-date long-short return of the name's predictions, per bar (÷ the horizon).
        public var factorReturn: Double
        /// Σ weight in force × factor return, per bar.
        public var contribution: Double
        public var rollingRankIC: Double
        public var weight: Double?
        public var retrains: Int
    }

    public struct Report: Sendable, Codable, Equatable {
        public var label: String
        public var time: String
        public var models: [Line]
        public var retrains: [Retrain]
        public var decisions: [Decision]
    }

    public static func report(_ state: State, symbols: [String]) -> Report {
        let h = Double(state.label.horizon)
        let lines = state.names.map { name -> Line in
            let r = state.records[name] ?? Record()
            let rank = ICSummary(r.rankIC)
            let n = Double(r.rankIC.count)
            let recent = r.rankIC.suffix(rollingDates)
            return Line(name: name, kind: state.kinds[name] ?? (name == "ensemble" ? "ensemble" : (name == "signal" ? "signal score" : "alpha")),
                        status: state.status[name] ?? (state.kinds[name] != nil ? "active" : "-"), dates: r.rankIC.count,
                        ic: ICSummary(r.ic).mean, rankIC: rank.mean, rankICIR: rank.icir, rankICt: rank.tStat,
                        hitRate: n > 0 ? r.hits / n : .nan, factorReturn: n > 0 ? r.factor / n / h : .nan,
                        contribution: r.contribution / h, rollingRankIC: recent.isEmpty ? .nan : recent.reduce(0, +) / Double(recent.count),
                        weight: state.weights[name], retrains: state.retrains.filter { $0.model == name }.count)
        }
        return Report(label: state.label.name, time: state.last.iso8601, models: lines, retrains: state.retrains, decisions: state.decisions)
    }

    public static func tableLines(_ r: Report) -> [String] {
        func f(_ v: Double, _ digits: Int = 4) -> String { v.isFinite ? String(format: "%.\(digits)f", v) : "-" }
        var out = ["label \(r.label), as of \(r.time)",
                   pad(["name", "kind", "status", "dates", "IC", "RankIC", "ICIR", "t", "hit", "LS bp/bar", "contrib bp", "roll RankIC", "weight"])]
        for m in r.models {
            out.append(pad([m.name, m.kind, m.status, "\(m.dates)", f(m.ic), f(m.rankIC), f(m.rankICIR, 3), f(m.rankICt, 2), f(m.hitRate, 3),
                            f(m.factorReturn * 1e4, 2), f(m.contribution * 1e4, 1), f(m.rollingRankIC), m.weight.map { f($0, 3) } ?? "-"]))
        }
        return out
    }

    static func pad(_ cells: [String]) -> String {
        let widths = [12, 14, 9, 6, 8, 8, 7, 6, 6, 10, 11, 12, 7]
        return zip(cells, widths).map { $0.0.padding(toLength: max($0.1, $0.0.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
    }
}
