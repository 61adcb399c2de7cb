import FormularyModel
import FormularyParsing
import FormularySearch
import FormularySite
import Foundation
import HTTPTypes
import NIOCore

/// Search answers by query, for the queries people repeat. Two generations of entries: when
/// the newer fills up it becomes the older and the oldest are dropped, so recently used
/// answers stay without tracking order on every hit.
final class SearchCache: Sendable {
    struct Key: Hashable, Sendable {
        var generation: Int
        var query: String?
        var limit: String?
        var kind: String?
        var ingredient: String?
        var regulatory: String?
        var language: String?
    }

    private struct Generations {
        var newer: [Key: ByteBuffer] = [:]
        var older: [Key: ByteBuffer] = [:]
    }

    private let capacity: Int
    private let storage = Locked(Generations())

    init(capacity: Int) { self.capacity = capacity }

    func get(_ key: Key) -> ByteBuffer? {
        storage.withLock { storage in
            if let value = storage.newer[key] { return value }
            guard let value = storage.older.removeValue(forKey: key) else { return nil }
            insert(key, value, into: &storage)
            return value
        }
    }

    func set(_ key: Key, _ value: ByteBuffer) {
        guard capacity > 0 else { return }
        storage.withLock { insert(key, value, into: &$0) }
    }

    private func insert(_ key: Key, _ value: ByteBuffer, into storage: inout Generations) {
        if storage.newer.count >= capacity / 2 {
            storage.older = storage.newer
            storage.newer = [:]
        }
        storage.newer[key] = value
    }
}
