/// FNV-1a over the UTF-8 of what it is given: stable across runs and machines, unlike `Hasher`.
/// Build fingerprints, ETags, prompt versions, translation fingerprints and the search indexes'
/// word and shard hashes are made with it: the one FNV-1a of the code.
public struct StableHasher: Sendable {
    public init() {}

    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public mutating func combine(_ text: String) {
        for byte in text.utf8 {
            state ^= UInt64(byte)
            state = state &* 0x100_0000_01b3
        }
        state ^= 0xff
        state = state &* 0x100_0000_01b3
    }

    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            state ^= UInt64(byte)
            state = state &* 0x100_0000_01b3
        }
    }

    /// `number`'s eight bytes, least significant first.
    public mutating func combine(number: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            state ^= number >> UInt64(shift) & 0xff
            state = state &* 0x100_0000_01b3
        }
    }

    /// The hash as a number.
    public var value: UInt64 { state }

    /// FNV-1a of `bytes` alone, as a number: the word hashes of the search indexes (a hot
    /// loop, specialised and inlined into its callers).
    @inlinable
    public static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    public var hexDigest: String {
        let text = String(state, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
