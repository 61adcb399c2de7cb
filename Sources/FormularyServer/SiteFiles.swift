import FormularyModel
import FormularyParsing
import FormularySite
import Foundation
import HTTPTypes
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A built file as the server sends it: bytes, gzip bytes when they are worth it, and the
/// headers that do not change between requests.
final class ServedFile: Sendable {
    let body: ByteBuffer
    /// The gzip form, for text types larger than a packet; nil otherwise.
    let gzipped: ByteBuffer?
    let etag: String
    let gzipETag: String
    /// Seconds since 1970, as Last-Modified gives them.
    let modified: Int
    let headers: HTTPFields
    let gzipHeaders: HTTPFields
    /// A 200 response's head as bytes, up to the Date line, for `DirectResponder`.
    let wireHead: ByteBuffer
    let gzipWireHead: ByteBuffer

    init(bytes: [UInt8], contentType: String, modified: Int, cacheControl: String, security: HTTPFields) {
        body = ByteBuffer(bytes: bytes)
        let hash = ServedFile.hash(bytes)
        etag = "\"\(hash)\""
        gzipETag = "\"\(hash)-gz\""
        self.modified = modified
        let compressible = ServedFile.isText(contentType) && bytes.count > 1024
        gzipped = compressible ? Gzip.compress(bytes).map { ByteBuffer(bytes: $0) } : nil
        var headers = security
        headers[.contentType] = contentType
        headers[.cacheControl] = cacheControl
        headers[.lastModified] = HTTPDate.format(modified)
        if compressible { headers[.vary] = "Accept-Encoding" }
        var gzipHeaders = headers
        headers[.eTag] = etag
        gzipHeaders[.eTag] = gzipETag
        gzipHeaders[.contentEncoding] = "gzip"
        self.headers = headers
        self.gzipHeaders = gzipHeaders
        wireHead = DirectResponder.serializedHead(.ok, headers, contentLength: body.readableBytes)
        gzipWireHead = DirectResponder.serializedHead(.ok, gzipHeaders, contentLength: gzipped?.readableBytes ?? 0)
    }

    static func isText(_ contentType: String) -> Bool {
        contentType.hasPrefix("text/") || contentType.hasPrefix("application/json")
            || contentType.hasPrefix("application/xml") || contentType.hasPrefix("image/svg+xml")
            || contentType.hasPrefix("application/manifest+json") || contentType.hasPrefix("application/problem+json")
    }

    /// FNV-1a, 64 bits, in hex: the ETag of a body.
    static func hash(_ bytes: [UInt8]) -> String {
        var hasher = StableHasher()
        hasher.combine(bytes)
        return hasher.hexDigest
    }

    /// The content type for a file name, by extension.
    static func contentType(for path: String) -> String {
        let name = path.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: ".") else { return "application/octet-stream" }
        switch name[name.index(after: dot)...].lowercased() {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "xml": return "application/xml"
        case "txt", "md": return "text/plain; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "avif": return "image/avif"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "pdf": return "application/pdf"
        case "webmanifest": return "application/manifest+json"
        default: return "application/octet-stream"
        }
    }
}

/// The files of the built site, listed from the output folder after each build and read into
/// memory on first request. Requests never touch the file system with a path they name: a
/// path is only ever looked up in this list, so `..` and its encodings cannot leave the folder.
final class SiteFiles: Sendable {
    private struct Entry {
        var modified: Int64
        var size: Int64
        var file: ServedFile?
    }

    let folder: String
    private let options: Options
    private let entries = Locked<[String: Entry]>([:])

    struct Options: Sendable {
        /// Injected into every HTML page before `</head>` (the live reload script), or nil.
        var htmlInjection: String?
        /// For HTML and JSON, which change with each build.
        var pageCacheControl = "no-cache"
        /// For `assets/`, which change with the theme.
        var assetCacheControl = "public, max-age=3600"
        var security = HTTPFields()
        /// Files larger than this are not held in memory (nor served).
        var largestFile = 64 * 1024 * 1024
    }

    init(folder: String, options: Options) {
        self.folder = folder
        self.options = options
    }

    /// Lists the output folder again, keeping what is loaded of files that did not change.
    /// Returns the relative paths that were added, changed or removed.
    @discardableResult
    func refresh() -> Set<String> {
        var found: [String: (modified: Int64, size: Int64)] = [:]
        Self.walk(folder, prefix: "", into: &found)
        return entries.withLock { entries in
            var changed: Set<String> = []
            var next: [String: Entry] = [:]
            next.reserveCapacity(found.count)
            for (path, stamp) in found {
                if let old = entries[path], old.modified == stamp.modified, old.size == stamp.size {
                    next[path] = old
                } else {
                    next[path] = Entry(modified: stamp.modified, size: stamp.size, file: nil)
                    changed.insert(path)
                }
            }
            for path in entries.keys where next[path] == nil { changed.insert(path) }
            entries = next
            return changed
        }
    }

