import FormularyReference
import Foundation

/// A site folder as its owner sees it: `formulary.yml`, `content/`, `templates/`, `static/`,
/// `.formulary/` (the build cache) and the output, `public/` by default.
public struct SiteFolder: Sendable {
    public var root: String
    public var configuration: SiteConfiguration

    public static let configurationFile = "formulary.yml"

    public enum Failure: Swift.Error, CustomStringConvertible {
        case notASite(String)
        case configuration(SiteConfiguration.Error)
        case exists(String)
        case cannotWrite(String)

        public var description: String {
            switch self {
            case .notASite(let path):
                return
                    "\(path) is not a site: it has neither formulary.yml nor a content/ folder. Create one with `formulary init DIR`, or build any folder of pages with `formulary build --content DIR`."
            case .configuration(let error): return error.description
            case .exists(let path):
                return "\(path) already exists and is not empty; choose a new folder for the site"
            case .cannotWrite(let message): return message
            }
        }

        /// As `description`, for a command that takes a folder of pages as well as a site:
        /// `otherwise` says how (`to check a folder of pages, give it as PATH`), in place of
        /// `build`'s advice.
        public func description(otherwise: String) -> String {
            guard case .notASite(let path) = self else { return description }
            return "\(path) is not a site (no formulary.yml, no content/ folder); \(otherwise)"
        }
    }

    /// Opens the site at `root`: its settings, or the defaults when it has only a `content/` folder.
    public static func open(_ root: String) throws(Failure) -> SiteFolder {
        let root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        let configPath = root + "/" + configurationFile
        if let data = FileManager.default.contents(atPath: configPath) {
            do throws(SiteConfiguration.Error) {
                let configuration = try SiteConfiguration.load(
                    yaml: String(decoding: data, as: UTF8.self), path: configPath)
                return SiteFolder(root: root, configuration: configuration)
            } catch {
                throw .configuration(error)
            }
        }
        guard OutputFiles.isFolder(root + "/content") else { throw .notASite(root) }
        return SiteFolder(root: root, configuration: SiteConfiguration())
    }

    public func path(_ folder: String) -> String { folder.hasPrefix("/") ? folder : root + "/" + folder }
    /// Its `formulary.yml`, when it has one.
    public var settingsFile: String? {
        let file = root + "/" + Self.configurationFile
        return FileManager.default.fileExists(atPath: file) ? file : nil
    }
    public var contentPath: String { path(configuration.contentFolder) }
    public var templatesPath: String { path(configuration.templatesFolder) }
    /// The site's words for the theme, a file a language (`strings/hi.yml`).
    public var stringsPath: String { root + "/strings" }
    public var staticPath: String { path(configuration.staticFolder) }
    public var outputPath: String { path(configuration.outputFolder) }
    public var cachePath: String { cacheFile("build-cache") }
    /// A file of `.formulary/`, where commands keep what spares them work next time.
    public func cacheFile(_ name: String) -> String { root + "/.formulary/" + name }
    /// The site's own review store (SQLite), made by `formulary import` or `serve`.
    public var storePath: String { cacheFile("formulary.sqlite") }

    /// Where a command finds the review store: the one it was given (`--database`), else
    /// `$FORMULARY_DATABASE` (a SQLite file or a postgres:// URL), else the site's own file.
    public static func storeLocation(given: String?, siteRoot: String) -> String {
        if let given, !given.isEmpty { return given }
        if let location = ProcessInfo.processInfo.environment["FORMULARY_DATABASE"], !location.isEmpty {
            return location
        }
        return siteRoot + "/.formulary/formulary.sqlite"
    }

    /// The reference lists the settings name, else the built-in ones; a list that cannot be
    /// read is an error with its `path:line`, and nothing of it is used.
    public func referenceLists() throws(ReferenceListError) -> ReferenceLists {
        try ReferenceLists.load(configuration.reference, relativeTo: root)
    }

    /// Creates a new site at `root` with the example pages and the default templates.
    /// Returns the files written, relative to `root`.
    public static func create(at root: String, title: String = "My Formulary") throws(Failure) -> [String] {
        let root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: root), !existing.isEmpty {
            throw .exists(root)
        }
        var files: [(String, String)] = [
            (
                configurationFile,
                """
                # Formulary site settings. Every key is optional.
                title: \(title)
                # Say no more than is true: each page shows whether people have checked it, and the
                # home page how many have been (`formulary review coverage`).
                description: Plain-language information about medicines, written for patients. Each page says which of its sections people have checked.
                # The address the site is published at: canonical links, the sitemap and Open Graph use it.
                baseURL: http://localhost:8080/
                language: en
                # Translations: paracetamol.hi.md beside paracetamol.md, published under /hi/ with the
                # theme's words in Hindi (strings/hi.yml in this folder replaces any of them). Add a
                # language with its code and a strings/LANG.yml of every key of the English one.
                languages: [hi]

                # Medicines whose pages a wrong word hurts most: the review worklist
                # (`formulary review worklist`) puts them first. After the ISMP List of High-Alert
                # Medications in Community/Ambulatory Care Settings (2021) and the US FDA's
                # narrow-therapeutic-index drugs; make it your own.
                review:
                  highRisk:
                \(HighRiskMedicines.defaults.yaml)

                # The linter's settings (`formulary check`): required sections, rules off or stricter.
                check:
                  required-sections: [usage, dosage, sideEffects, howItWorks, precautions]

                """
            ),
            (".gitignore", "public/\n.formulary/\n"),
        ]
        for (path, text) in DefaultTheme.examplePages.sorted(by: { $0.key < $1.key }) {
            files.append(("content/" + path, text))
        }
        files += DefaultTheme.siteFiles
        do throws(OutputFiles.Failure) {
            for (relative, text) in files {
                let path = root + "/" + relative
                if let slash = path.lastIndex(of: "/") { try OutputFiles.makeFolder(String(path[..<slash])) }
                try OutputFiles.write(text, to: path)
            }
        } catch {
            throw .cannotWrite(error.description)
        }
        return files.map(\.0)
    }
}
