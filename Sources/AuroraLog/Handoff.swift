#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether log readers decode ahead and log writers compress, hash and write behind on a second
/// thread. Both give the same bytes and events as one thread (tested); `AURORA_THREADS=1` turns
/// the second thread off for a whole process, e.g. to compare.
public enum LogThreads {
    public static let pipelined: Bool = {
        guard let value = getenv("AURORA_THREADS") else { return true }
        return String(cString: value) != "1"
    }()

    /// Threads a reader that does little per event may have decode frames ahead of it (each
    /// taking the next frame not taken), so it is not left waiting on one decoder: two, one with
    /// `AURORA_THREADS=1`. `verify` is one since it takes bars as values (its own thread then does
    /// less than either decoder: 0.21 → 0.19 s on the S&P momentum log). Readers that do much per
    /// event (`cat`) keep one: a third busy thread on two cores slows them.
    public static let decodeThreadsForLightReaders: Int = pipelined ? 2 : 1
}

/// A bounded first-in first-out hand-off from one producer thread to one consumer thread. The
/// bound keeps memory flat when one side is faster; `cancel` releases a producer whose consumer
/// went away, `finish` tells the consumer nothing more comes.
final class Handoff<Item>: @unchecked Sendable {
    private let monitor = Monitor()
    /// Received slots are emptied at once, so a received item's storage is uniquely the receiver's.
    private var items: [Item?] = []
    private var head = 0
    private let capacity: Int
    private var finished = false
    private var cancelled = false
    /// Items sent and not yet marked done by the consumer (`waitUntilDone`).
    private var pending = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Blocks while the hand-off is full; false once the consumer has cancelled.
    @discardableResult
    func send(_ item: Item) -> Bool {
        monitor.locked {
            while items.count - head >= capacity && !cancelled { monitor.wait() }
            guard !cancelled else { return false }
            items.append(item)
            pending += 1
            monitor.broadcast()
            return true
        }
    }

    /// Sends without waiting; the item is dropped when the hand-off is full or cancelled.
    func offer(_ item: Item) {
        monitor.locked {
            guard items.count - head < capacity, !cancelled else { return }
            items.append(item)
            pending += 1
            monitor.broadcast()
        }
    }

    /// The next item; blocks while none is ready; nil after `finish` once all were received.
    func receive() -> Item? {
        monitor.locked {
            while items.count == head && !finished && !cancelled { monitor.wait() }
            return takeFirst()
        }
    }

    /// Items sent and not yet received.
    var backlog: Int { monitor.locked { items.count - head } }

    /// The next item if one is ready, without waiting.
    func poll() -> Item? {
        monitor.locked { takeFirst() }
    }

    /// Called with the lock held.
    private func takeFirst() -> Item? {
        guard items.count > head, !cancelled else { return nil }
        let item = items[head]
        items[head] = nil
        head += 1
        if head == items.count || head >= 64 {
            items.removeFirst(head)
            head = 0
        }
        monitor.broadcast()
        return item
    }

    /// The consumer has handled one received item.
    func done() {
        monitor.locked {
            pending -= 1
            monitor.broadcast()
        }
    }

    /// Blocks until every item sent so far was received and marked done.
    func waitUntilDone() {
        monitor.locked {
            while pending > 0 && !cancelled { monitor.wait() }
        }
    }

    func finish() {
        monitor.locked {
            finished = true
            monitor.broadcast()
        }
    }

    func cancel() {
        monitor.locked {
            cancelled = true
            items.removeAll()
            head = 0
            monitor.broadcast()
        }
    }
}

/// Starts `body` on a new detached thread; false (and `body` not run) when none can be had.
func startThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let started = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
        box.body()
        return nil
    }, context)
    guard started == 0 else {
        Unmanaged<Box>.fromOpaque(context).release()
        return false
    }
    pthread_detach(thread)
    return true
}
