import AuroraStats
/// How fast a factor's picture changes (alphalens' turnover): the share of the top (and the
/// bottom) quantile's names on a date that were not in it on the date before, and the rank
/// autocorrelation, Spearman's correlation of the factor with its previous date's values over
/// the symbols that have both. A factor that churns fast costs more to trade.
public struct FactorTurnover: Sendable, Codable, Equatable {
    public var topChurn: Double
    public var bottomChurn: Double
    public var rankAutocorrelation: Double

    struct Accumulator {
        let quantiles: Int, minNames: Int
        /// Per symbol, the previous date's membership: 1 top, −1 bottom, 0 neither.
        private var previous: [Int8], current: [Int8]
        private var hadPrevious = false
        private var ranks: [Double], previousRanks: [Double]
        private var common: [Int32] = []
        var topChurn: [Double] = [], bottomChurn: [Double] = [], autocorrelation: [Double] = []

        init(symbols S: Int, quantiles: Int, minNames: Int) {
            self.quantiles = quantiles
            self.minNames = minNames
            previous = Array(repeating: 0, count: S); current = previous
            ranks = Array(repeating: 0, count: S); previousRanks = ranks
        }

        /// The date's values and order; the date before's (nil on the first date).
        mutating func add(_ f: UnsafePointer<Double>, _ order: CrossSectionOrder, before: (UnsafePointer<Double>, CrossSectionOrder)?, symbols S: Int) {
            let n = order.count, Q = quantiles
            guard n >= max(minNames, Q) else { hadPrevious = false; return }
            ranks.withUnsafeMutableBufferPointer { r in _ = order.ranks(f, include: { _ in true }, into: r.baseAddress!) }
            var top = 0, bottom = 0, newTop = 0, newBottom = 0
            for s in 0..<S {
                current[s] = 0
                guard f[s].isFinite else { continue }
                let q = QuantileReturns.quantile(rank: ranks[s], count: n, quantiles: Q)
                if q == Q - 1 { current[s] = 1; top += 1; if previous[s] != 1 { newTop += 1 } }
                else if q == 0 { current[s] = -1; bottom += 1; if previous[s] != -1 { newBottom += 1 } }
            }
            if hadPrevious {
                if top > 0 { topChurn.append(Double(newTop) / Double(top)) }
                if bottom > 0 { bottomChurn.append(Double(newBottom) / Double(bottom)) }
            }
            swap(&previous, &current)
            hadPrevious = true
            guard let (g, previousOrder) = before else { return }
            common.removeAll(keepingCapacity: true)
            for s in 0..<S where f[s].isFinite && g[s].isFinite { common.append(Int32(s)) }
            guard common.count >= max(minNames, 3) else { return }
            ranks.withUnsafeMutableBufferPointer { r in _ = order.ranks(f, include: { g[$0].isFinite }, into: r.baseAddress!) }
            previousRanks.withUnsafeMutableBufferPointer { r in _ = previousOrder.ranks(g, include: { f[$0].isFinite }, into: r.baseAddress!) }
            let r = common.withUnsafeBufferPointer { c in
                ranks.withUnsafeBufferPointer { a in previousRanks.withUnsafeBufferPointer { b in PairScratch.pearson(c, a.baseAddress!, b.baseAddress!) } }
            }
            if !r.isNaN { autocorrelation.append(r) }
        }

        var result: FactorTurnover {
            func mean(_ v: [Double]) -> Double { v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count) }
            return FactorTurnover(topChurn: mean(topChurn), bottomChurn: mean(bottomChurn), rankAutocorrelation: mean(autocorrelation))
        }
    }
}

/// How many symbols have a value, per date, against how many have a bar.
public struct Coverage: Sendable, Codable, Equatable {
    /// Mean share of the symbols with a bar that have a value.
    public var meanShare: Double
    public var minNames: Int
    public var maxNames: Int
    public var meanNames: Double

    struct Accumulator {
        var shares: [Double] = [], counts: [Int] = []

        mutating func add(_ f: UnsafePointer<Double>, trading: UnsafePointer<Double>, symbols S: Int) {
            var have = 0, bars = 0
            for s in 0..<S {
                if trading[s].isFinite { bars += 1 }
                if f[s].isFinite { have += 1 }
            }
            counts.append(have)
            if bars > 0 { shares.append(Double(have) / Double(bars)) }
        }

        var result: Coverage {
            Coverage(meanShare: shares.isEmpty ? .nan : shares.reduce(0, +) / Double(shares.count), minNames: counts.min() ?? 0,
                     maxNames: counts.max() ?? 0, meanNames: counts.isEmpty ? .nan : Double(counts.reduce(0, +)) / Double(counts.count))
        }
    }
}
