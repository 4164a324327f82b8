import AuroraData
import AuroraFeatures
import AuroraLog
import AuroraModel
import AuroraRun
import AuroraStrategies
import Foundation

/// What a research job computes before judging anything: the feature panel (transformed and
/// neutralized as configured), the adjusted prices, one set of labels per horizon, the sector
/// groups, and notes on what was assumed or left out.
public struct ResearchData: Sendable {
    public var panel: FeaturePanel
    public var market: MarketPanel
    public var labels: [Labels]
    /// Sector group per symbol (nil without a sector map), with the sectors' names.
    public var groups: [Int]?
    public var sectors: [String]
    public var notes: [String]
    public var dataReport: DataReport
    public var sourceDescription: String

    /// Builds everything `config` asks for; `progress(done, total)` follows the bar times.
    public static func build(_ config: ResearchConfig, registry: ComponentRegistry = .builtIn,
                             progress: ((Int, Int) -> Void)? = nil) throws -> ResearchData {
        let (series, report, source) = try PreparedData.load(config.data)
        guard series.timeframe >= .day else {
            throw DataError("research works on daily bars; the data has \(series.timeframe) bars")
        }
        var notes: [String] = []
        var sectorMap: SectorMap?
        var groups: [Int]?, sectors: [String] = []
        // The synthetic universe brings its own sectors.
        let syntheticSectors = config.data.isSynthetic
            ? SectorMap(Dictionary(uniqueKeysWithValues: zip(config.data.synthetic.symbols, config.data.synthetic.sectors).map { ($0, $1) })) : nil
        if let map = try config.sectors.map(SectorMap.load(path:)) ?? syntheticSectors {
            let path = config.sectors ?? "the synthetic universe"
            let g = map.groups(for: series.symbols)
            groups = g.groups
            sectors = g.sectors
            sectorMap = map
            if !g.unmapped.isEmpty {
                notes.append("\(g.unmapped.count) symbols have no sector in \(path) and form one group (\(g.unmapped.prefix(6).joined(separator: ", "))\(g.unmapped.count > 6 ? ", …" : ""))")
            }
        }
        let dates = series.steps.map(\.time.rawValue)
        var sources: [any FeatureSource] = []
        var keep: [String] = []
        for choice in config.features {
            switch choice {
            case .alpha158(let settings, let only):
                let source = Alpha158Source(settings: settings)
                sources.append(source)
                keep += only ?? source.names
                notes.append("VWAP0 uses the typical price (high + low + close) / 3: the bars carry no VWAP")
            case .alpha(let name):
                guard let alpha = registry.alphas.make(name) else { throw DataError("no alpha \"\(name)\" is registered") }
                sources.append(AlphaFeature(alpha))
                keep.append(name)
            case .etfResidual(let s):
                let source = try etfSource(s, data: config.data, dates: dates, symbols: series.symbols, sectors: sectorMap, registry: registry,
                                           notes: &notes)
                sources.append(source)
                keep += source.names
            case .external(let path, let settings):
                let external = try ExternalData.read(path: path, symbols: series.symbols, timeZone: config.data.timeZone)
                if external.unknownSymbolRows > 0 {
                    notes.append("\(path): \(external.unknownSymbolRows) rows for symbols the bars do not have, left out (line \(external.unknownSymbolExamples.prefix(5).joined(separator: ", line ")))")
                }
                let source = ExternalSource(external, settings: settings, symbolCount: series.symbols.count)
                sources.append(source)
                keep += source.names
            }
        }
        var (panel, market) = try PanelBuilder.build(series, sources: &sources, progress: progress)
        if keep != panel.names { panel = try panel.selecting(keep) }
        for f in 0..<panel.featureCount {
            for t in config.transforms { t.apply(to: &panel, feature: f) }
            switch config.neutralize {
            case .none: break
            case .sectorDemean: CrossSectionTransform.demean.apply(to: &panel, feature: f, groups: groups)
            case .sectorZscore: CrossSectionTransform.zscore.apply(to: &panel, feature: f, groups: groups)
            }
        }
        let labels = config.labels.specs.map { Labels($0, market: market) }
        return ResearchData(panel: panel, market: market, labels: labels, groups: groups, sectors: sectors, notes: notes,
                            dataReport: report, sourceDescription: source.sourceDescription)
    }

    private static func etfSource(_ s: ETFResidualSettings, data: DataConfig, dates: [Int64], symbols: [String], sectors: SectorMap?,
                                  registry: ComponentRegistry, notes: inout [String]) throws -> ETFResidualSource {
        guard let sectors else { throw DataError("features.etf_residual needs a sector map: add sectors: PATH (Symbol,Name,Sector)") }
        var etfData = data
        etfData.source = s.source
        etfData.moreSources = []
        etfData.symbols = nil
        etfData.actions = nil
        let (etfSeries, _, _) = try PreparedData.load(etfData)
        let closes = ETFCloses(etfSeries, dates: dates)
        let (etfOf, unmapped) = s.map.etfs(for: symbols, sectors: sectors)
        let missing = Set(etfOf.compactMap { $0 }).filter { closes.column($0) == nil }.sorted()
        if !missing.isEmpty { notes.append("ETFs without bars in \(s.source): \(missing.joined(separator: ", ")); \(s.map.fallback ?? "no fallback") stands in") }
        if !unmapped.isEmpty { notes.append("\(unmapped.count) symbols have no sector ETF; \(s.map.fallback ?? "none") stands in") }
        // Each alpha twice: one instance steps on the stocks, one on the ETFs.
        let alphas = s.alphas.compactMap { registry.alphas.make($0) }, etfAlphas = s.alphas.compactMap { registry.alphas.make($0) }
        return ETFResidualSource(window: s.window, horizons: s.horizons, etfs: closes, etfOfSymbol: etfOf, fallback: s.map.fallback,
                                 alphas: alphas, etfAlphas: etfAlphas)
    }

    /// The label a table reports: the configured horizon, else the first.
    public func label(horizon: Int?) -> Labels {
        labels.first { $0.spec.horizon == horizon } ?? labels[0]
    }

    /// SHA-256 of the panel's values, names and axes: the same data and config give the same digest.
    public var panelDigest: String {
        let h = SHA256Hasher()
        for name in panel.names + panel.symbols { Array(name.utf8 + [0]).withUnsafeBytes { h.update($0) } }
        panel.dates.withUnsafeBytes { h.update($0) }
        panel.values.withUnsafeBytes { h.update($0) }
        return hexString(h.digest())
    }
}
