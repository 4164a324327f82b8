extension ComponentRegistry {
    /// Every plug-in the package ships: the built-in set, the model strategy (`strategy.type:
    /// model`) with its extension records and monitor reducer, and the policy constructors.
    /// The `aurora` tool reads configurations and logs with it.
    public static let standard: ComponentRegistry = {
        var r = ComponentRegistry.builtIn
        r.registerModels()
        r.register(construction: PolicyConstruction.self)
        r.register(extension: PolicyBindingCodec.self)
        r.register(reducer: ModelMonitor.self)
        return r
    }()
}
