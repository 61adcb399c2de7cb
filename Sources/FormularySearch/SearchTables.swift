import Dispatch

/// The flat tables the in-memory index is made of. Nothing in them is a dictionary of strings:
/// a query looks words up by binary search over bytes and pages up by integer position, so a
/// search allocates almost nothing (`SearchEngine`).

/// The sorted words of the index's names, other names and brands, stored as one run of bytes.
/// A word's id is its position, so the words that start with a prefix are a range of ids.
struct Vocabulary: Sendable {
    private let bytes: [UInt8]
    /// Word `i` is `bytes[ends[i - 1]..<ends[i]]` (from 0 for the first).
    private let ends: [Int32]

    /// From words sorted by their bytes, without repeats.
    init(sorted words: [[UInt8]]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words.reduce(0) { $0 + $1.count })
        var ends: [Int32] = []
        ends.reserveCapacity(words.count)
        for word in words {
            bytes += word
            ends.append(Int32(bytes.count))
        }
        self.bytes = bytes
        self.ends = ends
    }

    var count: Int { ends.count }

    @inline(__always)
    private func bounds(_ id: Int) -> Range<Int> { (id == 0 ? 0 : Int(ends[id - 1]))..<Int(ends[id]) }

    func length(_ id: Int) -> Int { bounds(id).count }

    func word(_ id: Int) -> String { String(decoding: bytes[bounds(id)], as: UTF8.self) }

    func bytes(_ id: Int) -> ArraySlice<UInt8> { bytes[bounds(id)] }

    /// -1, 0 or 1 as word `id` sorts before, equal to or after `key`; with `prefixOnly`, a word
    /// that starts with `key` counts as equal.
    @inline(__always)
    private func compare(_ id: Int, _ key: UnsafeBufferPointer<UInt8>, prefixOnly: Bool) -> Int {
        let range = bounds(id)
        let shared = min(range.count, key.count)
        return bytes.withUnsafeBufferPointer { all in
            for offset in 0..<shared {
                let a = all[range.lowerBound + offset]
                let b = key[offset]
                if a != b { return a < b ? -1 : 1 }
            }
            if range.count == key.count || (prefixOnly && range.count > key.count) { return 0 }
            return range.count < key.count ? -1 : 1
        }
    }

    /// The ids of the words that start with `key` (the word itself first when present).
    func prefixRange(_ key: [UInt8]) -> Range<Int> {
        key.withUnsafeBufferPointer { key in
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) / 2
                if compare(middle, key, prefixOnly: false) < 0 { low = middle + 1 } else { high = middle }
            }
            let start = low
            high = count
            while low < high {
                let middle = (low + high) / 2
                if compare(middle, key, prefixOnly: true) <= 0 { low = middle + 1 } else { high = middle }
            }
            return start..<low
        }
    }

    /// The id of `key`, when it is a word of the vocabulary.
    func id(of key: [UInt8]) -> Int? {
        let range = prefixRange(key)
        guard let first = range.first, length(first) == key.count else { return nil }
        return first
    }
}

/// Lists of integers by key (word id → pages, page → word ids) in two flat arrays.
struct Postings: Sendable {
    /// `items[starts[key]..<starts[key + 1]]` belong to `key`.
    private let starts: [Int32]
    private let items: [Int32]

    /// From (key, item) pairs; each key's items keep the pairs' order.
    init(keyCount: Int, pairs: [(key: Int32, item: Int32)]) {
        var starts = [Int32](repeating: 0, count: keyCount + 1)
        for pair in pairs { starts[Int(pair.key) + 1] += 1 }
        for key in 0..<keyCount { starts[key + 1] += starts[key] }
        var next = starts
        var items = [Int32](repeating: 0, count: pairs.count)
        for pair in pairs {
            items[Int(next[Int(pair.key)])] = pair.item
            next[Int(pair.key)] += 1
        }
        self.starts = starts
        self.items = items
    }

    @inline(__always)
    func range(_ key: Int) -> Range<Int> { Int(starts[key])..<Int(starts[key + 1]) }

    @inline(__always)
    func isEmpty(_ key: Int) -> Bool { starts[key] == starts[key + 1] }

    @inline(__always)
    subscript(item: Int) -> Int32 { items[item] }
}

/// A multimap from 64-bit hashes to integers (with an optional small count each): entries in
/// buckets by the hash's top bits, each bucket sorted by hash, so a lookup reads one bucket.
/// Used for page text (word hash → pages using it, with how often) and for typos (hash of a
/// word with letters deleted → the vocabulary words that give it).
struct HashPostings: Sendable {
    private let shift: UInt64
    private let bucketStarts: [Int32]
    private let keys: [UInt64]
    private let values: [Int32]
    private let counts: [UInt8]

