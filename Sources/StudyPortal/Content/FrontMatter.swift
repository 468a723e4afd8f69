import Foundation

/// A content file split into its YAML front matter and its Markdown body (SPEC §3).
public struct SourceText: Sendable {
    /// The YAML between the fences, or nil when the file has no front matter.
    public var yaml: String?
    /// The Markdown after the closing fence.
    public var body: String
    /// The file's line number of the body's first line.
    public var bodyLine: Int
}

public enum FrontMatter {
    /// Normalises what editors on Windows and WeChat leave behind — a UTF-8 BOM, CRLF or CR line ends —
    /// then splits the `---` fenced block from the body. Positions stay those of the original lines.
    public static func split(_ raw: String) -> Result<SourceText, YAMLError> {
        let text = normalise(raw)
        guard text.hasPrefix("---") else {
            return .success(SourceText(yaml: nil, body: text, bodyLine: 1))
        }
        // Walk line by line only as far as the closing fence; the body is sliced, not re-joined.
        let utf8 = text.utf8
        func lineEnd(from start: String.Index) -> String.Index { utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex }
        let firstEnd = lineEnd(from: text.startIndex)
        guard isFence(text[text.startIndex..<firstEnd]) else {
            return .success(SourceText(yaml: nil, body: text, bodyLine: 1))
        }
        guard firstEnd < utf8.endIndex else {
            return .failure(YAMLError(message: "front matter opened with --- on line 1 is never closed by a line with ---", line: 1, column: 1))
        }
        let yamlStart = utf8.index(after: firstEnd)
        var start = yamlStart
        var line = 2
        while start <= utf8.endIndex {
            let end = lineEnd(from: start)
            if isFence(text[start..<end]) {
                let yaml = String(text[yamlStart..<start].dropLast(start > yamlStart ? 1 : 0))
                let body = end < utf8.endIndex ? String(text[utf8.index(after: end)...]) : ""
                return .success(SourceText(yaml: yaml, body: body, bodyLine: line + 1))
            }
            guard end < utf8.endIndex else { break }
            start = utf8.index(after: end)
            line += 1
        }
        return .failure(YAMLError(message: "front matter opened with --- on line 1 is never closed by a line with ---",
                                  line: 1, column: 1))
    }

    /// `split` of the file's bytes as `TextDecoding.markdown` reads them, for the files almost every
    /// site has: valid UTF-8 without a BOM, CR or NUL, opening with a fence that closes. The front
    /// matter and the body are each made once from the bytes (validated as they are made); the
    /// general path made the whole text, then copied the body out of it again (45 MB twice at
    /// 10,000 materials). Nil for any other file, which the general path reads, warnings and all.
    static func split(bytes: UnsafeRawBufferPointer) -> SourceText? {
        splitting(bytes: bytes).map { SourceText(yaml: $0.yaml, body: String(decoding: bytes[$0.bodyStart...], as: UTF8.self), bodyLine: $0.bodyLine) }
    }

    /// `split(bytes:)` with the body left in the bytes: where it starts. The build keeps a file's
    /// bytes as its body (`SourceFile`), validated here without a copy.
    static func splitting(bytes: UnsafeRawBufferPointer) -> (yaml: String, bodyStart: Int, bodyLine: Int)? {
        let bytes = bytes.bindMemory(to: UInt8.self)
        guard let base = bytes.baseAddress, bytes.count >= 3,
              memchr(base, 0x0D, bytes.count) == nil, memchr(base, 0, bytes.count) == nil else { return nil }
        /// Where the line starting at `start` ends (its LF, or the end).
        func lineEnd(_ start: Int) -> Int {
            guard start < bytes.count, let found = memchr(base + start, 0x0A, bytes.count - start) else { return bytes.count }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        /// `isFence` in bytes: `---`, then only spaces and tabs.
        func isFence(_ start: Int, _ end: Int) -> Bool {
            end - start >= 3 && bytes[start] == 0x2D && bytes[start + 1] == 0x2D && bytes[start + 2] == 0x2D
                && bytes[(start + 3)..<end].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        }
        let firstEnd = lineEnd(0)
        guard isFence(0, firstEnd), firstEnd < bytes.count else { return nil }
        let yamlStart = firstEnd + 1
        var start = yamlStart, line = 2
        while start <= bytes.count {
            let end = lineEnd(start)
            if isFence(start, end) {
                let bodyStart = min(end + 1, bytes.count)
                guard let yaml = String(validating: bytes[yamlStart..<max(yamlStart, start - 1)], as: UTF8.self),
                      UTF8Validation.isValid(UnsafeBufferPointer(rebasing: bytes[bodyStart...])) else { return nil }
                return (yaml, bodyStart, line + 1)
            }
            guard end < bytes.count else { return nil }
            start = end + 1
            line += 1
        }
        return nil
    }

    static func isFence(_ line: Substring) -> Bool {
        guard line.hasPrefix("---") else { return false }
        return line.dropFirst(3).allSatisfy { $0 == " " || $0 == "\t" }
    }

    static func normalise(_ raw: String) -> String {
        var text = raw
        if text.utf8.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst() }
        // Byte scans: String.contains(String) goes through Foundation's locale-aware search.
        if text.containsByte(0x0D) {
            // "\r\n" is a single Character in Swift; replace it before lone CRs.
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return text
    }
}
