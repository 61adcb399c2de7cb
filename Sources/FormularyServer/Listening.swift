import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Whether `serve` can listen where it was asked, found out before the build (which takes
/// seconds on a large site) rather than after it, and said so that a user can act on it.
enum Listening {
    /// Binds `host:port` for a moment, as the server will, and lets it go. Port 0 (any free
    /// port) always can. Throws `Serve.Failure.listen` with what to do instead.
    static func check(host: String, port: Int) async throws(Serve.Failure) {
        guard port != 0 else { return }
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
            try? await channel.close()
        } catch {
            throw failure(error, host: host, port: port)
        }
    }

    /// The errors of `bind` that say where the server may not listen.
    static let bindErrors: Set<Int32> = [EADDRINUSE, EACCES, EADDRNOTAVAIL]

    /// The reason a bind failed, as a user can act on it.
    static func failure(_ error: any Error, host: String, port: Int) -> Serve.Failure {
        let place = "cannot listen on \(host):\(port)"
        if let error = error as? SocketAddressError.UnknownHost {
            return .listen(
                "\(place): no address is known for \(host) (\(error.errorDescription)); give --host 127.0.0.1, or 0.0.0.0 for every address"
            )
        }
        guard let error = error as? IOError else {
            // Anything else: NIO's own words.
            return .listen("\(place): \(error)")
        }
        switch error.errnoCode {
        case EADDRINUSE:
            return .listen(
                "\(place): another program is listening on that port; stop it, or choose another with --port")
        case EACCES:
            return .listen(
                "\(place): permission denied (ports below 1024 need privileges); choose another port with --port")
        case EADDRNOTAVAIL:
            return .listen(
                "\(place): \(host) is not an address of this machine; give --host 127.0.0.1, or 0.0.0.0 for every address"
            )
        default:
            return .listen("\(place): \(String(cString: strerror(error.errnoCode)))")
        }
    }
}
