import AuroraModel
import AuroraData
import AuroraStats

/// Turns snapshots into signals. Implementations keep their own rolling state, so they are
/// mutated by each call; the kernel is generic over the concrete type (no dynamic dispatch per bar).
public protocol Strategy {
    /// A short name for logs and summaries.
    var name: String { get }
    /// Signals for the symbols of `snapshot`, in ascending symbol order. Symbols without a signal
    /// keep their position.
    mutating func generateSignals(_ snapshot: MarketSnapshot) -> [Signal]
    /// Decision events that explain the signals just returned (alpha values, the weights in
    /// force); the kernel logs them before the signals. Strategies without any return none.
    mutating func takeExplanations() -> [EventPayload]
}

extension Strategy {
    public mutating func takeExplanations() -> [EventPayload] { [] }
}
