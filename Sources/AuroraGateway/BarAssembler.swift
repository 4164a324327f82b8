import AuroraAlpaca
import AuroraLive
import AuroraModel

/// Turns a stream's bars, which arrive one message per symbol in whatever order, into the
/// session's bar groups: one group per bar time, released when a later time starts, when every
/// symbol has reported, or when the stream goes quiet (`flush`). What cannot be used — an unknown
/// symbol, a duplicate, a bar older than the group being built or than a step already taken, a
/// bar with impossible prices — becomes a notice naming it, so the log says what was dropped.
public struct BarAssembler: Sendable {
    private let index: [String: Int]
    private var releasedUpTo: Timestamp?
    private var time: Timestamp?
    private var bars: [Bar] = []
    private var seen: [Bool]
    /// Deciding per update: each bar is released as its own group the moment it arrives.
    private let eachBar: Bool

    public init(symbols: [String], eachBar: Bool = false) {
        self.eachBar = eachBar
        var index: [String: Int] = [:]
        for (i, s) in symbols.enumerated() { index[s] = i }
        self.index = index
        seen = Array(repeating: false, count: symbols.count)
    }

    /// Whether a group is being built (never, deciding per update: each bar went out at once).
    public var isPending: Bool { !bars.isEmpty }

    public mutating func add(_ w: AlpacaWire.WireBar) -> [SessionInput] {
        guard let id = index[w.symbol] else { return [notice("bar for unknown symbol \(w.symbol) at \(w.end.iso8601): dropped")] }
        let end = w.end
        if let r = releasedUpTo, end <= r {
            return [notice("bar for \(w.symbol) at \(end.iso8601) came after the step at \(r.iso8601): dropped")]
        }
        guard let bar = Self.bar(w, id: id) else {
            return [notice("bar for \(w.symbol) at \(end.iso8601) has impossible prices or volume: dropped")]
        }
        var out: [SessionInput] = []
        if let t = time {
            if end < t { return [notice("bar for \(w.symbol) at \(end.iso8601) is older than the bars at \(t.iso8601): dropped")] }
            if end > t, let group = flush() { out.append(group) }
        }
        if time == nil { time = end }
        if seen[id] { return out + [notice("duplicate bar for \(w.symbol) at \(end.iso8601): the first one is kept")] }
        seen[id] = true
        if eachBar {
            // The time stays open for the other symbols' bars; duplicates are still caught.
            out.append(.bars(BarGroup(time: end, bars: [bar])))
            if seen.allSatisfy({ $0 }) { _ = flush() }
            return out
        }
        bars.append(bar)
        if bars.count == seen.count, let group = flush() { out.append(group) }
        return out
    }

    /// Releases the group being built, if any (closing its time when deciding per update).
    public mutating func flush() -> SessionInput? {
        guard let t = time else { return nil }
        bars.sort { $0.symbol < $1.symbol }
        let group = BarGroup(time: t, bars: bars)
        for i in seen.indices { seen[i] = false }
        bars.removeAll(keepingCapacity: true)
        time = nil
        releasedUpTo = t
        return group.bars.isEmpty ? nil : .bars(group)
    }

    private func notice(_ detail: String) -> SessionInput { .answer(.inputNotice(InputNotice(link: .marketData, detail: detail))) }

    static func bar(_ w: AlpacaWire.WireBar, id: Int) -> Bar? {
        guard let o = Price(w.open), let h = Price(w.high), let l = Price(w.low), let c = Price(w.close),
              let v = Quantity(w.volume), v.rawValue >= 0, l.rawValue > 0, l <= h,
              o >= l, o <= h, c >= l, c <= h else { return nil }
        return Bar(symbol: SymbolID(id), timeframe: w.timeframe, open: o, high: h, low: l, close: c, volume: v)
    }
}
