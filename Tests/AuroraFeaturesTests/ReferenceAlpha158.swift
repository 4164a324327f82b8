import Foundation

/// Alpha158 written plainly, one feature at a time, from Qlib's formulas over a symbol's own
/// rows (oldest first): the reference the engine is checked against. Slow on purpose: every
/// statistic is a fresh two-pass loop over its window.
enum ReferenceAlpha158 {
    struct Rows {
        var open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double]
    }

    static func value(_ name: String, _ x: Rows, at r: Int) -> Double {
        let o = x.open[r], h = x.high[r], l = x.low[r], c = x.close[r], v = x.volume[r]
        switch name {
        case "KMID": return (c - o) / o
        case "KLEN": return (h - l) / o
        case "KMID2": return (c - o) / (h - l + 1e-12)
        case "KUP": return (h - max(o, c)) / o
        case "KUP2": return (h - max(o, c)) / (h - l + 1e-12)
        case "KLOW": return (min(o, c) - l) / o
        case "KLOW2": return (min(o, c) - l) / (h - l + 1e-12)
        case "KSFT": return (2 * c - h - l) / o
        case "KSFT2": return (2 * c - h - l) / (h - l + 1e-12)
        case "OPEN0": return o / c
        case "HIGH0": return h / c
        case "LOW0": return l / c
        case "VWAP0": return (h + l + c) / 3 / c
        default: break
        }
        let op = String(name.prefix { $0.isLetter })
        guard let w = Int(name.dropFirst(op.count)) else { return .nan }
        // The window of w rows ending at r, or nothing when the history is shorter.
        func window(_ series: [Double]) -> [Double]? { r - w + 1 >= 0 ? Array(series[(r - w + 1)...r]) : nil }
        // A series that needs the row before (returns, changes): undefined at the first row.
        func lagged(_ f: (Int) -> Double) -> [Double]? {
            guard r - w >= 0 else { return nil }
            let values = ((r - w + 1)...r).map(f)
            return values.contains { !$0.isFinite } ? nil : values
        }
        let closes = window(x.close), highs = window(x.high), lows = window(x.low), volumes = window(x.volume)
        switch op {
        case "ROC": return r - w >= 0 ? x.close[r - w] / c : .nan
        case "MA": return closes.map { mean($0) / c } ?? .nan
        case "STD": return closes.map { std($0) / c } ?? .nan
        case "BETA": return closes.map { regression($0).slope / c } ?? .nan
        case "RSQR": return closes.map { regression($0).r2 } ?? .nan
        case "RESI": return closes.map { regression($0).lastResidual / c } ?? .nan
        case "MAX": return highs.map { $0.max()! / c } ?? .nan
        case "MIN": return lows.map { $0.min()! / c } ?? .nan
        case "QTLU": return closes.map { quantile($0, 0.8) / c } ?? .nan
        case "QTLD": return closes.map { quantile($0, 0.2) / c } ?? .nan
        case "RANK": return closes.map(percentileOfLast) ?? .nan
        case "RSV":
            guard let hs = highs, let ls = lows else { return .nan }
            return (c - ls.min()!) / (hs.max()! - ls.min()! + 1e-12)
        case "IMAX": return highs.map { Double(argmax($0) + 1) / Double(w) } ?? .nan
        case "IMIN": return lows.map { Double(argmin($0) + 1) / Double(w) } ?? .nan
        case "IMXD":
            guard let hs = highs, let ls = lows else { return .nan }
            return Double(argmax(hs) - argmin(ls)) / Double(w)
        case "CORR":
            guard let cs = closes, let vs = volumes else { return .nan }
            return correlation(cs, vs.map { log($0 + 1) })
        case "CORD":
            guard let a = lagged({ x.close[$0] / x.close[$0 - 1] }), let b = lagged({ log(x.volume[$0] / x.volume[$0 - 1] + 1) }) else { return .nan }
            return correlation(a, b)
        case "CNTP", "CNTN", "CNTD", "SUMP", "SUMN", "SUMD":
            guard let d = lagged({ x.close[$0] - x.close[$0 - 1] }) else { return .nan }
            let up = mean(d.map { $0 > 0 ? 1 : 0 }), down = mean(d.map { $0 < 0 ? 1 : 0 })
            let gain = d.map { max($0, 0) }.reduce(0, +), loss = d.map { max(-$0, 0) }.reduce(0, +), moved = d.map(abs).reduce(0, +)
            switch op {
            case "CNTP": return up
            case "CNTN": return down
            case "CNTD": return up - down
            case "SUMP": return gain / (moved + 1e-12)
            case "SUMN": return loss / (moved + 1e-12)
            default: return (gain - loss) / (moved + 1e-12)
            }
        case "VMA": return volumes.map { mean($0) / (v + 1e-12) } ?? .nan
        case "VSTD": return volumes.map { std($0) / (v + 1e-12) } ?? .nan
        case "WVMA":
            guard let m = lagged({ abs(x.close[$0] / x.close[$0 - 1] - 1) * x.volume[$0] }) else { return .nan }
            return std(m) / (mean(m) + 1e-12)
        case "VSUMP", "VSUMN", "VSUMD":
            guard let d = lagged({ x.volume[$0] - x.volume[$0 - 1] }) else { return .nan }
            let gain = d.map { max($0, 0) }.reduce(0, +), loss = d.map { max(-$0, 0) }.reduce(0, +), moved = d.map(abs).reduce(0, +)
            return op == "VSUMP" ? gain / (moved + 1e-12) : op == "VSUMN" ? loss / (moved + 1e-12) : (gain - loss) / (moved + 1e-12)
        default: return .nan
        }
    }

    static func mean(_ a: [Double]) -> Double { a.reduce(0, +) / Double(a.count) }

    static func std(_ a: [Double]) -> Double {
        let m = mean(a)
        return (a.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(a.count - 1)).squareRoot()
    }

    /// Least squares of y on x = 1…n.
    static func regression(_ y: [Double]) -> (slope: Double, r2: Double, lastResidual: Double) {
        let n = Double(y.count)
        let xs = (1...y.count).map(Double.init)
        let mx = mean(xs), my = mean(y)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in y.indices { sxy += (xs[i] - mx) * (y[i] - my); sxx += (xs[i] - mx) * (xs[i] - mx); syy += (y[i] - my) * (y[i] - my) }
        let slope = sxy / sxx
        let intercept = my - slope * mx
        return (slope, syy > 0 ? sxy * sxy / (sxx * syy) : .nan, y[y.count - 1] - (intercept + slope * n))
    }

    static func quantile(_ a: [Double], _ q: Double) -> Double {
        let s = a.sorted()
        let pos = q * Double(s.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
    }

    /// pandas' rank(pct=True) of the last value: its average rank among the window over n.
    static func percentileOfLast(_ a: [Double]) -> Double {
        let last = a[a.count - 1]
        let less = a.filter { $0 < last }.count, equal = a.filter { $0 == last }.count
        return (Double(less) + Double(equal + 1) / 2) / Double(a.count)
    }

    static func argmax(_ a: [Double]) -> Int { a.indices.first { a[$0] == a.max()! }! }
    static func argmin(_ a: [Double]) -> Int { a.indices.first { a[$0] == a.min()! }! }

    /// Pearson's r, NaN where either side's std is within 2e-5 of zero (Qlib's rule).
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        guard std(a) > 2e-5, std(b) > 2e-5 else { return .nan }
        let ma = mean(a), mb = mean(b)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb) }
        return sab / (saa * sbb).squareRoot()
    }
}
