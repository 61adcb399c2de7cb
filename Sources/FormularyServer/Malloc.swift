import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// glibc's malloc, tuned for a long-running server: fewer arenas, and freed memory given back
/// after each rebuild. `malloc.h` is not in Swift's Glibc module, so its functions are looked
/// up by name.
enum Malloc {
    #if canImport(Glibc)
        static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(
            UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim"
        ).map { unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self) }
        static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? = dlsym(
            UnsafeMutableRawPointer(bitPattern: 0), "mallopt"
        ).map { unsafeBitCast($0, to: (@convention(c) (Int32, Int32) -> Int32).self) }
    #endif

    /// Two malloc arenas instead of glibc's eight a core (as `MALLOC_ARENA_MAX=2`), set before
    /// the server's threads start: with an arena a thread, memory freed on one thread stayed in
    /// its arena. The 4-minute soak on SQLite, with the trim after each rebuild: 85 -> 128 MiB
    /// instead of 88 -> 164 MiB. An environment's own `MALLOC_ARENA_MAX` is left as it is.
    static func limitArenas() {
        #if canImport(Glibc)
            guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
            _ = mallopt?(-8, 2)  // M_ARENA_MAX
        #endif
    }

    /// Gives the memory the last state and the rebuild freed back to the system. Under a soak of
    /// edits and approvals on SQLite the server's resident size kept rising (96 -> 237 MiB in
    /// 4.5 minutes) while its heap stayed under 50 MiB (heaptrack): freed memory held in glibc's
    /// per-thread arenas, whose free pages `malloc_trim` returns (one call in a running soak:
    /// 189 -> 143 MiB). With it after each rebuild: 88 -> 164 MiB in 4 minutes. The rise's main
    /// cause was found later, a ledger that kept every sign-off ever made (BENCHMARKS.md, night
    /// of 2026-12-07); this trim and the arena limit stayed, not measured again without them.
    static func returnFreedMemory() {
        #if canImport(Glibc)
            _ = mallocTrim?(0)
        #endif
    }
}
