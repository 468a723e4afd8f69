import CSupport
import Foundation

/// Walking and removing folders of the output's work folder: each folder is opened relative to its
/// parent's descriptor (`openat`, never following a link) and read with `getdents64`. The work folder
/// of a 10,000-material site has 20,000 folders: `opendir` by full path walked that path again in the
/// kernel each time, and `readdir` over `fdopendir` cost three more system calls per folder
/// (docs/benchmarks.md, ninth session).
extension FileSystem {
    /// One entry of a folder: its name as the file system has it (NUL-terminated) and its `DT_` type.
    struct FolderEntry {
        var name: [CChar]
        var type: UInt8
    }

    /// What a folder holds, relative to it: its files and folders at every depth, and each
    /// sub-folder's stamp (`OutputManifest.FolderStamp`) when every one had settled — none had
    /// changed in the moments before it was read (nil otherwise).
    struct Tree {
        var files = FileSet()
        /// Each once.
        var dirs: [String] = []
        var stamps: [String: OutputManifest.FolderStamp]? = [:]
    }

    /// The files of a tree, by path: those a walk found, or those the manifest records below the
    /// root (its table itself, trusted with the folders' record: `trustedTree`) with the root's own,
    /// listed. At 10,000 materials the record's 27,500 paths were hashed into a set of their own,
    /// beside the table that already held them.
    struct FileSet: Sendable {
        /// The files found by a walk, or the root's files beside `recorded`.
        private var listed: Set<String> = []
        /// The manifest's files below the root (only paths with a slash count), and how many.
        private var recorded: [String: OutputManifest.Stamp] = [:]
        private var recordedCount = 0

        init() {}

        /// The root's files (`listed`) and the record of the files below it (`recorded`, with the
        /// number of its paths that have a slash).
        init(root listed: Set<String>, recorded: [String: OutputManifest.Stamp], below count: Int) {
            (self.listed, self.recorded, recordedCount) = (listed, recorded, count)
        }

        mutating func insert(_ path: String) { listed.insert(path) }

        func contains(_ path: String) -> Bool {
            if recordedCount == 0 || !path.utf8.contains(UInt8(ascii: "/")) { return listed.contains(path) }
            return recorded[path] != nil
        }

        var count: Int { listed.count + recordedCount }

        /// Every path, once.
        var paths: [String] {
            guard recordedCount > 0 else { return Array(listed) }
            return Array(listed) + recorded.keys.filter { $0.utf8.contains(UInt8(ascii: "/")) }
        }
    }

    /// Every file and folder under `root`, relative to it; nil when a folder cannot be read. Symbolic
    /// links, and entries whose names are not UTF-8, are removed as they are found: nothing the
    /// build writes may go through a link, and a name that is not UTF-8 (the build writes none)
    /// could not be named again to remove it later. A folder's stamp counts as settled when its
    /// change time is earlier than `settledBefore` (nanoseconds since 1970).
    static func listTree(_ root: String, settledBefore: Int64 = 0) -> Tree? {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var tree = Tree()
        let complete = withUnsafeTemporaryAllocation(byteCount: 1 << 15, alignment: 8) { list(fd, "", $0, settledBefore, into: &tree) }
        return complete ? tree : nil
    }

