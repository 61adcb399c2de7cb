import FormularyTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `formulary serve` run as a user runs it (the helpers of `ShowCommandTests`).
@Suite("formulary serve")
struct ServeCommandTests {
    @Test("a port another program listens on is refused at once, before the build, saying what to do")
    func portInUse() throws {
        // Another program: a socket of this test, listening on a free port of loopback.
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        try #require(bound == 0)
        try #require(listen(socket, 1) == 0)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        try #require(named == 0)
        let port = Int(UInt16(bigEndian: address.sin_port))

        let folder = TemporaryFolder("serve")
        defer { withExtendedLifetime(folder) {} }
        let out = URL(fileURLWithPath: folder.path + "/out")
        let result = try ShowCommandTests().run([
            "serve", "examples/site", "--port", String(port), "--out", out.path, "--no-watch",
        ])
        #expect(result.status == 2)
        #expect(
            result.errors
                == "formulary serve: cannot listen on 127.0.0.1:\(port): another program is listening on that port; stop it, or choose another with --port\n"
        )
        // Refused before the build: nothing was written.
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
