import AuroraLog
import AuroraModel
import AuroraData
import AuroraStats

/// Portfolio state at a moment: from the last checkpoint at or before it (located through frame
/// flags, so earlier frames are not decoded), folding the events after it with the reducer.
public enum StateQuery {
    public struct Result: Sendable {
        public var state: PortfolioState
        public var checkpointSequence: UInt64?
        public var eventsFolded: Int
    }

    public static func state(of reader: LogReader, at moment: Timestamp?) throws -> Result {
        let limit = moment?.rawValue ?? .max
        var state = PortfolioState()
        var checkpointSequence: UInt64?
        // The latest checkpoint at or before the moment: frames flagged as holding one, newest
        // first (a frame can start before the moment but hold only later checkpoints).
        let candidates = reader.frames.indices.filter { reader.frames[$0].hasCheckpoint && reader.frames[$0].firstTimestamp <= limit }
        for f in candidates.reversed() where checkpointSequence == nil {
            let cursor = reader.events(frames: f...f)
            while let e = try cursor.next(), e.timestamp.rawValue <= limit {
                if case .checkpoint(let c) = e.payload, c.reducer == PortfolioState.reducerName,
                   let restored = PortfolioState(checkpointBytes: c.state), c.digest == restored.checkpointDigest {
                    state = restored
                    checkpointSequence = e.sequence
                }
            }
        }
        // From the checkpoint event itself: folding it too leaves the state exactly as a full fold would.
        let cursor = checkpointSequence.map { reader.events(from: .sequence($0)) } ?? reader.events()
        var folded = 0
        while let e = try cursor.next() {
            if e.timestamp.rawValue > limit { break }
            PortfolioReducer.reduce(&state, e)
            folded += 1
        }
        return Result(state: state, checkpointSequence: checkpointSequence, eventsFolded: folded)
    }
}
