import AuroraModel
import AuroraLog

/// How to read a bar CSV: which columns hold what, what time stamps mean, and what to do with
/// rows that are incomplete or inconsistent.
public struct BarCSVOptions: Sendable, Equatable {
    /// Column names; nil means "find it by a usual name" (see `candidates`).
    public var timeColumn: String?
    public var symbolColumn: String?
    public var openColumn: String?
    public var highColumn: String?
    public var lowColumn: String?
    public var closeColumn: String?
    public var volumeColumn: String?
    /// Columns of splits and cash dividends; nil finds them by a usual name (`split_coefficient`,
    /// `dividend_amount`, …) when the file has one.
    public var splitColumn: String?
    public var dividendColumn: String?
    /// The symbol of every row when the file has no symbol column.
    public var symbol: String?
    /// IANA zone for times without an explicit offset (dates, naive date-times).
    public var timeZone: String
    /// Whether an intraday time stamp marks the bar's start or its end. Aurora records the end.
    public var stamp: BarStamp
    /// The bar length; nil infers it (1d for date-only rows, else the smallest step of a symbol).
    public var timeframe: Timeframe?
    /// For date-only rows: the local time the bar ends (the session close), in minutes after midnight.
    public var sessionCloseMinutes: Int
    /// Unit of all-digit time stamps (seconds since the epoch by default).
    public var epochUnit: EpochUnit
    /// Keep only rows whose column equals the value (all must hold).
    public var filters: [RowFilter]
    public var invalidRows: InvalidRowPolicy
    public var delimiter: UInt8
    /// Read only these symbols' rows (nil: all); the others are skipped before their numbers are
    /// parsed, so a run on a few symbols of a large file does not pay for the rest. Not written
    /// to configurations: the run layer sets it from `data.symbols`.
    public var onlySymbols: Set<String>?

    public init(timeColumn: String? = nil, symbolColumn: String? = nil, openColumn: String? = nil,
                highColumn: String? = nil, lowColumn: String? = nil, closeColumn: String? = nil,
                volumeColumn: String? = nil, symbol: String? = nil, timeZone: String = "America/New_York",
                stamp: BarStamp = .start, timeframe: Timeframe? = nil, sessionCloseMinutes: Int = 16 * 60,
                epochUnit: EpochUnit = .seconds, filters: [RowFilter] = [], invalidRows: InvalidRowPolicy = .skip,
                delimiter: UInt8 = UInt8(ascii: ",")) {
        self.timeColumn = timeColumn
        self.symbolColumn = symbolColumn
        self.openColumn = openColumn
        self.highColumn = highColumn
        self.lowColumn = lowColumn
        self.closeColumn = closeColumn
        self.volumeColumn = volumeColumn
        self.symbol = symbol
        self.timeZone = timeZone
        self.stamp = stamp
        self.timeframe = timeframe
        self.sessionCloseMinutes = sessionCloseMinutes
        self.epochUnit = epochUnit
        self.filters = filters
        self.invalidRows = invalidRows
        self.delimiter = delimiter
    }

    /// Header names tried, in order, for each column left nil (compared case-insensitively).
    static let candidates: [BarField: [String]] = [
        .time: ["timestamp_utc", "timestamp", "datetime", "date", "time", "ts_event"],
        .symbol: ["symbol", "ticker", "name"],
        .open: ["open", "o"],
        .high: ["high", "h"],
        .low: ["low", "l"],
        .close: ["close", "c"],
        .volume: ["volume", "vol", "v"],
    ]

    func explicitName(_ field: BarField) -> String? {
        switch field {
        case .time: timeColumn
        case .symbol: symbolColumn
        case .open: openColumn
        case .high: highColumn
        case .low: lowColumn
        case .close: closeColumn
        case .volume: volumeColumn
        }
    }
}

public enum BarField: String, Sendable, CaseIterable {
    case time, symbol, open, high, low, close, volume
}

public enum BarStamp: String, Sendable, CaseIterable {
    case start, end
}

public enum EpochUnit: String, Sendable, CaseIterable {
    case seconds = "s", milliseconds = "ms", microseconds = "us", nanoseconds = "ns"

    var nanoseconds: Int64 {
        switch self {
        case .seconds: 1_000_000_000
        case .milliseconds: 1_000_000
        case .microseconds: 1_000
        case .nanoseconds: 1
        }
    }
}

public struct RowFilter: Sendable, Equatable {
    public var column: String
    public var value: String
    public init(column: String, value: String) { self.column = column; self.value = value }
}

/// What happens to a row with an empty price or volume, or whose values contradict each other
/// (low above open or close, high below them, a price ≤ 0, a negative volume).
public enum InvalidRowPolicy: String, Sendable, CaseIterable {
    /// Leave the row out and report it (count and the first lines).
    case skip
    /// Stop the import at the first such row.
    case fail
}
