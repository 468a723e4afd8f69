/// Search terms from text (SPEC §6: search finds Chinese words inside unsegmented sentences).
///
/// Chinese has no spaces between words, and no dictionary ships with us, so CJK text is indexed by
/// overlapping character bigrams (终身学习 → 终身, 身学, 学习) and single characters (for one-character
/// queries); a query matches a document holding all of the query's bigrams. Other scripts are indexed
/// by lower-cased words, matched by prefix. Full-width Latin letters and digits fold to half-width;
/// traditional and simplified characters are not folded. `assets/search.js` mirrors this exactly.
public enum Tokenizer {
    public enum Term: Hashable, Sendable {
        case cjk(String)
        case word(String)

        public var text: String {
            switch self {
            case .cjk(let s), .word(let s): return s
            }
        }

        /// The shard key: a CJK term itself; a word's first two characters, so every word sharing a
        /// prefix of two or more characters is in one shard and prefix queries need one shard.
        public var shardKey: String {
            switch self {
            case .cjk(let s): return s
            case .word(let s): return String(s.prefix(2))
            }
        }
    }

    /// Full-width ASCII (U+FF01–FF5E) to ASCII, the ideographic space to a space, ASCII letters lower-cased.
    @inline(__always) static func fold(_ v: UInt32) -> UInt32 {
        var v = v
        if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 } else if v == 0x3000 { v = 0x20 }
        if v >= 0x41 && v <= 0x5A { v += 0x20 }
        return v
    }

    @inline(__always) static func isWordScalar(_ v: UInt32) -> Bool {
        if v < 0x80 { return (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) }
        guard let s = Unicode.Scalar(v), !TextMetrics.isCJK(s) else { return false }
        return s.properties.isAlphabetic || s.properties.numericType != nil
    }

    /// Calls `body` with each term occurrence of `text`, in order.
    public static func forEachTerm(_ text: String, unigrams: Bool = true, _ body: (Term) -> Void) {
        var word = String.UnicodeScalarView()
        var previousCJK: Unicode.Scalar?
        func flushWord() {
            if !word.isEmpty { body(.word(String(word))); word = String.UnicodeScalarView() }
        }
        for scalar in text.unicodeScalars {
            let v = fold(scalar.value)
            guard let s = Unicode.Scalar(v) else { continue }
            if TextMetrics.isCJK(s) {
                flushWord()
                if unigrams { body(.cjk(String(s))) }
                if let p = previousCJK {
                    var pair = String.UnicodeScalarView()
                    pair.append(p)
                    pair.append(s)
                    body(.cjk(String(pair)))
                }
                previousCJK = s
            } else if isWordScalar(v) {
                previousCJK = nil
                word.append(s)
            } else {
                previousCJK = nil
                flushWord()
            }
        }
        flushWord()
    }

    /// What a query asks for: each CJK run of one character as that character, of two or more as its
    /// bigrams; each word as a prefix. Every term must match.
    public static func queryTerms(_ query: String) -> [Term] {
        var terms: [Term] = []
        var run: [Unicode.Scalar] = []
        var word = String.UnicodeScalarView()
        func flushRun() {
            if run.count == 1 { terms.append(.cjk(String(run[0]))) }
            if run.count > 1 { for i in 1..<run.count { terms.append(.cjk(String(run[i - 1]) + String(run[i]))) } }
            run = []
        }
        func flushWord() {
            if !word.isEmpty { terms.append(.word(String(word))); word = String.UnicodeScalarView() }
        }
        for scalar in query.unicodeScalars {
            let v = fold(scalar.value)
            guard let s = Unicode.Scalar(v) else { continue }
            if TextMetrics.isCJK(s) { flushWord(); run.append(s) } else if isWordScalar(v) { flushRun(); word.append(s) } else { flushRun(); flushWord() }
        }
        flushRun()
        flushWord()
        var seen = Set<Term>()
        return terms.filter { seen.insert($0).inserted }
    }

    /// FNV-1a over the key's UTF-8 bytes: the shard a term lives in (the script computes the same).
    public static func shard(of key: String, count: Int) -> Int {
        var hash: UInt32 = 0x811C_9DC5
        for byte in key.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return Int(hash % UInt32(max(count, 1)))
    }
}
