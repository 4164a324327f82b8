import Foundation

/// A task executor on a thread of its own. The test process shares Swift's global executor —
/// as many threads as cores, two here — with every test running at once, and a test that waits
/// for a subprocess or computes for seconds holds one of them. A server under test (the paper
/// exchange) started with this executor as its preference keeps answering however busy the
/// pool is, so a client's timeout measures the server, not the test runner.
public final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = DedicatedExecutor(name: "aurora-test-server")

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    public init(name: String) {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
