import AuroraLog
import AuroraModel

/// What a run consumed, read back from its log in one pass: the bars (its finest ones — a TWAP run
/// also logs the daily bars it built from its minute bars, which are decisions' inputs, not the
/// feed's), numbered by symbol name, and how the session started and ended. Replay, resume and
/// logs used as data sources all read inputs this way.
public struct RecordedInputs: Sendable {
    public var series: BarSeries
    public var mode: SessionMode
    /// The recorded session-end reason, or "end of data" when the log has none (yet).
    public var endReason: String

    public static func read(_ reader: LogReader) throws -> RecordedInputs {
        var timeframe: Timeframe?
        var bars: [(Int64, Bar)] = []
        var mode = SessionMode.backtest
        var endReason = "end of data"
        let cursor = reader.events()
        while let event = try cursor.next() {
            switch event.payload {
            case .bar(let bar):
                if let t = timeframe, bar.timeframe > t { continue }
                if let t = timeframe, bar.timeframe < t { bars.removeAll() }
                timeframe = bar.timeframe
                bars.append((event.timestamp.rawValue, bar))
            case .sessionStart(let start): mode = start.mode
            case .sessionEnd(let end): endReason = end.reason
            default: break
            }
        }
        // Logs may list symbols in any id order; the series numbers them by name.
        let byName = reader.symbols.indices.sorted { reader.symbols[$0] < reader.symbols[$1] }
        var newID = [UInt32](repeating: 0, count: reader.symbols.count)
        for (id, old) in byName.enumerated() { newID[old] = UInt32(id) }
        bars.sort { $0.0 != $1.0 ? $0.0 < $1.0 : newID[$0.1.symbol.index] < newID[$1.1.symbol.index] }
        var series = BarSeries(symbols: byName.map { reader.symbols[$0] }, timeframe: timeframe ?? .day)
        series.reserve(bars.count)
        for (t, var bar) in bars {
            bar.symbol = SymbolID(rawValue: newID[bar.symbol.index])
            series.append(end: t, bar)
        }
        return RecordedInputs(series: series, mode: mode, endReason: endReason)
    }
}
