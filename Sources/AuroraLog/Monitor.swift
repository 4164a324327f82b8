#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex and its condition variable: what threads share is read and changed inside `locked`,
/// where a thread may `wait` until another, having changed it, calls `broadcast`.
final class Monitor: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        changed.deallocate()
    }

    @inline(__always)
    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// Inside `locked` only: lets the lock go until another thread broadcasts, then takes it back.
    @inline(__always)
    func wait() { pthread_cond_wait(changed, mutex) }

    /// Inside `locked` only: wakes every thread waiting.
    @inline(__always)
    func broadcast() { pthread_cond_broadcast(changed) }
}
