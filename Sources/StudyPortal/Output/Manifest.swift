import Foundation

/// What the last two builds wrote into the two folders they swap (the output and the work folder), so
/// a build knows a page is unchanged without reading the old one back: per folder (by inode — the
/// exchange swaps names, not folders) and per file, its size, a hash of its bytes, and the inode and
/// change time the write left. A page whose new bytes hash the same, over a file whose size, inode and
/// change time are still the recorded ones, is left alone. Reading old pages back cost ~0.25 s of CPU
/// at 10,000 materials, and up to 3 s when this machine had evicted them from memory
/// (docs/benchmarks.md). The change time (unlike the modification time) cannot be set back by hand, so
/// a file edited since is noticed and rewritten.
///
/// Kept inside the work folder as `.studyportal-manifest`, which is never published: `commit` removes
/// it with the other stale files before the swap and writes the new one into the folder the swap
/// retired. Missing or unreadable, it is ignored, and pages are compared byte for byte as before.
struct OutputManifest: Sendable {
    static let fileName = ".studyportal-manifest"
    private static let header = "studyportal-manifest 3"   // 2: the four-lane hash; 3: folder stamps, `end`

    struct Stamp: Sendable, Hashable {
        var size: Int
        var hash: UInt64
        var inode: UInt64
        /// `st_ctim` in nanoseconds.
        var changed: Int64
    }

    /// A folder below the work folder's root as `fstat` gave it: while both are the same, so are its
    /// entries — making, removing or renaming one sets the folder's change time to the clock's time
    /// (its modification time too, but that one `touch` can set back; the change time only the
    /// system clock can).
    struct FolderStamp: Sendable, Hashable {
        var inode: UInt64
        /// `st_ctim` in nanoseconds.
        var changed: Int64
    }

    /// Folder inode → path inside it → stamp.
    var folders: [UInt64: [String: Stamp]] = [:]
    /// Folder inode → each sub-folder's path → its stamp, when the build that wrote the folder found
    /// every one of them settled and changed none (`FileSystem.trustedTree`); absent otherwise.
    var subfolders: [UInt64: [String: FolderStamp]] = [:]
    /// Folder inode → its part of the manifest as written (`folder` line and all), for the parts a
    /// build only carries into the next manifest (`read(in:parsing:)`): the live output's, which
    /// the build after next reads. Checked when that build parses it.
    var carried: [UInt64: [UInt8]] = [:]

    /// The manifest in `folder`, or an empty one when it is missing, malformed or not a plain file
    /// (a link is never followed). With `inode`, only that folder's part is read into tables; the
    /// others are kept as text (`carried`): half the lines at 10,000 materials, each a string and
    /// two table entries, read only to be written back (20 ms of CPU, and 9 to write them).
    static func read(in folder: String, parsing inode: UInt64? = nil) -> OutputManifest {
        guard let bytes = FileSystem.contents(ofFile: folder + "/" + fileName) else { return OutputManifest() }
        return bytes.withUnsafeBytes { parse($0, parsing: inode) } ?? OutputManifest()
    }

    /// `serialized()`'s text back, or nil when any line is not what it writes. Byte by byte (27,552
    /// lines at 10,000 materials): splitting it as Swift strings took 0.2 s of CPU.
    static func parse(_ bytes: UnsafeRawBufferPointer, parsing only: UInt64? = nil) -> OutputManifest? {
        var manifest = OutputManifest()
        var cursor = Cursor(bytes: bytes)
        guard let first = cursor.line(), first.elementsEqual(header.utf8) else { return nil }
        // The folder being read, and its stamps so far: locals, not an optional tuple, whose
        // dictionary was reached through the optional at every line.
        var current: UInt64?
        var stamps: [String: Stamp] = [:], dirs: [String: FolderStamp] = [:]
        // Room for a line of about 64 bytes or more each (they run 80–100): counting the lines first
        // went through the 3 MB a byte at a time, a third of this function's time.
        let room = bytes.count / 64
        var ended = false
        while !cursor.atEnd {
            guard !ended, let line = cursor.line() else { return nil }   // the last line must end with a newline
            var fields = Cursor(bytes: UnsafeRawBufferPointer(rebasing: line))
            // The last line: a manifest cut short (a full disk, a killed build) is not read as a
            // shorter one, whose missing files a build would then not know were there.
            if fields.skip("end") && fields.atEnd {
                ended = true
                continue
            }
            if fields.skip("folder ") {
                guard let inode = fields.number(), fields.atEnd else { return nil }
                if let done = current { manifest.add(stamps, dirs, in: done) }
                (current, stamps, dirs) = (nil, [:], [:])
                if let only, inode != only {
                    // Up to the next folder's line or the end, as it is.
                    let start = line.startIndex
                    while !cursor.atEnd && !cursor.startsWith("folder ") && !cursor.startsWith("end\n") {
                        guard cursor.line() != nil else { return nil }
                    }
                    manifest.carried[inode, default: []] += bytes[start..<cursor.at]
                    continue
                }
                (current, stamps) = (inode, Dictionary(minimumCapacity: room))
                continue
            }
            if fields.skip("dir ") {
                guard current != nil, let inode = fields.number(), fields.skip(" "), let changed = fields.number(), fields.skip(" "),
                      let path = fields.path(), let changed = Int64(exactly: changed) else { return nil }
                dirs[path] = FolderStamp(inode: inode, changed: changed)
                continue
            }
            guard current != nil, let size = fields.number(), fields.skip(" "), let hash = fields.number(radix: 16), fields.skip(" "),
                  let inode = fields.number(), fields.skip(" "), let changed = fields.number(), fields.skip(" "),
                  let path = fields.path(), let size = Int(exactly: size), let changed = Int64(exactly: changed) else { return nil }
            stamps[path] = Stamp(size: size, hash: hash, inode: inode, changed: changed)
        }
        guard ended else { return nil }
        if let done = current { manifest.add(stamps, dirs, in: done) }
        return manifest
    }

