import CSupport
import Foundation

/// The write stage (SPEC §6 atomic output): everything goes into a work folder beside the output
/// (`.NAME.tmp-PID`), which then takes the output's place in one atomic exchange. A failed or killed
/// build leaves the previous output exactly as it was; a stale work folder is removed by the next build.
public enum OutputWriter {
    public struct Failure: Error, Sendable {
        public var message: String
    }

    /// Why writing the site to `output` would be unsafe, or nil when it is fine.
    public static func problem(output: String, siteRoot: String) -> String? {
        let out = canonical(output)
        let root = canonical(siteRoot)
        if out == "/" { return "refusing to use / as the output folder" }
        if root == out || root.hasPrefix(out + "/") { return "refusing to use \(output) as the output folder: it holds the site itself" }
        for protected in ["content", "templates"] where out == root + "/" + protected || out.hasPrefix(root + "/" + protected + "/") {
            return "refusing to write the output inside \(protected)/"
        }
        if let home = ProcessInfo.processInfo.environment["HOME"], canonical(home) == out {
            return "refusing to use the home folder as the output folder"
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDir) {
            guard isDir.boolValue else { return "\(output) exists and is not a folder; it was left untouched" }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            let ours = names.contains("sitemap.xml") && names.contains("404.html")
            if !names.allSatisfy({ $0 == ".gitkeep" }) && !ours {
                return "\(output) holds files that studyportal did not write; empty it or choose another --output (a build replaces the whole folder)"
            }
        }
        let parent = (out as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: parent) { return "the folder \(parent) does not exist" }
        return nil
    }

    /// Writes `files` and swaps them in as `output`.
    ///
    /// The work folder is the output before last, kept as `.NAME.tmp-previous` after each swap: the new
    /// site is written over it, touching only what differs (missing folders made, changed files
    /// rewritten, stale ones removed), then exchanged with the live output. On this machine's disks a
    /// create or mkdir costs 100–200 µs, so a rebuild that changes a few pages writes a few pages.
    public static func write(_ files: [OutputFile], to output: String, jobs: Int) async throws(Failure) {
        let out = canonical(output)
        let parent = (out as NSString).deletingLastPathComponent
        let name = (out as NSString).lastPathComponent
        let fm = FileManager.default
        let work = parent + "/.\(name).tmp-previous"
        removeStaleWorkFolders(in: parent, name: name, keeping: work)

        var folders = Set<String>()
        for file in files {
            // Every path was built from validated slugs and ids; check again, since a path that
            // climbs out of the output folder must never be written, whatever the input.
            guard isContained(file.path) else { throw Failure(message: "refusing to write \(file.path): not a plain path inside the output") }
            var dir = parentPath(file.path)
            while !dir.isEmpty && folders.insert(dir).inserted { dir = parentPath(dir) }
        }
        var wanted = Set(files.map(\.path))
        // The repository keeps output/.gitkeep so the folder exists in a fresh clone: keep it.
        let keepGitkeep = fm.fileExists(atPath: out + "/.gitkeep")
        if keepGitkeep { wanted.insert(".gitkeep") }

        var isDir: ObjCBool = false
        if fm.fileExists(atPath: work, isDirectory: &isDir), !isDir.boolValue { FileSystem.removeTree(work) }
        if let failure = FileSystem.makeDirectory(work) { throw Failure(message: failure) }
        let existing = FileSystem.listTree(work)
        for path in existing.files where !wanted.contains(path) { FileSystem.removeTree(work + "/" + path) }
        for dir in existing.dirs.sorted(by: >) where !folders.contains(dir) { FileSystem.removeTree(work + "/" + dir) }
        // Parents sort before their children, so one mkdir each suffices.
        for dir in folders.sorted() where !existing.dirs.contains(dir) {
            if let failure = FileSystem.makeDirectory(work + "/" + dir) { throw Failure(message: failure) }
        }
        let failures = await parallelMap(files, jobs: jobs) { file -> String? in
            let target = work + "/" + file.path
            let data: Data
            switch file.content {
            case .bytes(let bytes): data = bytes
            case .copy(let source):
                guard let bytes = FileManager.default.contents(atPath: source) else { return "cannot read \(source)" }
                data = bytes
            }
            if existing.files.contains(file.path) && FileSystem.has(target, data) { return nil }
            return FileSystem.write(data, to: target)
        }
        if let failure = failures.compactMap({ $0 }).first { throw Failure(message: failure) }
        if keepGitkeep && !existing.files.contains(".gitkeep") { _ = FileSystem.write(Data(), to: work + "/.gitkeep") }

        if fm.fileExists(atPath: out) {
            if studyportal_exchange(work, out) != 0 {
                // No atomic exchange here (old kernel or file system): two renames, the old tree kept until the new is in place.
                let old = parent + "/.\(name).tmp-\(getpid())-old"
                guard rename(out, old) == 0 else { throw Failure(message: "cannot replace \(output): \(String(cString: strerror(errno)))") }
                guard rename(work, out) == 0 else {
                    _ = rename(old, out)
                    throw Failure(message: "cannot replace \(output): \(String(cString: strerror(errno)))")
                }
                _ = rename(old, work)
            }
            // `work` now holds the previous output: the base for the next build.
        } else if rename(work, out) != 0 {
            throw Failure(message: "cannot create \(output): \(String(cString: strerror(errno)))")
        }
    }

    /// `a/b/c` → `a/b`; `c` → ``.
    static func parentPath(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// Relative, no empty, `.` or `..` segment, no control characters.
    static func isContained(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/")
            && path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
            && !path.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Work folders a killed build left beside the output; only this exact naming pattern is touched.
    static func removeStaleWorkFolders(in parent: String, name: String, keeping: String) {
        let prefix = ".\(name).tmp-"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix(prefix) && parent + "/" + entry != keeping {
            FileSystem.removeTree(parent + "/" + entry)
        }
    }

    /// Absolute, with `.`/`..` and symlinks of the existing part resolved.
    static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var url = URL(fileURLWithPath: absolute).standardizedFileURL
        var tail: [String] = []
        while !FileManager.default.fileExists(atPath: url.path) && url.path != "/" {
            tail.insert(url.lastPathComponent, at: 0)
            url.deleteLastPathComponent()
        }
        var resolved = url.resolvingSymlinksInPath().path
        for piece in tail { resolved = (resolved as NSString).appendingPathComponent(piece) }
        return resolved.count > 1 && resolved.hasSuffix("/") ? String(resolved.dropLast()) : resolved
    }
}
