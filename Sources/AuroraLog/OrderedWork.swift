/// Items 0..<count made by several worker threads, each claiming the next unclaimed index, and
/// handed to one consumer in index order, at most `window` past the last one it took. A worker
/// that is given more of the CPU claims more items instead of running ahead on a share fixed in
/// advance and then waiting: with alternate frames per decoding thread, one thread given a core
/// to itself ran its share ahead, filled its queue and left that core idle for 4–9 ms at a time
/// (perf sched of a `verify`: a tenth to a quarter of each core's time).
final class OrderedWork<Item>: @unchecked Sendable {
    private let monitor = Monitor()
    private let window: Int
    /// Made and not yet taken, by index modulo the window.
    private var slots: [Item?]
    private var nextClaim: Int
    private var taken = 0
    /// Items after this index are neither claimed nor handed out (an item that ends the work).
    private var last: Int
    private var cancelled = false

    /// `firstClaim`: indices below it are claimed in advance by the caller (who then `put`s them).
    init(count: Int, window: Int, firstClaim: Int = 0) {
        self.window = max(window, 1)
        self.slots = Array(repeating: nil, count: self.window)
        self.nextClaim = firstClaim
        self.last = count - 1
    }

    /// The next index for a worker to make, waiting while it would be more than `window` ahead of
    /// the consumer; nil once there is none left (or the consumer has gone).
    func claim() -> Int? {
        monitor.locked {
            while nextClaim <= last && nextClaim - taken >= window && !cancelled { monitor.wait() }
            guard nextClaim <= last, !cancelled else { return nil }
            defer { nextClaim += 1 }
            return nextClaim
        }
    }

    /// A worker's item for `index` (one it claimed); `ends` when nothing after it is to be made.
    func put(_ item: Item, at index: Int, ends: Bool = false) {
        monitor.locked {
            guard !cancelled, index <= last else { return }
            slots[index % window] = item
            if ends { last = index }
            monitor.broadcast()
        }
    }

    /// The next item in order, waiting for it; nil after the last.
    func next() -> Item? {
        monitor.locked {
            while taken <= last && slots[taken % window] == nil && !cancelled { monitor.wait() }
            guard taken <= last, !cancelled else { return nil }
            let item = slots[taken % window]
            slots[taken % window] = nil
            taken += 1
            monitor.broadcast()
            return item
        }
    }

    /// The consumer has gone: workers waiting for room stop, items made are dropped.
    func cancel() {
        monitor.locked {
            cancelled = true
            slots = Array(repeating: nil, count: window)
            monitor.broadcast()
        }
    }
}
