/// Features by date, symbol and name: one float64 column per feature, each laid out date by
/// date with the symbols of a date side by side, so a cross-section is a contiguous slice.
/// NaN marks a value that is undefined (no bar that day, too little history, a feature that
/// does not apply).
public struct FeaturePanel: Sendable {
    /// Bar end times (UTC nanoseconds), ascending: the panel's dates.
    public var dates: [Int64]
    /// Symbol names by id (the series' ids).
    public var symbols: [String]
    public private(set) var names: [String] = []
    /// `values[(feature × dates + date) × symbols + symbol]`.
    public private(set) var values: [Double] = []

    public init(dates: [Int64], symbols: [String]) {
        self.dates = dates
        self.symbols = symbols
    }

    public var dateCount: Int { dates.count }
    public var symbolCount: Int { symbols.count }
    public var featureCount: Int { names.count }
    /// Values per feature.
    public var cellCount: Int { dates.count * symbols.count }

    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    @inlinable
    public func value(_ feature: Int, _ date: Int, _ symbol: Int) -> Double {
        values[(feature * dates.count + date) * symbols.count + symbol]
    }

    /// Room for `features` features in all, so adding them never copies the values.
    public mutating func reserve(features: Int) {
        values.reserveCapacity(features * cellCount)
    }

    /// Adds features filled with NaN and returns the index of the first.
    public mutating func add(_ newNames: [String]) throws -> Int {
        for name in newNames where names.contains(name) || newNames.filter({ $0 == name }).count > 1 {
            throw FeatureError("feature \"\(name)\" is listed twice")
        }
        let first = names.count
        names += newNames
        values.append(contentsOf: repeatElement(.nan, count: newNames.count * cellCount))
        return first
    }

    /// The values of one feature, date-major, for writing.
    public mutating func withColumn<R>(_ feature: Int, _ body: (UnsafeMutableBufferPointer<Double>) throws -> R) rethrows -> R {
        let n = cellCount
        return try values.withUnsafeMutableBufferPointer { all in
            try body(UnsafeMutableBufferPointer(rebasing: all[(feature * n)..<((feature + 1) * n)]))
        }
    }

    /// The values of one feature, date-major.
    public func withColumn<R>(_ feature: Int, _ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        let n = cellCount
        return try values.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[(feature * n)..<((feature + 1) * n)]))
        }
    }

    /// The cross-section of `feature` on `date`.
    public func crossSection(_ feature: Int, _ date: Int) -> ArraySlice<Double> {
        let start = (feature * dates.count + date) * symbols.count
        return values[start..<(start + symbols.count)]
    }

    /// Replaces the values of `feature` (date-major, one per date and symbol).
    public mutating func set(_ feature: Int, _ column: [Double]) {
        precondition(column.count == cellCount, "a column holds a value per date and symbol")
        let start = feature * cellCount
        values.replaceSubrange(start..<(start + cellCount), with: column)
    }

    /// Only the named features, in the order given.
    public func selecting(_ wanted: [String]) throws -> FeaturePanel {
        var out = FeaturePanel(dates: dates, symbols: symbols)
        out.names = wanted
        out.values.reserveCapacity(wanted.count * cellCount)
        for name in wanted {
            guard let f = index(of: name) else { throw FeatureError("no feature \"\(name)\" in the panel") }
            out.values.append(contentsOf: values[(f * cellCount)..<((f + 1) * cellCount)])
        }
        return out
    }

    /// Values defined per feature (not NaN).
    public func coverage(_ feature: Int) -> Int {
        withColumn(feature) { c in c.reduce(0) { $1.isNaN ? $0 : $0 + 1 } }
    }
}
