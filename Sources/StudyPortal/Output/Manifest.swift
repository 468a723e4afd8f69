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
    private static let header = "studyportal-manifest 1"

    struct Stamp: Sendable, Hashable {
        var size: Int
        var hash: UInt64
        var inode: UInt64
        /// `st_ctim` in nanoseconds.
        var changed: Int64
    }

    /// Folder inode → path inside it → stamp.
    var folders: [UInt64: [String: Stamp]] = [:]

    /// The manifest in `folder`, or an empty one when it is missing or malformed.
    static func read(in folder: String) -> OutputManifest {
        guard let data = FileManager.default.contents(atPath: folder + "/" + fileName),
              let text = String(data: data, encoding: .utf8) else { return OutputManifest() }
        var manifest = OutputManifest()
        var current: UInt64?
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(header), lines.last == "" else { return OutputManifest() }
        lines.removeFirst()
        lines.removeLast()
        for line in lines {
            let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
            if fields.count == 2, fields[0] == "folder", let inode = UInt64(fields[1]) {
                current = inode
                continue
            }
            guard let folder = current, fields.count == 5, let size = Int(fields[0]), let hash = UInt64(fields[1], radix: 16),
                  let inode = UInt64(fields[2]), let changed = Int64(fields[3]), OutputWriter.isContained(String(fields[4])) else {
                return OutputManifest()
            }
            manifest.folders[folder, default: [:]][String(fields[4])] = Stamp(size: size, hash: hash, inode: inode, changed: changed)
        }
        return manifest
    }

    /// The text `read` reads (one line per file; 27,552 of them at 10,000 materials, so bytes are
    /// appended directly and paths left in table order).
    func serialized() -> [UInt8] {
        var out = Array((Self.header + "\n").utf8)
        out.reserveCapacity(folders.values.reduce(0) { $0 + $1.count } * 96)
        for (folder, stamps) in folders.sorted(by: { $0.key < $1.key }) {
            out += "folder \(folder)\n".utf8
            for (path, s) in stamps {
                out += "\(s.size) \(String(s.hash, radix: 16)) \(s.inode) \(s.changed) ".utf8
                out += path.utf8
                out.append(UInt8(ascii: "\n"))
            }
        }
        return out
    }

    /// A 64-bit hash of bytes, to notice changed pages (not cryptographic): eight bytes at a time,
    /// multiplied and rotated, then the final mix of MurmurHash3. Written here because Swift's `Hasher`
    /// is seeded anew in every process, so its values cannot be kept between builds, and none of our
    /// dependencies has one; ~5 GB/s, 60 ms of CPU for the 290 MB of the 10,000-material site.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h = h << 31 | h >> 33
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