    /// A folder's files and sub-folders, read (a folder listed twice: the later lines win).
    private mutating func add(_ stamps: [String: Stamp], _ dirs: [String: FolderStamp], in folder: UInt64) {
        if folders[folder] == nil { folders[folder] = stamps } else { folders[folder]?.merge(stamps) { $1 } }
        // A folder without `dir` lines has no entry (as before: its sub-folders were not recorded).
        if dirs.isEmpty { return }
        if subfolders[folder] == nil { subfolders[folder] = dirs } else { subfolders[folder]?.merge(dirs) { $1 } }
    }

    /// Reads `serialized()`'s fields: lines, literal text, unsigned numbers.
    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var at = 0
        var atEnd: Bool { at == bytes.count }
        var rest: UnsafeRawBufferPointer.SubSequence { bytes[at...] }

        /// The bytes up to the next newline (which is consumed), or nil when there is none.
        mutating func line() -> UnsafeRawBufferPointer.SubSequence? {
            // memchr and memcmp (`startsWith`): the generic searches went byte by byte through a
            // slice, for each of the manifest's 27,552 lines at 10,000 materials.
            guard at < bytes.count, let base = bytes.baseAddress, let found = memchr(base + at, 0x0A, bytes.count - at) else { return nil }
            let end = base.distance(to: found)
            defer { at = end + 1 }
            return bytes[at..<end]
        }

        func startsWith(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - at >= count, let base = bytes.baseAddress else { return count == 0 }
            return memcmp(base + at, literal.utf8Start, count) == 0
        }

        /// `startsWith`, and past the literal when it does.
        mutating func skip(_ literal: StaticString) -> Bool {
            guard startsWith(literal) else { return false }
            at += literal.utf8CodeUnitCount
            return true
        }

        /// The rest of the line as a path: valid UTF-8 and `OutputWriter.isContained` (checked on
        /// the bytes, before a string is made), or nil.
        func path() -> String? {
            let rest = UnsafeRawBufferPointer(rebasing: rest).assumingMemoryBound(to: UInt8.self)
            guard OutputWriter.isContained(utf8: rest) && UTF8Validation.isValid(rest) else { return nil }
            return String(decoding: rest, as: UTF8.self)
        }

