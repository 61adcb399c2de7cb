/// FNV-1a over the UTF-8 of what it is given: stable across runs and machines, unlike `Hasher`.
/// Build fingerprints, ETags and prompt versions are made with it.
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

    public var hexDigest: String {
        let text = String(state, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
