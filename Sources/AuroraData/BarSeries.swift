import AuroraModel
import AuroraLog

/// Bars of many symbols in the order the kernel consumes them: by end time, then symbol id, with
/// symbol ids assigned in name order. Column arrays keep a 500k-bar history compact.
public struct BarSeries: Sendable {
    public var symbols: [String]
    public var timeframe: Timeframe
    public var end: [Int64] = []
    public var symbol: [UInt32] = []
    public var open: [Int64] = []
    public var high: [Int64] = []
    public var low: [Int64] = []
    public var close: [Int64] = []
    public var volume: [Int64] = []
    /// Corporate actions, by effective time: each is logged at the first bar time at or after
    /// its `effective` instant (the start of its ex-date), before that time's bars.
    public var actions: [ScheduledAction] = []
    /// The file line of each bar when the series was read from a file (empty otherwise), for
    /// messages that point at the row.
    public var line: [Int32] = []

    public var count: Int { end.count }

    public init(symbols: [String], timeframe: Timeframe) {
        self.symbols = symbols
        self.timeframe = timeframe
    }

    public func bar(_ i: Int) -> Bar {
        Bar(symbol: SymbolID(rawValue: symbol[i]), timeframe: timeframe, open: Price(rawValue: open[i]),
            high: Price(rawValue: high[i]), low: Price(rawValue: low[i]), close: Price(rawValue: close[i]),
            volume: Quantity(rawValue: volume[i]))
    }

    public mutating func append(end t: Int64, _ b: Bar) {
        end.append(t)
        symbol.append(b.symbol.rawValue)
        open.append(b.open.rawValue)
        high.append(b.high.rawValue)
        low.append(b.low.rawValue)
        close.append(b.close.rawValue)
        volume.append(b.volume.rawValue)
    }

