import AuroraModel
import Foundation

/// The optional columns of a bar file that carry corporate actions, as vendors ship them: a split
/// coefficient (new shares per old on the ex-date row; 0, 1 or empty when none) and a cash
/// dividend per share (0 or empty when none).
struct ActionColumns {
    var split: Int?
    var dividend: Int?
    let path: String
    let header: [String]

    static let splitNames = ["split_coefficient", "split_factor", "stock_splits", "splits", "split"]
    static let dividendNames = ["dividend_amount", "dividends", "dividend"]

    init(header: [String], options: BarCSVOptions, path: String, line: Int) throws {
        self.path = path
        self.header = header
        let lower = header.map { $0.lowercased() }
        func find(_ explicit: String?, _ names: [String], _ what: String) throws -> Int? {
            if let explicit {
                guard let i = lower.firstIndex(of: explicit.lowercased()) else {
                    throw BarCSVError(path: path, line: line, "no column named \"\(explicit)\" for \(what); the header has: \(header.joined(separator: ", "))")
                }
                return i
            }
            return names.lazy.compactMap { lower.firstIndex(of: $0) }.first
        }
        split = try find(options.splitColumn, Self.splitNames, "splits")
        dividend = try find(options.dividendColumn, Self.dividendNames, "dividends")
    }

    var any: Bool { split != nil || dividend != nil }

    /// The row's split and dividend, if it has any, as table actions dated by the row's local date.
    func read(_ fields: [Range<Int>], _ scanner: CSVScanner, line: Int, symbol: String, time: UnsafeRawBufferPointer,
              parser: inout TimeParser?, timeZone: String, into actions: inout [TableAction]) throws {
        var ratio: Double?
        var cash: Int64?
        if let i = split {
            let text = scanner.text(fields[i]).trimmingCharacters(in: .whitespaces)
            if !text.isEmpty {
                guard let v = Double(text), v.isFinite, v >= 0 else {
                    throw BarCSVError(path: path, line: line, column: header[i], "\"\(scanner.clippedText(fields[i]))\" is not a split ratio (new shares per old, above 0)")
                }
                if v != 0 && v != 1 { ratio = v }
            }
        }
        if let i = dividend {
            let parsed: Result<Int64, DecimalParser.Failure> = Result { () throws(DecimalParser.Failure) -> Int64 in
                try DecimalParser.parse(scanner.bytes(fields[i]), decimals: Price.decimals)
            }
            switch parsed {
            case .success(let v) where v >= 0: if v != 0 { cash = v }
            case .failure(.empty): break
            default:
                throw BarCSVError(path: path, line: line, column: header[i], "\"\(scanner.clippedText(fields[i]))\" is not a dividend per share (0 or more)")
            }
        }
        guard ratio != nil || cash != nil else { return }
        guard let exDate = Self.localDate(time, parser: &parser, timeZone: timeZone), var midnight = parser,
              let start = Array(exDate.utf8).withUnsafeBytes({ try? midnight.parse($0).nanoseconds }) else {
            throw BarCSVError(path: path, line: line, "cannot date the corporate action on this row")
        }
        parser = midnight
        if let ratio {
            actions.append(TableAction(symbol: symbol, line: line, exDate: exDate, effective: start, kind: .split, ratio: ratio, cash: .zero))
        }
        if let cash {
            actions.append(TableAction(symbol: symbol, line: line, exDate: exDate, effective: start, kind: .dividend, ratio: 1,
                                       cash: Price(rawValue: cash)))
        }
    }

    /// The row's date in the file's zone: the text's own `YYYY-MM-DD`, or an epoch time's local date.
    static func localDate(_ time: UnsafeRawBufferPointer, parser: inout TimeParser?, timeZone: String) -> String? {
        let text = String(decoding: time, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if text.count >= 10, text.utf8.dropFirst(4).first == UInt8(ascii: "-") { return String(text.prefix(10)) }
        guard var p = parser, let t = try? p.parse(time) else { return nil }
        return TimeText.localDate(Timestamp(rawValue: t.nanoseconds), timeZone: timeZone)
    }
}
