import Foundation

/// Turning bytes from users' files into text without losing or inventing characters.
public enum TextDecoding {
    /// The text when `data` is valid UTF-8 (a BOM is kept for the caller to strip), else nil.
    public static func utf8Lossless(_ data: Data) -> String? {
        String(validating: data, as: UTF8.self)
    }

    /// Markdown files: UTF-8, with every invalid byte shown as U+FFFD and a warning, never a crash.
    /// NUL characters are replaced as well: they are invalid in HTML and truncate C strings in cmark.
    public static func markdown(_ data: Data, path: String) -> (String, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var text: String
        if let valid = utf8Lossless(data) {
            text = valid
        } else {
            text = String(decoding: data, as: UTF8.self)
            diagnostics.append(.warning("the file is not valid UTF-8; unreadable bytes are shown as \u{FFFD} (save it as UTF-8)", path: path))
        }
        if text.containsByte(0) {
            text = text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
            diagnostics.append(.warning("the file holds NUL characters; they are shown as \u{FFFD}", path: path))
        }
        return (text, diagnostics)
    }
}

extension String {
    /// `hasSuffix` of ASCII text, by bytes: `hasSuffix` compares Characters (canonical equivalence,
    /// grapheme breaking), some ten times the cost, and paths are checked by the tens of thousands.
    func hasASCIISuffix(_ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        return utf8.count >= n && utf8.suffix(n).elementsEqual(UnsafeBufferPointer(start: suffix.utf8Start, count: n))
    }

    /// Whether the UTF-8 form holds `byte`, found with `memchr` (the generic `utf8.contains` walks
    /// the string index by index: 2% of a build at the 2,000-material benchmark).
    func containsByte(_ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { bytes in bytes.baseAddress.map { memchr($0, Int32(byte), bytes.count) != nil } ?? false } ?? utf8.contains(byte)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs: what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` does (Unicode category Zs and U+0009), without its
    /// CharacterSet machinery, and returning the string itself when there is nothing to trim.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !Self.isSpace($0.value) }),
              let end = scalars.lastIndex(where: { !Self.isSpace($0.value) }) else { return "" }
        if start == scalars.startIndex && scalars.index(after: end) == scalars.endIndex { return self }
        return String(scalars[start...end])
    }

    /// Tab, the space separators (Zs: U+0020, U+00A0, U+1680, U+2000–200A, U+202F, U+205F, U+3000) and
    /// U+200B, as Foundation's set has them.
    static func isSpace(_ v: UInt32) -> Bool {
        v == 0x20 || v == 0x09 || v == 0xA0 || v == 0x1680 || (v >= 0x2000 && v <= 0x200B) || v == 0x202F || v == 0x205F || v == 0x3000
    }
}
