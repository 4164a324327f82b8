import AuroraRun

extension ComponentRegistry {
    /// Adds the model strategy, the codecs of its records (so `cat` shows their fields) and
    /// the model monitor reducer.
    public mutating func registerModels() {
        register(strategy: ModelStrategyConfig.self)
        register(extension: ModelRetrainCodec.self)
        register(extension: CalibrationCodec.self)
        register(extension: ModelDecisionCodec.self)
    }
}
