import AuroraCore
import AuroraLog
import AuroraModel

/// A running kernel whose strategy and execution model the configuration chose at run time: what
/// a live session drives one bar time at a time. (Backtests use the generic path directly.)
public protocol SessionKernel: AnyObject {
    func begin(manifest: Manifest, symbols: [String], at timestamp: Timestamp, mode: SessionMode) throws
    func feed(at timestamp: Timestamp, bars: [Bar]) throws
    func record(_ input: EventPayload, at timestamp: Timestamp) throws
    func finish(at timestamp: Timestamp, reason: String) throws
    var state: PortfolioState { get }
    var fills: Int { get }
    func nextDue(after now: Timestamp) -> Timestamp?
}

final class SessionKernelBox<S: Strategy, Sink: EventSink, X: ExecutionModel>: SessionKernel {
    var stepper: KernelStepper<S, Sink, X>

    init(_ stepper: KernelStepper<S, Sink, X>) { self.stepper = stepper }

    func begin(manifest: Manifest, symbols: [String], at timestamp: Timestamp, mode: SessionMode) throws {
        try stepper.begin(manifest: manifest, symbols: symbols, at: timestamp, mode: mode)
    }
    func feed(at timestamp: Timestamp, bars: [Bar]) throws { try stepper.feed(at: timestamp, bars: bars) }
    func record(_ input: EventPayload, at timestamp: Timestamp) throws { try stepper.record(input, at: timestamp) }
    func finish(at timestamp: Timestamp, reason: String) throws { try stepper.finish(at: timestamp, reason: reason) }
    var state: PortfolioState { stepper.kernel.state }
    var fills: Int { stepper.kernel.trades.count }
    func nextDue(after now: Timestamp) -> Timestamp? { stepper.nextDue(after: now) }
}

extension SessionKernel {
    /// Re-runs recorded session inputs in their recorded order: each answer goes in right after
    /// the step it followed. Replay and resume both drive a session this way.
    public func rerun(_ inputs: RecordedInputs, symbols: [String], manifest: Manifest, finish: Bool) throws {
        try begin(manifest: manifest, symbols: symbols, at: inputs.startTime, mode: inputs.mode)
        var next = 0
        var lastTime = inputs.startTime
        func answers(upTo steps: Int) throws {
            while next < inputs.answers.count, inputs.answers[next].afterSteps <= steps {
                let a = inputs.answers[next]
                try record(a.payload, at: a.time)
                lastTime = max(lastTime, a.time)
                next += 1
            }
        }
        var bars: [Bar] = []
        let series = inputs.series
        for (k, range) in inputs.steps.enumerated() {
            let t = series.end[range.lowerBound]
            try answers(upTo: k)
            bars.removeAll(keepingCapacity: true)
            for i in range { bars.append(series.bar(i)) }
            try feed(at: Timestamp(rawValue: t), bars: bars)
            lastTime = max(lastTime, Timestamp(rawValue: t))
        }
        try answers(upTo: .max)
        if finish { try self.finish(at: lastTime, reason: inputs.endReason) }
    }
}

public enum SessionKernelFactory {
    public static func make<Sink: EventSink>(_ config: AuroraConfig, symbols: [String], sink: Sink,
                                            registry: AlphaRegistry = .builtIn,
                                            executionFactory: ExecutionFactory = BaselineExecution.factory) throws -> any SessionKernel {
        let execution = try executionFactory(config.kernel, symbols)
        return try config.withStrategy(symbols: symbols, registry: registry,
                                       SessionKernelBuilder(config: config.kernel, execution: execution, sink: sink, symbolCount: symbols.count))
    }
}

/// Boxes a session kernel around whatever strategy type the configuration chose.
private struct SessionKernelBuilder<Sink: EventSink>: StrategyVisitor {
    let config: KernelConfig, execution: AnyExecutionModel, sink: Sink, symbolCount: Int

    func visit<S: Strategy>(_ strategy: S) throws -> any SessionKernel {
        SessionKernelBox(KernelStepper(kernel: Kernel(strategy: strategy, config: config, execution: execution, sink: sink),
                                       symbolCount: symbolCount))
    }
}
