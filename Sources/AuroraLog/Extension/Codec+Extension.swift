import AuroraModel

/// Extension records: the kind's name, its schema version, its payload bytes.
extension RecordEncoder {
    func encode(_ e: ExtensionRecord) {
        string(e.name)
        varint(UInt64(e.version))
        bytes(e.payload)
    }
}

extension RecordDecoder {
    func decodeExtension(_ r: inout ByteReader) throws(RecordError) -> ExtensionRecord {
        let name = try string(&r)
        let version = try varint(&r)
        guard version <= UInt64(UInt16.max) else { throw .malformed("extension version \(version) does not fit 16 bits") }
        return ExtensionRecord(name: name, version: UInt16(version), payload: try bytes(&r))
    }
}
