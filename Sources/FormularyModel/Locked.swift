#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value shared between threads, read and changed only under its lock: the one way state is
/// shared between threads in Formulary (besides `Atomic` flags and counters, and actors).
///
/// Why not the standard library's `Mutex`: on Linux its contended path takes the lock inside the
/// kernel (`FUTEX_LOCK_PI`, in the uninstrumented runtime), where ThreadSanitizer cannot see it;
/// every `Mutex` two threads ever wait on then shows as a data race, and the real races drown
/// in them. A POSIX mutex is seen by every sanitizer, and costs the same uncontended.
///
/// Sendable when its value is: the value never leaves the lock except as a copy returned by
/// `withLock` (the only `@unchecked Sendable` that needs no more argument than this).
public final class Locked<Value>: @unchecked Sendable where Value: Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: Value) {
        self.value = value
        // A mutex must not move once used: it lives in memory of its own, not in the object.
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "cannot make a mutex")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock; nothing else may lock it meanwhile (not
    /// even `body`: the lock is not recursive).
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
