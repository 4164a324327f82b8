import AuroraStats
import AuroraFeatures

/// Everything `aurora research evaluate` says about one feature.
public struct FeatureEvaluation: Sendable, Codable {
    public var name: String
    /// Against the evaluation label.
    public var ic: ICSummary
    public var rankIC: ICSummary
    /// Dates without an IC: too few symbols, or a constant cross-section.
    public var tooFewDates: Int
    public var constantDates: Int
    public var coverage: Coverage
    public var quantiles: QuantileReturns
    public var longShort: FactorReturns
    public var turnover: FactorTurnover
    /// IC and Rank IC against each label horizon: how the signal decays.
    public var decay: [HorizonIC]
    /// Rank IC within each sector (with a sector map).
    public var bySector: [SectorIC]
}

public struct HorizonIC: Sendable, Codable, Equatable {
    public var horizon: Int
    public var ic: ICSummary
    public var rankIC: ICSummary
}

public struct SectorIC: Sendable, Codable, Equatable {
    public var sector: String
    public var rankIC: ICSummary
}

public struct EvaluationReport: Sendable, Codable {
    /// The label the tables use (`fwd_open_1`, …).
    public var label: String
    public var horizons: [Int]
    public var dates: Int
    public var symbols: Int
    public var features: [FeatureEvaluation]
}

/// Judges every feature against the labels in one pass over its dates: each cross-section is
/// sorted once, and every rank-based statistic (Rank IC per horizon and per sector, quantiles,
/// turnover) takes its ranks from that order. Features run on `threads` threads; the report
/// does not depend on how many.
public enum SignalEvaluation {
    public static func evaluate(_ data: ResearchData, settings: EvaluationSettings, threads: Int = 2)
        -> (report: EvaluationReport, daily: [DailyIC]) {
        let panel = data.panel
        let S = panel.symbolCount, D = panel.dateCount
        let main = data.label(horizon: settings.horizon)
        let mainIndex = data.labels.firstIndex { $0.spec == main.spec } ?? 0
        let orders = data.labels.map(LabelOrders.init)
        let sectorOf = data.groups ?? []
        let results: [(FeatureEvaluation, DailyIC)] = panel.values.withUnsafeBufferPointer { all in
            data.market.close.withUnsafeBufferPointer { trading in
                Parallel.map(panel.featureCount, threads: threads) { f in
                    let column = all.baseAddress! + f * panel.cellCount
                    var walk = FeatureWalk(symbols: S, horizons: data.labels.count, sectors: data.sectors.count, settings: settings,
                                           horizon: main.spec.horizon)
                    for d in 0..<D {
                        walk.add(date: d, column + d * S, labels: data.labels, orders: orders, main: mainIndex,
                                 trading: trading.baseAddress! + d * S, sectorOf: sectorOf, before: d > 0 ? column + (d - 1) * S : nil)
                    }
                    let daily = walk.daily[mainIndex]
                    return (FeatureEvaluation(
                        name: panel.names[f], ic: daily.summary, rankIC: daily.rankSummary, tooFewDates: daily.tooFew,
                        constantDates: daily.constant, coverage: walk.coverage.result, quantiles: walk.quantiles.result,
                        longShort: walk.longShort.result, turnover: walk.turnover.result,
                        decay: data.labels.indices.map { HorizonIC(horizon: data.labels[$0].spec.horizon, ic: walk.daily[$0].summary,
                                                                   rankIC: walk.daily[$0].rankSummary) },
                        bySector: data.sectors.indices.map { SectorIC(sector: data.sectors[$0], rankIC: ICSummary(walk.sectorRankIC[$0])) }),
                            daily)
                }
            }
        }
        let report = EvaluationReport(label: main.name, horizons: data.labels.map(\.spec.horizon), dates: D, symbols: S,
                                      features: results.map(\.0))
        return (report, results.map(\.1))
    }
}

/// One feature's statistics, date by date.
struct FeatureWalk {
    let S: Int
    let minNames: Int
    var daily: [DailyIC]
    var quantiles: QuantileReturns.Accumulator
    var longShort: FactorReturns.Accumulator
    var turnover: FactorTurnover.Accumulator
    var coverage = Coverage.Accumulator()
    var sectorRankIC: [[Double]]
    private var order = CrossSectionOrder(), previousOrder = CrossSectionOrder()
    private var pairs: PairScratch
    private var sectorScratch: [Double] = []

    init(symbols S: Int, horizons: Int, sectors: Int, settings: EvaluationSettings, horizon: Int) {
        self.S = S
        minNames = settings.minNames
        daily = Array(repeating: DailyIC(), count: horizons)
        quantiles = .init(quantiles: settings.quantiles)
        longShort = .init(horizon: horizon)
        turnover = .init(symbols: S, quantiles: settings.quantiles, minNames: settings.minNames)
        sectorRankIC = Array(repeating: [], count: sectors)
        pairs = PairScratch(symbols: S)
    }