    /// Looks again at `paths` only, as a build reports the files and folders it wrote and
    /// removed (relative; a folder ends in `/`): a one-page rebuild touches a few files of tens
    /// of thousands, and listing them all took as long as the rebuild. Returns the paths of
    /// files that were added, changed or removed.
    @discardableResult
    func refresh(paths: [String]) -> Set<String> {
        // What is there now under each path: a file's stamp, or a folder's files.
        var files: [String: (modified: Int64, size: Int64)] = [:]
        // Paths that are, or were, folders or removed files: entries under them may be gone.
        var emptied: [String] = []
        for raw in Set(paths) {
            let path = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            // As `walk` lists them: no hidden entry on the way.
            guard !path.isEmpty, !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
            var info = stat()
            let found = lstat(folder + "/" + path, &info) == 0
            if found, info.st_mode & S_IFMT == S_IFREG {
                files[path] = Self.stamp(info)
            } else {
                if found, info.st_mode & S_IFMT == S_IFDIR {
                    Self.walk(folder + "/" + path, prefix: path + "/", into: &files)
                }
                emptied.append(path)
            }
        }
        return entries.withLock { entries in
            var changed: Set<String> = []
            // Gone: a file no longer there, or no longer under a folder looked at.
            for path in emptied {
                let prefix = path + "/"
                let gone = entries.keys.filter { ($0 == path || $0.hasPrefix(prefix)) && files[$0] == nil }
                for key in gone { entries[key] = nil }
                changed.formUnion(gone)
            }
            for (path, stamp) in files {
                if let old = entries[path], old.modified == stamp.modified, old.size == stamp.size { continue }
                entries[path] = Entry(modified: stamp.modified, size: stamp.size, file: nil)
                changed.insert(path)
            }
            return changed
        }
    }

    func contains(_ path: String) -> Bool { entries.withLock { $0[path] != nil } }

    /// The file at a relative path (`composition/paracetamol/index.html`), read on first use.
    func file(_ path: String) -> ServedFile? {
        let lookup = entries.withLock { entries -> (file: ServedFile?, stamp: (Int64, Int64)?) in
            guard let entry = entries[path] else { return (nil, nil) }
            return (entry.file, (entry.modified, entry.size))
        }
        if let file = lookup.file { return file }
        guard let stamp = lookup.stamp, stamp.1 <= Int64(options.largestFile),
            var bytes = Self.read(folder + "/" + path)
        else { return nil }
        let contentType = ServedFile.contentType(for: path)
        if let injection = options.htmlInjection, contentType.hasPrefix("text/html") {
            bytes = Self.inject(injection, into: bytes)
        }
        let cacheControl = path.hasPrefix("assets/") ? options.assetCacheControl : options.pageCacheControl
        let file = ServedFile(
            bytes: bytes, contentType: contentType, modified: Int(stamp.0 / 1_000_000_000), cacheControl: cacheControl,
            security: options.security)
        entries.withLock { entries in
            // Only if the listing did not change meanwhile.
            if let entry = entries[path], entry.modified == stamp.0, entry.size == stamp.1 {
                entries[path]?.file = file
            }
        }
        return file
    }

    /// `text` inserted before the first `</head>`, or at the end when there is none.
    static func inject(_ text: String, into bytes: [UInt8]) -> [UInt8] {
        let marker = Array("</head>".utf8)
        var result = bytes
        if let at = bytes.firstRange(of: marker)?.lowerBound {
            result.insert(contentsOf: text.utf8, at: at)
        } else {
            result.append(contentsOf: text.utf8)
        }
        return result
    }

    private static func read(_ path: String) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return [] }
        return [UInt8](data)
    }

    private static func stamp(_ info: stat) -> (modified: Int64, size: Int64) {
        (Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec), Int64(info.st_size))
    }

    /// Every regular file under `folder`, by path relative to it; hidden entries are skipped.
    private static func walk(
        _ folder: String, prefix: String, into found: inout [String: (modified: Int64, size: Int64)]
    ) {
        Directory.forEachEntry(in: folder) { entry, _ in
            if entry.isHidden { return }
            let name = entry.nameText
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { return }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(path, prefix: prefix + name + "/", into: &found)
            case S_IFREG:
                found[prefix + name] = stamp(info)
            default:
                return  // symbolic links and devices are not served
            }
        }
    }
}
