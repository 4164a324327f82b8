import AuroraRun

/// Any text as a YAML configuration: a configuration or a `ConfigError`, never a trap; what
/// parses must write back to YAML that parses to the same configuration.
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    guard let config = try? ConfigReader.parse(text, file: "fuzz.yaml") else { return 0 }
    let written = ConfigWriter.yaml(config)
    guard let again = try? ConfigReader.parse(written, file: "written.yaml"), again == config else {
        fatalError("a configuration did not survive writing and reading back:\n\(written)")
    }
    return 0
}
