import AuroraStats
import AuroraFeatures
import Foundation

/// A feature's information coefficient against a label, date by date (alphalens' and Qlib's
/// conventions): IC is Pearson's correlation of the feature with the label across the symbols
/// that have both, Rank IC is Spearman's (Pearson's of their ranks, ties averaged). A date with
/// fewer than `minNames` such symbols, or where either side does not vary, has no IC: it is
/// counted and left out, never taken as zero.
public struct DailyIC: Sendable {
    public var ic: [Double] = []
    public var rankIC: [Double] = []
    /// Symbols with both values, per date.
    public var names: [Int] = []
    /// Dates left out because fewer than `minNames` symbols had both values.
    public var tooFew = 0
    /// Dates left out because the feature (or the label) was the same for every symbol.
    public var constant = 0

    public var summary: ICSummary { ICSummary(ic) }
    public var rankSummary: ICSummary { ICSummary(rankIC) }

    mutating func append(_ outcome: PairScratch.Outcome) {
        names.append(outcome.names)
        switch outcome {
        case .tooFew: tooFew += 1; ic.append(.nan); rankIC.append(.nan)
        case .constant: constant += 1; ic.append(.nan); rankIC.append(.nan)
        case .defined(_, let i, let r): ic.append(i); rankIC.append(r)
        }
    }
}

/// Mean, spread and significance of a series of per-date ICs (NaN dates left out):
/// ICIR = mean / std (ddof 1), t = mean / (std / √dates).
public struct ICSummary: Sendable, Codable, Equatable {
    public var mean: Double
    public var std: Double
    public var icir: Double
    public var tStat: Double
    public var dates: Int
    /// Share of dates with a positive IC.
    public var positive: Double

    public init(_ series: [Double]) {
        let defined = series.filter { !$0.isNaN }
        let n = Double(defined.count)
        dates = defined.count
        mean = defined.isEmpty ? .nan : defined.reduce(0, +) / n
        let m = mean
        std = defined.count > 1 ? (defined.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot() : .nan
        icir = std > 0 ? mean / std : .nan
        tStat = std > 0 ? mean / (std / n.squareRoot()) : .nan
        positive = defined.isEmpty ? .nan : Double(defined.filter { $0 > 0 }.count) / n
    }
}

/// A label's cross-sections, each sorted once and ranked over all its defined symbols, shared
/// by every feature judged against it: where a feature is defined wherever the label is (most
/// dates), the label's ranks among the pairs are these.
public struct LabelOrders: Sendable {
    public let symbols: Int
    private let order: [Int32]
    private let counts: [Int]
    private let ranks: [Double]

    public init(_ label: UnsafeBufferPointer<Double>, symbols S: Int) {
        let D = S > 0 ? label.count / S : 0
        var order = [Int32](repeating: 0, count: D * S), counts = [Int](repeating: 0, count: D)
        var ranks = [Double](repeating: .nan, count: D * S)
        var sorter = CrossSectionOrder()
        ranks.withUnsafeMutableBufferPointer { r in
            for d in 0..<D {
                let l = label.baseAddress! + d * S
                sorter.sort(l, symbols: S)
                for i in 0..<sorter.count { order[d * S + i] = sorter.order[i] }
                counts[d] = sorter.count
                _ = sorter.ranks(l, include: { _ in true }, into: r.baseAddress! + d * S)
            }
        }
        self.symbols = S
        self.order = order
        self.counts = counts
        self.ranks = ranks
    }

    public init(_ labels: Labels) {
        self = labels.values.withUnsafeBufferPointer { LabelOrders($0, symbols: labels.symbolCount) }
    }

    func withOrder<R>(_ d: Int, _ body: (UnsafePointer<Int32>, Int) -> R) -> R {
        order.withUnsafeBufferPointer { body($0.baseAddress! + d * symbols, counts[d]) }
    }

