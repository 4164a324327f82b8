import AuroraKernel
import AuroraLog
import AuroraModel

/// The one way a run's manifest is written: the effective configuration as canonical YAML and
/// its SHA-256, the data source and seed, the starting cash (what the portfolio reducer reads),
/// the strategy type, the configuration file's own digest when there was a file, and whatever
/// the kind of run adds (a what-if's parent, a live session's mode and broker).
public enum ManifestBuilder {
    public static func manifest(_ config: AuroraConfig, dataSource: String, seed: UInt64, configFileDigest: [UInt8]? = nil,
                                properties extra: [KeyValue] = []) -> Manifest {
        let yaml = ConfigWriter.yaml(config)
        var properties = [
            KeyValue(PortfolioReducer.initialCashProperty, ConfigWriter.number(config.portfolio.initialCash)),
            KeyValue("strategy", config.strategy.typeName),
        ]
        properties += extra
        if let configFileDigest { properties.append(KeyValue("config.file_sha256", hexString(configFileDigest))) }
        return Manifest(formatVersion: 1, engineVersion: AuroraVersion.engine, config: yaml, configDigest: sha256(Array(yaml.utf8)),
                        dataSource: dataSource, seed: seed, properties: properties)
    }
}
