import FormularyModel
import Foundation

/// Tells open pages what the last build did, as Server-Sent Events: `reload` after a build
/// that changed files, `problems` with the build's errors (the page shows them over itself
/// instead of going blank), `ok` when they are gone.
final class LiveReload: Sendable {
    struct Status: Sendable, Equatable {
        /// Counts builds that changed something.
        var generation = 0
        /// A build that failed (a template error): nothing was replaced.
        var buildError: String?
        /// Files that did not become pages in the last build, each a whole message.
        var problems: [String] = []
    }

    private struct Subscribers {
        var next = 0
        var continuations: [Int: AsyncStream<String>.Continuation] = [:]
        var closed = false
    }

    private let subscribers = Locked(Subscribers())
    private let current = Locked(Status())

    var status: Status { current.withLock { $0 } }

    /// A stream of event texts for one open page, starting with the current status.
    func subscribe() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let status = current.withLock { $0 }
        // Tell the browser to wait a second before reconnecting when the server restarts.
        continuation.yield("retry: 1000\n\n" + Self.statusEvent(status, reload: false))
        let id = subscribers.withLock { state -> Int? in
            guard !state.closed else { return nil }
            let id = state.next
            state.next += 1
            state.continuations[id] = continuation
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { _ = $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// After a build: pages reload when `changed` (and the build worked).
    func publish(_ status: Status, changed: Bool) {
        current.withLock { $0 = status }
        broadcast(Self.statusEvent(status, reload: changed))
    }

    /// A comment that keeps idle connections (and proxies) from closing the stream.
    func ping() { broadcast(": ping\n\n") }

    /// Ends every stream and refuses new ones: the server is shutting down.
    func close() {
        let continuations = subscribers.withLock { state in
            state.closed = true
            defer { state.continuations = [:] }
            return Array(state.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }

    private func broadcast(_ text: String) {
        let continuations = subscribers.withLock { Array($0.continuations.values) }
        for continuation in continuations { continuation.yield(text) }
    }

    static func statusEvent(_ status: Status, reload: Bool) -> String {
        let event: String
        let data: String
        if let error = status.buildError {
            event = "problems"
            data = json(generation: status.generation, messages: [error], buildFailed: true)
        } else if !status.problems.isEmpty {
            event = reload ? "reload" : "problems"
            data = json(generation: status.generation, messages: status.problems, buildFailed: false)
        } else {
            event = reload ? "reload" : "ok"
            data = json(generation: status.generation, messages: [], buildFailed: false)
        }
        return "event: \(event)\ndata: \(data)\n\n"
    }

    private static func json(generation: Int, messages: [String], buildFailed: Bool) -> String {
        struct Payload: Encodable {
            var generation: Int
            var buildFailed: Bool
            var messages: [String]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data =
            (try? encoder.encode(Payload(generation: generation, buildFailed: buildFailed, messages: messages)))
            ?? Data("{}".utf8)
        // One line: JSONEncoder escapes newlines inside strings, so the event stays one `data:` field.
        return String(decoding: data, as: UTF8.self)
    }

    /// The script every page gets while the server watches: listens for events, reloads,
    /// and shows build problems in a panel over the page. CSP-clean (no inline code, styles
    /// set through the DOM).
    static let script = #"""
        // Formulary live reload: added by `formulary serve`; not part of the built site.
        (function () {
          "use strict";
          var panel = null;
          var lastGeneration = null;
          function show(messages, buildFailed) {
            if (!panel) {
              panel = document.createElement("div");
              panel.id = "formulary-problems";
              panel.setAttribute("role", "alert");
              var s = panel.style;
              s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.maxHeight = "50vh";
              s.overflow = "auto"; s.zIndex = "2147483647"; s.margin = "0"; s.padding = "1em 1.25em";
              s.background = "#2b0b0b"; s.color = "#fff"; s.font = "14px/1.45 ui-monospace, monospace";
              s.borderTop = "4px solid #e5484d"; s.whiteSpace = "pre-wrap";
              document.body.appendChild(panel);
            }
            panel.textContent = "";
            var heading = document.createElement("strong");
            heading.textContent = buildFailed
              ? "The site did not build; this page is the last one that did.\n"
              : messages.length + (messages.length === 1 ? " file" : " files") + " did not become pages:\n";
            panel.appendChild(heading);
            messages.forEach(function (message) {
              var line = document.createElement("div");
              line.textContent = message;
              panel.appendChild(line);
            });
          }
          function hide() {
            if (panel) { panel.remove(); panel = null; }
          }
          function connect() {
            var source = new EventSource("/_formulary/events");
            function handle(kind) {
              return function (event) {
                var data = JSON.parse(event.data);
                if (kind === "reload" && lastGeneration !== null && data.generation !== lastGeneration) {
                  location.reload();
                  return;
                }
                lastGeneration = data.generation;
                // For tools that wait until the page is listening (the live reload check).
                document.documentElement.dataset.liveGeneration = String(data.generation);
                if (data.messages.length > 0) { show(data.messages, data.buildFailed); } else { hide(); }
              };
            }
            source.addEventListener("reload", handle("reload"));
            source.addEventListener("problems", handle("problems"));
            source.addEventListener("ok", handle("ok"));
          }
          if (window.EventSource) { connect(); }
        })();

        """#
}
