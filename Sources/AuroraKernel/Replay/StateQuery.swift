import AuroraLog
import AuroraModel

/// A reducer's state at a moment: from its latest checkpoint at or before the moment (located
/// through frame flags, so earlier frames are not decoded), folding the events after it.
public enum StateQuery {
    public struct Result {
        public var fold: ReducerFold
        public var checkpointSequence: UInt64?
        public var eventsFolded: Int
        @inlinable public init(fold: ReducerFold, checkpointSequence: UInt64?, eventsFolded: Int) {
            self.fold = fold
            self.checkpointSequence = checkpointSequence
            self.eventsFolded = eventsFolded
        }
    }

    /// A registered reducer's state (the fold runs specialized to the reducer's type).
    public static func state(of reader: LogReader, at moment: Timestamp?,
                             reducer: ReducerEntry = ReducerEntry(PortfolioReducer.self)) throws -> Result {
        try reducer.query(reader, moment)
    }

    /// The portfolio at a moment.
    public static func portfolio(of reader: LogReader, at moment: Timestamp?) throws -> (state: PortfolioState, checkpointSequence: UInt64?, eventsFolded: Int) {
        try state(of: reader, at: moment, as: PortfolioReducer.self)
    }

    /// `R`'s state at a moment, on the static path.
    @inlinable
    public static func state<R: Reducer>(of reader: LogReader, at moment: Timestamp?, as _: R.Type) throws
        -> (state: R.State, checkpointSequence: UInt64?, eventsFolded: Int)
    {
        let limit = moment?.rawValue ?? .max
        var state = R.initialState()
        var checkpointSequence: UInt64?
        if R.checkpointBytes(state) != nil {
            // The latest checkpoint at or before the moment: frames flagged as holding one, newest
            // first (a frame can start before the moment but hold only later checkpoints).
            let candidates = reader.frames.indices.filter { reader.frames[$0].hasCheckpoint && reader.frames[$0].firstTimestamp <= limit }
            for f in candidates.reversed() where checkpointSequence == nil {
                // Only the checkpoints are built; the frame's other events are skipped by length.
                let cursor = reader.events(frames: f...f, kinds: [.checkpoint])
                while let e = try cursor.next(), e.timestamp.rawValue <= limit {
                    guard case .checkpoint(let c) = e.payload, c.reducer == R.name, !c.state.isEmpty,
                          sha256(c.state) == c.digest, let restored = R.restore(c.state) else { continue }
                    state = restored
                    checkpointSequence = e.sequence
                }
            }
        }
        // From the checkpoint event itself: folding it too leaves the state as a full fold would.
        let cursor = reader.events(from: checkpointSequence.map { .sequence($0) } ?? .beginning, through: moment)
        var folded = 0
        while let e = try cursor.next() {
            if e.timestamp.rawValue > limit { break }
            R.reduce(&state, e)
            folded += 1
        }
        return (state, checkpointSequence, folded)
    }
}
