/// The compact binary form of the caches a command keeps between runs (`BuildCache`,
/// `PageFactsCache`): strings are a 32-bit length and their UTF-8, numbers little-endian,
/// written and read in a few milliseconds. A cache never leaves the machine that wrote it.
struct CacheWriter {
    var bytes: [UInt8] = []

    mutating func integer(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    mutating func string(_ text: String) {
        let utf8 = text.utf8
        withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes += $0 }
        bytes += utf8
    }

    mutating func flag(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func strings(_ texts: [String]) {
        integer(UInt64(texts.count))
        for text in texts { string(text) }
    }

    mutating func optional<T>(_ value: T?, _ write: (inout CacheWriter, T) -> Void) {
        flag(value != nil)
        if let value { write(&self, value) }
    }
}

/// Reads what `CacheWriter` wrote; every read is nil at the end of the bytes or on a value that
/// cannot be (a damaged cache is no cache).
struct CacheReader {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func integer() -> UInt64? {
        guard offset + 8 <= bytes.count else { return nil }
        let value = UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self)
        offset += 8
        return UInt64(littleEndian: value)
    }

    mutating func flag() -> Bool? {
        guard offset < bytes.count, bytes[offset] <= 1 else { return nil }
        offset += 1
        return bytes[offset - 1] == 1
    }

    mutating func string() -> String? {
        guard offset + 4 <= bytes.count else { return nil }
        let count = Int(
            UInt32(littleEndian: UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt32.self)))
        offset += 4
        guard count <= bytes.count - offset else { return nil }
        defer { offset += count }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
    }

    /// A list of strings, nil when damaged or longer than `limit`.
    mutating func strings(limit: Int = 100_000) -> [String]? {
        guard let count = integer(), count <= UInt64(limit) else { return nil }
        var texts: [String] = []
        texts.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let text = string() else { return nil }
            texts.append(text)
        }
        return texts
    }

    /// `count` values as stored in this machine's byte order.
    mutating func raw<T: FixedWidthInteger>(_ type: T.Type, count: Int) -> [T]? {
        let length = count * MemoryLayout<T>.size
        guard length <= bytes.count - offset else { return nil }
        defer { offset += length }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if length > 0 {
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(start: bytes.baseAddress! + offset, count: length))
            }
            initialized = count
        }
    }
}
