import AuroraData
import AuroraKernel
import AuroraStats
import AuroraModel
import AuroraExecution
import AuroraStrategies

/// Everything a run needs besides its data's bytes: strategy, sizing and execution, data choice.
/// Written into every log's manifest (as canonical YAML), so a log says how to reproduce it.
public struct AuroraConfig: Sendable, Equatable {
    public var strategy: StrategyConfig = .momentum(lookback: 20, threshold: 0.05)
    public var portfolio = PortfolioSettings()
    public var execution = ExecutionSettings()
    public var data = DataConfig()
    /// What the kernel itself takes (`log.checkpoint_every`).
    public var kernel = KernelConfig()

    public init() {}
}

/// `portfolio:` — the starting cash and the portfolio constructor with its settings.
public struct PortfolioSettings: Sendable, Equatable {
    public var initialCash: Double = 1_000_000
    /// The constructor's settings (a registered `PortfolioConstruction`); equal weight by default.
    public var construction: any PortfolioConstruction = EqualWeightConstruction()

    public init() {}

    /// The equal-weight settings, when that is the constructor (for code that tunes them).
    public var equalWeight: EqualWeightConstruction {
        get { construction as? EqualWeightConstruction ?? EqualWeightConstruction() }
        set { construction = newValue }
    }

    public static func == (a: PortfolioSettings, b: PortfolioSettings) -> Bool {
        a.initialCash == b.initialCash && type(of: a.construction).name == type(of: b.construction).name
            && a.construction.canonicalLines == b.construction.canonicalLines
    }
}

/// `execution:` — what every algorithm shares, and the algorithm with its own settings.
public struct ExecutionSettings: Sendable, Equatable {
    public var common = ExecutionCommon()
    /// A registered `ExecutionAlgorithm`; immediate by default.
    public var algorithm: any ExecutionAlgorithm = ImmediateAlgorithm()

    public init() {}

    public var algorithmName: String { type(of: algorithm).name }

    /// TWAP's settings, when that is the algorithm (setting them chooses it).
    public var twap: TWAPAlgorithm? {
        get { algorithm as? TWAPAlgorithm }
        set { algorithm = newValue ?? ImmediateAlgorithm() }
    }

    public static func == (a: ExecutionSettings, b: ExecutionSettings) -> Bool {
        a.common == b.common && a.algorithmName == b.algorithmName && a.algorithm.canonicalLines == b.algorithm.canonicalLines
    }
}

public enum StrategyConfig: Sendable, Equatable {
    /// No decisions: bars through the kernel and into the log (the engine's own cost).
    case noDecisions
    case momentum(lookback: Int, threshold: Double)
    case macd(fast: Int, slow: Int, signal: Int)
    case alpha(AlphaSettings)
    /// A strategy type registered by a module above the run layer (`model`).
    case plugin(PluginStrategy)

    public var typeName: String {
        switch self {
        case .noDecisions: "none"
        case .momentum: "momentum"
        case .macd: "macd"
        case .alpha: "alpha"
        case .plugin(let p): p.type
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

extension AuroraConfig {
    /// The kernel's settings with what the data section decides for it (the delisting policy).
    public var kernelSettings: KernelConfig {
        var k = kernel
        k.delisting = data.delisting
        return k
    }
}

public struct DataConfig: Sendable, Equatable {
    /// `synthetic`, or the path of a bar CSV, a folder of CSV files, or an Aurora log (`.alog`).
    public var source = "synthetic"
    /// More CSV files or folders read with `source` as one table (`source: [a.csv, b.csv]`).
    public var moreSources: [String] = []
    /// Only these symbols (all when nil).
    public var symbols: [String]?
    /// Only bars ending on or after / on or before these times (`YYYY-MM-DD` or ISO 8601).
    public var start: String?
    public var end: String?
    public var synthetic = SyntheticUniverse()
    /// How CSV sources are read: the same options as `aurora import-bars`.
    public var csv = BarCSVOptions()
    /// A `symbol,ex_date,type,value` CSV of corporate actions, besides the bar file's own columns.
    public var actions: String?
    /// Which corporate actions are applied.
    public var adjust: AdjustChoice = .auto
    /// What a position does when its symbol's data ends before the run's.
    public var delisting: DelistingPolicy = .close
    public var guards = DataGuards()
    /// Symbols with no volume on any bar: left out of the run (`skip`) or traded as they are (`keep`).
    public var noVolume: NoVolumePolicy = .skip

    public init() {}

    /// For CSV sources: time zone of naive times and what intraday stamps mark.
    public var timeZone: String {
        get { csv.timeZone }
        set { csv.timeZone = newValue }
    }
    public var stamp: BarStamp {
        get { csv.stamp }
        set { csv.stamp = newValue }
    }

    public var isSynthetic: Bool { source == "synthetic" }
    public var paths: [String] { [source] + moreSources }
}

public enum AdjustChoice: String, Sendable, CaseIterable {
    /// Apply every action the data provides (and say which in the summary).
    case auto
    case none
    case splits
    case splitsAndDividends = "splits_and_dividends"
}

public enum NoVolumePolicy: String, Sendable, CaseIterable {
    case skip, keep
}

/// Checks of each bar against the one before: what counts as suspect, and what is done with it.
public struct DataGuards: Sendable, Equatable {
    /// A close-to-close move larger than this fraction, with no corporate action that day.
    public var maxMove = 0.4
    public var onSuspect: SuspectPolicy = .flag

    public init(maxMove: Double = 0.4, onSuspect: SuspectPolicy = .flag) {
        self.maxMove = maxMove
        self.onSuspect = onSuspect
    }
}

public enum SuspectPolicy: String, Sendable, CaseIterable {
    /// Report it and trade as usual.
    case flag
    /// Report it and leave the symbol's bar out that day (no decision or fill at a suspect price).
    case skip
}

public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var key: String
    public var message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

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
