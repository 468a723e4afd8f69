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
        // Chinese text's own punctuation (。、“” …) without a Unicode property look-up.
        if (v >= 0x2000 && v <= 0x206F) || (v >= 0x3000 && v <= 0x303F) { return false }
        guard let s = Unicode.Scalar(v), !TextMetrics.isCJK(s) else { return false }
        return s.properties.isAlphabetic || s.properties.numericType != nil
    }

    /// A term as the index builder keeps it: CJK terms packed into an integer (hashing that is much
    /// cheaper than hashing a String, and the builder hashes tens of millions of them), words as text.
    public enum Key: Hashable, Sendable {
        /// One or two scalars: (first << 21) | second, with second 0 for a single character.
        case cjk(UInt64)
        case word(String)

        public var term: Term {
            switch self {
            case .cjk(let packed):
                var s = String.UnicodeScalarView()
                if let a = Unicode.Scalar(UInt32(packed >> 21)) { s.append(a) }
                if packed & 0x1F_FFFF != 0, let b = Unicode.Scalar(UInt32(packed & 0x1F_FFFF)) { s.append(b) }
                return .cjk(String(s))
            case .word(let w): return .word(w)
            }
        }

        /// The shard of this term, as `Tokenizer.shard(of: term.shardKey, count:)`, without building the text.
        public func shard(count: Int) -> Int {
            switch self {
            case .word(let w): return Tokenizer.shard(of: String(w.prefix(2)), count: count)
            case .cjk(let packed):
                var hash = Tokenizer.fnvStart
                Tokenizer.fnvFeed(UInt32(packed >> 21), &hash)
                if packed & 0x1F_FFFF != 0 { Tokenizer.fnvFeed(UInt32(packed & 0x1F_FFFF), &hash) }
                return Int(hash % UInt32(max(count, 1)))
            }
        }
    }

    /// FNV-1a's starting value, and one CJK scalar fed to it as its UTF-8 bytes (by hand: they take
    /// two to four bytes), as `shard(of:)` hashes text.
    static let fnvStart: UInt32 = 0x811C_9DC5
    @inline(__always) static func fnvFeed(_ v: UInt32, _ hash: inout UInt32) {
        func byte(_ b: UInt32) { hash ^= b; hash = hash &* 0x0100_0193 }
        if v < 0x800 { byte(0xC0 | v >> 6); byte(0x80 | v & 0x3F) } else if v < 0x10000 {
            byte(0xE0 | v >> 12); byte(0x80 | (v >> 6) & 0x3F); byte(0x80 | v & 0x3F)
        } else {
            byte(0xF0 | v >> 18); byte(0x80 | (v >> 12) & 0x3F); byte(0x80 | (v >> 6) & 0x3F); byte(0x80 | v & 0x3F)
        }
    }

    /// Where `forEachKey` delivers terms: a CJK term packed as in `Key.cjk`, a word as its text.
    /// A generic sink passed `inout` rather than a closure: the index builder's counting is then
    /// specialised into the loop, without boxed captures or an enum per term (−2% of the search stage).
    protocol KeySink: ~Copyable {
        mutating func cjk(_ packed: UInt64)
        /// A word as its UTF-8 bytes (valid UTF-8, never empty): the index builder looks most words
        /// up without making a string of them.
        mutating func word(_ utf8: UnsafeBufferPointer<UInt8>)
        /// The run of unified ideographs (U+4E00–9FFF) starting at `bytes[start]` (which holds one),
        /// each delivered as `cjk` would have them, with the pair it makes with the character before
        /// (`previous`, 0 for none); returns where the run ends and its last character. Most of a
        /// Chinese text is such runs: a sink may count a whole run with its tables' state at hand.
        mutating func ideographs(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, previous: UInt64) -> (end: Int, last: UInt64)
        /// The text's reading metrics (`TextMetrics.add(utf8:)` of the same bytes), counted in the
        /// same pass, once the text is done; a sink that has no use for them ignores them.
        mutating func measured(_ tally: TextMetrics.Tally)
    }

    /// The unified ideograph (U+4E00–9FFF) whose UTF-8 starts at `bytes[i]`, or nil.
    @inline(__always) static func ideograph(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32? {
        let b = bytes[i]
        guard b &- 0xE4 < 6 && i + 2 < bytes.count else { return nil }
        let v = (UInt32(b) & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | UInt32(bytes[i + 2]) & 0x3F
        return v >= 0x4E00 ? v : nil
    }

    /// Each term occurrence of `text` as a packed key, in order: the terms `forEachTerm` gives, one for
    /// one. Decodes the UTF-8 by hand and keeps a word's bytes in one reused buffer: this loop runs
    /// over every character the site publishes.
    static func forEachKey<Sink: KeySink & ~Copyable>(_ text: String, into sink: inout Sink) {
        // A native string's bytes are read in place; only another kind is copied first.
        if text.utf8.withContiguousStorageIfAvailable({ forEachKey(utf8: $0, into: &sink) }) == nil {
            var copy = text
            copy.withUTF8 { forEachKey(utf8: $0, into: &sink) }
        }
    }

    /// `forEachKey` over valid UTF-8; the text is measured as it goes (`KeySink.measured`).
    static func forEachKey<Sink: KeySink & ~Copyable>(utf8 bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        // The word being read, folded, in raw memory with its length in a local: appended to an
        // array, each of its bytes paid the array's room and ownership checks. A word's folded bytes
        // are never more than the bytes it was read from (folding only shortens full-width forms), so
        // room for the text is room for any word of it.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 4) { word in
            guard let base = word.baseAddress else { return }
            var length = 0
            var previous: UInt64 = 0
            var tally = TextMetrics.Tally()
            let n = bytes.count
            var i = 0
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    // ASCII, as `fold` and `isWordScalar` take it: a letter (lower-cased) or a digit
                    // goes on with a word, anything else ends it.
                    i += 1
                    previous = 0
                    let c = b &- 0x41 < 26 ? b | 0x20 : b
                    if c &- 0x30 < 10 || c &- 0x61 < 26 {
                        base[length] = c
                        length &+= 1
                        tally.wordCharacter()
                    } else {
                        tally.otherASCII(b)
                        if length > 0 { sink.word(UnsafeBufferPointer(start: base, count: length)); length = 0 }
                    }
                    continue
                }
                // A run of unified ideographs (most of a Chinese text, U+4E00–9FFF: three bytes led by
                // E4–E9; `fold` leaves them as they are and they are all CJK) goes to the sink whole.
                if ideograph(bytes, at: i) != nil {
                    if length > 0 { sink.word(UnsafeBufferPointer(start: base, count: length)); length = 0 }
                    let start = i
                    (i, previous) = sink.ideographs(bytes, from: i, previous: previous)
                    tally.ideographs((i - start) / 3)
                    continue
                }
                let scalar = UTF8Scalars.next(bytes, &i)
                tally.scalar(scalar)
                let v = fold(scalar)
                if TextMetrics.isCJK(value: v) {
                    if length > 0 { sink.word(UnsafeBufferPointer(start: base, count: length)); length = 0 }
                    sink.cjk(UInt64(v) << 21)
                    if previous != 0 { sink.cjk(previous << 21 | UInt64(v)) }
                    previous = UInt64(v)
                } else if isWordScalar(v), let s = Unicode.Scalar(v) {
                    previous = 0
                    for unit in UTF8.encode(s) ?? UTF8.EncodedScalar() {
                        base[length] = unit
                        length &+= 1
                    }
                } else {
                    previous = 0
                    if length > 0 { sink.word(UnsafeBufferPointer(start: base, count: length)); length = 0 }
                }
            }
            if length > 0 { sink.word(UnsafeBufferPointer(start: base, count: length)) }
            sink.measured(tally)
        }
    }

    /// Calls `body` with each term occurrence of `text`, in order: the readable statement of the rules
    /// above, which the index builder's fast loop (`forEachKey`) is tested against.
    public static func forEachTerm(_ text: String, _ body: (Term) -> Void) {
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
                body(.cjk(String(s)))
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

extension Tokenizer {
    /// Calls `body` with each unified ideograph of the run starting at `bytes[start]` and the
    /// character before it (`previous` for the first, 0 for none); returns where the run ends and
    /// its last character.
    @inline(__always) static func forEachIdeograph(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, previous: UInt64,
                                                   _ body: (_ character: UInt32, _ before: UInt64) -> Void) -> (end: Int, last: UInt64) {
        var i = start, previous = previous
        while i < bytes.count, let v = ideograph(bytes, at: i) {
            body(v, previous)
            previous = UInt64(v)
            i += 3
        }
        return (i, previous)
    }
}

extension Tokenizer.KeySink where Self: ~Copyable {
    mutating func measured(_ tally: TextMetrics.Tally) {}

    /// One `cjk` per character and per pair.
    mutating func ideographs(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, previous: UInt64) -> (end: Int, last: UInt64) {
        Tokenizer.forEachIdeograph(bytes, from: start, previous: previous) { v, before in
            cjk(UInt64(v) << 21)
            if before != 0 { cjk(before << 21 | UInt64(v)) }
        }
    }
}
