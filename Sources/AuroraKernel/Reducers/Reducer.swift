import AuroraLog
import AuroraModel

/// State rebuilt from the log by a pure fold: `reduce(&state, event)` for every event in order.
/// The portfolio, the execution monitor and the completion reducer conform; so can a user's.
/// A reducer that can say its state as exact bytes gets checkpoints (their digest is the SHA-256
/// of those bytes): `aurora state` then starts from the latest one and `aurora verify` recomputes
/// them all. `report` is what `aurora state --reducer NAME` prints (JSON, or `tableLines`).
public protocol Reducer: SendableMetatype {
    associatedtype State: Sendable
    associatedtype Report: Encodable
    /// The name checkpoints and the command line use (`portfolio`, `execution_monitor`, `completion`).
    static var name: String { get }
    static func initialState() -> State
    static func reduce(_ state: inout State, _ event: Event)
    static func report(_ state: State, symbols: [String]) -> Report
    static func tableLines(_ report: Report) -> [String]
    /// The state's exact bytes for a checkpoint; nil when the reducer keeps none.
    static func checkpointBytes(_ state: State) -> [UInt8]?
    /// The state back from `checkpointBytes`; nil when the bytes are not such a state.
    static func restore(_ bytes: [UInt8]) -> State?
}

extension Reducer {
    public static func checkpointBytes(_ state: State) -> [UInt8]? { nil }
    public static func restore(_ bytes: [UInt8]) -> State? { nil }
}

/// A registered reducer, type-erased: a factory of folds over a log.
public struct ReducerEntry: Sendable {
    public let name: String
    /// Whether its states can be checkpointed (and restored from a checkpoint).
    public let checkpoints: Bool
    @usableFromInline let make: @Sendable () -> ReducerFold
    /// `StateQuery` for this reducer, specialized where the entry is made.
    @usableFromInline let query: @Sendable (LogReader, Timestamp?) throws -> StateQuery.Result

    @inlinable
    public init<R: Reducer>(_: R.Type) {
        name = R.name
        checkpoints = R.checkpointBytes(R.initialState()) != nil
        make = { TypedFold<R>() }
        query = { reader, moment in
            let r = try StateQuery.state(of: reader, at: moment, as: R.self)
            return StateQuery.Result(fold: TypedFold<R>(state: r.state), checkpointSequence: r.checkpointSequence, eventsFolded: r.eventsFolded)
        }
    }

    /// A fold from the initial state.
    public func fold() -> ReducerFold { make() }
}

/// One reducer's fold over a log, as the commands that read logs drive it.
public class ReducerFold: @unchecked Sendable {
    /// The reducer's name.
    public let name: String
    /// The sequence of the last event folded in (nil before the first).
    public internal(set) var sequence: UInt64?
    public func observe(_ event: Event) {}
    /// The current state's checkpoint bytes, if the reducer keeps them.
    public func checkpointBytes() -> [UInt8]? { nil }
    /// Replaces the state with a checkpoint's, when the bytes are one; false otherwise.
    public func restore(_ bytes: [UInt8], after sequence: UInt64) -> Bool { false }
    public func report(symbols: [String]) -> any Encodable { [String: String]() }
    public func tableLines(symbols: [String]) -> [String] { [] }
    @usableFromInline init(name: String) { self.name = name }
}

@usableFromInline
final class TypedFold<R: Reducer>: ReducerFold, @unchecked Sendable {
    var state = R.initialState()
    @usableFromInline init() { super.init(name: R.name) }
    @usableFromInline init(state: R.State) {
        self.state = state
        super.init(name: R.name)
    }

    override func observe(_ event: Event) {
        R.reduce(&state, event)
        sequence = event.sequence
    }
    override func checkpointBytes() -> [UInt8]? { R.checkpointBytes(state) }
    override func restore(_ bytes: [UInt8], after sequence: UInt64) -> Bool {
        guard let restored = R.restore(bytes) else { return false }
        state = restored
        self.sequence = sequence
        return true
    }
    override func report(symbols: [String]) -> any Encodable { R.report(state, symbols: symbols) }
    override func tableLines(symbols: [String]) -> [String] { R.tableLines(R.report(state, symbols: symbols)) }
}
