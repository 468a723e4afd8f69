import Foundation

/// Lists every regular file under a folder, in a stable order, without hanging on symlink loops:
/// a symlinked folder is followed only when its real path has not been visited yet.
enum Walk {
    struct Entry: Sendable {
        /// Path relative to the walked folder, `/`-separated.
        var relative: String
        var absolute: String
    }

    static func files(under root: String, label: String = "content/") -> (entries: [Entry], diagnostics: [Diagnostic], unreadable: [String]) {
        var entries: [Entry] = []
        var diagnostics: [Diagnostic] = []
        var unreadable: [String] = []
        var visited: Set<String> = []
        if let real = realPath(root) { visited.insert(real) }
        var stack: [(absolute: String, relative: String)] = [(root, "")]
        let fm = FileManager.default
        while let (dir, rel) = stack.popLast() {
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else {
                unreadable.append(rel.isEmpty ? "." : rel)
                continue
            }
            var subfolders: [(String, String)] = []
            for name in names.sorted() where !name.hasPrefix(".") {
                let absolute = dir + "/" + name
                let relative = rel.isEmpty ? name : rel + "/" + name
                var info = stat()
                guard lstat(absolute, &info) == 0 else { unreadable.append(relative); continue }
                var kind = info.st_mode & S_IFMT
                if kind == S_IFLNK {
                    var target = stat()
                    guard stat(absolute, &target) == 0 else {
                        diagnostics.append(.warning("broken or looping symbolic link, skipped", path: label + relative))
                        continue
                    }
                    kind = target.st_mode & S_IFMT
                    if kind == S_IFDIR {
                        guard let real = realPath(absolute), !visited.contains(real) else {
                            diagnostics.append(.warning("symbolic link loop (the folder is already part of the site), skipped", path: label + relative))
                            continue
                        }
                    }
                }
                if kind == S_IFDIR {
                    if let real = realPath(absolute) {
                        guard visited.insert(real).inserted else {
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

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
