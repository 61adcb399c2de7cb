import ArgumentParser
import FormularyReference
import FormularySite
import Foundation

/// The reference lists for pages outside a site command: those a `formulary.yml` beside the
/// pages (or above them) names, else the built-in ones.
enum ReferenceLookup {
    static func lists(near path: String, config: String? = nil) throws -> ReferenceLists {
        var candidates: [String] = []
        if let config {
            candidates = [config]
        } else {
            var folder = URL(fileURLWithPath: path).standardizedFileURL
            if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("formulary.yml").path) {
                folder.deleteLastPathComponent()
            }
            for _ in 0..<8 {
                candidates.append(folder.appendingPathComponent("formulary.yml").path)
                if folder.path == "/" { break }
                folder.deleteLastPathComponent()
            }
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate) {
            guard let yaml = try? String(contentsOfFile: candidate, encoding: .utf8),
                let settings = try? SiteConfiguration.load(yaml: yaml, path: candidate)
            else { return .builtIn }
            do throws(ReferenceListError) {
                return try ReferenceLists.load(
                    settings.reference, relativeTo: (candidate as NSString).deletingLastPathComponent)
            } catch {
                FileHandle.standardError.write(Data("formulary: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        return .builtIn
    }
}
