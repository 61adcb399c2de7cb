import Dispatch
import FormularyModel
import FormularyParsing
import Testing

@Suite("shared state between threads")
struct LockedTests {
    @Test("Locked: every change from many threads at once is kept (none lost to a race)")
    func lockedCounts() {
        let count = Locked(0)
        let seen = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for step in 0..<5_000 {
                count.withLock { $0 += 1 }
                if step % 1_000 == 0 { seen.withLock { $0.append(worker) } }
            }
        }
        #expect(count.withLock { $0 } == 40_000)
        #expect(seen.withLock { $0.sorted() } == (0..<8).flatMap { Array(repeating: $0, count: 5) })
    }

    @Test("Locked: what the closure returns or throws comes out of withLock")
    func lockedResults() throws {
        struct Refused: Error, Equatable {}
        let names = Locked(["aspirin"])
        let count = names.withLock { names -> Int in
            names.append("paracetamol")
            return names.count
        }
        #expect(count == 2)
        #expect(throws: Refused()) { try names.withLock { _ throws(Refused) in throw Refused() } }
        #expect(names.withLock { $0 } == ["aspirin", "paracetamol"])
    }

    @Test("ResultSlots: each worker's value lands in its own slot, in input order")
    func resultSlots() {
        let slots = ResultSlots<String>(count: 1_000)
        DispatchQueue.concurrentPerform(iterations: 1_000) { index in slots.set(index, "page \(index)") }
        #expect(slots.values() == (0..<1_000).map { "page \($0)" })
    }
}
