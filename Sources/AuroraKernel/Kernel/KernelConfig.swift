import AuroraModel

/// What the kernel itself needs to know: how often it writes a full portfolio checkpoint. How
/// positions are sized is the portfolio constructor's business, how trades execute the
/// execution model's; both are chosen and configured by the run layer.
public struct KernelConfig: Sendable, Equatable {
    /// Write a checkpoint (full portfolio state) after at least this many events; 0 turns them off.
    public var checkpointEvery = 100_000
    /// Reducers besides the portfolio whose states the full checkpoints also carry.
    public var checkpointReducers: [ReducerEntry] = []
    /// What happens to a position when its symbol is delisted (its data ends).
    public var delisting: DelistingPolicy = .close

    public init(checkpointEvery: Int = 100_000, checkpointReducers: [ReducerEntry] = [], delisting: DelistingPolicy = .close) {
        self.checkpointEvery = checkpointEvery
        self.checkpointReducers = checkpointReducers
        self.delisting = delisting
    }

    public static func == (a: KernelConfig, b: KernelConfig) -> Bool {
        a.checkpointEvery == b.checkpointEvery && a.checkpointReducers.map(\.name) == b.checkpointReducers.map(\.name)
            && a.delisting == b.delisting
    }
}

public enum DelistingPolicy: String, Sendable, CaseIterable {
    /// Sell (or cover) at the last price, on the symbol's last bar time plus one nanosecond.
    case close
    /// Keep the position, marked at its last price (stale) until the end.
    case keep
}

public enum HoldPolicy: String, Sendable, CaseIterable {
    /// A HOLD signal means "no position": target 0.
    case exit
    /// A HOLD signal keeps whatever position there is.
    case keep
}

public enum FillTiming: String, Sendable, CaseIterable {
    /// Orders decided at a bar's close fill at the symbol's next bar's open; without such a bar the trade is skipped.
    case nextOpen = "next_open"
    /// Orders fill at the close of the bar that produced them.
    case close
}
