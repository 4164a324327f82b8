import AuroraCore
import AuroraExecution
import AuroraLog
import AuroraModel

/// What `aurora diff` found between two logs.
public struct DiffReport: Sendable {
    public struct Counts: Sendable, Equatable {
        public var alphas = 0, signals = 0, plans = 0, slices = 0, fills = 0
        public var total: Int { alphas + signals + plans + slices + fills }
        mutating func add(_ o: Counts) { alphas += o.alphas; signals += o.signals; plans += o.plans; slices += o.slices; fills += o.fills }
    }

    public struct Divergence: Sendable {
        public var time: Timestamp
        public var a: Event?
        public var b: Event?
    }

    /// Where the market inputs (bars, symbols) first differ, if they do.
    public var inputDifference: String?
    public var firstDivergence: Divergence?
    public var byDay: [(day: String, counts: Counts)] = []
    public var bySymbol: [(symbol: String, counts: Counts)] = []
    public var totals = Counts()
    /// Equity of each run at each day's last step, and the difference B − A.
    public var equity: [(day: String, a: Double, b: Double)] = []
    public var finalPnL: (a: Double, b: Double) = (0, 0)
    /// Per symbol: P&L of B minus P&L of A (cash flows of its fills plus its position at the last price).
    public var attribution: [(symbol: String, difference: Double)] = []
    public var execution: (a: ExecutionSummary, b: ExecutionSummary)
    public var notes: [String] = []
    public var eventsCompared: (a: Int, b: Int) = (0, 0)
    public var symbols: [String] = []

    public var identical: Bool { inputDifference == nil && firstDivergence == nil }
}

public struct ExecutionSummary: Sendable, Equatable {
    public var completion: Double
    public var slippageVsArrivalBps: Double?
    public var trades: Int
}

