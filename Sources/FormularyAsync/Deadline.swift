import FormularyModel
import NIOCore
import NIOPosix

/// What `withDeadline` throws when the time was up before the answer.
public struct DeadlinePassed: Error, CustomStringConvertible, Equatable {
    public var limit: Duration
    public var description: String { "no answer in \(limit)" }
}

/// `operation`'s result, or `DeadlinePassed` once `limit` has passed (the operation is then
/// cancelled, and its end waited for: postgres-nio gives up a connection request at once, and
/// AsyncHTTPClient a request or an answer still streaming).
///
/// The deadline is one of SwiftNIO's scheduled tasks, removed when cancelled. Neither a
/// sleeping task raced against the operation nor a dispatch timer would do: on Linux each
/// kept its memory for good once cancelled (a heap profile of a PostgreSQL soak: ~700 bytes a
/// request, the task and its timer; swiftlang/swift#60441), and this runs for every request to
/// a shared store. Used for a shared store's reads and each request's deadline (FormularyServer)
/// and for a model's whole answer (FormularyGenerate: AsyncHTTPClient's own deadline ends a
/// request whose answer has not begun, not one whose answer stops halfway).
public func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T)
    async throws -> T
{
    let task = Task { try await operation() }
    let expired = Locked(false)
    let (seconds, attoseconds) = limit.components
    let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(
        in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    ) {
        expired.withLock { $0 = true }
        task.cancel()
    }
    defer { timer.cancel() }
    do {
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    } catch {
        if expired.withLock({ $0 }) { throw DeadlinePassed(limit: limit) }
        throw error
    }
}
