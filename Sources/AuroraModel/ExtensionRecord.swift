/// A decision of a kind the core does not list — research events (feature snapshots, predictions,
/// model retrains, ensemble weights, promotions) and what users' own code decides — as one
/// versioned record: the kind's name, the version of its payload's schema, and the payload bytes
/// a registered `ExtensionCodec` writes and reads. A reader without that codec still reads the
/// record (name, version, size), skips its fields, and the run digest covers its bytes.
public struct ExtensionRecord: Hashable, Sendable {
    public var name: String
    public var version: UInt16
    public var payload: [UInt8]

    public init(name: String, version: UInt16, payload: [UInt8]) {
        self.name = name
        self.version = version
        self.payload = payload
    }
}
