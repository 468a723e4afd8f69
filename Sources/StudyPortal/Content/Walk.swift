import Foundation

/// Lists every regular file under a folder, in a stable order, without hanging on symlink loops:
/// a symlinked folder is followed only when the folder it reaches has not been visited yet.
enum Walk {
    struct Entry: Sendable {
        /// Path relative to the walked folder, `/`-separated.
        var relative: String
        var absolute: String
    }

    /// A folder's identity (device and inode): what loop detection compares, as `find` does. One
    /// `stat` per folder, and none per file, whose type the folder's own listing gives: the walk
    /// ran serially before anything else could start, and `lstat` per file plus `realpath` per
    /// folder (six system calls each) made it 65 ms of the load stage at 10,000 materials.
    private struct FolderID: Hashable {
        var device: UInt64
        var inode: UInt64

        /// The folder at `path` (following a link), or nil when it is none or cannot be reached.
        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
            device = UInt64(truncatingIfNeeded: info.st_dev)
            inode = UInt64(truncatingIfNeeded: info.st_ino)
        }
    }

    static func files(under root: String, label: String = "content/") -> (entries: [Entry], diagnostics: [Diagnostic], unreadable: [String]) {
        var entries: [Entry] = []
        var diagnostics: [Diagnostic] = []
        var unreadable: [String] = []
        var visited: Set<FolderID> = []
        if let id = FolderID(root) { visited.insert(id) }
        var stack: [(absolute: String, relative: String)] = [(root, "")]
        while let (dir, rel) = stack.popLast() {
            guard let listing = list(dir) else {
                unreadable.append(rel.isEmpty ? "." : rel)
                continue
            }
            var subfolders: [(String, String)] = []
            // A folder that can be listed but not entered (read but no search permission) lists
            // names whose files cannot be reached: each is then looked at, as unreadable.
            let enterable = access(dir, X_OK) == 0
            for (name, type, valid) in listing.sorted(by: { $0.name < $1.name }) where !name.hasPrefix(".") {
                let absolute = dir + "/" + name
                let relative = rel.isEmpty ? name : rel + "/" + name
                // A name that is not UTF-8 (a GBK name from a Windows archive) has no path we can
                // write back: reported, as it was when the lookup of its repaired name failed.
                guard valid else { unreadable.append(relative); continue }
                var kind: mode_t
                switch Int32(type) {
                case Int32(DT_REG) where enterable: kind = S_IFREG
                case Int32(DT_DIR) where enterable: kind = S_IFDIR
                case Int32(DT_LNK) where enterable: kind = S_IFLNK
                default:
                    // The file system did not say (DT_UNKNOWN), a device, pipe or socket, or a
                    // folder that cannot be entered.
                    var info = stat()
                    guard lstat(absolute, &info) == 0 else { unreadable.append(relative); continue }
                    kind = info.st_mode & S_IFMT
                }
                if kind == S_IFLNK {
                    var target = stat()
                    guard stat(absolute, &target) == 0 else {
                        diagnostics.append(.warning("broken or looping symbolic link, skipped", path: label + relative))
                        continue
                    }
                    kind = target.st_mode & S_IFMT
                }
                if kind == S_IFDIR {
                    if let id = FolderID(absolute) {
                        guard visited.insert(id).inserted else {
                            diagnostics.append(.warning("symbolic link loop (the folder is already part of the site), skipped", path: label + relative))
                            continue
                        }
                    }
                    subfolders.append((absolute, relative))
                } else if kind == S_IFREG {
                    entries.append(Entry(relative: relative, absolute: absolute))
                }
            }
            stack.append(contentsOf: subfolders.reversed())
        }
        entries.sort { $0.relative < $1.relative }
        return (entries, diagnostics, unreadable)
    }

    /// The names in a folder with the type its listing gives (`d_type`) and whether the name is
    /// valid UTF-8, or nil when the folder cannot be read.
    private static func list(_ path: String) -> [(name: String, type: UInt8, valid: Bool)]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var out: [(name: String, type: UInt8, valid: Bool)] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else { break }
            let valid = FileSystem.validEntryName(entry)
            let name = valid ?? FileSystem.entryName(entry)
            if name == "." || name == ".." { continue }
            out.append((name, entry.pointee.d_type, valid != nil))
        }
        return errno == 0 ? out : nil   // a read error is not the end of the listing
    }
}
