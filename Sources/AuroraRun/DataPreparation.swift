import AuroraData
import AuroraModel

/// What a run does to its bars between loading and the kernel, each step reported: which
/// corporate actions apply (`data.adjust`), symbols with no volume at all, suspect moves (the
/// guards), and the delistings and entries of a universe whose members come and go.
public enum DataPreparation {
    public static func prepare(_ loaded: BarSeries, _ data: DataConfig, sourceName: String,
                               report: inout DataReport) throws -> BarSeries {
        var series = loaded
        filterActions(&series, data.adjust, report: &report)
        try dropSilentSymbols(&series, data.noVolume, report: &report)
        guardMoves(&series, data.guards, sourceName: sourceName, report: &report)
        scheduleDelistings(&series, timeZone: data.timeZone, report: &report)
        return series
    }

    /// Keeps the actions `adjust` applies and says what was applied and what was not.
    static func filterActions(_ series: inout BarSeries, _ adjust: AdjustChoice, report: inout DataReport) {
        func count(_ kind: CorporateAction.Kind) -> Int { series.actions.filter { $0.action.kind == kind }.count }
        let splits = count(.split), dividends = count(.dividend), changes = count(.symbolChange)
        guard splits + dividends + changes > 0 else { return }
        let keepSplits = adjust != .none, keepDividends = adjust == .auto || adjust == .splitsAndDividends
        series.actions.removeAll { a in
            switch a.action.kind {
            case .split, .symbolChange: !keepSplits
            case .dividend: !keepDividends
            case .delisting: false
            }
        }
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var applied: [String] = [], ignored: [String] = []
        func note(_ n: Int, _ word: String, kept: Bool) {
            guard n > 0 else { return }
            if kept { applied.append(plural(n, word)) } else { ignored.append(plural(n, word)) }
        }
        note(splits, "split", kept: keepSplits)
        note(changes, "symbol change", kept: keepSplits)
        note(dividends, "dividend", kept: keepDividends)
        if !applied.isEmpty { report.actionNotes.append("applied \(applied.joined(separator: ", ")) (data.adjust: \(adjust.rawValue))") }
        if !ignored.isEmpty { report.actionNotes.append("not applied: \(ignored.joined(separator: ", ")) in the data (data.adjust: \(adjust.rawValue))") }
    }

    /// Symbols that never trade a share cannot be filled: left out unless configured to stay.
    static func dropSilentSymbols(_ series: inout BarSeries, _ policy: NoVolumePolicy, report: inout DataReport) throws {
        var traded = [Bool](repeating: false, count: series.symbols.count)
        for i in 0..<series.count where series.volume[i] > 0 { traded[Int(series.symbol[i])] = true }
        let silent = series.symbols.indices.filter { !traded[$0] }.map { series.symbols[$0] }
        guard !silent.isEmpty else { return }
        report.noVolumeSymbols = silent
        report.noVolumeKept = policy == .keep
        guard policy == .skip, silent.count < series.symbols.count else { return }
        let keep = series.symbols.filter { !Set(silent).contains($0) }
        series = try series.selecting(symbols: keep, from: nil, to: nil)
    }

    /// Close-to-close moves beyond `maxMove` that no applied split or dividend explains.
    static func guardMoves(_ series: inout BarSeries, _ guards: DataGuards, sourceName: String, report: inout DataReport) {
        let n = series.symbols.count
        var actionsOf = [[ScheduledAction]](repeating: [], count: n)
        for a in series.actions where a.action.kind == .split || a.action.kind == .dividend { actionsOf[a.action.symbol.index].append(a) }
        var nextAction = [Int](repeating: 0, count: n)
        var previous = [Int](repeating: -1, count: n)
        var drop: [Int] = []
        for i in 0..<series.count {
            let s = Int(series.symbol[i])
            defer { previous[s] = i }
            let p = previous[s]
            guard p >= 0 else { continue }
            // What the previous close becomes after the actions between the two bars.
            var expected = Double(series.close[p])
            while nextAction[s] < actionsOf[s].count, actionsOf[s][nextAction[s]].effective <= series.end[i] {
                let a = actionsOf[s][nextAction[s]].action
                if a.kind == .split { expected /= a.ratio } else { expected -= Double(a.cash.rawValue) }
                nextAction[s] += 1
            }
            guard expected > 0 else { continue }
            let move = Double(series.close[i]) / expected - 1
            guard abs(move) > guards.maxMove else { continue }
            report.suspectMoveCount += 1
            if report.suspectMoves.count < 20 {
                let place = series.line.isEmpty ? nil : "\(sourceName):\(series.line[i])"
                report.suspectMoves.append(.init(symbol: series.symbols[s], time: Timestamp(rawValue: series.end[i]),
                                                 what: "close moved \(wholePercent(move)) with no corporate action",
                                                 place: place))
            }
            if guards.onSuspect == .skip { drop.append(i) }
        }
        guard !drop.isEmpty else { return }
        report.suspectBarsSkipped = drop.count
        var out = BarSeries(symbols: series.symbols, timeframe: series.timeframe)
        out.actions = series.actions
        out.reserve(series.count)
        var k = 0
        for i in 0..<series.count {
            if k < drop.count && drop[k] == i { k += 1; continue }
            out.append(end: series.end[i], series.bar(i))
            if !series.line.isEmpty { out.line.append(series.line[i]) }
        }
        series = out
    }

    /// "+35%"; a move no price could make (an absurd split ratio in the data) is spelled as a
    /// double rather than trapping on the conversion to an integer.
    static func wholePercent(_ move: Double) -> String {
        let p = (move * 100).rounded()
        let sign = p >= 0 ? "+" : ""
        guard p.isFinite, abs(p) < 1e15 else { return "\(sign)\(p)%" }
        return "\(sign)\(Int64(p))%"
    }

    /// A symbol whose bars stop before the run's last bar time is delisted just after its last
    /// bar (unless a symbol change carries it on); one whose bars start late is an entry.
    static func scheduleDelistings(_ series: inout BarSeries, timeZone: String, report: inout DataReport) {
        guard let first = series.end.first, let last = series.end.last else { return }
        var firstBar = [Int64?](repeating: nil, count: series.symbols.count)
        for i in 0..<series.count where firstBar[Int(series.symbol[i])] == nil { firstBar[Int(series.symbol[i])] = series.end[i] }
        let renamed = Set(series.actions.filter { $0.action.kind == .symbolChange }.map(\.action.symbol))
        for (s, end) in series.lastBarTimes.enumerated() {
            guard let end else { continue }
            if let start = firstBar[s], start > first {
                report.entries.append((series.symbols[s], TimeText.localDate(Timestamp(rawValue: start), timeZone: timeZone)))
            }
            guard end < last, !renamed.contains(SymbolID(s)) else { continue }
            // Dated only when delisted: each date looks its zone up (~0.3 ms for all of the S&P
            // file's 499 symbols, nearly all of which never delist).
            let date = TimeText.localDate(Timestamp(rawValue: end), timeZone: timeZone)
            report.delistings.append((series.symbols[s], date))
            series.actions.append(ScheduledAction(effective: end + 1, action: CorporateAction(
                symbol: SymbolID(s), kind: .delisting, exDate: date, note: "no bars after \(date)")))
        }
        series.sortActions()
    }
}