    mutating func add(date d: Int, _ f: UnsafePointer<Double>, labels: [Labels], orders: [LabelOrders], main: Int,
                      trading: UnsafePointer<Double>, sectorOf: [Int], before: UnsafePointer<Double>?) {
        order.sort(f, symbols: S)
        coverage.add(f, trading: trading, symbols: S)
        // The main label last, so its ranks are still in `pairs` for the quantiles.
        for h in labels.indices.filter({ $0 != main }) + [main] {
            labels[h].values.withUnsafeBufferPointer { lb in
                let l = lb.baseAddress! + d * S
                let outcome = orders[h].withDate(d) { pairs.correlate(f, order, l, $0, $1, $2, symbols: S, minNames: minNames, keepRanks: h == main) }
                daily[h].append(outcome)
                guard h == main else { return }
                var defined = false
                if case .defined = outcome { defined = true }
                pairs.featureRanks.withUnsafeBufferPointer { quantiles.add(pairs: pairs.pairs, ranks: $0.baseAddress!, label: l, defined: defined) }
                longShort.add(pairs: pairs.pairs, feature: f, label: l, defined: defined)
                if !sectorRankIC.isEmpty { sectors(f, l, orders[h], d, sectorOf) }
            }
        }
        turnover.add(f, order, before: before.map { ($0, previousOrder) }, symbols: S)
        swap(&order, &previousOrder)
    }

    /// Rank IC within each sector: one walk of each order gives every symbol its rank within its
    /// sector (among the sector's symbols with both values), then one correlation per sector.
    private mutating func sectors(_ f: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ orders: LabelOrders, _ d: Int, _ sectorOf: [Int]) {
        let K = sectorRankIC.count
        if sectorScratch.count < 7 * K { sectorScratch = [Double](repeating: 0, count: 7 * K) }
        sectorOf.withUnsafeBufferPointer { g in
            let both = { (s: Int) in f[s].isFinite && l[s].isFinite }
            pairs.featureRanks.withUnsafeMutableBufferPointer { r in
                order.withOrder { o, n in SectorRanks.assign(o, n, f, g.baseAddress!, K, include: both, into: r.baseAddress!) }
            }
            pairs.labelRanks.withUnsafeMutableBufferPointer { r in
                orders.withOrder(d) { o, n in SectorRanks.assign(o, n, l, g.baseAddress!, K, include: both, into: r.baseAddress!) }
            }
            pairs.featureRanks.withUnsafeBufferPointer { a in
                pairs.labelRanks.withUnsafeBufferPointer { b in
                    sectorScratch.withUnsafeMutableBufferPointer { acc in
                        let r = SectorRanks.correlations(a.baseAddress!, b.baseAddress!, g.baseAddress!, S, K, include: both,
                                                         minNames: max(minNames, 3), scratch: acc.baseAddress!)
                        for k in 0..<K { sectorRankIC[k].append(r[k]) }
                    }
                }
            }
        }
    }
}

/// Ranks within groups from one walk of a cross-section's order, and per-group correlations.
enum SectorRanks {
    /// For every included symbol, its 1-based rank (ties averaged) among the included symbols
    /// of its own group.
    static func assign(_ o: UnsafePointer<Int32>, _ n: Int, _ values: UnsafePointer<Double>, _ group: UnsafePointer<Int>, _ K: Int,
                       include: (Int) -> Bool, into ranks: UnsafeMutablePointer<Double>) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * K) { counters in
            let position = counters.baseAddress!, members = position + K
            position.update(repeating: 0, count: K)
            members.update(repeating: 0, count: K)
            var i = 0
            while i < n {
                var j = i + 1
                let v = values[Int(o[i])]
                while j < n && values[Int(o[j])] == v { j += 1 }
                for m in i..<j where include(Int(o[m])) { members[group[Int(o[m])]] += 1 }
                for m in i..<j where include(Int(o[m])) {
                    let k = group[Int(o[m])]
                    ranks[Int(o[m])] = Double(2 * position[k] + members[k] + 1) / 2
                }
                for m in i..<j where include(Int(o[m])) {
                    let k = group[Int(o[m])]
                    position[k] += members[k]
                    members[k] = 0
                }
                i = j
            }
        }
    }

    /// Two-pass Pearson correlation of a and b within each group over the included symbols;
    /// NaN for a group with fewer than `minNames` of them or without spread.
    static func correlations(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ group: UnsafePointer<Int>, _ S: Int, _ K: Int,
                             include: (Int) -> Bool, minNames: Int, scratch acc: UnsafeMutablePointer<Double>) -> [Double] {
        let count = acc, sa = acc + K, sb = acc + 2 * K, sab = acc + 3 * K, saa = acc + 4 * K, sbb = acc + 5 * K
        acc.update(repeating: 0, count: 6 * K)
        for s in 0..<S where include(s) { let k = group[s]; count[k] += 1; sa[k] += a[s]; sb[k] += b[s] }
        for k in 0..<K where count[k] > 0 { sa[k] /= count[k]; sb[k] /= count[k] }
        for s in 0..<S where include(s) {
            let k = group[s]
            let da = a[s] - sa[k], db = b[s] - sb[k]
            sab[k] += da * db; saa[k] += da * da; sbb[k] += db * db
        }
        return (0..<K).map { k in
            count[k] >= Double(minNames) && saa[k] > 0 && sbb[k] > 0 ? sab[k] / (saa[k] * sbb[k]).squareRoot() : .nan
        }
    }
}
