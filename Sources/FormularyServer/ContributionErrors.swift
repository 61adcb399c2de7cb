import FormularyAsync
import FormularySite
import FormularyStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// What went wrong, as an HTTP status and a sentence for the person.
enum WebError: Error, HTTPResponseError {
    case badRequest(String)
    case unauthorized(String)
    case signInRequired(next: String)
    case forbidden(String)
    case notFound(String)
    case conflict(String)
    case unprocessable(String)
    case tooManyRequests(Int)
    /// With the methods that are allowed.
    case methodNotAllowed(String)
    /// A body longer than the server reads (bytes).
    case contentTooLarge(Int)
    case server(String)
    /// The database is away: try again shortly (Retry-After).
    case unavailable(String)

    init(_ error: StoreError) {
        switch error {
        case .notFound(let message): self = .notFound(message)
        case .conflict(let message), .stale(let message): self = .conflict(message)
        case .invalid(let message): self = .unprocessable(message)
        case .forbidden(let message): self = .forbidden(message)
        case .database: self = .server("the database could not do this; the server's log says why")
        case .unavailable: self = .unavailable("the database cannot be reached; try again shortly")
        }
    }

    /// Seconds to wait before trying again, for the Retry-After header.
    var retryAfter: Int? {
        switch self {
        case .tooManyRequests(let seconds): return seconds
        case .unavailable: return 5
        default: return nil
        }
    }

    var status: HTTPResponse.Status {
        switch self {
        case .badRequest: return .badRequest
        case .unauthorized, .signInRequired: return .unauthorized
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .unprocessable: return .unprocessableContent
        case .tooManyRequests: return .tooManyRequests
        case .methodNotAllowed: return .methodNotAllowed
        case .contentTooLarge: return .contentTooLarge
        case .server: return .internalServerError
        case .unavailable: return .serviceUnavailable
        }
    }

    var title: String {
        if case .contentTooLarge = self { return "Content Too Large" }
        return status.reasonPhrase
    }

    var detail: String {
        switch self {
        case .badRequest(let message), .unauthorized(let message), .forbidden(let message), .notFound(let message),
            .conflict(let message), .unprocessable(let message), .server(let message), .unavailable(let message):
            return message
        case .signInRequired: return "sign in first"
        case .tooManyRequests(let seconds): return "too many changes at once; try again in \(seconds) s"
        case .methodNotAllowed(let allow): return "this takes \(allow) only"
        case .contentTooLarge(let bytes): return "request bodies are limited to \(bytes) bytes"
        }
    }

    /// The headers the status asks for: Retry-After, Allow, WWW-Authenticate.
    var headers: HTTPFields {
        var fields = SiteServer.securityHeaders
        fields[.cacheControl] = "no-store"
        if let seconds = retryAfter { fields[.retryAfter] = String(seconds) }
        if case .methodNotAllowed(let allow) = self { fields[.allow] = allow }
        return fields
    }

    /// The error as RFC 9457 problem details (the JSON API's answer).
    func problem(instance: String) -> ServerResponse {
        var fields = headers
        fields[.contentType] = "application/problem+json"
        if case .unauthorized = self { fields[.wwwAuthenticate] = "Bearer" }
        let problem = Problem(title: title, status: status.code, detail: detail, instance: instance)
        return ServerResponse(
            status: status, headers: fields, body: .bytes(ByteBuffer(bytes: SiteServer.encode(problem))))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Serve.response(problem(instance: request.uri.path))
    }
}

/// Every error of a contribution request, rendered in one place: problem details from the
/// JSON API, the site's error page (`workflow-error.mustache`) from the review pages, a
/// redirect to sign-in where a page needs a person. A path no route has is 404, or 405 with
/// the methods it takes. Server errors go to the log in full; the person sees a sentence
/// without the database's details.
struct ContributionErrors: RouterMiddleware {
    let server: ContributionServer

    func handle(
        _ request: Request, context: ContributionContext,
        next: (Request, ContributionContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let path = request.head.path.map { String($0.prefix(while: { $0 != "?" })) } ?? "/"
            let web = Self.webError(error, method: request.method, path: path)
            let target = try? RequestTarget.parse(request.head.path ?? "/")
            if path.hasPrefix("/api/") { return Serve.response(web.problem(instance: target?.path ?? path)) }
            let language = target.map { server.language(for: $0, headers: request.headers).language }
            return Serve.response(
                server.errorPage(web, language: language ?? server.templates.mainLanguage, target: target))
        }
    }

    static func webError(_ error: any Error, method: HTTPRequest.Method, path: String) -> WebError {
        switch error {
        case let web as WebError:
            return web
        case let error as StoreError:
            switch error {
            // Not when the request was given up at its deadline: that answer says so already.
            case .database,
                .unavailable where !Task.isCancelled:
                ContributionServer.logger.error("\(method.rawValue) \(path): \(error)")
            default: break
            }
            return WebError(error)
        case is DeadlinePassed:
            return .unavailable("the database did not answer in time; try again shortly")
        case let error as HTTPError where error.status == .notFound:
            if let allowed = ContributionServer.allowedMethods(path) {
                return .methodNotAllowed(allowed.map(\.rawValue).joined(separator: ", "))
            }
            return .notFound("there is nothing at \(path)")
        default:
            ContributionServer.logger.error("\(method.rawValue) \(path): \(error)")
            return .server("the server could not do this; its log says why")
        }
    }
}
