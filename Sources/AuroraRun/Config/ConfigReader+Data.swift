import AuroraData
import AuroraKernel
import AuroraModel
import AuroraStrategies
import Foundation
import Yams

extension NodeReader {
    package func data(_ node: Node) throws -> DataConfig {
        var d = DataConfig()
        let m = try mapping(node, "data", allowed: ["source", "symbols", "start", "end", "synthetic", "tz", "stamp"] + Self.csvKeys
                            + ["actions", "adjust", "delisting", "guards", "no_volume"])
        if let v = m["source"] {
            if let seq = v.sequence {
                let paths = try seq.map { try string($0, "data.source") }
                guard let first = paths.first else { throw fail(v, "data.source", "the list is empty") }
                d.source = first
                d.moreSources = Array(paths.dropFirst())
            } else {
                d.source = try string(v, "data.source")
            }
        }
        try csvOptions(m, into: &d.csv)
        if let v = m["actions"] { d.actions = try string(v, "data.actions") }
        if let v = m["adjust"] { d.adjust = try choice(v, "data.adjust", AdjustChoice.self) }
        if let v = m["delisting"] { d.delisting = try choice(v, "data.delisting", DelistingPolicy.self) }
        if let v = m["no_volume"] { d.noVolume = try choice(v, "data.no_volume", NoVolumePolicy.self) }
        if let v = m["guards"] {
            let g = try mapping(v, "data.guards", allowed: ["max_move", "on_suspect"])
            if let x = g["max_move"] { d.guards.maxMove = try double(x, "data.guards.max_move", min: 0.001, max: 1_000) }
            if let x = g["on_suspect"] { d.guards.onSuspect = try choice(x, "data.guards.on_suspect", SuspectPolicy.self) }
        }
        if let v = m["symbols"] {
            guard let seq = v.sequence else { throw fail(v, "data.symbols", "expected a list such as [AAPL, MSFT]") }
            let names = try seq.map { try string($0, "data.symbols") }
            guard !names.isEmpty else { throw fail(v, "data.symbols", "the list is empty") }
            d.symbols = names
        }
        if let v = m["start"] { d.start = try time(v, "data.start") }
        if let v = m["end"] { d.end = try time(v, "data.end") }
        if let v = m["tz"] { d.timeZone = try string(v, "data.tz") }
        if let v = m["stamp"] { d.stamp = try choice(v, "data.stamp", BarStamp.self) }
        if let v = m["synthetic"] {
            let s = try mapping(v, "data.synthetic", allowed: ["symbols", "sectors", "days", "start", "timeframe", "seed"])
            if let x = s["symbols"] { d.synthetic.symbolCount = try int(x, "data.synthetic.symbols", min: 1, max: 100_000) }
            if let x = s["sectors"] { d.synthetic.sectorCount = try int(x, "data.synthetic.sectors", min: 1, max: 100_000) }
            if let x = s["days"] { d.synthetic.days = try int(x, "data.synthetic.days", min: 1, max: 100_000) }
            if let x = s["start"] { d.synthetic.startDate = try time(x, "data.synthetic.start") }
            if let x = s["timeframe"] {
                let text = try string(x, "data.synthetic.timeframe")
                guard let tf = Timeframe(text: text), tf == .day || tf == .minute else {
                    throw fail(x, "data.synthetic.timeframe", "\"\(clipped(text))\" is not 1d or 1m")
                }
                d.synthetic.timeframe = tf
            }
            if let x = s["seed"] {
                let text = try string(x, "data.synthetic.seed")
                guard let seed = UInt64(text) else { throw fail(x, "data.synthetic.seed", "\"\(clipped(text))\" is not a whole number ≥ 0") }
                d.synthetic.seed = seed
            }
            if d.synthetic.sectorCount > d.synthetic.symbolCount {
                throw fail(s["sectors"] ?? v, "data.synthetic.sectors", "more sectors than symbols")
            }
            do { try d.synthetic.validate() } catch let error as DataError { throw fail(v, "data.synthetic", error.description) }
        }
        return d
    }

    /// The `import-bars` options, by the same names with `_` for `-`.
    static let csvKeys = ["time_column", "symbol_column", "open_column", "high_column", "low_column", "close_column", "volume_column",
                          "split_column", "dividend_column", "symbol", "timeframe", "session_close", "epoch_unit", "where",
                          "invalid_rows", "delimiter"]

    private func csvOptions(_ m: [String: Node], into o: inout BarCSVOptions) throws {
        func text(_ k: String) throws -> String? { try m[k].map { try string($0, "data.\(k)") } }
        if let x = try text("time_column") { o.timeColumn = x }
        if let x = try text("symbol_column") { o.symbolColumn = x }
        if let x = try text("open_column") { o.openColumn = x }
        if let x = try text("high_column") { o.highColumn = x }
        if let x = try text("low_column") { o.lowColumn = x }
        if let x = try text("close_column") { o.closeColumn = x }
        if let x = try text("volume_column") { o.volumeColumn = x }
        if let x = try text("split_column") { o.splitColumn = x }
        if let x = try text("dividend_column") { o.dividendColumn = x }
        if let x = try text("symbol") { o.symbol = x }
        if let v = m["timeframe"] {
            let t = try string(v, "data.timeframe")
            guard let tf = Timeframe(text: t) else { throw fail(v, "data.timeframe", "\"\(clipped(t))\" is not a bar length such as 1m, 5m, 1h or 1d") }
            o.timeframe = tf
        }
        if let v = m["session_close"] {
            let t = try string(v, "data.session_close")
            let parts = t.split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let mm = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(mm) else {
                throw fail(v, "data.session_close", "\"\(clipped(t))\" is not HH:MM")
            }
            o.sessionCloseMinutes = h * 60 + mm
        }
        if let v = m["epoch_unit"] { o.epochUnit = try choice(v, "data.epoch_unit", EpochUnit.self) }
        if let v = m["invalid_rows"] { o.invalidRows = try choice(v, "data.invalid_rows", InvalidRowPolicy.self) }
        if let v = m["delimiter"] {
            let t = try string(v, "data.delimiter")
            guard t.utf8.count == 1, let b = t.utf8.first else { throw fail(v, "data.delimiter", "expected one character, not \"\(clipped(t))\"") }
            o.delimiter = b
        }
        if let v = m["where"] {
            guard let map = v.mapping else { throw fail(v, "data.where", "expected COLUMN: VALUE pairs, such as {exchange: NASDAQ}") }
            o.filters = try map.map { pair in
                RowFilter(column: try string(pair.key, "data.where"), value: try string(pair.value, "data.where.\(pair.key.string ?? "")"))
            }
        }
    }

    private func time(_ node: Node, _ key: String) throws -> String {
        let text = try string(node, key)
        guard (try? TimeText.parse(text)) != nil else { throw fail(node, key, "\"\(clipped(text))\" is not a date (YYYY-MM-DD) or ISO 8601 time") }
        return text
    }
}
