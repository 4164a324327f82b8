import AuroraModel

/// A corporate action in a data source: logged at the first bar time at or after `effective`
/// (UTC nanoseconds: the start of its ex-date in the data's time zone; for a delisting, just
/// after the symbol's last bar).
public struct ScheduledAction: Sendable, Equatable {
    public var effective: Int64
    public var action: CorporateAction

    public init(effective: Int64, action: CorporateAction) {
        self.effective = effective
        self.action = action
    }
}

extension BarSeries {
    /// Actions in the order they are logged: by effective time, then symbol, then kind.
    public mutating func sortActions() {
        actions.sort { a, b in
            if a.effective != b.effective { return a.effective < b.effective }
            if a.action.symbol != b.action.symbol { return a.action.symbol < b.action.symbol }
            return a.action.kind.rawValue < b.action.kind.rawValue
        }
    }

    /// The time of each symbol's last bar (nil for a symbol without bars).
    public var lastBarTimes: [Int64?] {
        var last = [Int64?](repeating: nil, count: symbols.count)
        for i in 0..<count { last[Int(symbol[i])] = end[i] }
        return last
    }
}
