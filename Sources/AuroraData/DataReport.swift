import AuroraModel
import AuroraLog

/// What is wrong or unusual in the data a run used, per symbol and date. The kernel never trades
/// at a missing price; this report says where prices were missing or questionable.
public struct DataReport: Sendable {
    public struct Finding: Sendable, Equatable {
        public var symbol: String
        public var time: Timestamp
        public var what: String
        /// `file:line` of the row, when the bars came from a file.
        public var place: String?

        public init(symbol: String, time: Timestamp, what: String, place: String? = nil) {
            self.symbol = symbol
            self.time = time
            self.what = what
            self.place = place
        }
    }

    /// Rows the reader left out (CSV sources), by reason, each (up to 1,000) as "file:line: reason: text".
    public var skippedRows: Int = 0
    public var skippedExamples: [String] = []

    /// The skipped rows as a live session logs them before its first step (input notices).
    public var skippedRowNotices: [String] {
        var out = skippedExamples.map { "row left out: \($0)" }
        if skippedRows > skippedExamples.count {
            out.append("and \(skippedRows - skippedExamples.count) more rows left out")
        }
        return out
    }
    /// Timestamps inside a symbol's own history where it has no bar, per symbol.
    public var gapsBySymbol: [(symbol: String, missing: Int, first: Timestamp)] = []
    public var zeroVolumeBars: Int = 0
    /// Bars whose low/high contradict open/close, or with a price ≤ 0.
    public var brokenBars: [Finding] = []
    public var brokenBarCount: Int = 0
    /// What was done with corporate actions, one line each (applied, or present and not applied).
    public var actionNotes: [String] = []
    /// Close-to-close moves beyond the guard's threshold with no corporate action to explain them.
    public var suspectMoves: [Finding] = []
    public var suspectMoveCount = 0
    /// Suspect bars left out (`data.guards.on_suspect: skip`).
    public var suspectBarsSkipped = 0
    /// Symbols whose data ends before the run's (delisted) or starts after it (entries), with the date.
    public var delistings: [(symbol: String, date: String)] = []
    public var entries: [(symbol: String, date: String)] = []
    /// Symbols with no volume on any bar, left out of the run (or kept, as configured).
    public var noVolumeSymbols: [String] = []
    public var noVolumeKept = false
    /// Alphas (or a strategy's lookback) that need more history than any symbol has: never defined.
    public var neverDefined: [String] = []
    /// Symbols a sector map did not know (grouped together as "(unmapped)").
    public var unmappedSymbols: [String] = []

    public var totalGaps: Int { gapsBySymbol.reduce(0) { $0 + $1.missing } }

    static let maxExamples = 5

    public init() {}

    /// Takes the scan's findings (gaps, zero volume, broken bars) into a report that already
    /// holds what the preparation steps found.
    public mutating func merge(_ scan: DataReport) {
        gapsBySymbol = scan.gapsBySymbol
        zeroVolumeBars = scan.zeroVolumeBars
        brokenBars = scan.brokenBars
        brokenBarCount = scan.brokenBarCount
    }

    /// Scans a series for gaps, zero volume and broken OHLC relations.
    public static func scan(_ series: BarSeries) -> DataReport {
        var report = DataReport()
        let groups = series.groups
        var lastGroup = [Int](repeating: -1, count: series.symbols.count)
        var missing = [Int](repeating: 0, count: series.symbols.count)
        var firstMissing = [Int64](repeating: 0, count: series.symbols.count)
        for (g, range) in groups.enumerated() {
            for i in range {
                let s = Int(series.symbol[i])
                if lastGroup[s] >= 0 && lastGroup[s] < g - 1 {
                    if missing[s] == 0 { firstMissing[s] = series.end[groups[lastGroup[s] + 1].lowerBound] }
                    missing[s] += g - lastGroup[s] - 1
                }
                lastGroup[s] = g
                if series.volume[i] == 0 { report.zeroVolumeBars += 1 }
                let o = series.open[i], h = series.high[i], l = series.low[i], c = series.close[i]
                var problem: String?
                if o <= 0 || h <= 0 || l <= 0 || c <= 0 { problem = "price not above zero" }
                else if l > min(o, c) { problem = "low above open or close" }
                else if h < max(o, c) { problem = "high below open or close" }
                if let problem {
                    report.brokenBarCount += 1
                    if report.brokenBars.count < maxExamples {
                        report.brokenBars.append(Finding(symbol: series.symbols[s], time: Timestamp(rawValue: series.end[i]), what: problem))
                    }
                }
            }
        }
        for s in series.symbols.indices where missing[s] > 0 {
            report.gapsBySymbol.append((series.symbols[s], missing[s], Timestamp(rawValue: firstMissing[s])))
        }
        return report
    }
}
