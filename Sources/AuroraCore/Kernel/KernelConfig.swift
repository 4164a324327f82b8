import AuroraModel

/// How the kernel sizes positions and executes trades. The defaults are the reference mode:
/// immediate fills at the next bar's open, fractional shares, no costs, HOLD exits.
public struct KernelConfig: Sendable, Equatable {
    public var initialCash: Double = 1_000_000
    /// Σ |weight| of the target book: BUY and SELL names share it equally…
    public var grossExposure: Double = 1.0
    /// …but no name gets more than this weight.
    public var maxPositionWeight: Double = 0.10
    public var holdPolicy: HoldPolicy = .exit
    public var fill: FillTiming = .nextOpen
    public var fractionalShares = true
    /// Costs charged on every fill: per share plus basis points of notional.
    public var costPerShare: Double = 0
    public var costBps: Double = 0
    /// Write a checkpoint (full portfolio state) after at least this many events; 0 turns them off.
    public var checkpointEvery = 100_000
    /// Who turns trades into fills: the immediate baseline, or TWAP over intraday bars.
    public var algorithm: ExecutionAlgorithm = .immediate
    public var twap = TWAPSettings()
    /// Set by live sessions (and their replays) whose orders go to a broker outside the kernel:
    /// the execution model sends orders and takes the broker's fills instead of simulating them.
    /// Not part of the YAML: it is where orders go, not how the strategy trades.
    public var externalFills = false

    public init() {}
}

public enum ExecutionAlgorithm: String, Sendable, CaseIterable {
    case immediate
    case twap
}

/// TWAP execution of each day's decisions over the next session's minute bars.
public struct TWAPSettings: Sendable, Equatable {
    public var slices = 10
    /// Session-local times (New York) of the first slice and of the cutoff, minutes after midnight.
    public var startMinutes = 9 * 60 + 30
    public var cutoffMinutes = 15 * 60 + 30
    public var rateLimitPerMinute = 200
    public var fillPrice = "vwap_proxy"
    /// Fraction of each bar's volume; nil: no cap.
    public var participationCap: Double? = 0.1
    public var slippageBps = 0.0
    public var impactBps = 0.0
    public var minimumPerOrder = 0.0

    public init() {}
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
