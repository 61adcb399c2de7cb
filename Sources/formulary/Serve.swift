import ArgumentParser
import FormularyServer
import FormularySite
import Foundation

/// `formulary serve [SITE]`: the site and its JSON API over HTTP, rebuilt as you edit.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build the site and serve it with its JSON API; rebuild and reload pages as files change.",
        discussion: """
            Builds SITE (as `formulary build` does, incrementally) and serves it at \
            http://HOST:PORT/: the pages, the JSON API under /api/v1/ (monographs, ingredients, \
            search; described at /api/v1/openapi.json) and /healthz.

            While it runs it watches the content, templates and static folders: each save \
            rebuilds what changed and open pages reload themselves. A page that does not parse, \
            or a template error, is shown over the page in the browser until it is fixed. \
            --no-watch serves the site as built, for production behind a proxy.

            With contributions (`contributions: enabled: true` in formulary.yml, or \
            --contributions, or --database) every page gets "Suggest an edit" and "History", \
            and /_formulary/review is the review queue; suggestions, revisions and people are \
            kept in SITE/.formulary/formulary.sqlite (or --database, or $FORMULARY_DATABASE: a \
            SQLite file or a postgres:// URL). Add reviewers with `formulary user add`.

            Ctrl-C or SIGTERM stops it after the requests in flight are answered.
            """
    )

    @OptionGroup var selection: SiteArguments

    @Option(help: "The address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 for any free one).")
    var port = 8080

    @Flag(inversion: .prefixedNo, help: "Watch for changes, rebuild, and reload open pages.")
    var watch = true

    @Option(help: "The least important log lines shown: \(ServeOptions.logLevels.joined(separator: ", ")).")
    var logLevel = "info"

    @Option(help: "How log lines are written: text (key=value) or json (one object a line).")
    var logFormat = "text"

    @Option(help: "Seconds before an idle connection, or one slow to send its request, is closed.")
    var idleTimeout = 30

    @Flag(help: "Take suggested edits and reviews (also on with `contributions: enabled: true` in formulary.yml).")
    var contributions = false

    @Option(
        help:
            "The contribution store: a SQLite file or postgres://user:password@host/database (default: $FORMULARY_DATABASE, else SITE/.formulary/formulary.sqlite)."
    )
    var database: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard ServeOptions.logLevels.contains(logLevel) else {
            throw ValidationError("--log-level must be one of \(ServeOptions.logLevels.joined(separator: ", "))")
        }
        guard ServeOptions.logFormats.contains(logFormat) else {
            throw ValidationError("--log-format must be text or json")
        }
        guard idleTimeout >= 1 else { throw ValidationError("--idle-timeout must be at least 1") }
    }

    func run() throws {
        var request: SiteBuilder.Request
        do {
            request = try selection.request()
        } catch let error as SiteFolder.Failure {
            fail("\(error)")
        } catch let error as SiteConfiguration.BaseURLError {
            fail(error.message)
        }
        // Serving elsewhere than the site's own output still builds incrementally.
        if request.cacheFile == nil { request.cacheFile = SiteArguments.cacheFile(beside: request.outputFolder) }
        // While editing, links point at this server; --no-watch (production) keeps the site's own address.
        if selection.baseURL == nil, watch {
            let shownHost = host == "0.0.0.0" ? "localhost" : host
            request.configuration.baseURL = "http://\(shownHost):\(port)/"
        }
        var options = ServeOptions(request: request)
        options.host = host
        options.port = port
        options.watch = watch
        options.logLevel = logLevel
        options.logFormat = logFormat
        options.idleTimeout = idleTimeout
        if contributions || database != nil || request.configuration.contributions.enabled {
            options.database = SiteFolder.storeLocation(
                given: database,
                siteRoot: selection.content == nil ? (selection.site ?? ".") : request.outputFolder + "/..")
            // Pages show "Suggest an edit" and "History".
            request.configuration.contributions.enabled = true
            options.request = request
        }
        let progress = ProgressLine.make()
        do {
            try Serve.runBlocking(options, progress: progress?.callback)
        } catch let error as Serve.Failure {
            progress?.finish()
            fail(error.description)
        } catch {
            progress?.finish()
            fail("\(error)")
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("formulary serve: \(message)\n".utf8))
        ServeCommand.exit(withError: ExitCode(2))
    }
}
