import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Watches site.yml, content/ and templates/ with inotify, recursively: a folder created later is
/// watched as it appears, and editors that save by writing a new file and renaming it over the old
/// one (IN_MOVED_TO, IN_CREATE) are seen like those that write in place (IN_CLOSE_WRITE).
final class Watcher: @unchecked Sendable {
    private let fd: Int32
    private let root: String
    private var folders: [Int32: String] = [:]
    private let lock = NSLock()

    init?(root: String) {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.root = root
        add(root, recursive: false)
        for folder in ["content", "templates"] { add(root + "/" + folder, recursive: true) }
    }

    deinit { close(fd) }

    private static let mask = UInt32(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MODIFY | IN_ATTRIB)

    private func add(_ path: String, recursive: Bool) {
        let wd = inotify_add_watch(fd, path, Self.mask)
        guard wd >= 0 else { return }
        lock.withLock { folders[wd] = path }
        guard recursive, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names where !name.hasPrefix(".") {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDir), isDir.boolValue { add(path + "/" + name, recursive: true) }
        }
    }

    /// Blocks until something relevant changes; returns the changed paths (relative to the site, nil
    /// when a folder appeared or went: then anything may have changed). Runs on its own thread.
    func waitForChange() -> Set<String>? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var relevant = false
        var changed: Set<String>? = []
        var created = Set<String>(), gone = Set<String>()
        while true {
            // Block for the first event; then take whatever follows within 40 ms (editors write several
            // events per save: a temporary file, a rename), so one save is one rebuild.
            if relevant {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&pfd, 1, 40) <= 0 { break }
            }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { if errno == EINTR { continue }; return nil }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= n {
                let (wd, mask, length, name) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int, String) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let start = offset + MemoryLayout<inotify_event>.size
                    let bytes = raw[start..<min(start + Int(event.len), raw.count)].prefix { $0 != 0 }
                    return (event.wd, event.mask, Int(event.len), String(decoding: bytes, as: UTF8.self))
                }
                offset += MemoryLayout<inotify_event>.size + length
                let folder = lock.withLock { folders[wd] }
                guard let folder, !name.hasPrefix("."), !name.hasSuffix("~"), !name.hasSuffix(".swp") else { continue }
                if folder == root {
                    if name == "content" || name == "templates" {
                        if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { add(folder + "/" + name, recursive: true) }
                        relevant = true
                        changed = nil
                    }
                    if name == "site.yml" { relevant = true; changed?.insert(name) }
                    continue
                }
                if mask & UInt32(IN_ISDIR) != 0 {
                    if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { add(folder + "/" + name, recursive: true) }
                    changed = nil
                } else {
                    let path = String((folder + "/" + name).dropFirst(root.count + 1))
                    changed?.insert(path)
                    if mask & UInt32(IN_CREATE) != 0 { created.insert(path) }
                    if mask & UInt32(IN_MOVED_FROM | IN_DELETE) != 0 { gone.insert(path) }
                }
                relevant = true
            }
        }
        // An editor's temporary file, written then renamed over the real one, is no change of its own.
        return changed?.subtracting(created.intersection(gone))
    }
}
