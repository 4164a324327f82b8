/// Qlib's Alpha158 feature set: its names, its order and its formulas (`docs/FEATURES.md` has
/// the table). 9 candle features, 4 price ratios and 29 rolling operators over the windows 5,
/// 10, 20, 30 and 60 bars: 158 features.
///
/// Where Aurora differs from Qlib, on purpose and documented: a rolling value is NaN until its
/// window holds `minPeriods` observations (the whole window by default; Qlib uses one); a
/// window counts the symbol's own bars (a day without a bar is not in it); a comparison with a
/// missing previous close is undefined rather than false; and without a VWAP column, VWAP0
/// uses the bar's typical price (high + low + close) / 3.
public enum Alpha158 {
    public static let candleNames = ["KMID", "KLEN", "KMID2", "KUP", "KUP2", "KLOW", "KLOW2", "KSFT", "KSFT2"]
    public static let priceNames = ["OPEN0", "HIGH0", "LOW0", "VWAP0"]
    public static let defaultWindows = [5, 10, 20, 30, 60]

    /// The rolling operators, in Qlib's order.
    public enum Operator: Int, CaseIterable, Sendable {
        case roc, ma, std, beta, rsqr, resi, max, min, qtlu, qtld, rank, rsv, imax, imin, imxd, corr, cord,
             cntp, cntn, cntd, sump, sumn, sumd, vma, vstd, wvma, vsump, vsumn, vsumd

        public var name: String {
            ["ROC", "MA", "STD", "BETA", "RSQR", "RESI", "MAX", "MIN", "QTLU", "QTLD", "RANK", "RSV", "IMAX", "IMIN", "IMXD",
             "CORR", "CORD", "CNTP", "CNTN", "CNTD", "SUMP", "SUMN", "SUMD", "VMA", "VSTD", "WVMA", "VSUMP", "VSUMN", "VSUMD"][rawValue]
        }
    }

    /// The names in the set's order: candles, price ratios, then each operator over each window.
    public static func names(windows: [Int] = defaultWindows) -> [String] {
        candleNames + priceNames + Operator.allCases.flatMap { op in windows.map { "\(op.name)\($0)" } }
    }

    /// Index of the first rolling feature.
    static let rollingStart = 13
}

/// How the Alpha158 engine evaluates its windows.
public struct Alpha158Settings: Sendable, Equatable {
    /// Window lengths in bars, ascending (Qlib's: 5, 10, 20, 30, 60).
    public var windows: [Int]
    /// Observations a rolling value needs: nil means the whole window (Aurora's default); k means
    /// min(k, window) (Qlib's own setting is 1).
    public var minPeriods: Int?

    public init(windows: [Int] = Alpha158.defaultWindows, minPeriods: Int? = nil) {
        self.windows = windows
        self.minPeriods = minPeriods
    }

    public var names: [String] { Alpha158.names(windows: windows) }
    public var featureCount: Int { Alpha158.rollingStart + Alpha158.Operator.allCases.count * windows.count }

    /// Checks the settings, naming what is wrong.
    public func validate() throws {
        guard !windows.isEmpty else { throw FeatureError("alpha158.windows: the list is empty") }
        for (i, w) in windows.enumerated() {
            guard w >= 2, w <= 1_000 else { throw FeatureError("alpha158.windows: \(w) is out of range (2 to 1000 bars)") }
            if i > 0, w <= windows[i - 1] { throw FeatureError("alpha158.windows: must be ascending without repeats, \(windows[i - 1]) then \(w)") }
        }
        if let m = minPeriods, m < 1 || m > 1_000 { throw FeatureError("alpha158.min_periods: \(m) is out of range (1 to 1000)") }
    }
}

public struct FeatureError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
