import Dispatch
import FormularyModel
import Foundation

/// Work on another thread, waited for later.
final class BackgroundJob<Value: Sendable>: Sendable {
    private let group = DispatchGroup()
    private let value = Locked<Value?>(nil)

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async(group: group) { [value] in
            let result = work()
            value.withLock { $0 = result }
        }
    }

    func wait() -> Value {
        group.wait()
        guard let result = value.withLock({ $0 }) else { preconditionFailure("the job ended without a value") }
        return result
    }
}
