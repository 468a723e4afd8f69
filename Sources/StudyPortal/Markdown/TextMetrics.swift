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

    /// `add` over valid UTF-8 (a body's plain text is counted from its bytes).
    mutating func add(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        var tally = Tally()
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                // ASCII first: Unicode property look-ups are the slow part of counting.
                i += 1
                if b &- 0x30 < 10 || (b | 0x20) &- 0x61 < 26 { tally.wordCharacter() } else { tally.otherASCII(b) }
            } else {
                tally.scalar(UTF8Scalars.next(bytes, &i))
            }
        }
        self += tally
    }

    static func += (metrics: inout TextMetrics, tally: Tally) {
        metrics.cjkCharacters += tally.cjk
        metrics.words += tally.words
    }

    /// The counting of one text, a character at a time: `add(utf8:)`, and the search index's
    /// tokenizer, which reads every body anyway and counts it in the same pass (a second pass over
    /// the site's text was a fifth of the Markdown stage).
    struct Tally {
        var cjk = 0, words = 0
        var inWord = false

        /// An ASCII letter or digit.
        @inline(__always) mutating func wordCharacter() {
            words &+= inWord ? 0 : 1
            inWord = true
        }

        /// Any other ASCII character: it ends a word, but an apostrophe or hyphen (don't, e-mail).
        @inline(__always) mutating func otherASCII(_ b: UInt8) {
            if b != 0x27 && b != 0x2D { inWord = false }
        }

        /// `n` unified ideographs (U+4E00–9FFF) in a row.
        @inline(__always) mutating func ideographs(_ n: Int) {
            cjk &+= n
            inWord = false
        }

        /// A scalar beyond ASCII. Chinese text's own punctuation (，。、“” …), after the ideographs
        /// the commonest, is told here; the rest out of line (as a whole this was not inlined).
        @inline(__always) mutating func scalar(_ v: UInt32) {
            if v != 0x2019 && TextMetrics.isPunctuation(v) { inWord = false } else { other(v) }
        }


        /// `scalar` of what is not punctuation (or is the apostrophe ’).
        @inline(never) private mutating func other(_ v: UInt32) {
            if TextMetrics.isCJK(value: v) {
                cjk &+= 1
                inWord = false
            } else if v == 0x2019 {
                // don’t: one word
            } else if let s = Unicode.Scalar(v), s.properties.isAlphabetic || s.properties.numericType != nil {
                words &+= inWord ? 0 : 1
                inWord = true
            } else {
                inWord = false
            }
        }
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
        // Found by stepping `limit` characters, not by counting all of them (`count` walked every
        // character of each material's first paragraph, 20,000 times at 10,000 materials).
        guard let end = index(startIndex, offsetBy: limit, limitedBy: endIndex), end != endIndex else { return self }
        var cut = String(self[..<end])
        while let last = cut.last, last.isWhitespace || "，、；：,;:".contains(last) { cut.removeLast() }
        return cut + "…"
    }
}