    /// Date d's order, its length and the ranks over all its symbols.
    func withDate<R>(_ d: Int, _ body: (UnsafePointer<Int32>, Int, UnsafePointer<Double>) -> R) -> R {
        order.withUnsafeBufferPointer { o in
            ranks.withUnsafeBufferPointer { r in body(o.baseAddress! + d * symbols, counts[d], r.baseAddress! + d * symbols) }
        }
    }
}

/// One date's correlation of a feature with a label over the symbols that have both; after
/// `correlate`, `featureRanks[s]` holds the feature's rank among those symbols.
struct PairScratch {
    enum Outcome {
        case tooFew(Int), constant(Int), defined(Int, Double, Double)
        var names: Int {
            switch self { case .tooFew(let n), .constant(let n), .defined(let n, _, _): n }
        }
    }

    var pairs: [Int32] = []
    private var found: [Int32]
    var featureRanks: [Double]
    var labelRanks: [Double]

    init(symbols S: Int) {
        pairs.reserveCapacity(S)
        found = [Int32](repeating: 0, count: S)
        featureRanks = [Double](repeating: 0, count: S)
        labelRanks = featureRanks
    }

    mutating func correlate(_ f: UnsafePointer<Double>, _ fOrder: CrossSectionOrder, _ l: UnsafePointer<Double>,
                            _ lOrder: UnsafePointer<Int32>, _ lCount: Int, _ lRanks: UnsafePointer<Double>, symbols S: Int,
                            minNames: Int, keepRanks: Bool = false) -> Outcome {
        // Gathered through a pointer (appending one by one costs more than the rest of the date),
        // with the sums for the means on the way.
        var sa = 0.0, sb = 0.0
        let n = found.withUnsafeMutableBufferPointer { out in
            var n = 0
            for s in 0..<S where f[s].isFinite && l[s].isFinite {
                out[n] = Int32(truncatingIfNeeded: s); n += 1
                sa += f[s]; sb += l[s]
            }
            return n
        }
        pairs.removeAll(keepingCapacity: true)
        found.withUnsafeBufferPointer { pairs.append(contentsOf: $0[0..<n]) }
        guard n >= max(minNames, 3) else { return .tooFew(n) }
        let ic = pairs.withUnsafeBufferPointer { Self.pearson($0, f, l, meanA: sa / Double(n), meanB: sb / Double(n)) }
        guard !ic.isNaN else { return .constant(n) }
        // The common case: the pairs are every symbol with a feature value and every symbol with a
        // label. Then one walk of the feature's order, ranking as it goes, gives the correlation
        // with the label's precomputed ranks, and nothing is written.
        if n == fOrder.count && n == lCount && !keepRanks {
            return .defined(n, ic, fOrder.withOrder { Self.rankCorrelation(walking: $0, $1, f, lRanks) })
        }
        featureRanks.withUnsafeMutableBufferPointer { r in
            if n == fOrder.count { _ = fOrder.ranks(f, include: { _ in true }, into: r.baseAddress!) }
            else { _ = fOrder.ranks(f, include: { l[$0].isFinite }, into: r.baseAddress!) }
        }
        let rank: Double
        if n == lCount {
            rank = pairs.withUnsafeBufferPointer { p in featureRanks.withUnsafeBufferPointer { Self.rankCorrelation(p, $0.baseAddress!, lRanks) } }
        } else {
            labelRanks.withUnsafeMutableBufferPointer { r in _ = CrossSectionOrder.ranks(lOrder, lCount, l, include: { f[$0].isFinite }, into: r.baseAddress!) }
            rank = pairs.withUnsafeBufferPointer { p in
                featureRanks.withUnsafeBufferPointer { a in labelRanks.withUnsafeBufferPointer { Self.rankCorrelation(p, a.baseAddress!, $0.baseAddress!) } }
            }
        }
        return .defined(n, ic, rank)
    }

