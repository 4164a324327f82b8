import Foundation

/// A value worked out on a thread of its own while the caller goes on, waited for where it is
/// needed. For work whose result is only reported later: it fills a core that would otherwise
/// wait (a backtest's second core idles until its log's first frame is full). The value is
/// whatever `work` returns, on whichever thread it runs.
final class BackgroundValue<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the worker before it signals `done`, read only after waiting on it.
    private var result: T?

    /// `onThread` false works it out at once, on the caller's thread (`AURORA_THREADS=1`).
    init(onThread: Bool, _ work: @escaping @Sendable () -> T) {
        guard onThread else {
            result = work()
            done.signal()
            return
        }
        Thread.detachNewThread { [self] in
            result = work()
            done.signal()
        }
    }

    /// Waits for the value (at once if it is ready). Call it once.
    func wait() -> T {
        done.wait()
        guard let result else { preconditionFailure("the worker signals only once the value is set") }
        return result
    }
}
