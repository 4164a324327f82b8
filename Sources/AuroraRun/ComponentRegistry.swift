import AuroraExecution
import AuroraLog
import AuroraKernel
import AuroraStrategies

/// Every plug-in a configuration can name, in one place: alphas, execution algorithms and
/// portfolio constructors (and, for reading logs, reducers and extension codecs). The built-in
/// set is `builtIn`; register your own on a copy and hand it to the engine or the config reader.
/// Lists keep registration order, so every listing and error message is deterministic.
public struct ComponentRegistry: Sendable {
    public var alphas: AlphaRegistry
    public private(set) var executionAlgorithms: [any ExecutionAlgorithm.Type] = []
    public private(set) var portfolioConstructions: [any PortfolioConstruction.Type] = []
    public private(set) var reducers: [ReducerEntry] = []
    public private(set) var extensionCodecs: [ExtensionCodecEntry] = []
    /// Strategy types added by modules above the run layer.
    package private(set) var strategies: [any StrategySettings.Type] = []

    public init(alphas: AlphaRegistry = AlphaRegistry()) { self.alphas = alphas }

    public static let builtIn: ComponentRegistry = {
        var r = ComponentRegistry(alphas: .builtIn)
        r.register(execution: ImmediateAlgorithm.self)
        r.register(execution: TWAPAlgorithm.self)
        r.register(construction: EqualWeightConstruction.self)
        r.register(reducer: PortfolioReducer.self)
        r.register(reducer: ExecutionMonitor.self)
        r.register(reducer: CompletionReducer.self)
        return r
    }()

    /// Adds (or replaces, by name) an execution algorithm.
    public mutating func register(execution algorithm: any ExecutionAlgorithm.Type) {
        executionAlgorithms.removeAll { $0.name == algorithm.name }
        executionAlgorithms.append(algorithm)
    }

    /// Adds (or replaces, by name) a portfolio constructor.
    public mutating func register(construction: any PortfolioConstruction.Type) {
        portfolioConstructions.removeAll { $0.name == construction.name }
        portfolioConstructions.append(construction)
    }

    /// Adds (or replaces, by name) a reducer `state`, checkpoints and `verify` can use.
    public mutating func register<R: Reducer>(reducer: R.Type) {
        reducers.removeAll { $0.name == R.name }
        reducers.append(ReducerEntry(reducer))
    }

    /// Adds (or replaces, by type) a strategy type.
    package mutating func register(strategy: any StrategySettings.Type) {
        strategies.removeAll { $0.type == strategy.type }
        strategies.append(strategy)
    }

    /// Adds (or replaces, by name) the codec of an extension record kind, so `cat` shows its fields.
    public mutating func register<C: ExtensionCodec>(extension codec: C.Type) {
        extensionCodecs.removeAll { $0.name == C.name }
        extensionCodecs.append(ExtensionCodecEntry(codec))
    }

    public func executionAlgorithm(named name: String) -> (any ExecutionAlgorithm.Type)? {
        executionAlgorithms.first { $0.name == name }
    }

    public func portfolioConstruction(named name: String) -> (any PortfolioConstruction.Type)? {
        portfolioConstructions.first { $0.name == name }
    }

    public func reducer(named name: String) -> ReducerEntry? { reducers.first { $0.name == name } }
    public func extensionCodec(named name: String) -> ExtensionCodecEntry? { extensionCodecs.first { $0.name == name } }
}
