/// Counting text the way a Chinese reader reads it (SPEC §6): CJK characters one by one, other scripts
/// by words. Most generators count a whole Chinese sentence as one "word".
public struct TextMetrics: Sendable, Hashable {
    public var cjkCharacters = 0
    public var words = 0

    public init() {}

    /// CJK ideographs (with extensions and compatibility forms), kana and Hangul.
    public static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F, 0x30000...0x323AF,
             0x3040...0x30FF, 0x31F0...0x31FF, 0xAC00...0xD7AF, 0x1100...0x11FF:
            return true
        default:
            return false
        }
    }

    /// `isCJK` of a scalar value, without making a scalar for the unified ideographs (U+4E00–9FFF,
    /// most of a Chinese text), which are tested first: counting and search run this per character.
    @inline(__always) static func isCJK(value v: UInt32) -> Bool {
        v &- 0x4E00 < 0x5200 || (v >= 0x1100 && Unicode.Scalar(v).map(isCJK) == true)
    }

    /// Punctuation and spaces of the General Punctuation, CJK Symbols and full-width blocks: none is
    /// a letter or a number (〇, 々 and the Hangzhou numerals of the CJK block are left out on purpose).
    @inline(__always) static func isPunctuation(_ v: UInt32) -> Bool {
        (v >= 0x2000 && v <= 0x206F) || (v >= 0x3000 && v <= 0x3004) || (v >= 0x3008 && v <= 0x3020) || v == 0x3030
            || (v >= 0x303D && v <= 0x303F) || (v >= 0xFF01 && v <= 0xFF0F) || (v >= 0xFF1A && v <= 0xFF20)
            || (v >= 0xFF3B && v <= 0xFF40) || (v >= 0xFF5B && v <= 0xFF65)
    }

    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(utf8: $0) }
    }

    /// `add` over valid UTF-8 (cmark's text nodes are counted without making strings of them).
    mutating func add(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        var inWord = false
        var cjk = 0, words = 0
        let n = bytes.count
        var i = 0
        while i < n {
            let v = UTF8Scalars.next(bytes, &i)
            if v < 0x80 {
                // ASCII first: Unicode property look-ups are the slow part of counting.
                if (v >= 0x30 && v <= 0x39) || (v | 0x20 >= 0x61 && v | 0x20 <= 0x7A) {
                    if !inWord { words += 1; inWord = true }
                } else if v != 0x27 && v != 0x2D {
                    inWord = false
                }
            } else if Self.isCJK(value: v) {
                cjk += 1
                inWord = false
            } else if v == 0x2019 {
                // don’t: one word
            } else if Self.isPunctuation(v) {
                inWord = false   // Chinese text's own punctuation, without a Unicode property look-up
            } else if let s = Unicode.Scalar(v), s.properties.isAlphabetic || s.properties.numericType != nil {
                if !inWord { words += 1; inWord = true }
            } else {
                inWord = false
            }
        }
        cjkCharacters += cjk
        self.words += words
    }

    /// Minutes at about 300 CJK characters and 200 other words a minute; at least 1.
    public var readingMinutes: Int {
        let minutes = Double(cjkCharacters) / 300 + Double(words) / 200
        return max(1, Int(minutes.rounded()))
    }
}

extension String {
    /// The first `limit` characters (grapheme clusters, so never half a character) and an ellipsis when cut.
    func truncatedOnCharacters(_ limit: Int) -> String {
        guard count > limit else { return self }
        var cut = String(prefix(limit))
        while let last = cut.last, last.isWhitespace || "，、；：,;:".contains(last) { cut.removeLast() }
        return cut + "…"
    }
}
