import FormularyModel
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#else
    #error("FolderWatcher watches folders through Linux's inotify: Formulary builds on Linux")
#endif

/// Watches folders (and every folder inside them) for files written, created, moved or
/// deleted, through Linux's inotify. Each burst of changes is reported once, after the
/// changes have been quiet for `settle`, so an editor's write-rename-chmod is one change.
final class FolderWatcher: Sendable {
    private let descriptor: Int32
    private let folders: [String]
    /// Folders asked for that did not exist yet, by the watch on their parent: watched from
    /// the moment they appear (a site's `templates/` made after `serve` started).
    private let awaited = Locked<[Int32: [String]]>([:])
    private let stopped = Atomic<Bool>(false)
    private let watched = Locked<[Int32: String]>([:])

    enum Failure: Error, CustomStringConvertible {
        case unavailable(String)
        var description: String {
            switch self {
            case .unavailable(let reason): return "cannot watch for changes: \(reason)"
            }
        }
    }

    init(folders: [String]) throws(Failure) {
        descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard descriptor >= 0 else { throw .unavailable(String(cString: strerror(errno))) }
        self.folders = folders
        for folder in folders {
            if FileManager.default.fileExists(atPath: folder) {
                addWatches(folder)
            } else {
                let parent = (folder as NSString).deletingLastPathComponent
                let wd = inotify_add_watch(
                    descriptor, parent.isEmpty ? "." : parent, UInt32(IN_CREATE | IN_MOVED_TO | IN_ONLYDIR))
                if wd >= 0 { awaited.withLock { $0[wd, default: []].append(folder) } }
            }
        }
    }

    deinit { close(descriptor) }

    /// Calls `changed` after each burst of changes, on a thread of its own, until `stop()`.
    func start(settle: Duration = .milliseconds(40), changed: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in self.loop(settle: settle, changed: changed) }
        thread.name = "formulary-watch"
        thread.start()
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    private func loop(settle: Duration, changed: @Sendable () -> Void) {
        let settleMilliseconds = Int32(
            settle.components.seconds * 1000 + settle.components.attoseconds / 1_000_000_000_000_000)
        var pending = false
        while !stopped.load(ordering: .relaxed) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            // While a burst is going on, wait only for it to settle; otherwise check for stop twice a second.
            let ready = poll(&poller, 1, pending ? settleMilliseconds : 500)
            if ready > 0 {
                if drain() { pending = true }
            } else if ready == 0, pending {
                pending = false
                changed()
            }
        }
    }

    /// Reads the waiting events; adds watches for new folders. True when any event was relevant.
    private func drain() -> Bool {
        var relevant = false
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer, size)
            guard count > 0 else { break }
            var offset = 0
            while offset < count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameLength = Int(event.len)
                var name = ""
                if nameLength > 0 {
                    let start = buffer.advanced(by: offset + MemoryLayout<inotify_event>.size).assumingMemoryBound(
                        to: CChar.self)
                    name = String(cString: start)
                }
                offset += MemoryLayout<inotify_event>.size + nameLength
                if let waiting = awaited.withLock({ $0[event.wd] }) {
                    // A parent watched only for a folder to appear: nothing else there is the site.
                    if let folder = waiting.first(where: { ($0 as NSString).lastPathComponent == name }),
                        event.mask & UInt32(IN_ISDIR) != 0
                    {
                        addWatches(folder)
                        relevant = true
                    }
                    continue
                }
                if Self.isEditorFile(name) { continue }
                relevant = true
                if event.mask & UInt32(IN_ISDIR) != 0, event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0,
                    let parent = watched.withLock({ $0[event.wd] })
                {
                    addWatches(parent + "/" + name)
                }
                if event.mask & UInt32(IN_IGNORED) != 0 {
                    _ = watched.withLock { $0.removeValue(forKey: event.wd) }
                }
            }
        }
        return relevant
    }

    /// Editors' swap and backup files (`.x.swp`, `x~`, vim's `4913`) and other hidden files are
    /// not the site: changes to them are not reported.
    static func isEditorFile(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name == "4913"
    }

    /// Whether `folder` is watched now (for tests, which wait for a new folder's watch before
    /// writing into it instead of sleeping).
    func isWatching(_ folder: String) -> Bool { watched.withLock { $0.values.contains(folder) } }

    private func addWatches(_ folder: String) {
        let mask = UInt32(
            IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ATTRIB)
        let wd = inotify_add_watch(descriptor, folder, mask | UInt32(IN_ONLYDIR))
        guard wd >= 0 else { return }
        watched.withLock { $0[wd] = folder }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in entries where !name.hasPrefix(".") {
            var info = stat()
            let path = folder + "/" + name
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { addWatches(path) }
        }
    }
}
