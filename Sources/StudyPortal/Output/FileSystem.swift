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
        // Truncated only once it is known to be this file alone (below); not blocking on a FIFO
        // found in its place (ENXIO without a reader: removed below, like a folder or a link).
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK
        var fd = open(path, flags, 0o644)
        if fd < 0 && (errno == ENOENT || errno == ENOTDIR) && path.hasPrefix(root + "/") {
            makeParents(of: String(path.dropFirst(root.count + 1)), under: root)
            fd = open(path, flags, 0o644)
        } else if fd < 0 && (errno == EISDIR || errno == ELOOP || errno == ENXIO) {
            removeTree(path)
            fd = open(path, flags, 0o644)
        }
        guard fd >= 0 else { return "cannot create \(path): \(String(cString: strerror(errno)))" }
        // A file with another name somewhere else (a hard link put in the work folder), or anything
        // but a plain file, is not written through: it is unlinked here and made anew.
        var info = stat()
        if fstat(fd, &info) != 0 || info.st_nlink > 1 || info.st_mode & S_IFMT != S_IFREG {
            close(fd)
            unlink(path)
            fd = open(path, flags | O_EXCL, 0o644)
            guard fd >= 0 else { return "cannot create \(path): \(String(cString: strerror(errno)))" }
        }
        defer { close(fd) }
        guard ftruncate(fd, 0) == 0 else { return "cannot write \(path): \(String(cString: strerror(errno)))" }
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
        stamp(in: AT_FDCWD, path, hash: hash)
    }

    /// `stamp` of `path` inside the folder open as `folder`: the kernel looks up only the names below
    /// it (a quarter of the CPU the 27,000 page stamps of a 10,000-material site took went to looking
    /// up the names above the work folder again and again).
    static func stamp(in folder: Int32, _ path: String, hash: UInt64) -> OutputManifest.Stamp? {
        var info = stat()
        guard fstatat(folder, path, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return OutputManifest.Stamp(size: Int(info.st_size), hash: hash, inode: UInt64(info.st_ino),
                                    changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
    }

    /// The inode of the folder at `path` (not following a link), or nil.
    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        return UInt64(info.st_ino)
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

    static func nameBytes(_ entry: UnsafeMutablePointer<dirent>) -> UnsafePointer<CChar>? {
        guard let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else { return nil }
        return UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: CChar.self)
    }

    /// The bytes of the regular file at `path` (never through a link unless `followingLinks`; relative
    /// to the folder open as `folder`, if given), or nil.
    static func contents(ofFile path: String, in folder: Int32 = AT_FDCWD, followingLinks: Bool = false) -> [UInt8]? {
        // Non-blocking: a FIFO put there must not hold the build (it is not a plain file, and read no further).
        let fd = openat(folder, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followingLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(info.st_size)
        // Nothing to read: no array made over no room (`unsafeUninitializedCapacity: 0` writes its
        // count into the empty array all arrays share, a race ThreadSanitizer reports).
        guard size > 0 else { return [] }
        // Read straight into the array's room: zero-filled first, the 100 MB of a 10,000-material
        // site were each written twice.
        var complete = true
        let out = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            while initialized < size {
                let n = read(fd, base + initialized, size - initialized)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { complete = false; return }   // shorter than its size said: changed while read
                initialized += n
            }
        }
        return complete ? out : nil
    }

    /// `mkdir` that accepts an existing folder.
    static func makeDirectory(_ path: String) -> String? {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return nil }
        return "cannot create \(path): \(String(cString: strerror(errno)))"
    }

}
