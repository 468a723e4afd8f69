import Foundation

/// The few file operations the writer does thousands of times, as plain POSIX calls: Foundation's
/// `createFile` writes through a temporary file and syncs, and `removeItem` stats every entry twice,
/// which made writing the output the slowest stage (docs/benchmarks.md).
enum FileSystem {
    /// Creates (or truncates) `path` and writes all of `bytes`. Returns an error text or nil.
    static func write(_ bytes: Data, to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return "cannot create \(path): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        var failure: String?
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = Glibc.write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = "cannot write \(path): \(String(cString: strerror(errno)))"
                    return
                }
                offset += n
            }
        }
        return failure
    }

    /// Whether the file at `path` already holds exactly `bytes` (size first, then the bytes).
    static func has(_ path: String, _ bytes: Data) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) == bytes.count else { return false }
        guard let current = FileManager.default.contents(atPath: path) else { return false }
        return current == bytes
    }

    /// Every file and folder under `root`, relative to it, without following symbolic links.
    static func listTree(_ root: String) -> (files: Set<String>, dirs: Set<String>) {
        var files = Set<String>(), dirs = Set<String>()
        var stack = [""]
        while let rel = stack.popLast() {
            guard let dir = opendir(rel.isEmpty ? root : root + "/" + rel) else { continue }
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
                if name == "." || name == ".." { continue }
                let path = rel.isEmpty ? name : rel + "/" + name
                if entry.pointee.d_type == UInt8(DT_DIR) { dirs.insert(path); stack.append(path) } else { files.insert(path) }
            }
            closedir(dir)
        }
        return (files, dirs)
    }

    /// `mkdir` that accepts an existing folder.
    static func makeDirectory(_ path: String) -> String? {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return nil }
        return "cannot create \(path): \(String(cString: strerror(errno)))"
    }

    /// Removes a tree without following symbolic links (unlinkat, depth first).
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT != S_IFDIR { unlink(path); return }
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
                if name == "." || name == ".." { continue }
                let child = path + "/" + name
                if entry.pointee.d_type == UInt8(DT_DIR) { removeTree(child) } else if unlink(child) != 0 { removeTree(child) }
            }
            closedir(dir)
        }
        rmdir(path)
    }
}
