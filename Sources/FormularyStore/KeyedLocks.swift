import FormularyModel

/// One holder at a time per key in this process, waiting in turn: a page's revision and the
/// file write that follows it are made before the next change of the page starts (so the file
/// ends with the last one); a SQLite store's write transactions run one after another.
///
/// A free key is taken without suspending (no hop to another thread); a taken one is waited
/// for, and handed to the waiters in the order they came.
final class KeyedLocks: Sendable {
    static let shared = KeyedLocks()

    private struct State: Sendable {
        var held: Set<String> = []
        var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    }

    private let state = Locked(State())

    func holding<T: Sendable>(_ key: String, _ work: @Sendable () async throws -> T) async throws -> T {
        await lock(key)
        do {
            let value = try await work()
            unlock(key)
            return value
        } catch {
            unlock(key)
            throw error
        }
    }

    func lock(_ key: String) async {
        let taken = state.withLock { state in state.held.insert(key).inserted }
        guard !taken else { return }
        await withCheckedContinuation { continuation in
            // Let go of meanwhile: taken now; else handed over by `unlock`, the key still held.
            let free = state.withLock { state in
                if state.held.insert(key).inserted { return true }
                state.waiting[key, default: []].append(continuation)
                return false
            }
            if free { continuation.resume() }
        }
    }

    func unlock(_ key: String) {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard var queue = state.waiting[key], !queue.isEmpty else {
                state.held.remove(key)
                return nil
            }
            let next = queue.removeFirst()
            state.waiting[key] = queue.isEmpty ? nil : queue
            return next
        }
        next?.resume()
    }
}
