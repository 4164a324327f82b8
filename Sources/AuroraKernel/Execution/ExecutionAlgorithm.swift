import AuroraModel

/// What every execution algorithm shares: when simulated fills happen, whether shares are
/// fractional, the costs, and whether a broker outside the kernel fills the orders (a live
/// session's, never read from a configuration file).
public struct ExecutionCommon: Sendable, Equatable {
    public var fill: FillTiming = .nextOpen
    public var fractionalShares = true
    /// Costs charged on every fill: per share plus basis points of notional.
    public var costPerShare: Double = 0
    public var costBps: Double = 0
    public var externalFills = false

    public init() {}
}

/// An execution algorithm as a plug-in: its name (`execution.algorithm`), its own settings (read
/// from its subsection of `execution`, written back canonically), and the execution model it
/// builds for a run. The kernel never lists algorithms; the run layer's registry does, so a new
/// one is a new conformer registered there, with no change to the kernel or the config reader.
public protocol ExecutionAlgorithm: Sendable {
    static var name: String { get }
    /// The subsection of `execution` holding its settings (`twap`), nil when it has none.
    static var section: String? { get }
    /// Its settings from `section` (nil: the configuration has none, so the defaults).
    init(section: (any ConfigSection)?) throws
    /// Its settings as canonical YAML `key: value` lines, in a fixed order; empty when none.
    var canonicalLines: [String] { get }
    /// Whether it trades against intraday bars between daily decisions (the kernel then takes
    /// its decisions on daily bars built from them).
    var needsIntradayBars: Bool { get }
    /// The execution model for a run over `symbols`.
    func makeModel(_ common: ExecutionCommon, symbols: [String]) -> AnyExecutionModel
    /// What its trades cost, as portfolio constructors estimate it (by default the fees alone).
    func tradingCosts(_ common: ExecutionCommon) -> TradingCosts
}

extension ExecutionAlgorithm {
    public func tradingCosts(_ common: ExecutionCommon) -> TradingCosts {
        TradingCosts(bps: common.costBps, perShare: common.costPerShare)
    }
}

/// The baseline: each decided trade one market order, filled whole at the next bar's open or at
/// this bar's close (`ImmediateExecution`), or sent to the outside broker (`ExternalExecution`).
public struct ImmediateAlgorithm: ExecutionAlgorithm {
    public static let name = "immediate"
    public static let section: String? = nil
    public init() {}
    public init(section: (any ConfigSection)?) throws {}
    public var canonicalLines: [String] { [] }
    public var needsIntradayBars: Bool { false }

    public func makeModel(_ common: ExecutionCommon, symbols: [String]) -> AnyExecutionModel {
        if common.externalFills { return AnyExecutionModel(ExternalExecution(symbolCount: symbols.count)) }
        return AnyExecutionModel(ImmediateExecution(fill: common.fill, costPerShare: common.costPerShare, costBps: common.costBps,
                                                    symbolNames: symbols))
    }
}
