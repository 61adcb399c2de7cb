import Dispatch
import FormularyModel
import Foundation

/// Work spread over every core in chunks; the first failure stops the chunks not yet started
/// and is rethrown.
enum Parallel {
    static func forEach(
        count: Int, chunk: Int, _ body: @Sendable (Range<Int>) throws(SiteBuilder.Failure) -> Void
    ) throws(SiteBuilder.Failure) {
        let failure = FirstFailure()
        let chunks = (count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { chunkIndex in
            guard !failure.isSet else { return }
            do throws(SiteBuilder.Failure) {
                try body((chunkIndex * chunk)..<min(count, (chunkIndex + 1) * chunk))
            } catch {
                failure.set(error)
            }
        }
        if let error = failure.value { throw error }
    }
}

/// The first error any worker hit.
final class FirstFailure: Sendable {
    private let error = Locked<SiteBuilder.Failure?>(nil)

    var isSet: Bool { error.withLock { $0 != nil } }

    var value: SiteBuilder.Failure? { error.withLock { $0 } }

    func set(_ failure: SiteBuilder.Failure) {
        error.withLock { error in if error == nil { error = failure } }
    }
}
