import AuroraData
import AuroraStrategies

/// Builds a configured alpha strategy: its alphas from the registry, its weight model, and its
/// sector groups from the configured map (or the synthetic universe's own sectors).
public enum AlphaSetup {
    /// The strategy for `symbols`, and the symbols the sector map does not know.
    public static func strategy(_ settings: AlphaSettings, data: DataConfig, symbols: [String],
                                registry: AlphaRegistry = .builtIn) throws -> (strategy: AlphaStrategy, unmapped: [String]) {
        var groups: [Int]?
        var unmapped: [String] = []
        let map: SectorMap?
        if let path = settings.sectorMap {
            map = try SectorMap.load(path: path)
        } else if data.isSynthetic {
            map = SectorMap(Dictionary(uniqueKeysWithValues: zip(data.synthetic.symbols, data.synthetic.sectors).map { ($0, $1) }))
        } else {
            map = nil
        }
        if let map, settings.strategy.sectorNeutral {
            let g = map.groups(for: symbols)
            groups = g.groups
            unmapped = g.unmapped
        }
        if settings.strategy.sectorNeutral && map == nil {
            throw DataError("strategy.sector_neutral needs strategy.sector_map (a Symbol,Name,Sector CSV) for this data")
        }
        let model: (any AlphaWeightModel)? = switch settings.weightModel {
        case .equal: nil
        case .ic(let window): ICWeightModel(window: window)
        }
        do {
            return (try AlphaStrategy(config: settings.strategy, weightModel: model, registry: registry, sectorGroups: groups), unmapped)
        } catch let error as AlphaStrategy.ConfigurationError {
            throw DataError(error.description)
        }
    }
}
