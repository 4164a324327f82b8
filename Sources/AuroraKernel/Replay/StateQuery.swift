import AuroraLog
import AuroraModel

/// A reducer's state at a moment: from its latest checkpoint at or before the moment (located
/// through frame flags, so earlier frames are not decoded), folding the events after it.
public enum StateQuery {
    public struct Result {
        public var fold: ReducerFold
        public var checkpointSequence: UInt64?
        public var eventsFolded: Int
    }

    public static func state(of reader: LogReader, at moment: Timestamp?,
                             reducer: ReducerEntry = ReducerEntry(PortfolioReducer.self)) throws -> Result {
        let limit = moment?.rawValue ?? .max
        var fold = reducer.fold()
        var checkpointSequence: UInt64?
        if reducer.checkpoints {
            // The latest checkpoint at or before the moment: frames flagged as holding one, newest
            // first (a frame can start before the moment but hold only later checkpoints).
            let candidates = reader.frames.indices.filter { reader.frames[$0].hasCheckpoint && reader.frames[$0].firstTimestamp <= limit }
            for f in candidates.reversed() where checkpointSequence == nil {
                let cursor = reader.events(frames: f...f)
                while let e = try cursor.next(), e.timestamp.rawValue <= limit {
                    guard case .checkpoint(let c) = e.payload, c.reducer == reducer.name, !c.state.isEmpty,
                          sha256(c.state) == c.digest else { continue }
                    let restored = reducer.fold()
                    if restored.restore(c.state, after: c.coversSequence) {
                        fold = restored
                        checkpointSequence = e.sequence
                    }
                }
            }
        }
        // From the checkpoint event itself: folding it too leaves the state as a full fold would.
        let cursor = checkpointSequence.map { reader.events(from: .sequence($0)) } ?? reader.events()
        var folded = 0
        while let e = try cursor.next() {
            if e.timestamp.rawValue > limit { break }
            fold.observe(e)
            folded += 1
        }
        return Result(fold: fold, checkpointSequence: checkpointSequence, eventsFolded: folded)
    }

    /// The portfolio at a moment.
    public static func portfolio(of reader: LogReader, at moment: Timestamp?) throws -> (state: PortfolioState, checkpointSequence: UInt64?, eventsFolded: Int) {
        let r = try state(of: reader, at: moment)
        let state = (r.fold as? TypedFold<PortfolioReducer>)?.state ?? PortfolioState()
        return (state, r.checkpointSequence, r.eventsFolded)
    }
}
