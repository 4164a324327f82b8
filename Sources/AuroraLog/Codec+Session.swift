import AuroraModel

/// Manifest, symbol definitions, session start/end and checkpoints, in field order.
extension RecordEncoder {
    func encode(_ e: Manifest) {
        varint(UInt64(e.formatVersion))
        string(e.engineVersion)
        string(e.config)
        bytes(e.configDigest)
        string(e.dataSource)
        varint(e.seed)
        varint(UInt64(e.properties.count))
        for p in e.properties {
            string(p.key)
            string(p.value)
        }
    }

    func encode(_ e: SymbolDefinition) {
        symbol(e.symbol)
        string(e.name)
    }

    func encode(_ e: SessionStart) {
        u8(e.mode.rawValue)
        string(e.sessionID)
    }

    func encode(_ e: SessionEnd) { string(e.reason) }

    func encode(_ e: ConnectionChange) {
        u8(e.link.rawValue)
        u8(e.state.rawValue)
        varint(UInt64(e.attempt))
        string(e.detail)
    }

    func encode(_ e: InputNotice) {
        u8(e.link.rawValue)
        string(e.detail)
    }

    func encode(_ e: Checkpoint) {
        varint(e.coversSequence)
        string(e.reducer)
        bytes(e.digest)
        bytes(e.state)
    }
}

extension RecordDecoder {
    func decodeManifest(_ r: inout ByteReader) throws(RecordError) -> Manifest {
        let version = try varint(&r)
        guard version <= UInt64(UInt16.max) else { throw .malformed("manifest format version \(version)") }
        var m = Manifest(formatVersion: UInt16(version), engineVersion: try string(&r))
        m.config = try string(&r)
        m.configDigest = try bytes(&r)
        m.dataSource = try string(&r)
        m.seed = try varint(&r)
        let count = try varint(&r)
        // Each pair takes at least two bytes: a larger count cannot be honest.
        guard count <= UInt64(r.remaining / 2) else { throw .malformed("manifest property count \(count)") }
        for _ in 0..<count {
            m.properties.append(KeyValue(try string(&r), try string(&r)))
        }
        return m
    }

    func decodeSymbolDefinition(_ r: inout ByteReader) throws(RecordError) -> SymbolDefinition {
        SymbolDefinition(symbol: try symbol(&r), name: try string(&r))
    }

    func decodeSessionStart(_ r: inout ByteReader) throws(RecordError) -> SessionStart {
        SessionStart(mode: try enumeration(&r, SessionMode.self), sessionID: try string(&r))
    }

    func decodeSessionEnd(_ r: inout ByteReader) throws(RecordError) -> SessionEnd {
        SessionEnd(reason: try string(&r))
    }

    func decodeConnection(_ r: inout ByteReader) throws(RecordError) -> ConnectionChange {
        ConnectionChange(link: try enumeration(&r, Link.self), state: try enumeration(&r, LinkState.self),
                         attempt: try u32(&r, "reconnect attempt"), detail: try string(&r))
    }

    func decodeInputNotice(_ r: inout ByteReader) throws(RecordError) -> InputNotice {
        InputNotice(link: try enumeration(&r, Link.self), detail: try string(&r))
    }

    func decodeCheckpoint(_ r: inout ByteReader) throws(RecordError) -> Checkpoint {
        Checkpoint(coversSequence: try varint(&r), reducer: try string(&r), digest: try bytes(&r), state: try bytes(&r))
    }
}