    /// The tree under `root` as `listTree` would find it, read from `files` and `folders` (what the
    /// manifest holds of it) rather than from the folders themselves, when the record still holds:
    /// every recorded sub-folder is there with the stamp recorded, the root holds no folder but
    /// recorded ones, and the record is whole (each recorded path's folder recorded too). Only the
    /// root is read (the manifest comes and goes there every build); nil when anything differs.
    /// At 10,000 materials this reads one folder of 20,000 and makes 20,000 `fstatat` calls instead
    /// of 80,000 calls that read folders (docs/benchmarks.md, tenth session).
    static func trustedTree(_ root: String, files: [String: OutputManifest.Stamp]?, folders: [String: OutputManifest.FolderStamp]?) -> Tree? {
        guard let files, let folders, !folders.isEmpty else { return nil }
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let entries = withUnsafeTemporaryAllocation(byteCount: 1 << 15, alignment: 8, { entries(fd, $0) }) else { return nil }
        var root = Set<String>()
        for entry in entries {
            let type = entry.type == UInt8(DT_UNKNOWN) ? kind(of: entry.name, in: fd) : entry.type
            // Links and names that are not UTF-8 are the walk's to remove.
            guard type != UInt8(DT_LNK), let name = entry.name.withUnsafeBufferPointer({ $0.baseAddress.flatMap(String.init(validatingCString:)) }) else { return nil }
            if type == UInt8(DT_DIR) {
                guard folders[name] != nil else { return nil }
            } else {
                root.insert(name)
            }
        }
        for path in folders.keys {
            let parent = OutputWriter.parentPath(path)
            guard parent.isEmpty || folders[parent] != nil else { return nil }
        }
        var below = 0
        for path in files.keys {
            let parent = OutputWriter.parentPath(path)
            if parent.isEmpty { continue }   // the root's files are the ones read above
            guard folders[parent] != nil else { return nil }
            below += 1
        }
        for (path, recorded) in folders {
            var info = stat()
            guard fstatat(fd, path, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFDIR,
                  folderStamp(info) == recorded else { return nil }
        }
        return Tree(files: FileSet(root: root, recorded: files, below: below), dirs: Array(folders.keys), stamps: folders)
    }

    /// A folder's stamp from its `stat`.
    static func folderStamp(_ info: stat) -> OutputManifest.FolderStamp {
        OutputManifest.FolderStamp(inode: UInt64(info.st_ino), changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
    }

    /// Lists the folder open as `fd` (closing it), then each of its folders in turn: depth first, so
    /// only one descriptor per level is open at a time. False when some folder could not be read.
    private static func list(_ fd: Int32, _ rel: String, _ buffer: UnsafeMutableRawBufferPointer, _ settledBefore: Int64,
                             into tree: inout Tree) -> Bool {
        defer { close(fd) }
        guard let entries = entries(fd, buffer) else { return false }
        var folders: [(path: String, raw: [CChar])] = []
        for entry in entries {
            let type = entry.type == UInt8(DT_UNKNOWN) ? kind(of: entry.name, in: fd) : entry.type
            guard type != UInt8(DT_LNK), let name = entry.name.withUnsafeBufferPointer({ $0.baseAddress.flatMap(String.init(validatingCString:)) }) else {
                remove(entry.name, in: fd, buffer)
                continue
            }
            let path = rel.isEmpty ? name : rel + "/" + name
            if type == UInt8(DT_DIR) {
                tree.dirs.append(path)
                folders.append((path, entry.name))
            } else {
                tree.files.insert(path)
            }
        }
        for folder in folders {
            let child = openat(fd, folder.raw, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if child >= 0 {
                // Stamped before it is read: a change while it is read moves its times past the stamp.
                var info = stat()
                if tree.stamps != nil, fstat(child, &info) == 0 {
                    let stamp = folderStamp(info)
                    if stamp.changed >= 0 && stamp.changed < settledBefore { tree.stamps?[folder.path] = stamp } else { tree.stamps = nil }
                } else {
                    tree.stamps = nil
                }
                guard list(child, folder.path, buffer, settledBefore, into: &tree) else { return false }
            } else if errno == ELOOP || errno == ENOTDIR {   // replaced by a link or a file since it was listed
                if let k = tree.dirs.lastIndex(of: folder.path) { tree.dirs.remove(at: k) }
                remove(folder.raw, in: fd, buffer)
            } else {
                return false
            }
        }
        return true
    }

    /// Removes `path` (a file, a link, or a folder with all it holds), never following a link below
    /// the folder that holds it.
    static func removeTree(_ path: String) {
        let name = (path as NSString).lastPathComponent
        // Only a name inside a folder: never `/`, `.` or `..`.
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { return }
        let parent = (path as NSString).deletingLastPathComponent
        let fd = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        withUnsafeTemporaryAllocation(byteCount: 1 << 15, alignment: 8) { buffer in
            name.withCString { remove(Array(UnsafeBufferPointer(start: $0, count: strlen($0) + 1)), in: fd, buffer) }
        }
    }

    /// Removes the entry `name` of the open folder `fd`, and all it holds when it is a folder.
    private static func remove(_ name: [CChar], in fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) {
        if unlinkat(fd, name, 0) == 0 || (errno != EISDIR && errno != EPERM) { return }
        let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard child >= 0 else { return }
        // The entries are taken before any is removed: the buffer is reused one level down.
        for entry in entries(child, buffer) ?? [] { remove(entry.name, in: child, buffer) }
        close(child)
        unlinkat(fd, name, AT_REMOVEDIR)
    }

    /// What the file system says `name` in the open folder `fd` is, as a `DT_` type (for file
    /// systems whose folder entries do not say).
    private static func kind(of name: [CChar], in fd: Int32) -> UInt8 {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return UInt8(DT_UNKNOWN) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return UInt8(DT_DIR)
        case S_IFLNK: return UInt8(DT_LNK)
        default: return UInt8(DT_REG)
        }
    }

    /// The entries of the open folder `fd` (which stays open), "." and ".." left out; nil on a read error.
    static func entries(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> [FolderEntry]? {
        var out: [FolderEntry] = []
        while let base = buffer.baseAddress {
            let n = studyportal_read_directory(fd, base, UInt(buffer.count))
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == ENOSYS { return entriesThroughReaddir(fd) }
            guard n >= 0 else { return nil }
            guard n > 0 else { return out }
            // linux_dirent64: inode (8 bytes), offset (8), record length (2), type (1), name (NUL-terminated).
            var at = 0
            while at + 19 < n {
                let length = Int(buffer.loadUnaligned(fromByteOffset: at + 16, as: UInt16.self))
                guard length > 19, at + length <= n else { return nil }
                let start = (base + at + 19).assumingMemoryBound(to: CChar.self)
                let count = strnlen(start, length - 19)
                guard count < length - 19 else { return nil }   // no terminating NUL: not a record
                let name = UnsafeBufferPointer(start: start, count: count + 1)
                if !isDotOrDotDot(name) { out.append(FolderEntry(name: Array(name), type: buffer[at + 18])) }
                at += length
            }
        }
        return out
    }

    /// `entries` where there is no `getdents64`: `readdir` over a duplicate of `fd`.
    private static func entriesThroughReaddir(_ fd: Int32) -> [FolderEntry]? {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { return nil }
        guard let dir = fdopendir(copy) else {
            close(copy)
            return nil
        }
        defer { closedir(dir) }
        var out: [FolderEntry] = []
        while let entry = readdir(dir) {
            guard let start = nameBytes(entry) else { continue }
            let name = UnsafeBufferPointer(start: start, count: strlen(start) + 1)
            if !isDotOrDotDot(name) { out.append(FolderEntry(name: Array(name), type: entry.pointee.d_type)) }
        }
        return out
    }

    private static func isDotOrDotDot(_ name: UnsafeBufferPointer<CChar>) -> Bool {
        name.count == 2 && name[0] == 0x2E || name.count == 3 && name[0] == 0x2E && name[1] == 0x2E
    }
}
