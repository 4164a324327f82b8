import AuroraModel

/// One full pass over a log: every frame decoded and checked, events counted by kind, the run
/// digest recomputed and compared with the one stored at close, symbol use checked against
/// definitions. `info` and `verify` are both views of this.
public struct LogInspection: Sendable {
    public var path: String
    public var fileSize: Int64
    public var formatVersion: UInt16
    public var manifest: Manifest?
    public var symbols: [String]
    public var frameCount: Int
    public var indexRebuilt: Bool
    public var tail: TailState
    /// Events read, by `EventKind.rawValue`.
    public var countsByKind: [Int] = Array(repeating: 0, count: 256)
    public var unknownKinds = 0
    public var eventsRead: UInt64 = 0
    public var firstTimestamp: Timestamp?
    public var lastTimestamp: Timestamp?
    /// The recomputed digest; nil when the pass stopped early or met kinds it cannot re-encode.
    public var digest: [UInt8]?
    /// The first problem found while reading (damage, a digest mismatch, a broken writer rule).
    public var problem: LogError?

    public var isSound: Bool { problem == nil && tail == .closed }
}

public enum LogInspector {
    /// Throws only when the file cannot be opened as an Aurora log at all. `observe` sees every
    /// event of the same pass (checks of layers above this one ride along instead of re-reading).
    public static func inspect(path: String, observe: ((Event) -> Void)? = nil) throws -> LogInspection {
        let reader = try LogReader(path: path)
        var result = LogInspection(path: path, fileSize: reader.fileSize, formatVersion: reader.formatVersion,
                                   manifest: reader.manifest, symbols: reader.symbols, frameCount: reader.frames.count,
                                   indexRebuilt: reader.indexRebuilt, tail: reader.tail)
        let digest = RunDigest()
        let cursor = EventCursor(reader: reader, firstFrame: 0, lastFrame: reader.frames.count - 1, digest: digest)
        var definedSymbols = 0
        do {
            while let event = try cursor.next() {
                if result.eventsRead == 0, event.kind != .manifest {
                    throw LogError(path: path, .corrupt("event 0 is a \(event.kind.name), not the manifest"))
                }
                if result.eventsRead > 0, event.kind == .manifest {
                    throw LogError(path: path, .corrupt("event \(event.sequence) is a second manifest"))
                }
                if case .symbolDefinition(let d) = event.payload {
                    guard d.symbol.index == definedSymbols else {
                        throw LogError(path: path, .corrupt("event \(event.sequence) defines symbol id \(d.symbol.rawValue), expected \(definedSymbols)"))
                    }
                    definedSymbols += 1
                } else if let s = event.payload.symbol, s.index >= definedSymbols {
                    throw LogError(path: path, .corrupt("event \(event.sequence) uses symbol id \(s.rawValue) before its definition"))
                }
                observe?(event)
                result.countsByKind[Int(event.kind.rawValue)] += 1
                result.eventsRead += 1
                if result.firstTimestamp == nil { result.firstTimestamp = event.timestamp }
                result.lastTimestamp = event.timestamp
            }
            result.unknownKinds = cursor.unknownKinds
            result.eventsRead += UInt64(cursor.unknownKinds)
            if cursor.unknownKinds == 0 {
                let computed = digest.current()
                result.digest = computed
                if let stored = reader.storedDigest, stored != computed {
                    throw LogError(path: path, .corrupt("the recomputed digest differs from the one stored at close"))
                }
                if let storedCount = reader.storedEventCount, storedCount != result.eventsRead {
                    throw LogError(path: path, .corrupt("the index says \(storedCount) events, the frames hold \(result.eventsRead)"))
                }
            }
        } catch let error as LogError {
            // The last frame of a log that was never closed, unreadable: a crash tail, not damage.
            if reader.tail == .unclosed, cursor.framesRead == reader.frames.count - 1 {
                let start = reader.frames[reader.frames.count - 1].offset
                result.tail = .torn(LogError(path: path, offset: start, .tornTail("last frame is unreadable: \(error.problem)")))
                result.digest = nil
            } else {
                result.problem = error
            }
        }
        return result
    }
}
