import Foundation

/// Independent tasks on a few threads, results in task order: task i's result depends only on
/// i, so the output is the same with one thread or two. Each worker takes the next task not yet
/// taken, so tasks of unequal cost (models of different kinds) still share the threads.
package enum Parallel {
    package static func map<T>(_ count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
        let slots = Slots<T>(count: count)
        let workers = max(1, min(threads, count))
        guard workers > 1 else { return (0..<count).map(body) }
        withoutActuallyEscaping(body) { body in
            let task = Unchecked(body)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let i = slots.take() { slots.set(i, task.value(i)) }
            }
        }
        return slots.values
    }

    /// Threads worth using: this machine's cores, at most 8.
    package static var threads: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }
}

/// A value handed to worker threads that only read it (or write disjoint parts of it).
package struct Unchecked<T>: @unchecked Sendable {
    package let value: T
    package init(_ value: T) { self.value = value }
}

/// One slot per task, written by whichever thread runs it, and the next task to hand out.
final class Slots<T>: @unchecked Sendable {
    private var slots: [T?]
    private var next = 0
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func take() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }
    func set(_ i: Int, _ value: T) { lock.lock(); slots[i] = value; lock.unlock() }
    var values: [T] { slots.compactMap { $0 } }
}
