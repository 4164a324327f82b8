import AuroraStats
/// Returns by factor quantile (alphalens' `mean_return_by_quantile`): on each date the symbols
/// with both a factor value and a label are split into `quantiles` groups of (nearly) equal
/// size by the factor's rank (1 = lowest); each group's mean label minus the date's mean label
/// is its demeaned return. Averaged over dates, each with its standard error (std / √dates), and
/// the spread top minus bottom with its own.
public struct QuantileReturns: Sendable, Codable, Equatable {
    public var quantiles: Int
    /// Per quantile (index 0 = lowest): mean demeaned return over dates.
    public var mean: [Double]
    public var standardError: [Double]
    /// Top minus bottom, per date (NaN where undefined).
    public var spread: [Double]
    public var spreadMean: Double
    public var spreadStandardError: Double
    public var dates: Int

    /// The 0-based quantile of a 1-based (possibly averaged) rank among n: equal-count bins.
    @inline(__always)
    static func quantile(rank: Double, count n: Int, quantiles Q: Int) -> Int {
        min(Q - 1, max(0, Int((rank - 1) * Double(Q) / Double(n))))
    }

    static func meanAndError(_ v: [Double]) -> (Double, Double) {
        guard !v.isEmpty else { return (.nan, .nan) }
        let n = Double(v.count), m = v.reduce(0, +) / n
        guard v.count > 1 else { return (m, .nan) }
        let sd = (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
        return (m, sd / n.squareRoot())
    }

    /// Gathers the dates one at a time.
    struct Accumulator {
        let quantiles: Int
        var perQuantile: [[Double]]
        var spread: [Double] = []
        private var sums: [Double], counts: [Int]

        init(quantiles Q: Int) {
            quantiles = Q
            perQuantile = Array(repeating: [], count: Q)
            sums = Array(repeating: 0, count: Q)
            counts = Array(repeating: 0, count: Q)
        }

        /// A date whose pairs are `pairs`, with the factor's ranks among them in `ranks[s]`.
        mutating func add(pairs: [Int32], ranks: UnsafePointer<Double>, label: UnsafePointer<Double>, defined: Bool) {
            let n = pairs.count, Q = quantiles
            guard defined, n >= Q else { spread.append(.nan); return }
            for q in 0..<Q { sums[q] = 0; counts[q] = 0 }
            var total = 0.0
            for s in pairs {
                let q = QuantileReturns.quantile(rank: ranks[Int(s)], count: n, quantiles: Q)
                sums[q] += label[Int(s)]; counts[q] += 1; total += label[Int(s)]
            }
            let mean = total / Double(n)
            for q in 0..<Q where counts[q] > 0 { perQuantile[q].append(sums[q] / Double(counts[q]) - mean) }
            spread.append(counts[Q - 1] > 0 && counts[0] > 0 ? sums[Q - 1] / Double(counts[Q - 1]) - sums[0] / Double(counts[0]) : .nan)
        }

        var result: QuantileReturns {
            let stats = perQuantile.map(QuantileReturns.meanAndError)
            let defined = spread.filter { !$0.isNaN }
            let s = QuantileReturns.meanAndError(defined)
            return QuantileReturns(quantiles: quantiles, mean: stats.map(\.0), standardError: stats.map(\.1), spread: spread,
                                   spreadMean: s.0, spreadStandardError: s.1, dates: defined.count)
        }
    }
}
