import Foundation

/// Operators on one cross-section (one value per symbol, NaN where undefined), each optionally
/// within groups (`groups[i]` ≥ 0 is symbol i's group, e.g. its sector). NaN stays NaN and is
/// left out of every statistic. Work within a group runs in index order, so results are exact
/// and repeatable.
public enum CrossSection {
    /// 1-based ranks, ties getting their average rank (pandas' `rank()` default).
    public static func rank(_ v: [Double], groups: [Int]? = nil) -> [Double] {
        var out = [Double](repeating: .nan, count: v.count)
        var keys: [UInt128] = []
        for members in buckets(v, groups) {
            // One integer per value: order-preserving bits of the value, then the index; sorted
            // as plain integers, without a comparison closure.
            keys.removeAll(keepingCapacity: true)
            for i in members { keys.append(UInt128(orderedBits(v[i])) << 64 | UInt128(i)) }
            KeyedSort.sort(&keys)
            var i = 0
            while i < keys.count {
                var j = i
                while j + 1 < keys.count && keys[j + 1] >> 64 == keys[i] >> 64 { j += 1 }
                let average = Double(i + j + 2) / 2
                for k in i...j { out[Int(truncatingIfNeeded: keys[k])] = average }
                i = j + 1
            }
        }
        return out
    }

    /// Bits that sort like the (non-NaN) doubles they come from; −0.0 and 0.0 map together.
    @inlinable
    public static func orderedBits(_ d: Double) -> UInt64 {
        let bits = (d + 0.0).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// Ranks mapped to [−0.5, 0.5]: (rank − 1) / (n − 1) − 0.5; a group of one gets 0.
    public static func percentileRank(_ v: [Double], groups: [Int]? = nil) -> [Double] {
        var out = rank(v, groups: groups)
        // Ranked values are exactly the groups' members: count them rather than group again.
        var sizes = [Int](repeating: 0, count: groups.map { ($0.max() ?? -1) + 1 } ?? 1)
        for i in out.indices where !out[i].isNaN { sizes[groups?[i] ?? 0] += 1 }
        for i in out.indices where !out[i].isNaN {
            let n = Double(sizes[groups?[i] ?? 0])
            out[i] = n > 1 ? (out[i] - 1) / (n - 1) - 0.5 : 0
        }
        return out
    }

    /// v − mean of its group.
    public static func demean(_ v: [Double], groups: [Int]? = nil) -> [Double] {
        var out = [Double](repeating: .nan, count: v.count)
        for members in buckets(v, groups) {
            let mean = members.reduce(0.0) { $0 + v[$1] } / Double(members.count)
            for i in members { out[i] = v[i] - mean }
        }
        return out
    }

    /// (v − mean) / sd within the group, sd with ddof 1 (sample); NaN for groups of fewer than two
    /// values or with no spread, where a z-score means nothing.
    public static func zscore(_ v: [Double], groups: [Int]? = nil, ddof: Int = 1) -> [Double] {
        var out = [Double](repeating: .nan, count: v.count)
        for members in buckets(v, groups) where members.count > ddof {
            let mean = members.reduce(0.0) { $0 + v[$1] } / Double(members.count)
            var squares = 0.0
            for i in members { squares += (v[i] - mean) * (v[i] - mean) }
            let sd = (squares / Double(members.count - ddof)).squareRoot()
            guard sd > 0 else { continue }
            for i in members { out[i] = (v[i] - mean) / sd }
        }
        return out
    }

    /// Clips each value to its group's [lower, upper] quantiles (linear interpolation between
    /// order statistics, as numpy's default percentile).
    public static func winsorize(_ v: [Double], lower: Double = 0.05, upper: Double = 0.95, groups: [Int]? = nil) -> [Double] {
        var out = v
        for members in buckets(v, groups) {
            let sorted = members.map { v[$0] }.sorted()
            let lo = quantile(sorted, lower), hi = quantile(sorted, upper)
            for i in members { out[i] = min(max(v[i], lo), hi) }
        }
        return out
    }

    /// Demeaned factor weights, (f − group mean) / Σ|f − group mean| over all symbols, so the
    /// long and short sides are dollar-neutral and |weights| sum to one (alphalens' factor weights).
    public static func factorWeights(_ v: [Double], groups: [Int]? = nil) -> [Double] {
        let d = demean(v, groups: groups)
        let total = d.reduce(0.0) { $1.isNaN ? $0 : $0 + abs($1) }
        return d.map { $0.isNaN || total == 0 ? ($0.isNaN ? .nan : 0) : $0 / total }
    }

    /// Spearman rank correlation over the indices where both are defined; NaN below three pairs.
    public static func rankCorrelation(_ a: [Double], _ b: [Double]) -> Double {
        let both = a.indices.filter { !a[$0].isNaN && !b[$0].isNaN }
        guard both.count >= 3 else { return .nan }
        let ra = rank(both.map { a[$0] }), rb = rank(both.map { b[$0] })
        return pearson(ra, rb)
    }

    public static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            sab += (a[i] - ma) * (b[i] - mb)
            saa += (a[i] - ma) * (a[i] - ma)
            sbb += (b[i] - mb) * (b[i] - mb)
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : .nan
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = min(max(q, 0), 1) * Double(sorted.count - 1)
        let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
        return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
    }

    /// Indices of defined values, per group, groups in ascending id.
    static func buckets(_ v: [Double], _ groups: [Int]?) -> [[Int]] {
        guard let groups else { return [v.indices.filter { !v[$0].isNaN }] }
        var out: [[Int]] = Array(repeating: [], count: (groups.max() ?? -1) + 1)
        for i in v.indices where !v[i].isNaN && i < groups.count && groups[i] >= 0 { out[groups[i]].append(i) }
        return out.filter { !$0.isEmpty }
    }
}
