import ArgumentParser
import FormularyReference
import FormularySite
import Foundation

/// The `formulary.yml` that commands outside a site folder read (`check`'s rules, the
/// reference lists of `show`, `search` and `check`): `--config`, else the one in the current
/// folder or a folder above the first path.
enum ConfigurationFile {
    static func find(near path: String, config: String? = nil) -> String? {
        if let config { return FileManager.default.fileExists(atPath: config) ? config : nil }
        var candidates = ["formulary.yml"]
        var folder = URL(fileURLWithPath: path).standardizedFileURL
        for _ in 0..<8 {
            folder.deleteLastPathComponent()
            candidates.append(folder.appendingPathComponent("formulary.yml").path)
            if folder.path == "/" { break }
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The reference lists that file names, else the built-in ones; without the price list
    /// for a command that shows no prices. A list that cannot be read
    /// stops the command with its `path:line` (exit 2); a file that is not valid settings is
    /// left to the command that reads its own part of it.
    static func referenceLists(near path: String, config: String? = nil, withPrices: Bool = true) throws
        -> ReferenceLists
    {
        guard let file = find(near: path, config: config),
            let yaml = try? String(contentsOfFile: file, encoding: .utf8),
            let settings = try? SiteConfiguration.load(yaml: yaml, path: file)
        else { return withPrices ? .builtIn : .builtInWithoutPrices }
        do throws(ReferenceListError) {
            return try ReferenceLists.load(
                settings.reference, relativeTo: (file as NSString).deletingLastPathComponent, withPrices: withPrices)
        } catch {
            FileHandle.standardError.write(Data("formulary: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
