import Foundation
import Yams
import AuroraStats
import AuroraData
import AuroraKernel
import AuroraExecution
import AuroraStrategies

/// The original design's configuration functions, for the `strategy: {type: alpha, …}` format
/// (the file may hold every other section too; see `AuroraConfig`).

/// Reads and validates a configuration file.
public func loadAlphaConfig(_ path: String, registry: ComponentRegistry = .builtIn) throws -> AuroraConfig {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ConfigError(file: path, line: nil, key: "", message: "cannot read the file")
    }
    return try ConfigReader.parse(String(decoding: data, as: UTF8.self), file: path, registry: registry)
}

/// Validates a configuration given as a dictionary (as parsed JSON or YAML would be); errors name
/// the key (lines refer to the dictionary written out as YAML).
public func parseAlphaConfig(_ dictionary: [String: Any], registry: ComponentRegistry = .builtIn) throws -> AuroraConfig {
    let yaml: String
    do {
        yaml = try Yams.dump(object: dictionary, sortKeys: true)
    } catch {
        throw ConfigError(file: "dictionary", line: nil, key: "", message: "cannot be written as YAML: \(error)")
    }
    return try ConfigReader.parse(yaml, file: "dictionary", registry: registry)
}

/// Writes a configuration as canonical YAML; loading it gives back an equal configuration.
public func saveAlphaConfig(_ config: AuroraConfig, _ path: String) throws {
    try ConfigWriter.save(config, to: path)
}
