import AuroraFeatures
import AuroraModels
import AuroraRun

/// A research job: which bars, which features and how they are transformed, which labels, and
/// how signals are judged (`research.yaml`; `docs/RESEARCH.md` lists every key).
public struct ResearchConfig: Sendable, Equatable {
    /// The bars, read exactly as a backtest reads them (`data:` takes the same keys).
    public var data = DataConfig()
    /// A `Symbol,Name,Sector` CSV: sector neutralization, IC by sector, ETF residuals.
    public var sectors: String?
    public var features: [FeatureChoice] = [.alpha158(Alpha158Settings(), only: nil)]
    /// Applied in order to every feature, per date.
    public var transforms: [CrossSectionTransform] = []
    public var neutralize: Neutralization = .none
    public var labels = LabelSettings()
    public var evaluation = EvaluationSettings()
    public var walkForward = WalkForwardSettings()
    /// Models trained on the walk-forward (and by `research train`); none: the walk-forward
    /// judges features and their combination instead.
    public var models: [ModelSpec] = []
    public var ensemble = EnsembleSettings()
    public var calibration = CalibrationSettings()
    /// The share of each training window's last dates held out to choose hyperparameters.
    public var validation = 0.2
    /// Train on every `stride`-th date of the window (with an h-day label, neighbouring dates'
    /// labels overlap by h − 1 days, so a stride of 2 loses little and halves the rows).
    public var stride = 1

    public init() {}
}

public enum FeatureChoice: Sendable, Equatable {
    /// Qlib's Alpha158 (all 158, or only the names listed).
    case alpha158(Alpha158Settings, only: [String]?)
    /// A registered alpha by its instance name (`momentum_20d`, `momentum_60d`, a user's own).
    case alpha(String)
    /// Returns residualized against sector ETFs.
    case etfResidual(ETFResidualSettings)
    /// Point-in-time outside data.
    case external(path: String, settings: ExternalSettings)
}

public struct ETFResidualSettings: Sendable, Equatable {
    /// The ETFs' bars (read with the data section's CSV options and time zone).
    public var source: String
    /// Returns the beta is estimated over (before today).
    public var window = 60
    /// Sums of residual returns over these many bars.
    public var horizons = [1, 5, 20]
    /// Sector → ETF; the Select Sector SPDRs by default.
    public var map = SectorETFMap.spdr
    /// Alphas residualized against the same alpha on the sector ETF (`<alpha>_etfres`).
    public var alphas: [String] = []

    public init(source: String) { self.source = source }
}

/// Sector neutralization of every feature, per date (after the transforms).
public enum Neutralization: String, Sendable, CaseIterable {
    case none
    /// Minus the sector's mean.
    case sectorDemean = "sector_demean"
    /// Standardized within the sector.
    case sectorZscore = "sector_zscore"
}

public struct LabelSettings: Sendable, Equatable {
    public var horizons = [1, 5, 20]
    public var price: LabelSpec.Price = .open
    public init() {}
    public var specs: [LabelSpec] { horizons.map { LabelSpec(horizon: $0, price: price) } }
}

public struct EvaluationSettings: Sendable, Equatable {
    public var quantiles = 5
    /// Dates with fewer symbols having both a value and a label have no IC.
    public var minNames = 10
    /// The label the tables use (a horizon of `labels.horizons`; the first by default).
    public var horizon: Int?
    public init() {}
}

public struct WalkForwardSettings: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable { case rolling, expanding }
    public var mode: Mode = .rolling
    /// Dates in a rolling training window (the minimum history for expanding ones).
    public var train = 252
    /// Dates in each test block.
    public var test = 63
    /// Dates after a test block's last label kept out of training (where training follows testing).
    public var embargo = 5
    /// Combinatorial purged CV instead: `groups` blocks, each split testing `testGroups` of them.
    public var combinatorial: Combinatorial?
    /// The features combined (all when nil) and how.
    public var combine: [String]?
    public var weighting: Weighting = .icWeighted

    public struct Combinatorial: Sendable, Equatable {
        public var groups: Int
        public var testGroups: Int
        public init(groups: Int, testGroups: Int) {
            self.groups = groups
            self.testGroups = testGroups
        }
    }

    public enum Weighting: String, Sendable, CaseIterable {
        /// Each feature's z-score weighted by its mean Rank IC on the training dates (sign kept).
        case icWeighted = "ic_weighted"
        /// Equal weights with the sign of the training Rank IC.
        case signed
    }

    public init() {}
}
