import AuroraData
import AuroraModel
import Foundation

/// Point-in-time outside data — fundamentals, short interest, flows — from a long CSV
/// `symbol,as_of,field,value`: each row is a value that became known at `as_of` (a date, its
/// local midnight, or an ISO 8601 time). Every problem names the file and line: a date or
/// number that does not parse, the same (symbol, as_of, field) twice. Rows for symbols the
/// bars do not have are counted and listed, not used.
public struct ExternalData: Sendable {
    public struct Observation: Sendable, Equatable {
        public var symbol: Int
        public var field: Int
        public var asOf: Int64
        public var value: Double
        public var line: Int
    }

    public var path: String
    /// Field names in first-appearance order.
    public var fields: [String] = []
    /// Sorted by field, symbol, then `asOf`.
    public var observations: [Observation] = []
    public var unknownSymbolRows = 0
    /// The first few rows whose symbol the data lacks, as `line: symbol`.
    public var unknownSymbolExamples: [String] = []

    public static func read(path: String, symbols: [String], timeZone: String) throws -> ExternalData {
        guard let data = FileManager.default.contents(atPath: path) else { throw BarCSVError(path: path, "cannot be read") }
        return try data.withUnsafeBytes { try read(bytes: $0, path: path, symbols: symbols, timeZone: timeZone) }
    }

    public static func read(bytes: UnsafeRawBufferPointer, path: String, symbols: [String], timeZone: String) throws -> ExternalData {
        var out = ExternalData(path: path)
        var scanner = CSVScanner(bytes: bytes, delimiter: UInt8(ascii: ","))
        let header = try CSVHeader(&scanner, path: path, expected: "symbol,as_of,field,value")
        let (cs, ca, cf, cv) = (try header.column("symbol"), try header.column("as_of"), try header.column("field"), try header.column("value"))
        var idOf: [String: Int] = [:]
        for (i, name) in symbols.enumerated() { idOf[name] = i }
        var fieldOf: [String: Int] = [:]
        var seen: [String: Int] = [:]
        while let line = try scanner.nextRow() {
            let f = scanner.fields
            if f.count == 1 && f[0].isEmpty { continue }
            guard f.count == header.names.count else { throw BarCSVError(path: path, line: line, "expected \(header.names.count) fields as in the header, found \(f.count)") }
            func text(_ i: Int) -> String { scanner.text(f[i]).trimmingCharacters(in: .whitespaces) }
            let name = text(cs), field = text(cf)
            guard !field.isEmpty else { throw BarCSVError(path: path, line: line, column: "field", "the field name is empty") }
            guard let asOf = try? TimeText.parse(text(ca), timeZone: timeZone) else {
                throw BarCSVError(path: path, line: line, column: "as_of", "\"\(scanner.clippedText(f[ca]))\" is not a date (YYYY-MM-DD) or ISO 8601 time")
            }
            guard let value = Double(text(cv)), value.isFinite else {
                throw BarCSVError(path: path, line: line, column: "value", "\"\(scanner.clippedText(f[cv]))\" is not a finite number")
            }
            let key = "\(name)|\(asOf.rawValue)|\(field)"
            if let earlier = seen[key] {
                throw BarCSVError(path: path, line: line, "duplicate: \(field) of \(name) as of \(text(ca)) is already on line \(earlier)")
            }
            seen[key] = line
            guard let s = idOf[name] else {
                out.unknownSymbolRows += 1
                if out.unknownSymbolExamples.count < 10 { out.unknownSymbolExamples.append("\(line): \(scanner.clippedText(f[cs]))") }
                continue
            }
            let fid: Int
            if let known = fieldOf[field] { fid = known } else { fid = out.fields.count; fieldOf[field] = fid; out.fields.append(field) }
            out.observations.append(Observation(symbol: s, field: fid, asOf: asOf.rawValue, value: value, line: line))
        }
        out.observations.sort { ($0.field, $0.symbol, $0.asOf) < ($1.field, $1.symbol, $1.asOf) }
        return out
    }
}

/// When outside values become visible, and for how long.
public struct ExternalSettings: Sendable, Equatable {
    /// Days after `as_of` before a value may be used (1: from the next day on; 0: on the
    /// as_of date's own bar, for values known before its close).
    public var lagDays = 1
    /// A value older than this many days is no longer used (nil: never ages out).
    public var maxAgeDays: Int? = 120

    public init(lagDays: Int = 1, maxAgeDays: Int? = 120) {
        self.lagDays = lagDays
        self.maxAgeDays = maxAgeDays
    }
}

/// Outside data as features, joined as of each bar time: the newest value whose `as_of` plus
/// the lag is at or before the bar's end, unless it is older than the horizon. Nothing later is
/// ever read, so changing a value dated after t changes nothing at t.
public struct ExternalSource: FeatureSource {
    public let data: ExternalData
    public let settings: ExternalSettings
    /// Per (field, symbol): the range of its observations, and the newest visible so far.
    private var ranges: [Range<Int>]
    private var current: [Int]
    private let symbolCount: Int

    public init(_ data: ExternalData, settings: ExternalSettings, symbolCount: Int) {
        self.data = data
        self.settings = settings
        self.symbolCount = symbolCount
        var ranges = [Range<Int>](repeating: 0..<0, count: data.fields.count * symbolCount)
        var i = 0
        while i < data.observations.count {
            let o = data.observations[i]
            var j = i
            while j < data.observations.count && data.observations[j].field == o.field && data.observations[j].symbol == o.symbol { j += 1 }
            ranges[o.field * symbolCount + o.symbol] = i..<j
            i = j
        }
        self.ranges = ranges
        self.current = ranges.map { $0.lowerBound - 1 }
    }

    public var names: [String] { data.fields }

    private static let day: Int64 = 86_400_000_000_000

    public mutating func step(_ snapshot: MarketSnapshot, date: Int, into out: UnsafeMutableBufferPointer<Double>) {
        let t = snapshot.timestamp.rawValue
        let lag = Int64(settings.lagDays) * Self.day
        let maxAge = settings.maxAgeDays.map { Int64($0) * Self.day }
        for k in ranges.indices {
            let r = ranges[k]
            var c = current[k]
            while c + 1 < r.upperBound {
                let (visible, overflow) = data.observations[c + 1].asOf.addingReportingOverflow(lag)
                guard !overflow, visible <= t else { break }
                c += 1
            }
            current[k] = c
            guard c >= r.lowerBound else { continue }
            let o = data.observations[c]
            if let maxAge, t.subtractingReportingOverflow(o.asOf).partialValue > maxAge { continue }
            out[k] = o.value
        }
    }
}
