import AuroraData
import AuroraKernel
import AuroraStats
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
            if report.inputDifference == nil, let why = differentInputs(ea, eb, readerA.symbols) {
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
            let (counts, symbolCounts, first) = compareDecisions(ea, eb)
            if let first, report.firstDivergence == nil { report.firstDivergence = DiffReport.Divergence(time: t, a: first.0, b: first.1) }
            dayCounts.add(counts)
            report.totals.add(counts)
            // Under --force the logs may define different symbols; count only A's.
            for (s, c) in symbolCounts where s < n { perSymbol[s].add(c) }
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
        let totals = ExecutionTotals(m.trades)
        return ExecutionSummary(completion: totals.completion, slippageVsArrivalBps: totals.slippageVsArrivalBps, trades: totals.trades)
    }

    static func isMarketInput(_ e: Event) -> Bool { e.kind == .bar || e.kind == .priceUpdate || e.kind == .symbolDefinition }

    static func isComparedDecision(_ e: Event) -> Bool {
        switch e.kind {
        case .alphaValue, .signal, .plannedTrade, .orderSlice, .fill: true
        default: false
        }
    }

    static func differentInputs(_ a: [Event], _ b: [Event], _ symbols: [String]) -> String? {
        var i = 0, j = 0, countA = 0, countB = 0
        while true {
            while i < a.count && !isMarketInput(a[i]) { i += 1 }
            while j < b.count && !isMarketInput(b[j]) { j += 1 }
            guard i < a.count, j < b.count else { break }
            countA += 1
            countB += 1
            if a[i].payload != b[j].payload {
                let name = a[i].payload.symbol.map { $0.index < symbols.count ? symbols[$0.index] : "#\($0.rawValue)" } ?? ""
                return "\(a[i].kind.name) \(name) differs"
            }
            i += 1
            j += 1
        }
        countA += a[i...].filter(isMarketInput).count
        countB += b[j...].filter(isMarketInput).count
        return countA == countB ? nil : "A has \(countA) market events, B \(countB)"
    }

    /// A decision reduced to (key, fingerprint), leaving out ids and sequence numbers. The key packs
    /// the category (top 4 bits), the symbol (24 bits) and what tells same-symbol decisions apart
    /// (an alpha name's hash, or the ordinal of a plan or slice); the fingerprint mixes the values.
    static func describe(_ e: Event, _ ordinal: Int) -> (key: UInt64, category: Int, fingerprint: UInt64)? {
        func key(_ category: Int, _ symbol: SymbolID, _ extra: UInt64) -> UInt64 {
            UInt64(category) << 60 | UInt64(symbol.rawValue & 0xFF_FFFF) << 36 | (extra & 0xF_FFFF_FFFF)
        }
        switch e.payload {
        case .alphaValue(let x):
            return (key(0, x.symbol, stableHash(x.alpha)), 0, mix(x.value.bitPattern))
        case .signal(let x):
            var f = mix(UInt64(x.direction.rawValue), x.score.bitPattern, UInt64(bitPattern: Int64(x.rank)))
            for c in x.contributions { f = mix(f, c.value.bitPattern) }
            return (key(1, x.symbol, 0), 1, f)
        case .plannedTrade(let x):
            return (key(2, x.symbol, UInt64(ordinal)), 2, mix(UInt64(x.side.rawValue), UInt64(bitPattern: x.quantity.rawValue)))
        case .orderSlice(let x):
            return (key(3, x.symbol, UInt64(ordinal)), 3, mix(UInt64(x.sliceIndex), UInt64(bitPattern: x.scheduledTime.rawValue), UInt64(bitPattern: x.quantity.rawValue)))
        case .fill(let x):
            return (key(4, x.symbol, 0), 4, mix(UInt64(x.side.rawValue), UInt64(bitPattern: x.quantity.rawValue), UInt64(bitPattern: x.price.rawValue)))
        default:
            return nil
        }
    }

    /// A deterministic 64-bit mix (SplitMix64's finalizer over a running value), unlike Hasher.
    static func mix(_ values: UInt64...) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for v in values {
            h = (h ^ v) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        return h
    }

    static func stableHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325   // FNV-1a
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// Changed decisions in one step, by category and symbol, and the first differing pair.
    static func compareDecisions(_ a: [Event], _ b: [Event])
        -> (DiffReport.Counts, [(Int, DiffReport.Counts)], (Event?, Event?)?)
    {
        func described(_ events: [Event]) -> [(event: Int, key: UInt64, category: Int, fingerprint: UInt64)] {
            var out: [(Int, UInt64, Int, UInt64)] = []
            var ordinal: [UInt32: Int] = [:]
            for (i, e) in events.enumerated() where isComparedDecision(e) {
                let s = e.payload.symbol?.rawValue ?? .max
                var o = 0
                if e.kind == .plannedTrade || e.kind == .orderSlice {
                    let slot = s &* 8 &+ UInt32(e.kind.rawValue & 7)
                    o = ordinal[slot, default: 0]
                    ordinal[slot] = o + 1
                }
                if let d = describe(e, o) { out.append((i, d.key, d.category, d.fingerprint)) }
            }
            return out
        }
        let da = described(a), db = described(b)
        var first: (Event?, Event?)?
        for i in 0..<max(da.count, db.count) {
            let x = i < da.count ? da[i] : nil, y = i < db.count ? db[i] : nil
            if x?.key != y?.key || x?.fingerprint != y?.fingerprint {
                first = (x.map { a[$0.event] }, y.map { b[$0.event] })
                break
            }
        }
        guard first != nil else { return (DiffReport.Counts(), [], nil) }
        func keyed(_ d: [(event: Int, key: UInt64, category: Int, fingerprint: UInt64)]) -> [UInt64: UInt64] {
            var out: [UInt64: UInt64] = [:]
            out.reserveCapacity(d.count)
            for x in d { out[x.key] = mix(out[x.key] ?? 0, x.fingerprint) }
            return out
        }
        let ka = keyed(da), kb = keyed(db)
        var counts = DiffReport.Counts()
        var bySymbol: [Int: DiffReport.Counts] = [:]
        func count(_ key: UInt64) {
            var c = DiffReport.Counts()
            switch key >> 60 {
            case 0: c.alphas = 1
            case 1: c.signals = 1
            case 2: c.plans = 1
            case 3: c.slices = 1
            default: c.fills = 1
            }
            counts.add(c)
            bySymbol[Int((key >> 36) & 0xFF_FFFF), default: DiffReport.Counts()].add(c)
        }
        for (key, value) in ka where kb[key] != value { count(key) }
        for key in kb.keys where ka[key] == nil { count(key) }
        return (counts, bySymbol.keys.sorted().map { ($0, bySymbol[$0] ?? DiffReport.Counts()) }, first)
    }
}
