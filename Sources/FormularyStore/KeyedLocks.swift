/// One holder at a time per key in this process, waiting in turn: a page's revision and the
/// file write that follows it are made before the next change of the page starts (so the file
/// ends with the last one); a SQLite store's write transactions run one after another.
actor KeyedLocks {
    static let shared = KeyedLocks()
    private var held: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

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

    private func lock(_ key: String) async {
        guard held.contains(key) else {
            held.insert(key)
            return
        }
        // Handed over by `unlock`: the key stays held.
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    private func unlock(_ key: String) {
        if var queue = waiting[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[key] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            held.remove(key)
        }
    }
}