        /// One or more digits (lower-case for base 16), or nil — also on overflow.
        mutating func number(radix: UInt64 = 10) -> UInt64? {
            var value: UInt64 = 0
            let start = at
            while at < bytes.count {
                let b = bytes[at]
                let digit: UInt64
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: digit = UInt64(b - UInt8(ascii: "a") + 10)
                default: return at > start ? value : nil
                }
                let (times, o1) = value.multipliedReportingOverflow(by: radix)
                let (plus, o2) = times.addingReportingOverflow(digit)
                guard !o1, !o2 else { return nil }
                value = plus
                at += 1
            }
            return at > start ? value : nil
        }
    }

    /// The text `read` reads (one line per file; 27,552 of them at 10,000 materials, so bytes are
    /// appended directly and paths left in table order).
    func serialized() -> [UInt8] {
        Self.serialized(sections: folders.map { folder, stamps in
            Self.section(folder, stamps.lazy.map { ($0.key, $0.value) }, count: stamps.count, subfolders: subfolders[folder] ?? [:])
        } + carried.map { ($0.key, $0.value) })
    }

    /// The manifest of folders written apart (`section`), in the order of their inodes.
    static func serialized(sections: [(inode: UInt64, lines: [UInt8])]) -> [UInt8] {
        serialized(sections: sections.map { ($0.inode, [$0.lines]) })
    }

    /// `serialized(sections:)` of sections given in parts (a section's text is its parts one after
    /// another), each copied once, into the manifest itself.
    static func serialized(sections: [(inode: UInt64, parts: [[UInt8]])]) -> [UInt8] {
        var out = Array((header + "\n").utf8)
        out.reserveCapacity(out.count + sections.reduce(0) { $0 + $1.parts.reduce(0) { $0 + $1.count } } + 4)
        for section in sections.sorted(by: { $0.inode < $1.inode }) {
            for part in section.parts { out += part }
        }
        out += "end\n".utf8
        return out
    }

    /// One folder's part of the manifest: its `folder` line and a line per file. The folders are
    /// written apart, side by side (`commit`).
    /// `count`: about how many files (room for the lines is made at once).
    static func section<Stamps: Sequence>(_ inode: UInt64, _ stamps: Stamps, count: Int,
                                          subfolders: [String: FolderStamp]) -> (inode: UInt64, lines: [UInt8]) where Stamps.Element == (String, Stamp) {
        section(inode, fileLines: [fileLines(stamps, count: count)], subfolders: subfolders)
    }

    /// A folder's part from its file lines made beforehand (`fileLines`, in any number of runs).
    static func section(_ inode: UInt64, fileLines: [[UInt8]], subfolders: [String: FolderStamp]) -> (inode: UInt64, lines: [UInt8]) {
        (inode, Array(sectionParts(inode, fileLines: fileLines, dirLines: dirLines(subfolders)).joined()))
    }

    /// A folder's part as parts to write one after another: its `folder` line, its file lines
    /// (`fileLines`) and its sub-folders' lines (`dirLines`) — the folders after the files (and the
    /// manifest ends with `end`): a record of folders is never read without all of the files it
    /// vouches for.
    static func sectionParts(_ inode: UInt64, fileLines: [[UInt8]], dirLines: [UInt8]) -> [[UInt8]] {
        [Array("folder \(inode)\n".utf8)] + fileLines + [dirLines]
    }

    /// The `dir` lines of a folder's sub-folders.
    static func dirLines(_ subfolders: [String: FolderStamp]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(subfolders.count * 64)
        for (path, s) in subfolders {
            out += "dir ".utf8
            appendLineEnd(s.inode, s.changed, path, to: &out)
        }
        return out
    }

    /// The lines of these files' stamps: `commit` makes those of the pages while it finds what to
    /// remove and writes the search index, and the rest after.
    static func fileLines<Stamps: Sequence>(_ stamps: Stamps, count: Int) -> [UInt8] where Stamps.Element == (String, Stamp) {
        var out: [UInt8] = []
        out.reserveCapacity(count * 96)
        for (path, s) in stamps {
            Digits.append(s.size, to: &out)
            out.append(UInt8(ascii: " "))
            Digits.append(s.hash, radix: 16, to: &out)
            out.append(UInt8(ascii: " "))
            appendLineEnd(s.inode, s.changed, path, to: &out)
        }
        return out
    }

    /// The end both kinds of line share: an inode, a change time and the path. Numbers are written
    /// straight into the bytes (a string interpolated per line was most of the write stage's serial
    /// end: 21 ms at 10,000 materials).
    private static func appendLineEnd(_ inode: UInt64, _ changed: Int64, _ path: String, to out: inout [UInt8]) {
        Digits.append(inode, to: &out)
        out.append(UInt8(ascii: " "))
        Digits.append(changed, to: &out)
        out.append(UInt8(ascii: " "))
        out += path.utf8
        out.append(UInt8(ascii: "\n"))
    }

    /// A 64-bit hash of bytes, to notice changed pages (not cryptographic): eight bytes at a time,
    /// multiplied and rotated in four independent lanes (one lane waited on each multiplication: half
    /// the speed), then the final mix of MurmurHash3. Written here because Swift's `Hasher` is seeded
    /// anew in every process, so its values cannot be kept between builds, and none of our
    /// dependencies has one; 16 ms of CPU for the 400 MB of the 10,000-material site (52 ms in one lane,
    /// perf samples of one build each).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        @inline(__always) func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
            let m = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            return m << 31 | m >> 33
        }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        if bytes.count >= 32 {
            var lanes = (h, h &+ 0x6A09_E667_F3BC_C908, h &+ 0xBB67_AE85_84CA_A73B, h &+ 0x3C6E_F372_FE94_F82B)
            while i + 32 <= bytes.count {
                lanes.0 = mix(lanes.0, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                lanes.1 = mix(lanes.1, bytes.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                lanes.2 = mix(lanes.2, bytes.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
                lanes.3 = mix(lanes.3, bytes.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
                i += 32
            }
            h = mix(mix(mix(lanes.0, lanes.1), lanes.2), lanes.3)
        }
        while i + 8 <= bytes.count {
            h = mix(h, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
