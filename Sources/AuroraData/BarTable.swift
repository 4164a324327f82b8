import AuroraModel
import AuroraLog

/// Bars read from a file, column by column (one array per field keeps 500k rows compact).
public struct BarTable: Sendable {
    /// Symbol names in order of first appearance; `symbol[i]` indexes this.
    public var symbols: [String] = []
    public var symbol: [Int32] = []
    /// Bar end times, UTC nanoseconds.
    public var end: [Int64] = []
    public var open: [Int64] = []
    public var high: [Int64] = []
    public var low: [Int64] = []
    public var close: [Int64] = []
    public var volume: [Int64] = []
    /// The file line of each bar, for messages.
    public var line: [Int32] = []
    public var timeframe: Timeframe = .day
    /// Splits and dividends from the file's own columns, by symbol name.
    public var actions: [TableAction] = []

    public var count: Int { end.count }

    mutating func reserve(_ n: Int) {
        symbol.reserveCapacity(n); end.reserveCapacity(n); open.reserveCapacity(n); high.reserveCapacity(n)
        low.reserveCapacity(n); close.reserveCapacity(n); volume.reserveCapacity(n); line.reserveCapacity(n)
    }
}

/// Why a row was left out (or, with `--invalid-rows fail`, stopped the import).
public enum InvalidRowReason: String, Sendable, CaseIterable {
    case missingValue = "missing value"
    case nonPositivePrice = "price not above zero"
    case negativeVolume = "negative volume"
    case lowAboveOpenOrClose = "low above open or close"
    case highBelowOpenOrClose = "high below open or close"

    /// Position in `allCases`, for per-reason counters.
    var index: Int {
        switch self {
        case .missingValue: 0
        case .nonPositivePrice: 1
        case .negativeVolume: 2
        case .lowAboveOpenOrClose: 3
        case .highBelowOpenOrClose: 4
        }
    }
}

/// What the reader saw and did, for the user: nothing is dropped without being counted here.
public struct BarCSVReport: Sendable {
    public struct Example: Sendable {
        public var line: Int
        public var reason: InvalidRowReason
        public var text: String
    }

    public var dataRows = 0
    public var barsKept = 0
    public var filteredOut = 0
    public var invalidCounts: [Int] = Array(repeating: 0, count: InvalidRowReason.allCases.count)
    public var examples: [Example] = []
    /// Symbols whose rows run newest first (sorted into time order, with a note).
    public var newestFirstSymbols = 0
    /// Kept rows with zero volume (legal, but worth knowing).
    public var zeroVolume = 0
    public var inputBytes = 0
    public var inputDigest: [UInt8] = []

    public var invalidTotal: Int { invalidCounts.reduce(0, +) }

    public func count(_ reason: InvalidRowReason) -> Int {
        invalidCounts[reason.index]
    }

    /// Rows listed in `examples` (each is also counted by reason); messages show the first few.
    public static let maxExamples = 1_000
}

/// A split or dividend a bar file's own columns carry, on the row of its ex-date.
public struct TableAction: Sendable, Equatable {
    public var symbol: String
    public var line: Int
    public var exDate: String
    /// The start of the ex-date in the file's time zone, UTC nanoseconds.
    public var effective: Int64
    public var kind: CorporateAction.Kind
    public var ratio: Double
    public var cash: Price
}
