import AuroraData
import AuroraKernel
import AuroraModel
import AuroraStrategies
import Foundation
import Yams

extension NodeReader {
    func data(_ node: Node) throws -> DataConfig {
        var d = DataConfig()
        let m = try mapping(node, "data", allowed: ["source", "symbols", "start", "end", "synthetic", "tz", "stamp"])
        if let v = m["source"] { d.source = try string(v, "data.source") }
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

    private func time(_ node: Node, _ key: String) throws -> String {
        let text = try string(node, key)
        guard (try? TimeText.parse(text)) != nil else { throw fail(node, key, "\"\(clipped(text))\" is not a date (YYYY-MM-DD) or ISO 8601 time") }
        return text
    }
}
