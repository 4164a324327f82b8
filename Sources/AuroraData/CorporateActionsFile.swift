import AuroraModel
import Foundation

/// A corporate-actions file, `symbol,ex_date,type,value`: `type` is `split` (value: new shares per
/// old), `dividend` (cash per share) or `symbol_change` (value: the symbol it trades as from the
/// ex-date). Every problem stops the read with the file, line and what was expected: a symbol the
/// data does not have, a ratio ≤ 0, a negative dividend, the same action twice (here or in the
/// bar file's own columns), an ex-date outside the data.
public enum CorporateActionsFile {
    public static func read(path: String, for series: BarSeries, timeZone: String) throws -> [ScheduledAction] {
        guard let data = FileManager.default.contents(atPath: path) else { throw BarCSVError(path: path, "cannot be read") }
        return try data.withUnsafeBytes { try read(bytes: $0, path: path, for: series, timeZone: timeZone) }
    }

    public static func read(bytes: UnsafeRawBufferPointer, path: String, for series: BarSeries, timeZone: String) throws -> [ScheduledAction] {
        var scanner = CSVScanner(bytes: bytes, delimiter: UInt8(ascii: ","))
        let header = try CSVHeader(&scanner, path: path, expected: "symbol,ex_date,type,value")
        let (cs, cd, ct, cv) = (try header.column("symbol"), try header.column("ex_date"), try header.column("type"), try header.column("value"))
        var parser: TimeParser
        do { parser = try TimeParser(timeZone: timeZone, epochUnit: .seconds, sessionCloseMinutes: 0) } catch {
            throw BarCSVError(path: path, "unknown time zone \"\(timeZone)\"")
        }
        var idOf: [String: SymbolID] = [:]
        for (i, name) in series.symbols.enumerated() { idOf[name] = SymbolID(i) }
        var first = [Int64](repeating: .max, count: series.symbols.count), last = [Int64](repeating: .min, count: series.symbols.count)
        for i in 0..<series.count {
            let s = Int(series.symbol[i])
            first[s] = min(first[s], series.end[i]); last[s] = max(last[s], series.end[i])
        }
        let dataStart = series.end.first ?? 0, dataEnd = series.end.last ?? 0
        var seen: [String: Int] = [:]
        for a in series.actions { seen["\(a.action.symbol.rawValue)|\(a.action.exDate)|\(a.action.kind.name)"] = 0 }
        var out: [ScheduledAction] = []
        while let line = try scanner.nextRow() {
            let f = scanner.fields
            if f.count == 1 && f[0].isEmpty { continue }
            guard f.count == header.names.count else { throw BarCSVError(path: path, line: line, "expected \(header.names.count) fields as in the header, found \(f.count)") }
            func text(_ i: Int) -> String { scanner.text(f[i]).trimmingCharacters(in: .whitespaces) }
            let name = text(cs), dateText = text(cd), type = text(ct), value = text(cv)
            guard let s = idOf[name] else {
                throw BarCSVError(path: path, line: line, column: "symbol", "unknown symbol \"\(scanner.clippedText(f[cs]))\": the data has no bars for it")
            }
            guard dateText.count == 10, let start = Array(dateText.utf8).withUnsafeBytes({ try? parser.parse($0) })?.nanoseconds else {
                throw BarCSVError(path: path, line: line, column: "ex_date", "\"\(scanner.clippedText(f[cd]))\" is not a date YYYY-MM-DD")
            }
            var action: CorporateAction
            switch type {
            case "split":
                guard let r = Double(value), r.isFinite, r > 0 else {
                    throw BarCSVError(path: path, line: line, column: "value", "split ratio \"\(scanner.clippedText(f[cv]))\" must be a number above 0 (new shares per old)")
                }
                action = CorporateAction(symbol: s, kind: .split, exDate: dateText, ratio: r)
            case "dividend":
                guard let d = Double(value), d.isFinite, d >= 0, let cash = Price(d) else {
                    throw BarCSVError(path: path, line: line, column: "value", "dividend \"\(scanner.clippedText(f[cv]))\" must be a cash amount per share, 0 or more")
                }
                action = CorporateAction(symbol: s, kind: .dividend, exDate: dateText, cash: cash)
            case "symbol_change":
                guard let target = idOf[value], target != s else {
                    throw BarCSVError(path: path, line: line, column: "value", "symbol_change needs the new symbol, one the data has bars for, not \"\(scanner.clippedText(f[cv]))\"")
                }
                action = CorporateAction(symbol: s, kind: .symbolChange, exDate: dateText, target: target)
            default:
                throw BarCSVError(path: path, line: line, column: "type", "\"\(scanner.clippedText(f[ct]))\" is not one of: split, dividend, symbol_change")
            }
            let range = type == "symbol_change" ? (dataStart, dataEnd) : (first[s.index], last[s.index])
            // The ex-date's day must hold one of the symbol's bars (from its start to its end); the
            // day's end saturates, since an ex-date of 2262-04-11 has no representable next midnight.
            let (next, overflow) = start.addingReportingOverflow(86_400_000_000_000)
            guard start <= range.1, overflow || next > range.0 else {
                throw BarCSVError(path: path, line: line, column: "ex_date",
                                  "ex-date \(dateText) is outside the data for \(name) (\(Timestamp(rawValue: range.0).iso8601.prefix(10)) .. \(Timestamp(rawValue: range.1).iso8601.prefix(10)))")
            }
            let key = "\(s.rawValue)|\(dateText)|\(action.kind.name)"
            if let earlier = seen[key] {
                throw BarCSVError(path: path, line: line, "duplicate action: \(type) of \(name) on \(dateText) is already \(earlier > 0 ? "on line \(earlier)" : "in the bar file's own columns")")
            }
            seen[key] = line
            action.note = "\(path.split(separator: "/").last.map(String.init) ?? path):\(line)"
            out.append(ScheduledAction(effective: start, action: action))
        }
        return out
    }
}
