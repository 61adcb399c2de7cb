import FormularyAsync
import Foundation
import Testing

@testable import FormularyServer

/// The parts of following a shared store that need no database (the feed itself is tested in
/// FormularyStoreTests.SharedStoreTests and Tests/server/multi_server_check.py).
@Suite("following a shared store")
struct StoreFollowerTests {
    @Test("a deadline returns the answer in time, and gives up an operation that does not answer")
    func deadline() async throws {
        #expect(try await withDeadline(.seconds(30)) { 42 } == 42)
        // An operation that would take a minute is cancelled at the deadline and reported as such.
        let outcome = await #expect(throws: DeadlinePassed.self) {
            try await withDeadline(.milliseconds(100)) {
                try await Task.sleep(for: .seconds(60))
                return 0
            }
        }
        #expect(outcome?.limit == .milliseconds(100))
        // The operation's own error passes through unchanged.
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await withDeadline(.seconds(30)) { throw Refused() } }
    }

    @Test("the health check's verdict: unreachable, too far behind, or silent too long")
    func problems() {
        let now = ContinuousClock.now
        var status = FollowerStatus(applied: 10, latest: 10, lastContact: now)
        #expect(status.problem(now: now) == nil)
        status.latest = 10 + FollowerStatus.behindLimit
        #expect(status.behind == FollowerStatus.behindLimit)
        #expect(status.problem(now: now) == nil)
        status.latest += 1
        #expect(status.problem(now: now) == "101 changes behind the store")
        status.latest = 10
        #expect(status.problem(now: now + .seconds(11)) == "no answer from the store for a while")
        status.reachable = false
        #expect(status.problem(now: now) == "the store cannot be reached; serving the site as it was")
    }
}
