import FormularyModel
import FormularyParsing
import FormularySearch
import FormularySite
import Foundation
import HTTPTypes
import NIOCore

/// A response before it meets the wire.
struct ServerResponse: Sendable {
    enum Body: Sendable {
        case bytes(ByteBuffer)
        case none
        /// Server-Sent Events until the stream ends.
        case events(AsyncStream<String>)
    }

    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Body
    /// `status` and `headers` already serialized, with Content-Length, up to the Date line.
    var wireHead: ByteBuffer?

    var bodyBytes: [UInt8] {
        if case .bytes(let buffer) = body { return Array(buffer.readableBytesView) }
        return []
    }
}
