import AuroraData
import AuroraKernel
import AuroraModel
import Yams

/// A strategy type that a module above the run layer adds (the model strategy): its
/// `strategy.type`, how it reads its YAML section and writes it back canonically, and how it
/// builds the strategy of a run. Registered in `ComponentRegistry`, it is configured, logged in
/// the manifest, replayed and rerun like the built-in strategies.
package protocol StrategySettings: Sendable {
    static var type: String { get }
    /// Reads the `strategy:` mapping (its `type` already matched).
    static func read(_ node: Node, _ reader: NodeReader) throws -> Self
    /// The section's canonical lines after `  type: …`, indented by two spaces: reading them back
    /// gives equal settings, so the manifest's config replays.
    var canonicalLines: [String] { get }
    func makeStrategy(symbols: [String], data: DataConfig, registry: ComponentRegistry) throws -> any Strategy
    /// What the run's summary says of it.
    var summary: String { get }
}

/// The configuration of a registered strategy type, as `StrategyConfig.plugin` holds it.
public struct PluginStrategy: Sendable, Equatable {
    package let settings: any StrategySettings

    package init(_ settings: any StrategySettings) { self.settings = settings }

    public var type: String { Swift.type(of: settings).type }
    public var summary: String { settings.summary }

    public static func == (a: PluginStrategy, b: PluginStrategy) -> Bool {
        a.type == b.type && a.settings.canonicalLines == b.settings.canonicalLines
    }
}

/// A strategy chosen at run time, behind one dynamic call per decision step.
struct AnyStrategy: Strategy {
    var base: any Strategy
    var name: String { base.name }
    mutating func generateSignals(_ snapshot: MarketSnapshot) -> [Signal] { base.generateSignals(snapshot) }
    mutating func takeExplanations() -> [EventPayload] { base.takeExplanations() }
}
