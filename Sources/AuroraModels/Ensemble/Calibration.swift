import AuroraLog
import AuroraStats

/// How ensemble scores become expected returns: from past out-of-sample pairs (score, realized
/// forward return) over the last `window` dates with known labels, the scores' quantiles cut
/// `bins` bins; a score's expected return is its bin's mean return, its uncertainty the bin's
/// standard error. `isotonic` pools adjacent bins until the means never decrease with the
/// score (pool-adjacent-violators, weighted by counts), so a higher score never forecasts less.
public struct CalibrationSettings: Sendable, Equatable, Codable {
    public enum Method: String, Sendable, CaseIterable, Codable { case binned, isotonic }
    public var method: Method = .isotonic
    public var bins = 10
    public var window = 120
    /// Pairs needed before the calibration says anything (until then: no expected returns).
    public var minPairs = 500

    public init(method: Method = .isotonic, bins: Int = 10, window: Int = 120, minPairs: Int = 500) {
        self.method = method
        self.bins = bins
        self.window = window
        self.minPairs = minPairs
    }
}

/// A fitted calibration: bin edges on the score, and per bin the expected return, its standard
/// error and the pairs behind it.
public struct Calibration: Sendable, Equatable, Codable {
    /// `bins − 1` inner edges, ascending.
    public var edges: [Double]
    public var expected: [Double]
    public var standardError: [Double]
    public var counts: [Int]

    /// Fits from pairs; nil with fewer than `settings.minPairs` of them.
    public init?(scores: [Double], returns: [Double], settings: CalibrationSettings) {
        let pairs = zip(scores, returns).filter { $0.0.isFinite && $0.1.isFinite }
        guard pairs.count >= max(settings.minPairs, settings.bins * 2) else { return nil }
        let sortedScores = pairs.map(\.0).sorted()
        let edges = (1..<settings.bins).map { k in sortedScores[Int(Double(k) * Double(sortedScores.count) / Double(settings.bins))] }
        var sums = [Double](repeating: 0, count: settings.bins), squares = sums, counts = [Int](repeating: 0, count: settings.bins)
        for (s, r) in pairs {
            let b = Self.bin(s, edges)
            sums[b] += r; squares[b] += r * r; counts[b] += 1
        }
        var means = sums.indices.map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : .nan }
        var se = sums.indices.map { b -> Double in
            guard counts[b] > 1 else { return .nan }
            let n = Double(counts[b]), m = sums[b] / n
            return (max(squares[b] - n * m * m, 0) / (n - 1) / n).squareRoot()
        }
        if settings.method == .isotonic { (means, se) = Self.pooled(means, se, counts) }
        self.edges = edges
        self.expected = means
        self.standardError = se
        self.counts = counts
    }

    /// The expected return and its standard error for a score.
    public func predict(_ score: Double) -> (expected: Double, standardError: Double) {
        guard score.isFinite else { return (.nan, .nan) }
        let b = Self.bin(score, edges)
        return (expected[b], standardError[b])
    }

    static func bin(_ score: Double, _ edges: [Double]) -> Int {
        var lo = 0, hi = edges.count
        while lo < hi { let mid = (lo + hi) / 2; if score < edges[mid] { hi = mid } else { lo = mid + 1 } }
        return lo
    }

    /// Pool-adjacent-violators on the bin means (weighted by counts); a pooled block's standard
    /// error is that of its pooled mean.
    static func pooled(_ means: [Double], _ se: [Double], _ counts: [Int]) -> ([Double], [Double]) {
        var blocks: [(mean: Double, weight: Double, varSum: Double, first: Int, last: Int)] = []
        for b in means.indices where counts[b] > 0 && means[b].isFinite {
            let w = Double(counts[b])
            let variance = se[b].isFinite ? se[b] * se[b] * w * w : 0
            blocks.append((means[b], w, variance, b, b))
            while blocks.count > 1 && blocks[blocks.count - 2].mean > blocks[blocks.count - 1].mean {
                let y = blocks.removeLast(), x = blocks.removeLast()
                let w = x.weight + y.weight
                blocks.append(((x.mean * x.weight + y.mean * y.weight) / w, w, x.varSum + y.varSum, x.first, y.last))
            }
        }
        var outMean = means, outSE = se
        for block in blocks {
            for b in block.first...block.last {
                outMean[b] = block.mean
                outSE[b] = block.varSum.squareRoot() / block.weight
            }
        }
        return (outMean, outSE)
    }
}

/// How well expected returns matched what came: out-of-sample pairs (expected, realized)
/// grouped into the calibration's bins by their expected value; the error is the count-weighted
/// mean of |mean expected − mean realized| per group, against the same for a forecast of zero.
public struct CalibrationError: Sendable, Codable, Equatable {
    public var pairs: Int
    public var meanAbsoluteError: Double
    /// The same error for a forecast of 0 everywhere (a calibration worth having is below it).
    public var zeroForecastError: Double
    /// Slope of realized on expected returns (1 is perfectly calibrated, 0 is no information).
    public var slope: Double

    public init(expected: [Double], realized: [Double], groups: Int = 10) {
        let pairs = zip(expected, realized).filter { $0.0.isFinite && $0.1.isFinite }.sorted { $0.0 < $1.0 }
        self.pairs = pairs.count
        guard pairs.count >= groups else {
            meanAbsoluteError = .nan; zeroForecastError = .nan; slope = .nan
            return
        }
        var error = 0.0, zero = 0.0
        for g in 0..<groups {
            let part = pairs[(g * pairs.count / groups)..<((g + 1) * pairs.count / groups)]
            let e = part.reduce(0) { $0 + $1.0 } / Double(part.count), r = part.reduce(0) { $0 + $1.1 } / Double(part.count)
            error += abs(e - r) * Double(part.count)
            zero += abs(r) * Double(part.count)
        }
        meanAbsoluteError = error / Double(pairs.count)
        zeroForecastError = zero / Double(pairs.count)
        let me = pairs.reduce(0) { $0 + $1.0 } / Double(pairs.count), mr = pairs.reduce(0) { $0 + $1.1 } / Double(pairs.count)
        var sxy = 0.0, sxx = 0.0
        for (e, r) in pairs { sxy += (e - me) * (r - mr); sxx += (e - me) * (e - me) }
        slope = sxx > 0 ? sxy / sxx : .nan
    }
}