    /// Pearson's r of the ranks along `order` (ties averaged, computed on the way) with `b`.
    @inline(__always)
    static func rankCorrelation(walking o: UnsafePointer<Int32>, _ count: Int, _ values: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        let m = Double(count + 1) / 2
        var sab = 0.0, saa = 0.0, sbb = 0.0
        var i = 0
        while i < count {
            var j = i + 1
            let v = values[Int(o[i])]
            while j < count && values[Int(o[j])] == v { j += 1 }
            let da = Double(i + j + 1) / 2 - m
            for k in i..<j {
                let db = b[Int(o[k])] - m
                sab += da * db; saa += da * da; sbb += db * db
            }
            i = j
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : .nan
    }

    /// Pearson's r of two rank vectors over the symbols listed: ranks 1…n (ties averaged) always
    /// have the mean (n + 1) / 2, so one pass gives every sum.
    @inline(__always)
    static func rankCorrelation(_ symbols: UnsafeBufferPointer<Int32>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        let n = Double(symbols.count)
        let m = (n + 1) / 2
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for s in symbols {
            let da = a[Int(s)] - m, db = b[Int(s)] - m
            sab += da * db; saa += da * da; sbb += db * db
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : .nan
    }

    /// Two-pass Pearson correlation of a[s] and b[s] over the symbols listed; NaN when either
    /// side has no spread.
    @inline(__always)
    static func pearson(_ symbols: UnsafeBufferPointer<Int32>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        var sa = 0.0, sb = 0.0
        for s in symbols { sa += a[Int(s)]; sb += b[Int(s)] }
        let n = Double(symbols.count)
        return pearson(symbols, a, b, meanA: sa / n, meanB: sb / n)
    }

    /// The second pass, given the means.
    @inline(__always)
    static func pearson(_ symbols: UnsafeBufferPointer<Int32>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                        meanA ma: Double, meanB mb: Double) -> Double {
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for s in symbols {
            let da = a[Int(s)] - ma, db = b[Int(s)] - mb
            sab += da * db; saa += da * da; sbb += db * db
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : .nan
    }
}

public enum InformationCoefficient {
    /// The per-date IC and Rank IC of `feature` (a date-major column of `dates × symbols`)
    /// against `label` (same layout), over the dates in `dates`.
    public static func daily(_ feature: UnsafeBufferPointer<Double>, label: UnsafeBufferPointer<Double>, symbols S: Int,
                             dates: Range<Int>, minNames: Int) -> DailyIC {
        daily(feature, label, LabelOrders(label, symbols: S), S, dates, minNames)
    }

    /// Every feature of `panel` against `labels`, on `threads` threads (features are
    /// independent, so the results do not depend on how many).
    public static func daily(_ panel: FeaturePanel, labels: Labels, features: [Int]? = nil, dates: Range<Int>? = nil,
                             minNames: Int, threads: Int = 2) -> [DailyIC] {
        let chosen = features ?? Array(0..<panel.featureCount)
        let range = dates ?? 0..<panel.dateCount
        let S = panel.symbolCount
        let orders = LabelOrders(labels)
        return panel.values.withUnsafeBufferPointer { all in
            labels.values.withUnsafeBufferPointer { label in
                Parallel.map(chosen.count, threads: threads) { k in
                    let f = chosen[k]
                    let column = UnsafeBufferPointer(rebasing: all[(f * panel.cellCount)..<((f + 1) * panel.cellCount)])
                    return daily(column, label, orders, S, range, minNames)
                }
            }
        }
    }

    static func daily(_ feature: UnsafeBufferPointer<Double>, _ label: UnsafeBufferPointer<Double>, _ orders: LabelOrders, _ S: Int,
                      _ dates: Range<Int>, _ minNames: Int) -> DailyIC {
        var out = DailyIC()
        var order = CrossSectionOrder()
        var scratch = PairScratch(symbols: S)
        for d in dates {
            let f = feature.baseAddress! + d * S, l = label.baseAddress! + d * S
            order.sort(f, symbols: S)
            out.append(orders.withDate(d) { scratch.correlate(f, order, l, $0, $1, $2, symbols: S, minNames: minNames) })
        }
        return out
    }
}
