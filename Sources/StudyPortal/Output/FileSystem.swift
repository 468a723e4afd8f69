import CSupport
import Foundation

/// The few file operations the writer does thousands of times, as plain POSIX calls: Foundation's
/// `createFile` writes through a temporary file and syncs, and `removeItem` stats every entry twice,
/// which made writing the output the slowest stage (docs/benchmarks.md).
enum FileSystem {
    /// Creates (or truncates) `path` and writes all of `bytes`. A missing parent folder is made (up
    /// to `root`); a folder, file or symbolic link standing where a folder or this file must go is
    /// removed first — the work folder is ours, and its last build may have had another shape.
    /// The last component is opened without following links. Returns an error text or nil.
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String, makingFoldersUnder root: String) -> String? {
        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW
        var fd = open(path, flags, 0o644)
        if fd < 0 && (errno == ENOENT || errno == ENOTDIR) && path.hasPrefix(root + "/") {
            makeParents(of: String(path.dropFirst(root.count + 1)), under: root)
            fd = open(path, flags, 0o644)
        } else if fd < 0 && (errno == EISDIR || errno == ELOOP) {
            removeTree(path)
            fd = open(path, flags, 0o644)
        }
        guard fd >= 0 else { return "cannot create \(path): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let n = Glibc.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return "cannot write \(path): \(String(cString: strerror(errno)))"
            }
            offset += n
        }
        return nil
    }

    /// Makes each folder on the way to `relative` (a file path under `root`), replacing whatever
    /// non-folder stands in the way. Safe to race: another thread's `mkdir` of the same folder is fine.
    static func makeParents(of relative: String, under root: String) {
        var dir = root
        for part in relative.split(separator: "/").dropLast() {
            dir += "/" + part
            if mkdir(dir, 0o755) == 0 || errno != EEXIST { continue }
            var info = stat()
            if lstat(dir, &info) == 0, info.st_mode & S_IFMT != S_IFDIR {
                unlink(dir)
                mkdir(dir, 0o755)
            }
        }
    }

    /// Whether the regular file at `path` holds exactly `bytes`: size first, then the bytes, read in
    /// blocks through one stack buffer (no allocation per file).
    static func holds(_ path: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) == bytes.count else { return false }
        guard let base = bytes.baseAddress else { return true }
        return withUnsafeTemporaryAllocation(byteCount: 1 << 16, alignment: 16) { buffer -> Bool in
            guard let block = buffer.baseAddress else { return false }
            var offset = 0
            while offset < bytes.count {
                let n = read(fd, block, min(buffer.count, bytes.count - offset))
                if n < 0 && errno == EINTR { continue }
                guard n > 0, memcmp(block, base + offset, n) == 0 else { return false }
                offset += n
            }
            return true
        }
    }

    /// The stamp of the regular file at `path` (not following a link) for the manifest, with `hash`
    /// as its bytes' hash; nil for anything else.
    static func stamp(_ path: String, hash: UInt64) -> OutputManifest.Stamp? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return OutputManifest.Stamp(size: Int(info.st_size), hash: hash, inode: UInt64(info.st_ino),
                                    changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
    }

    /// The inode of the folder at `path` (not following a link), or nil.
    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        return UInt64(info.st_ino)
    }

    /// Every file, folder and symbolic link under `root`, relative to it, without following links.
    /// Each folder is opened relative to its parent's descriptor (`openat`, never following a link)
    /// and read with `getdents64`: the work folder of a 10,000-material site has 20,000 folders, and
    /// `opendir` by full path walked that path again in the kernel, `fdopendir` added three system
    /// calls per folder (docs/benchmarks.md, ninth session).
    static func listTree(_ root: String) -> (files: Set<String>, dirs: Set<String>, links: [String]) {
        var tree = Tree()
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return (tree.files, tree.dirs, tree.links) }
        withUnsafeTemporaryAllocation(byteCount: 1 << 15, alignment: 8) { buffer in list(fd, "", buffer, into: &tree) }
        return (tree.files, tree.dirs, tree.links)
    }

    private struct Tree {
        var files = Set<String>(), dirs = Set<String>(), links: [String] = []
    }

    /// Lists the folder open as `fd` (closing it), then each of its folders in turn: depth first, so
    /// only one descriptor per level is open at a time.
    private static func list(_ fd: Int32, _ rel: String, _ buffer: UnsafeMutableRawBufferPointer, into tree: inout Tree) {
        var folders: [String] = []
        for (name, type) in entries(fd, buffer) {
            if name == "." || name == ".." { continue }
            var kind = Int32(type)
            if kind == Int32(DT_UNKNOWN) {   // a file system that does not say: ask it
                var info = stat()
                guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: kind = Int32(DT_DIR)
                case S_IFLNK: kind = Int32(DT_LNK)
                default: kind = Int32(DT_REG)
                }
            }
            let path = rel.isEmpty ? name : rel + "/" + name
            switch kind {
            case Int32(DT_DIR): tree.dirs.insert(path); folders.append(name)
            case Int32(DT_LNK): tree.links.append(path)
            default: tree.files.insert(path)
            }
        }
        for name in folders {
            let path = rel.isEmpty ? name : rel + "/" + name
            let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if child >= 0 {
                list(child, path, buffer, into: &tree)
            } else if errno == ELOOP {   // made a link since it was listed: removed like the others
                tree.dirs.remove(path)
                tree.links.append(path)
            }
        }
        close(fd)
    }

    /// The names and types (`DT_…`) of the entries of the open folder `fd`, which stays open.
    private static func entries(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> [(name: String, type: UInt8)] {
        var out: [(name: String, type: UInt8)] = []
        while let base = buffer.baseAddress {
            let n = studyportal_read_directory(fd, base, UInt(buffer.count))
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == ENOSYS { return entriesThroughReaddir(fd) }
            guard n > 0 else { return out }
            // linux_dirent64: inode (8 bytes), offset (8), record length (2), type (1), name (NUL-terminated).
            var at = 0
            while at + 19 < n {
                let length = Int(buffer.loadUnaligned(fromByteOffset: at + 16, as: UInt16.self))
                guard length > 0 else { return out }
                out.append((String(cString: (base + at + 19).assumingMemoryBound(to: CChar.self)), buffer[at + 18]))
                at += length
            }
        }
        return out
    }

    /// `entries` where there is no `getdents64`: `readdir` over a duplicate of `fd`.
    private static func entriesThroughReaddir(_ fd: Int32) -> [(name: String, type: UInt8)] {
        let copy = dup(fd)
        guard copy >= 0, let dir = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return []
        }
        defer { closedir(dir) }
        var out: [(name: String, type: UInt8)] = []
        while let entry = readdir(dir) { out.append((entryName(entry), entry.pointee.d_type)) }
        return out
    }

    /// The name of a directory entry, read where it lies. (Copying `pointee.d_name` reads all 256 bytes
    /// of the declared array, past the end of a short entry at the end of the kernel's buffer:
    /// AddressSanitizer caught it.)
    static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
        nameBytes(entry).map { String(cString: $0) } ?? ""
    }

    /// The name of a directory entry when it is valid UTF-8, else nil.
    static func validEntryName(_ entry: UnsafeMutablePointer<dirent>) -> String? {
        nameBytes(entry).flatMap { String(validatingCString: $0) }
    }

    private static func nameBytes(_ entry: UnsafeMutablePointer<dirent>) -> UnsafePointer<CChar>? {
        guard let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else { return nil }
        return UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: CChar.self)
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
                let name = entryName(entry)
                if name == "." || name == ".." { continue }
                let child = path + "/" + name
                if entry.pointee.d_type == UInt8(DT_DIR) { removeTree(child) } else if unlink(child) != 0 { removeTree(child) }
            }
            closedir(dir)
        }
        rmdir(path)
    }
}
