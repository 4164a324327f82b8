import AuroraStats
import Foundation

/// Independent tasks on a few threads, results in task order: task i's result depends only on
/// i, so the output is the same with one thread or two.
enum Parallel {
    static func map<T>(_ count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
        let slots = Slots<T>(count: count)
        let workers = max(1, min(threads, count))
        withoutActuallyEscaping(body) { body in
            let task = Unchecked(body)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var i = w
                while i < count {
                    slots.set(i, task.value(i))
                    i += workers
                }
            }
        }
        return slots.values
    }

    /// Threads worth using: this machine's cores, at most `limit`.
    static var threads: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }
}

/// A value handed to worker threads that only read it (or write disjoint parts of it).
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// One slot per task, written by whichever thread runs it.
final class Slots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); slots[i] = value; lock.unlock() }
    var values: [T] { slots.compactMap { $0 } }
}