public enum LogDiff {
    /// Compares two logs step by step. With differing inputs it stops at the first difference
    /// unless `force`. Streams both logs; memory does not grow with their length.
    public static func compare(_ pathA: String, _ pathB: String, force: Bool = false) throws -> DiffReport {
        let readerA = try LogReader(path: pathA), readerB = try LogReader(path: pathB)
        var report = DiffReport(execution: (ExecutionSummary(completion: 0, trades: 0), ExecutionSummary(completion: 0, trades: 0)))
        report.symbols = readerA.symbols
        if readerA.formatVersion != readerB.formatVersion {
            report.notes.append("format versions differ: A \(readerA.formatVersion), B \(readerB.formatVersion)")
        }
        if readerA.symbols != readerB.symbols {
            report.inputDifference = "the symbol tables differ (A: \(readerA.symbols.count) symbols, B: \(readerB.symbols.count))"
            if !force { return report }
        }
        for (reader, name) in [(readerA, "A"), (readerB, "B")] {
            if case .torn(let e) = reader.tail { report.notes.append("\(name) has a torn tail at byte \(e.offset ?? 0): compared its intact prefix") }
            if case .damaged(let e) = reader.tail { report.notes.append("\(name) is damaged at byte \(e.offset ?? 0): compared up to there") }
        }
        var a = GroupedCursor(readerA), b = GroupedCursor(readerB)
        var state = (a: PortfolioState(), b: PortfolioState())
        var monitor = (a: ExecutionMonitorState(), b: ExecutionMonitorState())
        let n = readerA.symbols.count
        var cash = (a: [Double](repeating: 0, count: n), b: [Double](repeating: 0, count: n))
        var perSymbol = [DiffReport.Counts](repeating: DiffReport.Counts(), count: n)
        var day = "", dayCounts = DiffReport.Counts()
        var groupA = try a.next(), groupB = try b.next()

        func fold(_ events: [Event], into s: inout PortfolioState, _ m: inout ExecutionMonitorState, _ c: inout [Double]) {
            for e in events {
                PortfolioReducer.reduce(&s, e)
                ExecutionMonitor.reduce(&m, e)
                if case .fill(let f) = e.payload, f.symbol.index < c.count {
                    let q = f.quantity.doubleValue * (f.side == .buy ? 1 : -1)
                    c[f.symbol.index] -= q * f.price.doubleValue + f.fees.doubleValue
                }
            }
        }

        while groupA != nil || groupB != nil {
            let t = min(groupA?.time ?? .init(rawValue: .max), groupB?.time ?? .init(rawValue: .max))
            let ea = groupA?.time == t ? groupA?.events ?? [] : []
            let eb = groupB?.time == t ? groupB?.events ?? [] : []
            if groupA == nil || groupB == nil {
                report.notes.append("\(groupA == nil ? "A" : "B") ends at \(t.iso8601); the rest of \(groupA == nil ? "B" : "A") is not compared")
                break
            }
            // The last step of a log that was cut may be partial: it ends the comparison.
            let partialA = a.finished && readerA.tail != .closed, partialB = b.finished && readerB.tail != .closed
            if partialA || partialB {
                report.notes.append("\(partialB ? "B" : "A") ends at \(t.iso8601) (its last step may be cut short); compared the steps before it")
                break
            }
            let inputsA = ea.filter(isMarketInput), inputsB = eb.filter(isMarketInput)
            if report.inputDifference == nil, let why = differentInputs(inputsA, inputsB, readerA.symbols) {
                report.inputDifference = "at \(t.iso8601): \(why)"
                if !force { break }
            }
            let d = String(t.iso8601.prefix(10))
            if d != day {
                if !day.isEmpty {
                    if dayCounts.total > 0 { report.byDay.append((day, dayCounts)) }
                    report.equity.append((day, state.a.equity, state.b.equity))
                }
                day = d
                dayCounts = DiffReport.Counts()
            }
            let (counts, symbolCounts, first) = compareDecisions(ea.filter(isComparedDecision), eb.filter(isComparedDecision), symbols: n)
            if let first, report.firstDivergence == nil { report.firstDivergence = DiffReport.Divergence(time: t, a: first.0, b: first.1) }
            dayCounts.add(counts)
            report.totals.add(counts)
            for (s, c) in symbolCounts { perSymbol[s].add(c) }
            fold(ea, into: &state.a, &monitor.a, &cash.a)
            fold(eb, into: &state.b, &monitor.b, &cash.b)
            report.eventsCompared.a += ea.count
            report.eventsCompared.b += eb.count
            if groupA?.time == t { groupA = try a.next() }
            if groupB?.time == t { groupB = try b.next() }
        }
        if !day.isEmpty {
            if dayCounts.total > 0 { report.byDay.append((day, dayCounts)) }
            report.equity.append((day, state.a.equity, state.b.equity))
        }
        for s in 0..<n where perSymbol[s].total > 0 { report.bySymbol.append((readerA.symbols[s], perSymbol[s])) }
        report.finalPnL = (state.a.equity - state.a.initialCash, state.b.equity - state.b.initialCash)
        for s in 0..<n {
            let pnlA = cash.a[s] + state.a.quantity(SymbolID(s)) * (s < state.a.lastPrice.count ? state.a.lastPrice[s] : 0)
            let pnlB = cash.b[s] + state.b.quantity(SymbolID(s)) * (s < state.b.lastPrice.count ? state.b.lastPrice[s] : 0)
            if pnlA != pnlB { report.attribution.append((readerA.symbols[s], pnlB - pnlA)) }
        }
        report.attribution.sort { abs($0.difference) != abs($1.difference) ? abs($0.difference) > abs($1.difference) : $0.symbol < $1.symbol }
        report.execution = (summary(monitor.a), summary(monitor.b))
        return report
    }

    static func summary(_ m: ExecutionMonitorState) -> ExecutionSummary {
        var weight = 0.0, total = 0.0
        for t in m.trades { if let x = t.slippageVsArrivalBps { weight += t.filledNotional; total += x * t.filledNotional } }
        return ExecutionSummary(completion: m.overallCompletion, slippageVsArrivalBps: weight > 0 ? total / weight : nil, trades: m.trades.count)
    }

    static func isMarketInput(_ e: Event) -> Bool { e.kind == .bar || e.kind == .priceUpdate || e.kind == .symbolDefinition }

    static func isComparedDecision(_ e: Event) -> Bool {
        switch e.kind {
        case .alphaValue, .signal, .plannedTrade, .orderSlice, .fill: true
        default: false
        }
    }

