import AuroraCore
import AuroraModel

/// Everything a run needs besides its data's bytes: strategy, sizing and execution, data choice.
/// Written into every log's manifest (as canonical YAML), so a log says how to reproduce it.
public struct AuroraConfig: Sendable, Equatable {
    public var strategy: StrategyConfig = .momentum(lookback: 20, threshold: 0.05)
    public var kernel = KernelConfig()
    public var data = DataConfig()

    public init() {}
}

public enum StrategyConfig: Sendable, Equatable {
    case momentum(lookback: Int, threshold: Double)
    case macd(fast: Int, slow: Int, signal: Int)
    case alpha(AlphaSettings)

    public var typeName: String {
        switch self {
        case .momentum: "momentum"
        case .macd: "macd"
        case .alpha: "alpha"
        }
    }
}

/// The alpha strategy as configured: its `AlphaStrategyConfig`, the weight model, the sector map.
public struct AlphaSettings: Sendable, Equatable {
    public enum WeightModelChoice: Sendable, Equatable {
        case equal
        case ic(window: Int)
    }

    public var strategy = AlphaStrategyConfig()
    /// Used when `strategy.alphaWeights` is nil.
    public var weightModel: WeightModelChoice = .equal
    /// `Symbol,Name,Sector` CSV; the synthetic universe brings its own sectors.
    public var sectorMap: String?

    public init() {}
}

public struct DataConfig: Sendable, Equatable {
    /// `synthetic`, or the path of a bar CSV or an Aurora log (`.alog`).
    public var source = "synthetic"
    /// Only these symbols (all when nil).
    public var symbols: [String]?
    /// Only bars ending on or after / on or before these times (`YYYY-MM-DD` or ISO 8601).
    public var start: String?
    public var end: String?
    public var synthetic = SyntheticUniverse()
    /// For CSV sources: time zone of naive times and what intraday stamps mark.
    public var timeZone = "America/New_York"
    public var stamp: BarStamp = .start

    public init() {}

    public var isSynthetic: Bool { source == "synthetic" }
}

public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var key: String
    public var message: String

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(key.isEmpty ? "" : "\(key): ")\(message)"
    }
}

extension SyntheticUniverse: Equatable {
    public static func == (a: SyntheticUniverse, b: SyntheticUniverse) -> Bool {
        a.sourceDescription == b.sourceDescription && a.marketVolatility == b.marketVolatility
            && a.sectorVolatility == b.sectorVolatility && a.idiosyncraticVolatility == b.idiosyncraticVolatility
            && a.driftDispersion == b.driftDispersion && a.momentum == b.momentum && a.reversal == b.reversal
    }
}
