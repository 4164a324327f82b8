import AuroraLog
import AuroraModel

/// Recomputes every checkpoint of a log: folds each checkpointed reducer from the first event and,
/// at each of its checkpoints, compares the digest (and the full state, when the checkpoint
/// carries it) with the state the fold reached. Checkpoints of reducers not given are counted
/// as unchecked, never passed.
public enum CheckpointVerifier {
    public struct Result: Sendable {
        public var checked = 0
        public var withState = 0
        /// Checkpoints of reducers this verifier was not given, and those reducers' names.
        public var unchecked = 0
        public var uncheckedReducers: Set<String> = []
        /// The first checkpoint that does not match, and why.
        public var mismatch: (sequence: UInt64, reason: String)?
    }

    /// A pass that folded the portfolio only (every log checkpoints it), completed: the other
    /// reducers whose checkpoints it met are folded in a second pass over the log `reader`
    /// opens, so a log that checkpoints only its portfolio is opened and read once.
    public static func completing(_ first: Result, reducers: [ReducerEntry], reader: () throws -> LogReader) throws -> Result {
        let others = reducers.filter { $0.checkpoints && $0.name != PortfolioReducer.name && first.uncheckedReducers.contains($0.name) }
        guard !others.isEmpty else { return first }
        let second = try verify(reader(), reducers: others)
        var merged = first
        merged.checked += second.checked
        merged.withState += second.withState
        merged.unchecked -= second.checked
        merged.uncheckedReducers = first.uncheckedReducers.subtracting(others.map(\.name))
        if let m = second.mismatch, merged.mismatch.map({ m.sequence < $0.sequence }) ?? true { merged.mismatch = m }
        return merged
    }

    public static func verify(_ reader: LogReader, reducers: [ReducerEntry] = [ReducerEntry(PortfolioReducer.self)]) throws -> Result {
        var check = Check(reducers: reducers)
        let cursor = reader.events()
        while let e = try cursor.next() { check.observe(e) }
        return check.result
    }

    /// The same check fed one event at a time, in order (e.g. from `LogInspector`'s pass).
    public struct Check: InspectionObserver {
        public private(set) var result = Result()
        /// The portfolio is folded on the static path (every log checkpoints it); other reducers
        /// through their folds, only when asked for.
        private let checksPortfolio: Bool
        private var portfolio = PortfolioState()
        private var portfolioSequence: UInt64?
        private let folds: [ReducerFold]

        public init(reducers: [ReducerEntry] = [ReducerEntry(PortfolioReducer.self)]) {
            let checkpointing = reducers.filter(\.checkpoints)
            checksPortfolio = checkpointing.contains { $0.name == PortfolioReducer.name }
            folds = checkpointing.filter { $0.name != PortfolioReducer.name }.map { $0.fold() }
        }

        /// The portfolio's folded kinds and checkpoints whole; with other reducers, everything.
        public var wholeKinds: Set<EventKind> {
            folds.isEmpty ? PortfolioReducer.foldedKinds.union([.checkpoint]) : Set(EventKind.allCases)
        }

        public mutating func observeHeader(kind: EventKind, sequence: UInt64, timestamp: Timestamp) {
            assert(folds.isEmpty && !PortfolioReducer.foldedKinds.contains(kind) && kind != .checkpoint,
                   "a \(kind.name) event must be observed whole")
            if checksPortfolio {
                PortfolioReducer.advance(&portfolio, sequence: sequence, timestamp: timestamp)
                portfolioSequence = sequence
            }
        }

        /// A run of them moves the portfolio on to where the last one stands, as each would.
        public mutating func observeHeaders(_ headers: HeaderRun) {
            assert(headers.allSatisfy { !PortfolioReducer.foldedKinds.contains($0.kind) && $0.kind != .checkpoint },
                   "events the portfolio folds must be observed whole")
            guard let last = headers.last else { return }
            observeHeader(kind: last.kind, sequence: last.sequence, timestamp: last.timestamp)
        }

        public mutating func observe(_ e: Event) {
            if case .checkpoint(let c) = e.payload {
                var problem: String??
                if c.reducer == PortfolioReducer.name, checksPortfolio {
                    problem = Self.problem(c, covered: portfolioSequence, bytes: portfolio.checkpointBytes)
                } else if let fold = folds.first(where: { $0.name == c.reducer }) {
                    problem = Self.problem(c, covered: fold.sequence, bytes: fold.checkpointBytes())
                }
                if let problem {
                    result.checked += 1
                    if result.mismatch == nil, let reason = problem { result.mismatch = (e.sequence, reason) }
                    if !c.state.isEmpty { result.withState += 1 }
                } else {
                    result.unchecked += 1
                    result.uncheckedReducers.insert(c.reducer)
                }
            }
            if checksPortfolio {
                PortfolioReducer.reduce(&portfolio, e)
                portfolioSequence = e.sequence
            }
            if !folds.isEmpty { for fold in folds { fold.observe(e) } }
        }

        public mutating func observeBars(_ bars: ArraySlice<LoggedBar>) {
            // Other reducers fold bars as events; the portfolio only takes each close.
            guard folds.isEmpty else {
                for b in bars { observe(Event(sequence: b.sequence, timestamp: b.timestamp, payload: .bar(b.bar))) }
                return
            }
            guard checksPortfolio, let last = bars.last else { return }
            for b in bars { PortfolioReducer.reduce(&portfolio, bar: b.bar, sequence: b.sequence, timestamp: b.timestamp) }
            portfolioSequence = last.sequence
        }

        public mutating func observeFills(_ fills: ArraySlice<LoggedFill>) {
            guard folds.isEmpty else {
                for f in fills { observe(Event(sequence: f.sequence, timestamp: f.timestamp, payload: .fill(f.fill))) }
                return
            }
            guard checksPortfolio, let last = fills.last else { return }
            for f in fills { PortfolioReducer.reduce(&portfolio, fill: f.fill, sequence: f.sequence, timestamp: f.timestamp) }
            portfolioSequence = last.sequence
        }

        private static func problem(_ c: Checkpoint, covered: UInt64?, bytes: [UInt8]?) -> String? {
            guard c.coversSequence == covered else {
                return "covers event \(c.coversSequence), but the event before it is \(covered.map(String.init) ?? "none")"
            }
            guard let bytes else { return "the \(c.reducer) reducer keeps no checkpoint state" }
            if c.digest != sha256(bytes) { return "its digest differs from the \(c.reducer) state folded up to it" }
            if !c.state.isEmpty && c.state != bytes { return "its stored state differs from the \(c.reducer) state folded up to it" }
            return nil
        }
    }
}
