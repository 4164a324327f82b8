/// Rows of features, row-major float64, NaN where a feature is undefined: a cross-section to
/// predict, or the rows of a training window.
public struct FeatureMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "a value per row and column")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(columns: Int) {
        self.init(rows: 0, columns: columns, values: [])
    }

    @inlinable public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }

    public func row(_ r: Int) -> ArraySlice<Double> { values[(r * columns)..<((r + 1) * columns)] }
}

/// What a model learns from: feature rows, their labels, and the date of each row (rows of one
/// date form a cross-section, which the rank-based model and per-date targets need).
public struct TrainingSet: Sendable {
    public var x: FeatureMatrix
    public var y: [Double]
    /// Per row, the index of its date (ascending: rows of one date are contiguous).
    public var dates: [Int32]
    public var featureNames: [String]

    public init(x: FeatureMatrix, y: [Double], dates: [Int32], featureNames: [String]) {
        precondition(x.rows == y.count && y.count == dates.count, "a label and a date per row")
        self.x = x
        self.y = y
        self.dates = dates
        self.featureNames = featureNames
    }

    public var rows: Int { y.count }

    /// The index ranges of rows sharing a date.
    public var dateRanges: [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        for i in 1...max(rows, 1) where i == rows || dates[i] != dates[start] {
            if rows > 0 { out.append(start..<i) }
            start = i
        }
        return out
    }

    /// Only the rows whose date passes `keep`, in order.
    public func filter(dates keep: (Int32) -> Bool) -> TrainingSet {
        var values: [Double] = [], y: [Double] = [], d: [Int32] = []
        for r in 0..<rows where keep(dates[r]) {
            values.append(contentsOf: x.row(r)); y.append(self.y[r]); d.append(dates[r])
        }
        return TrainingSet(x: FeatureMatrix(rows: y.count, columns: x.columns, values: values), y: y, dates: d, featureNames: featureNames)
    }
}