    static func differentInputs(_ a: [Event], _ b: [Event], _ symbols: [String]) -> String? {
        guard a.count == b.count else { return "A has \(a.count) market events, B \(b.count)" }
        for (x, y) in zip(a, b) where x.payload != y.payload {
            let name = x.payload.symbol.map { $0.index < symbols.count ? symbols[$0.index] : "#\($0.rawValue)" } ?? ""
            return "\(x.kind.name) \(name) differs"
        }
        return nil
    }

    /// A comparable form of a decision that leaves out ids and sequence numbers.
    enum Key: Hashable {
        case alpha(String, Int)
        case signal(Int)
        case plan(Int, Int)
        case slice(Int, UInt32, Int)
        case fill(Int)
    }

    static func describe(_ e: Event, _ ordinal: Int) -> (Key, [UInt64])? {
        switch e.payload {
        case .alphaValue(let x): (.alpha(x.alpha, x.symbol.index), [x.value.bitPattern])
        case .signal(let x): (.signal(x.symbol.index), [UInt64(x.direction.rawValue), x.score.bitPattern, UInt64(bitPattern: Int64(x.rank))]
                                + x.contributions.map(\.value.bitPattern))
        case .plannedTrade(let x): (.plan(x.symbol.index, ordinal), [UInt64(x.side.rawValue), UInt64(bitPattern: x.quantity.rawValue)])
        case .orderSlice(let x): (.slice(x.symbol.index, x.sliceIndex, ordinal), [UInt64(bitPattern: x.scheduledTime.rawValue), UInt64(bitPattern: x.quantity.rawValue)])
        case .fill(let x): (.fill(x.symbol.index), [UInt64(x.side.rawValue), UInt64(bitPattern: x.quantity.rawValue), UInt64(bitPattern: x.price.rawValue)])
        default: nil
        }
    }

    static func symbolOf(_ k: Key) -> Int {
        switch k {
        case .alpha(_, let s), .signal(let s), .plan(let s, _), .slice(let s, _, _), .fill(let s): s
        }
    }

    /// Changed decisions in one step, by category and symbol, and the first differing pair.
    static func compareDecisions(_ a: [Event], _ b: [Event], symbols: Int)
        -> (DiffReport.Counts, [(Int, DiffReport.Counts)], (Event?, Event?)?)
    {
        var first: (Event?, Event?)?
        func signature(_ e: Event?) -> [UInt64]? {
            guard let e, let (_, values) = describe(e, 0) else { return nil }
            return [UInt64(e.kind.rawValue), UInt64(e.payload.symbol?.rawValue ?? .max)] + values
        }
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : nil, y = i < b.count ? b[i] : nil
            let sx = signature(x), sy = signature(y)
            if sx == nil || sy == nil || sx != sy { first = (x, y); break }
        }
        guard first != nil else { return (DiffReport.Counts(), [], nil) }
        func keyed(_ events: [Event]) -> [Key: [[UInt64]]] {
            var out: [Key: [[UInt64]]] = [:]
            var ordinal: [Int: Int] = [:]
            for e in events {
                let s = e.payload.symbol?.index ?? -1
                let o = ordinal[s, default: 0]
                if e.kind == .plannedTrade || e.kind == .orderSlice { ordinal[s] = o + 1 }
                if let (k, v) = describe(e, o) { out[k, default: []].append(v) }
            }
            return out
        }
        let ka = keyed(a), kb = keyed(b)
        var counts = DiffReport.Counts()
        var bySymbol: [Int: DiffReport.Counts] = [:]
        for key in Set(ka.keys).union(kb.keys) where ka[key] != kb[key] {
            var c = DiffReport.Counts()
            switch key {
            case .alpha: c.alphas = 1
            case .signal: c.signals = 1
            case .plan: c.plans = 1
            case .slice: c.slices = 1
            case .fill: c.fills = 1
            }
            counts.add(c)
            bySymbol[symbolOf(key), default: DiffReport.Counts()].add(c)
        }
        return (counts, bySymbol.keys.sorted().map { ($0, bySymbol[$0] ?? DiffReport.Counts()) }, first)
    }
}
