/// Events that describe a log or session rather than the market or a decision.

/// The first event of every log: what produced it and from what.
public struct Manifest: Hashable, Sendable {
    /// The record-format version the writer used (the file header carries the same number).
    public var formatVersion: UInt16
    public var engineVersion: String
    /// The configuration text as given (YAML), so a run can be reproduced from its log alone.
    public var config: String
    /// SHA-256 of `config`'s UTF-8 bytes.
    public var configDigest: [UInt8]
    public var dataSource: String
    public var seed: UInt64
    /// Further facts as ordered key/value pairs (ordered so that the bytes are deterministic).
    public var properties: [KeyValue]

    public init(formatVersion: UInt16, engineVersion: String, config: String = "", configDigest: [UInt8] = [],
                dataSource: String = "", seed: UInt64 = 0, properties: [KeyValue] = []) {
        self.formatVersion = formatVersion
        self.engineVersion = engineVersion
        self.config = config
        self.configDigest = configDigest
        self.dataSource = dataSource
        self.seed = seed
        self.properties = properties
    }
}

public struct KeyValue: Hashable, Sendable {
    public var key: String
    public var value: String
    public init(_ key: String, _ value: String) { self.key = key; self.value = value }
}

/// Binds a dense symbol id to its name; every id is defined once, before its first use.
public struct SymbolDefinition: Hashable, Sendable {
    public var symbol: SymbolID
    public var name: String
    public init(symbol: SymbolID, name: String) { self.symbol = symbol; self.name = name }
}

public struct SessionStart: Hashable, Sendable {
    public var mode: SessionMode
    public var sessionID: String
    public init(mode: SessionMode, sessionID: String) { self.mode = mode; self.sessionID = sessionID }
}

public struct SessionEnd: Hashable, Sendable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

/// A digest of reducer state after `coversSequence`, so readers can verify and seek.
public struct Checkpoint: Hashable, Sendable {
    public var coversSequence: UInt64
    public var reducer: String
    public var digest: [UInt8]
    /// Optionally the full serialized state; empty when only the digest is kept.
    public var state: [UInt8]
    public init(coversSequence: UInt64, reducer: String, digest: [UInt8], state: [UInt8] = []) {
        self.coversSequence = coversSequence
        self.reducer = reducer
        self.digest = digest
        self.state = state
    }
}
