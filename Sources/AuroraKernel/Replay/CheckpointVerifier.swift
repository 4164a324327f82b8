import AuroraLog
import AuroraModel
import AuroraData
import AuroraStats

/// Recomputes every portfolio checkpoint of a log: folds the reducer from the first event and,
/// at each checkpoint, compares the digest (and the full state, when the checkpoint carries it)
/// with the state the fold reached.
public enum CheckpointVerifier {
    public struct Result: Sendable {
        public var checked = 0
        public var withState = 0
        /// The first checkpoint that does not match, and why.
        public var mismatch: (sequence: UInt64, reason: String)?
    }

    public static func verify(_ reader: LogReader) throws -> Result {
        var check = Check()
        let cursor = reader.events()
        while let e = try cursor.next() { check.observe(e) }
        return check.result
    }

    /// The same check fed one event at a time, in order (e.g. from `LogInspector`'s pass).
    public struct Check: Sendable {
        public private(set) var result = Result()
        private var state = PortfolioState()

        public init() {}

        public mutating func observe(_ e: Event) {
            if case .checkpoint(let c) = e.payload, c.reducer == PortfolioState.reducerName {
                result.checked += 1
                if result.mismatch == nil {
                    if c.coversSequence != state.sequence {
                        result.mismatch = (e.sequence, "covers event \(c.coversSequence), but the event before it is \(state.sequence)")
                    } else if c.digest != state.checkpointDigest {
                        result.mismatch = (e.sequence, "its digest differs from the state folded up to it")
                    } else if !c.state.isEmpty && c.state != state.checkpointBytes {
                        result.mismatch = (e.sequence, "its stored state differs from the state folded up to it")
                    }
                }
                if !c.state.isEmpty { result.withState += 1 }
            }
            PortfolioReducer.reduce(&state, e)
        }
    }
}
