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
        for i in order {
            let r = Int(i)
            end.append(table.end[r])
            symbol.append(idOfFileIndex[Int(table.symbol[r])])
            open.append(table.open[r]); high.append(table.high[r]); low.append(table.low[r])
            close.append(table.close[r]); volume.append(table.volume[r])
        }
    }

    /// Keeps the named symbols (renumbered in name order) and the bars ending in [start, end].
    public func selecting(symbols names: [String]?, from start: Timestamp?, to stop: Timestamp?) throws -> BarSeries {
        if let names {
            for name in names where !symbols.contains(name) {
                throw DataError("unknown symbol \"\(name)\": the data has \(symbols.count) symbols (\(symbols.prefix(8).joined(separator: ", "))\(symbols.count > 8 ? ", …" : ""))")
            }
        }
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
        for i in 0..<count where end[i] >= lo && end[i] <= hi {
            guard let id = keep[Int(symbol[i])] else { continue }
            out.end.append(end[i]); out.symbol.append(id)
            out.open.append(open[i]); out.high.append(high[i]); out.low.append(low[i])
            out.close.append(close[i]); out.volume.append(volume[i])
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
}
