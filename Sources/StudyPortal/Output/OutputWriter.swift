import CSupport
import Foundation

/// Writing the site (SPEC §6 atomic output): pages go into a work folder beside the output
/// (`.NAME.tmp-previous`, the output before last) as they are rendered, and `commit` then swaps it in
/// with one atomic exchange. A failed or killed build leaves the previous output exactly as it was;
/// stale work folders of killed builds are removed by the next build.
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

    /// The folder a build writes into before the swap: the output before last, kept as
    /// `.NAME.tmp-previous` after each swap. The new site is written over it as it is rendered —
    /// a page goes to disk as soon as it exists, so the whole site is never held in memory — touching
    /// only what differs: a file that already holds the same bytes is left alone (on this machine's
    /// disks a create costs 100–200 µs, a compare a few), missing folders are made on the way.
    /// `commit` then removes what the new site no longer has and exchanges the folder with the output.
    public struct WorkFolder: Sendable {
        let output: String
        let path: String
        /// Files present when the build started, relative to `path`.
        let existing: FileSystem.FileSet
        let existingDirs: [String]
        /// Held from `prepare` until the last copy of this folder is gone (after `commit`).
        let lock: FolderLock
        /// This folder's inode, and what the build that last wrote it recorded of its files
        /// (`OutputManifest`; empty when there was no manifest).
        let inode: UInt64
        let known: [String: OutputManifest.Stamp]
        /// The sub-folders' stamps as this build found them, when all had settled (`FileSystem.Tree`).
        let subfolders: [String: OutputManifest.FolderStamp]?
        /// The live output's inode and its build's part of the manifest, carried into the next one.
        let live: (inode: UInt64, section: [UInt8])?

        /// Writes `bytes` as `relative` unless the file already holds them: known from the manifest
        /// when it has the file (same hash, file untouched since), else by comparing the bytes.
        /// Returns an error text, or the file's stamp for the next manifest (nil if it cannot be read).
        func put(_ relative: String, _ bytes: UnsafeRawBufferPointer) -> (failure: String?, stamp: OutputManifest.Stamp?) {
            put(relative, bytes, existed: existing.contains(relative))
        }

        /// `put`, told whether the folder had the file when the build began.
        func put(_ relative: String, _ bytes: UnsafeRawBufferPointer, existed: Bool) -> (failure: String?, stamp: OutputManifest.Stamp?) {
            // Every path was built from validated slugs and ids; check again, since a path that
            // climbs out of the output folder must never be written, whatever the input.
            guard isContained(relative) else { return ("refusing to write \(relative): not a plain path inside the output", nil) }
            let hash = OutputManifest.hash(bytes)
            let old = existed ? known[relative] : nil
            // Unchanged since the manifest recorded it (most files of a rebuild): nothing more to do,
            // not even the file's full path to make.
            if let old, old.hash == hash && old.size == bytes.count && FileSystem.stamp(in: lock.fd, relative, hash: hash) == old { return (nil, old) }
            let target = path + "/" + relative
            if existed && old == nil && FileSystem.holds(target, bytes) { return (nil, FileSystem.stamp(target, hash: hash)) }
            if let failure = FileSystem.write(bytes, to: target, makingFoldersUnder: path) { return (failure, nil) }
            return (nil, FileSystem.stamp(target, hash: hash))
        }

        /// The file, written now (its content then becomes `.written`); on a failure it is kept in
        /// memory, and `commit` tries again and reports.
        func store(_ path: String, _ bytes: [UInt8], origin: String) -> OutputFile {
            let existed = existing.contains(path)
            let (failure, stamp) = bytes.withUnsafeBytes { put(path, $0, existed: existed) }
            return OutputFile(path: path, content: failure == nil ? .written : .bytes(bytes), origin: origin, stamp: stamp, existed: existed)
        }
    }

    /// How long a folder of the work folder must have gone unchanged before its stamp is recorded,
    /// so that a later change cannot fall within the same tick of the file system's clock (FAT's
    /// is two seconds; ext4's a few milliseconds).
    public static let settlingSeconds = 3.0

    /// Makes (or reuses) the work folder beside `output`; symbolic links found in it are removed, so
    /// nothing written there can land outside. Its folders are read unless the manifest's record of
    /// them still holds (`FileSystem.trustedTree`); `settling` is `settlingSeconds` but in tests.
    public static func prepare(output: String, settling: Double = settlingSeconds) throws(Failure) -> WorkFolder {
        let out = canonical(output)
        let parent = (out as NSString).deletingLastPathComponent
        let name = (out as NSString).lastPathComponent
        let work = parent + "/.\(name).tmp-previous"
        var info = stat()
        if lstat(work, &info) == 0, info.st_mode & S_IFMT != S_IFDIR { FileSystem.removeTree(work) }
        if let failure = FileSystem.makeDirectory(work) { throw Failure(message: failure) }
        // One build at a time per output: pages are written into the work folder for the whole
        // render, and two builds interleaving there would publish a mix.
        guard let lock = FolderLock.acquire(work) else {
            throw Failure(message: "another studyportal build is writing \(output) (it holds \(work)); run this one when it has finished")
        }
        removeStaleWorkFolders(in: parent, name: name, keeping: work)
        // Read before anything is written; as a stale file the manifest is removed by `commit`.
        let inode = FileSystem.inode(work) ?? 0
        let manifest = OutputManifest.read(in: work, parsing: inode)
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let settledBefore = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - Int64(settling * 1e9)
        // Symbolic links found there are removed by the walk.
        guard let tree = FileSystem.trustedTree(work, files: manifest.folders[inode], folders: manifest.subfolders[inode])
                ?? FileSystem.listTree(work, settledBefore: settledBefore) else {
            throw Failure(message: "cannot read \(work), the folder this build writes into before the swap: \(String(cString: strerror(errno)))")
        }
        let live = FileSystem.inode(out).map { ($0, manifest.carried[$0] ?? Array("folder \($0)\n".utf8)) }
        return WorkFolder(output: out, path: work, existing: tree.files, existingDirs: tree.dirs, lock: lock,
                          inode: inode, known: manifest.folders[inode] ?? [:], subfolders: tree.stamps, live: live)
    }

    /// An exclusive `flock` on a folder, released when this object goes.
    public final class FolderLock: Sendable {
        let fd: Int32

        /// The lock, or nil when another process (or build) holds it.
        static func acquire(_ folder: String) -> FolderLock? {
            let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                return nil
            }
            return FolderLock(fd: fd)
        }

        private init(fd: Int32) { self.fd = fd }

        deinit { close(fd) }
    }

    /// Writes what is still in memory among `files`, removes what the new site does not have, and
    /// swaps the work folder in as the output. The files' paths are distinct: the render reports two
    /// files for one path as an error, and a build with errors never commits.
    public static func commit(_ files: [OutputFile], in folder: WorkFolder, jobs: Int) async throws(Failure) {
        assert(Set(files.map(\.path)).count == files.count, "commit is given distinct paths")
        let work = folder.path
        let out = folder.output
        // The manifest's lines for the pages written during the render, made meanwhile.
        async let writtenLines = OutputManifest.fileLines(files.lazy.compactMap { file in
            if case .written = file.content, let stamp = file.stamp { (file.path, stamp) } else { nil }
        }, count: files.count)
        // The folders the new site needs, beside the files it has (each a table of ~27,000 paths).
        async let neededFolders = Self.folders(of: files)
        // The record's folder lines, made meanwhile too: most builds record the same folders again.
        async let recordedDirLines = OutputManifest.dirLines(folder.subfolders ?? [:])
        // The repository keeps output/.gitkeep so the folder exists in a fresh clone: keep it.
        let keepGitkeep = FileManager.default.fileExists(atPath: out + "/.gitkeep")
        // Whether the site itself has a `.gitkeep`, or a file named as the manifest (one pass; no
        // table of the paths is made unless files must be looked up one by one below).
        var hasGitkeep = false, hasManifestName = false
        for i in files.indices {
            if files[i].path == ".gitkeep" { hasGitkeep = true } else if files[i].path == OutputManifest.fileName { hasManifestName = true }
        }
        let folders = await neededFolders
        // The folders the new site lacks are found on the other core meanwhile; deepest first, and
        // only those few are sorted (20,000 folders at 10,000 materials).
        async let staleDirs = folder.existingDirs.filter { !folders.contains($0) }.sorted(by: >)
        // Whether anything was removed below the root (whose own entries every build reads).
        var removedBelow = false
        // The last manifest is always one (the new one is written after the swap).
        let oldManifest = folder.existing.contains(OutputManifest.fileName) && !hasManifestName
        if Self.keepsOnlyWanted(files, keepGitkeep: keepGitkeep && !hasGitkeep, in: folder, besides: oldManifest ? 1 : 0) {
            if oldManifest { FileSystem.removeTree(work + "/" + OutputManifest.fileName) }
        } else {
            var wanted = Set(files.map(\.path))
            if keepGitkeep { wanted.insert(".gitkeep") }
            for path in folder.existing.paths where !wanted.contains(path) {
                FileSystem.removeTree(work + "/" + path)
                removedBelow = removedBelow || path.utf8.contains(UInt8(ascii: "/"))
            }
        }
        for dir in await staleDirs {
            FileSystem.removeTree(work + "/" + dir)
            removedBelow = removedBelow || dir.utf8.contains(UInt8(ascii: "/"))
        }

        // The files still in memory (the feed, the theme's assets, static files …); the pages and the
        // index went into the folder as they were made.
        let pending = files.indices.filter { !files[$0].isWritten }
        let outcomes = await parallelMap(pending, jobs: jobs) { i -> (failure: String?, stamp: OutputManifest.Stamp?) in
            switch files[i].content {
            case .written: return (nil, files[i].stamp)   // (not among `pending`)
            case .bytes(let data): return data.withUnsafeBytes { folder.put(files[i].path, $0) }
            case .copy(let source):
                guard let data = FileManager.default.contents(atPath: source) else { return ("cannot read \(source)", nil) }
                return data.withUnsafeBytes { folder.put(files[i].path, $0) }
            }
        }
        if let failure = outcomes.lazy.compactMap(\.failure).first { throw Failure(message: failure) }
        // The sub-folders' stamps go into the manifest only when they describe exactly what the new
        // site has: every folder it needs found settled, nothing removed from one (a removal that
        // failed would leave an entry the record does not know), every file stamped (the record
        // lists those). A folder this build adds to moves its change time, and the next build
        // reads it again.
        var subfolders: [String: OutputManifest.FolderStamp] = [:]
        var recordsFoundFolders = false
        if let found = folder.subfolders, !removedBelow, folders.allSatisfy({ found[$0] != nil }),
           outcomes.allSatisfy({ $0.stamp != nil }), files.indices.allSatisfy({ !files[$0].isWritten || files[$0].stamp != nil }) {
            recordsFoundFolders = found.count == folders.count
            if !recordsFoundFolders { subfolders = found.filter { folders.contains($0.key) } }
        }
        if keepGitkeep && !folder.existing.contains(".gitkeep") { _ = FileSystem.write(UnsafeRawBufferPointer(start: nil, count: 0), to: work + "/.gitkeep", makingFoldersUnder: work) }

        let name = (out as NSString).lastPathComponent
        let parent = (out as NSString).deletingLastPathComponent
        if FileManager.default.fileExists(atPath: out) {
            if studyportal_exchange(work, out) != 0 {
                // No atomic exchange here (old kernel or file system): two renames, the old tree kept until the new is in place.
                let old = parent + "/.\(name).tmp-\(getpid())-old"
                guard rename(out, old) == 0 else { throw Failure(message: "cannot replace \(out): \(String(cString: strerror(errno)))") }
                guard rename(work, out) == 0 else {
                    _ = rename(old, out)
                    throw Failure(message: "cannot replace \(out): \(String(cString: strerror(errno)))")
                }
                _ = rename(old, work)
            }
            // `work` now holds the previous output: the base for the next build, with what the last
            // two builds wrote (best effort: without it the next build compares bytes). The two
            // folders' parts are written side by side.
            let rest = zip(pending, outcomes).lazy.compactMap { i, outcome -> (String, OutputManifest.Stamp)? in
                outcome.stamp.map { (files[i].path, $0) }
            }
            let dirLines = recordsFoundFolders ? await recordedDirLines : OutputManifest.dirLines(subfolders)
            var sections = [(folder.inode, OutputManifest.sectionParts(folder.inode, fileLines: [await writtenLines, OutputManifest.fileLines(rest, count: 0)], dirLines: dirLines))]
            if let live = folder.live, live.inode != folder.inode { sections.append((live.inode, [live.section])) }   // one part per folder
            // Written beside and renamed into place: a manifest is there whole or not at all.
            let manifest = work + "/" + OutputManifest.fileName, partial = manifest + ".partial"
            let failed = OutputManifest.serialized(sections: sections).withUnsafeBytes { FileSystem.write($0, to: partial, makingFoldersUnder: work) }
            if failed != nil || rename(partial, manifest) != 0 { unlink(partial) }
        } else if rename(work, out) != 0 {
            throw Failure(message: "cannot create \(out): \(String(cString: strerror(errno)))")
        }
    }

    /// Whether every file in the work folder is one of `files` (or the kept `.gitkeep`) but for
    /// `besides` known others, told by counting rather than looking each up: the files written
    /// during the render know whether they were there (`OutputFile.existed`), and only the others
    /// are looked up. Exact because the paths are distinct (`commit`).
    static func keepsOnlyWanted(_ files: [OutputFile], keepGitkeep: Bool, in folder: WorkFolder, besides: Int) -> Bool {
        var kept = keepGitkeep && folder.existing.contains(".gitkeep") ? 1 : 0
        for i in files.indices {
            if files[i].isWritten { kept += files[i].existed ? 1 : 0 } else if folder.existing.contains(files[i].path) { kept += 1 }
        }
        return kept + besides == folder.existing.count
    }

    /// Every folder on the way to each file.
    static func folders(of files: [OutputFile]) -> Set<String> {
        var folders = Set<String>(minimumCapacity: files.count / 2)
        for file in files {
            var dir = parentPath(file.path)
            while !dir.isEmpty && folders.insert(dir).inserted { dir = parentPath(dir) }
        }
        return folders
    }

    /// `a/b/c` → `a/b`; `c` → ``.
    static func parentPath(_ path: String) -> String {
        // From the end, over the bytes: `utf8.lastIndex(of:)` stepped back through string indices
        // (14% of the work folder's preparation in perf, which takes the parent of 47,000 paths at
        // 10,000 materials).
        var path = path
        return path.withUTF8 { bytes in
            var i = bytes.count
            while i > 0 && bytes[i - 1] != UInt8(ascii: "/") { i -= 1 }
            return i > 0 ? String(decoding: UnsafeBufferPointer(rebasing: bytes[..<(i - 1)]), as: UTF8.self) : ""
        }
    }

    /// Relative, no empty, `.` or `..` segment, no control characters.
    static func isContained(_ path: String) -> Bool {
        var path = path
        return path.withUTF8(isContained(utf8:))
    }

    /// `isContained` of a path's UTF-8 bytes (the manifest's paths are checked before a string is made).
    static func isContained(utf8 path: UnsafeBufferPointer<UInt8>) -> Bool {
        // One pass over the bytes (it runs for every file, twice): each segment between slashes must
        // be non-empty and not `.` or `..`; no byte may be a control character.
        var segmentLength = 0, dots = 0
        for b in path {
            if b < 0x20 || b == 0x7F { return false }
            if b == 0x2F {
                if segmentLength == 0 || dots == segmentLength && dots <= 2 { return false }
                segmentLength = 0
                dots = 0
            } else {
                segmentLength += 1
                if b == 0x2E { dots += 1 }
            }
        }
        return segmentLength > 0 && !(dots == segmentLength && dots <= 2)
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
