import AuroraData
import AuroraModel

/// A kernel runner whose strategy, constructor and execution model a configuration chose at run
/// time: what replays and live sessions drive, one bar time at a time. One dynamic call per step
/// or input, never per event; backtests keep the concrete `KernelRunner`.
public final class AnyKernelRunner {
    private let box: RunnerBox

    public init<S: Strategy, Sink: EventSink, X: ExecutionModel>(_ runner: KernelRunner<S, Sink, X>) {
        box = TypedRunnerBox(runner)
    }

    public func begin(manifest: Manifest, symbols: [String], at timestamp: Timestamp, mode: SessionMode) throws {
        try box.begin(manifest: manifest, symbols: symbols, at: timestamp, mode: mode)
    }
    public func feed(at timestamp: Timestamp, bars: [Bar]) throws { try box.feed(at: timestamp, bars: bars) }
    public func record(_ input: EventPayload, at timestamp: Timestamp) throws { try box.record(input, at: timestamp) }
    public func finish(at timestamp: Timestamp, reason: String) throws { try box.finish(at: timestamp, reason: reason) }
    public func rerun(_ inputs: RecordedInputs, manifest: Manifest, finish: Bool) throws {
        try box.rerun(inputs, manifest: manifest, finish: finish)
    }
    public func nextDue(after now: Timestamp) -> Timestamp? { box.nextDue(after: now) }
    public var state: PortfolioState { box.state }
    public var fills: Int { box.fills }
    /// The last `count` fills, oldest first.
    public func recentTrades(_ count: Int) -> [TradeRecord] { box.recentTrades(count) }
}

private class RunnerBox {
    func begin(manifest: Manifest, symbols: [String], at timestamp: Timestamp, mode: SessionMode) throws {}
    func feed(at timestamp: Timestamp, bars: [Bar]) throws {}
    func record(_ input: EventPayload, at timestamp: Timestamp) throws {}
    func finish(at timestamp: Timestamp, reason: String) throws {}
    func rerun(_ inputs: RecordedInputs, manifest: Manifest, finish: Bool) throws {}
    func nextDue(after now: Timestamp) -> Timestamp? { nil }
    var state: PortfolioState { PortfolioState() }
    var fills: Int { 0 }
    func recentTrades(_ count: Int) -> [TradeRecord] { [] }
}

private final class TypedRunnerBox<S: Strategy, Sink: EventSink, X: ExecutionModel>: RunnerBox {
    var runner: KernelRunner<S, Sink, X>
    init(_ runner: KernelRunner<S, Sink, X>) { self.runner = runner }

    override func begin(manifest: Manifest, symbols: [String], at timestamp: Timestamp, mode: SessionMode) throws {
        try runner.begin(manifest: manifest, symbols: symbols, at: timestamp, mode: mode)
    }
    override func feed(at timestamp: Timestamp, bars: [Bar]) throws { try runner.feed(at: timestamp, bars: bars) }
    override func record(_ input: EventPayload, at timestamp: Timestamp) throws { try runner.record(input, at: timestamp) }
    override func finish(at timestamp: Timestamp, reason: String) throws { try runner.finish(at: timestamp, reason: reason) }
    override func rerun(_ inputs: RecordedInputs, manifest: Manifest, finish: Bool) throws {
        try runner.rerun(inputs, manifest: manifest, finish: finish)
    }
    override func nextDue(after now: Timestamp) -> Timestamp? { runner.nextDue(after: now) }
    override var state: PortfolioState { runner.kernel.state }
    override var fills: Int { runner.kernel.trades.count }
    override func recentTrades(_ count: Int) -> [TradeRecord] { Array(runner.kernel.trades.suffix(count)) }
}
