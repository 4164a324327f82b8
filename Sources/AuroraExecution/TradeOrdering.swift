import AuroraModel

/// The order a plan's trades go out in, for the kernel's TWAP and the standalone planner alike:
/// sells before buys (selling funds buying), then the larger notional first.
enum TradeOrdering {
    /// Whether the first trade goes before the second; nil when the rule cannot tell them apart
    /// (the caller's own tie-break decides then).
    static func precedes(_ a: (side: Side, notional: Double), _ b: (side: Side, notional: Double)) -> Bool? {
        if a.side != b.side { return a.side == .sell }
        if a.notional != b.notional { return a.notional > b.notional }
        return nil
    }
}