    /// Appends bars logged one after another, each symbol id mapped through `symbolID` (which
    /// must hold every id they use): the columns grow once per run instead of once per bar, and
    /// the bars are read in one pass that writes all seven (a pass per column read each bar's
    /// cache lines seven times: the reading thread's largest cost while a log's bars load).
    public mutating func append(_ run: ArraySlice<LoggedBar>, symbolID: [UInt32]) {
        let start = count, n = run.count
        end.append(contentsOf: repeatElement(0, count: n))
        symbol.append(contentsOf: repeatElement(0, count: n))
        open.append(contentsOf: repeatElement(0, count: n))
        high.append(contentsOf: repeatElement(0, count: n))
        low.append(contentsOf: repeatElement(0, count: n))
        close.append(contentsOf: repeatElement(0, count: n))
        volume.append(contentsOf: repeatElement(0, count: n))
        run.withUnsafeBufferPointer { bars in
            symbolID.withUnsafeBufferPointer { ids in
                end.withUnsafeMutableBufferPointer { end in
                    symbol.withUnsafeMutableBufferPointer { symbol in
                        open.withUnsafeMutableBufferPointer { open in
                            high.withUnsafeMutableBufferPointer { high in
                                low.withUnsafeMutableBufferPointer { low in
                                    close.withUnsafeMutableBufferPointer { close in
                                        volume.withUnsafeMutableBufferPointer { volume in
                                            for k in 0..<n {
                                                let b = bars[k], i = start + k
                                                end[i] = b.timestamp.rawValue
                                                symbol[i] = ids[Int(b.bar.symbol.rawValue)]
                                                open[i] = b.bar.open.rawValue
                                                high[i] = b.bar.high.rawValue
                                                low[i] = b.bar.low.rawValue
                                                close[i] = b.bar.close.rawValue
                                                volume[i] = b.bar.volume.rawValue
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public mutating func reserve(_ n: Int) {
        end.reserveCapacity(n); symbol.reserveCapacity(n); open.reserveCapacity(n); high.reserveCapacity(n)
        low.reserveCapacity(n); close.reserveCapacity(n); volume.reserveCapacity(n)
    }

    /// One bar time: its end and the index range of its bars.
    public struct Step: Sendable, Equatable {
        public var time: Timestamp
        public var range: Range<Int>
    }

    /// The bar times in order, each with its bars' index range: the one walk from a series to
    /// the kernel's steps (backtests, replays, paced feeds and the paper exchange all take it).
    public var steps: [Step] { groups.map { Step(time: Timestamp(rawValue: end[$0.lowerBound]), range: $0) } }

    /// The bars of `range`, into a reused array.
    public func bars(_ range: Range<Int>, into out: inout [Bar]) {
        out.removeAll(keepingCapacity: true)
        for i in range { out.append(bar(i)) }
    }

    /// The index ranges of bars sharing an end time, in time order.
    public var groups: [Range<Int>] {
        var out: [Range<Int>] = []
        guard count > 0 else { return out }
        var start = 0
        for i in 1...count where i == count || end[i] != end[start] {
            out.append(start..<i)
            start = i
        }
        return out
    }

    /// Sorts a table read from a file into series order.
    public init(table: BarTable) {
        let byName = table.symbols.indices.sorted { table.symbols[$0] < table.symbols[$1] }
        var idOfFileIndex = [UInt32](repeating: 0, count: table.symbols.count)
        for (id, fileIndex) in byName.enumerated() { idOfFileIndex[fileIndex] = UInt32(id) }
        var order = Array(0..<Int32(table.count))
        table.end.withUnsafeBufferPointer { end in
            idOfFileIndex.withUnsafeBufferPointer { ids in
                table.symbol.withUnsafeBufferPointer { sym in
                    order.sort { a, b in
                        let ta = end[Int(a)], tb = end[Int(b)]
                        return ta != tb ? ta < tb : ids[Int(sym[Int(a)])] < ids[Int(sym[Int(b)])]
                    }
                }
            }
        }
        self.init(symbols: byName.map { table.symbols[$0] }, timeframe: table.timeframe)
        reserve(table.count)
        line.reserveCapacity(table.line.count)
        for i in order {
            let r = Int(i)
            end.append(table.end[r])
            symbol.append(idOfFileIndex[Int(table.symbol[r])])
            open.append(table.open[r]); high.append(table.high[r]); low.append(table.low[r])
            close.append(table.close[r]); volume.append(table.volume[r])
            if r < table.line.count { line.append(table.line[r]) }
        }
        if line.count != count { line = [] }
        // A symbol whose every row was left out as invalid has no id: its actions have nothing to act on.
        var idOfName: [String: UInt32] = [:]
        for (id, name) in symbols.enumerated() { idOfName[name] = UInt32(id) }
        for a in table.actions {
            guard let id = idOfName[a.symbol] else { continue }
            actions.append(ScheduledAction(effective: a.effective, action: CorporateAction(
                symbol: SymbolID(rawValue: id), kind: a.kind, exDate: a.exDate, ratio: a.ratio, cash: a.cash,
                note: "from the bar file, line \(a.line)")))
        }
        sortActions()
    }

    /// Keeps the named symbols (renumbered in name order) and the bars ending in [start, end].
    public func selecting(symbols names: [String]?, from start: Timestamp?, to stop: Timestamp?) throws -> BarSeries {
        if let names {
            for name in names where !symbols.contains(name) { throw DataError.unknown([name], among: symbols) }
        }
        // Everything asked for: the series as it is, not a copy of it.
        if names == nil && start == nil && stop == nil { return self }
        let wanted = names.map(Set.init)
        var keep = [UInt32?](repeating: nil, count: symbols.count)
        var kept: [String] = []
        for (i, name) in symbols.enumerated() where wanted?.contains(name) ?? true {
            keep[i] = UInt32(kept.count)
            kept.append(name)
        }
        var out = BarSeries(symbols: kept, timeframe: timeframe)
        out.reserve(count)
        let lo = start?.rawValue ?? .min, hi = stop?.rawValue ?? .max
        // Actions before the period are already in its first prices; those after it never come.
        for a in actions where (a.effective > lo || lo == .min) && a.effective <= hi {
            guard let id = keep[a.action.symbol.index] else { continue }
            var moved = a
            moved.action.symbol = SymbolID(rawValue: id)
            // A ticker change whose new symbol is left out ends the old one's story like a delisting would.
            guard let target = keep[a.action.target.index] else { continue }
            moved.action.target = SymbolID(rawValue: target)
            out.actions.append(moved)
        }
        for i in 0..<count where end[i] >= lo && end[i] <= hi {
            guard let id = keep[Int(symbol[i])] else { continue }
            out.end.append(end[i]); out.symbol.append(id)
            out.open.append(open[i]); out.high.append(high[i]); out.low.append(low[i])
            out.close.append(close[i]); out.volume.append(volume[i])
            if !line.isEmpty { out.line.append(line[i]) }
        }
        guard out.count > 0 else {
            let range = "\(start?.iso8601 ?? "the start") .. \(stop?.iso8601 ?? "the end")"
            throw DataError("no bars in \(range) for the chosen symbols (the data covers \(end.first.map { Timestamp(rawValue: $0).iso8601 } ?? "-") .. \(end.last.map { Timestamp(rawValue: $0).iso8601 } ?? "-"))")
        }
        return out
    }
}

public struct DataError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }

    /// `unknown symbol "X"` (or `unknown symbols "X", "Y"`): the chosen names the data lacks.
    static func naming(_ unknown: [String]) -> String {
        "unknown symbol\(unknown.count > 1 ? "s" : "") \(unknown.map { "\"\($0)\"" }.joined(separator: ", "))"
    }

    /// The chosen names the data lacks, with the first few of the symbols it has.
    static func unknown(_ names: [String], among symbols: [String]) -> DataError {
        DataError("\(naming(names)): the data has \(symbols.count) symbols (\(symbols.prefix(8).joined(separator: ", "))\(symbols.count > 8 ? ", …" : ""))")
    }
}