    /// From entries in the order their values should keep within one hash (pages ascending).
    init(keys: [UInt64], values: [Int32], counts: [UInt8] = []) {
        // About eight entries a bucket.
        var bits = 8
        while bits < 24, (1 << bits) * 8 < keys.count { bits += 1 }
        let shift = UInt64(64 - bits)
        let bucketCount = 1 << bits
        let keepCounts = !counts.isEmpty
        // Sorted by bucket in two stable passes of a radix sort (the top eight bits, then the
        // rest of the bucket's bits within each of those 256 parts), so that every pass writes
        // to few places at a time; then each bucket by hash.
        var entries = [Entry](unsafeUninitializedCapacity: keys.count) { buffer, initialized in
            for index in keys.indices {
                buffer[index] = Entry(
                    key: Self.mixed(keys[index]), value: values[index], count: keepCounts ? counts[index] : 1)
            }
            initialized = keys.count
        }
        var scratch = [Entry](repeating: Entry(key: 0, value: 0, count: 0), count: entries.count)
        let topShift = UInt64(56)
        var topStarts = [Int](repeating: 0, count: 257)
        for entry in entries { topStarts[Int(entry.key >> topShift) + 1] += 1 }
        for part in 0..<256 { topStarts[part + 1] += topStarts[part] }
        var next = topStarts
        for entry in entries {
            let part = Int(entry.key >> topShift)
            scratch[next[part]] = entry
            next[part] += 1
        }
        var starts = [Int32](repeating: 0, count: bucketCount + 1)
        let bucketsPerPart = bucketCount >> 8
        let partStarts = topStarts
        scratch.withUnsafeMutableBufferPointer { source in
            entries.withUnsafeMutableBufferPointer { target in
                starts.withUnsafeMutableBufferPointer { starts in
                    let source = UnsafeSendable(source)
                    let target = UnsafeSendable(target)
                    let bucketStarts = UnsafeSendable(starts)
                    DispatchQueue.concurrentPerform(iterations: 256) { part in
                        let low = partStarts[part]
                        let high = partStarts[part + 1]
                        let firstBucket = part * bucketsPerPart
                        var sizes = [Int](repeating: 0, count: bucketsPerPart + 1)
                        for index in low..<high { sizes[Int(source.value[index].key >> shift) - firstBucket + 1] += 1 }
                        for bucket in 0..<bucketsPerPart { sizes[bucket + 1] += sizes[bucket] }
                        for bucket in 0..<bucketsPerPart {
                            bucketStarts.value[firstBucket + bucket] = Int32(low + sizes[bucket])
                        }
                        var next = sizes
                        for index in low..<high {
                            let bucket = Int(source.value[index].key >> shift) - firstBucket
                            target.value[low + next[bucket]] = source.value[index]
                            next[bucket] += 1
                        }
                        // Each bucket by hash, stably (insertion sort: buckets are small).
                        for bucket in 0..<bucketsPerPart {
                            let first = low + sizes[bucket]
                            let last = low + sizes[bucket + 1]
                            guard last - first > 1 else { continue }
                            for index in (first + 1)..<last {
                                let entry = target.value[index]
                                var position = index
                                while position > first, target.value[position - 1].key > entry.key {
                                    target.value[position] = target.value[position - 1]
                                    position -= 1
                                }
                                target.value[position] = entry
                            }
                        }
                    }
                }
            }
        }
        starts[bucketCount] = Int32(entries.count)
        scratch = []
        self.shift = shift
        bucketStarts = starts
        self.keys = entries.map(\.key)
        self.values = entries.map(\.value)
        self.counts = keepCounts ? entries.map(\.count) : []
    }

    /// The hash with its bits mixed (MurmurHash3's 64-bit finalizer, a bijection): FNV-1a's
    /// top bits, which choose the bucket, hardly vary between short words.
    @inline(__always)
    static func mixed(_ hash: UInt64) -> UInt64 {
        var value = hash
        value ^= value >> 33
        value &*= 0xff51_afd7_ed55_8ccd
        value ^= value >> 33
        value &*= 0xc4ce_b9fe_1a85_ec53
        value ^= value >> 33
        return value
    }

    private struct Entry {
        var key: UInt64
        var value: Int32
        var count: UInt8
    }

    /// Where the entries of `key` are (for `value(_:)` and `count(_:)`).
    func range(of key: UInt64) -> Range<Int> {
        let key = Self.mixed(key)
        let bucket = Int(key >> shift)
        var low = Int(bucketStarts[bucket])
        let high = Int(bucketStarts[bucket + 1])
        while low < high, keys[low] < key { low += 1 }
        var end = low
        while end < high, keys[end] == key { end += 1 }
        return low..<end
    }

    @inline(__always)
    func value(_ entry: Int) -> Int32 { values[entry] }

    /// The entry's count (1 when counts were not kept).
    @inline(__always)
    func count(_ entry: Int) -> Int { counts.isEmpty ? 1 : Int(counts[entry]) }

    var entryCount: Int { keys.count }
}

/// A mutable buffer handed to `concurrentPerform`, whose iterations write disjoint parts.
///
/// Unchecked because the compiler cannot see that the parts are disjoint: iteration `part`
/// reads and writes only the entries between `partStarts[part]` and `partStarts[part + 1]`
/// and the buckets of that part, and `concurrentPerform` returns only when every iteration has
/// ended, so nothing reads the buffers while they are written. The table tests
/// (`SearchTablesTests`) compare the result with a sort done on one thread; a ThreadSanitizer
/// build (BENCHMARKS.md, "Reliability") runs it under load.
struct UnsafeSendable<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Optimal string alignment distance over bytes (a transposition counts one), stopping as soon
/// as the distance is certain to exceed `limit`. Words of the index are ASCII.
enum ByteEditDistance {
    static func between(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: width * 3) { rows in
            var previousPrevious = rows.baseAddress!
            var previous = previousPrevious + width
            var current = previous + width
            for j in 0...b.count {
                previous[j] = j
                previousPrevious[j] = 0
            }
            for i in 1...a.count {
                current[0] = i
                var rowMinimum = i
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        value = min(value, previousPrevious[j - 2] + 1)
                    }
                    current[j] = value
                    rowMinimum = min(rowMinimum, value)
                }
                if rowMinimum > limit { return limit + 1 }
                (previousPrevious, previous, current) = (previous, current, previousPrevious)
            }
            return previous[b.count]
        }
    }
}
