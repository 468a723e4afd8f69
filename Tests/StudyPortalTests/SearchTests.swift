import Foundation
import Testing
@testable import StudyPortal

/// The index builder, queried the way assets/search.js queries it (the same algorithm, in Swift).
@Suite(.temporaryFiles) struct SearchTests {
    @Test func excerptsCutOnCharactersLikePrefix() {
        // The scalar fast path must agree with Character-by-Character cutting wherever grapheme rules
        // join scalars: combining marks, CR LF, emoji with ZWJ and modifiers, flags, Hangul jamo, the
        // ideographic tone mark U+302A, a half-width voiced mark, variation selectors, controls
        // before combining marks and joiners.
        let samples = ["学习型党组织建设", "e\u{301}学习", "学e\u{301}", "学\u{302A}习", "a\r\nb", "学\r\n习", "👨‍👩‍👧学习", "学👍🏽习",
                       "🇨🇳🇨🇳学", "\u{1100}\u{1161}\u{11A8}学", "ｶ\u{FF9E}学", "学\u{FE0F}习", "葛\u{E0100}学", "", "ab", "，。「」（PDCA）",
                       "学习\n\n思想", "学\n\u{301}习", "a\t\u{301}b", "学\r\r\n\n习", "\n\r\n", "学\u{7F}\u{301}习", "\u{0}\u{200D}学",
                       "“学习”——…", "‼\u{FE0F}学", "学‼\u{FE0F}", "“\u{301}”", "※\u{200D}👍", "a\r"]
        for text in samples {
            for n in 0...(text.unicodeScalars.count + 1) {
                let (piece, count) = text.characterPrefix(n)
                #expect(piece == text.prefix(n) && count == text.prefix(n).count, "\(text.unicodeScalars.map { $0.value }) n=\(n)")
                // The same cut over the text's bytes (bodies' plain text is kept as UTF-8).
                let (bytesPiece, bytesCount) = String.characterPrefix(utf8: Array(text.utf8), n)
                #expect(Array(bytesPiece.utf8) == Array(text.prefix(n).utf8) && bytesCount == count, "bytes: \(text.unicodeScalars.map { $0.value }) n=\(n)")
            }
        }
    }

    /// Runs a query over built index files: all terms must match, title hits weigh 100, body hits their
    /// count (at most 20); words match as prefixes. Returns document titles, best first.
    static func query(_ q: String, _ files: [(path: String, data: [UInt8])]) throws -> [String] {
        let byPath = Dictionary(files.map { ($0.path, $0.data) }, uniquingKeysWith: { a, _ in a })
        func json(_ path: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(byPath[path] ?? Array("{}".utf8))) }
        let manifest = try #require(json("search/index.json") as? [String: Int])
        let shards = manifest["shards"] ?? 1, per = manifest["per"] ?? 4
        var total: [Int: Int]?
        for term in Tokenizer.queryTerms(q) {
            let shard = try #require(json("search/t/\(Tokenizer.shard(of: term.shardKey, count: shards)).json") as? [String: String])
            var scores: [Int: Int] = [:]
            for (key, posting) in shard {
                let matches: Bool
                switch term {
                case .cjk(let t): matches = key == t
                case .word(let w): matches = key.hasPrefix(w)
                }
                guard matches else { continue }
                var own: [Int: Int] = [:]
                let parts = posting.split(separator: "|", omittingEmptySubsequences: false)
                var doc = 0
                for d in parts[0].split(separator: ".") { doc += Int(d, radix: 36) ?? 0; own[doc, default: 0] += 100 }
                doc = 0
                var number = ""
                for c in parts[1] {
                    if c.isUppercase, let v = c.asciiValue { doc += Int(number, radix: 36) ?? 0; own[doc, default: 0] += Int(v) - 64; number = "" } else { number.append(c) }
                }
                for (d, s) in own { scores[d] = max(scores[d] ?? 0, s) }
            }
            total = total.map { t in t.filter { scores[$0.key] != nil }.reduce(into: [:]) { $0[$1.key] = $1.value + (scores[$1.key] ?? 0) } } ?? scores
        }
        let hits = (total ?? [:]).sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map(\.key)
        return try hits.map { d in
            let docs = try #require(json("search/d/\(d / per).json") as? [[String: String]])
            return docs[d % per]["t"] ?? ""
        }
    }

    static func doc(_ title: String, _ text: String) -> SearchIndex.Document {
        SearchIndex.Document(title: title, url: "/", kind: "k", date: "", text: text)
    }

    /// JSON strings are scanned eight bytes at a time where nothing needs escaping: each character
    /// that does, at every position of a run of Chinese text, is escaped as a character-by-character
    /// quote escapes it, and the result reads back as the string.
    @Test func jsonStringsEscapeWhatTheyMustAtEveryPosition() throws {
        func reference(_ s: String) -> String {
            var out = "\""
            for c in s.unicodeScalars {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "<": out += "\\u003c"
                case "\u{2028}": out += "\\u2028"
                case "\u{2029}": out += "\\u2029"
                case _ where c.value < 0x20: out += "\\u00" + (c.value < 0x10 ? "0" : "") + String(c.value, radix: 16)
                default: out.unicodeScalars.append(c)
                }
            }
            return out + "\""
        }
        let specials = ["\"", "\\", "\n", "\r", "\t", "<", "\u{2028}", "\u{2029}", "\u{1}", "\u{1F}", "—", "…", "“", "a", ""]
        let text = "学习型党组织建设的理论与实践"
        for special in specials {
            for at in 0...text.count {
                let s = String(text.prefix(at)) + special + String(text.dropFirst(at)) + special
                let quoted = JSON.quote(s)
                #expect(quoted == reference(s), "\(s.debugDescription)")
                #expect(try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String == s)
            }
        }
    }

    @Test func aWordInTheMiddleOfAChineseSentenceIsFound() async throws {
        let files = await SearchIndex.files(for: [
            Self.doc("甲", "我们要把终身学习的理念贯穿工作始终，不断提高本领。"),
            Self.doc("乙", "终身大事与学习无关。"),
        ], jobs: 2)
        #expect(try Self.query("终身学习", files) == ["甲"])
        #expect(try Self.query("学习", files) == ["甲", "乙"])
    }

    /// However the documents are split into runs, a term's shard holds every document with the term:
    /// the index of a few hundred random documents (sixteen shards) is the same built on 1, 2, 3 or 5
    /// jobs, and two-character terms find exactly the documents whose text has them.
    @Test func shardsHoldEveryDocumentOfTheirTermsWhateverTheRuns() async throws {
        var random = ProgressPropertyTests.Random(state: 7)
        let alphabet = Array("学习党建理论实践组织生活会议精神文件")
        let texts = (0..<300).map { _ in String((0..<Int.random(in: 200...1200, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }) }
        let docs = texts.indices.map { Self.doc("d\($0)", texts[$0]) }
        let files = await SearchIndex.files(for: docs, jobs: 2)
        #expect(files.contains { $0.path == "search/t/15.json" } && !files.contains { $0.path == "search/t/16.json" })
        for jobs in [1, 3, 5] {
            let other = await SearchIndex.files(for: docs, jobs: jobs)
            #expect(other.map(\.path) == files.map(\.path) && other.map(\.data) == files.map(\.data), "jobs \(jobs)")
        }
        for _ in 0..<30 {
            let term = String([alphabet[Int.random(in: 0..<alphabet.count, using: &random)], alphabet[Int.random(in: 0..<alphabet.count, using: &random)]])
            let expected = Set(texts.indices.filter { texts[$0].contains(term) }.map { "d\($0)" })
            #expect(Set(try Self.query(term, files)) == expected, "\(term)")
        }
    }

    @Test func titleMatchesRankFirst() async throws {
        let files = await SearchIndex.files(for: [
            Self.doc("工作总结", String(repeating: "远程教育很方便。", count: 30)),
            Self.doc("远程教育入门", "介绍。"),
        ], jobs: 2)
        #expect(try Self.query("远程教育", files) == ["远程教育入门", "工作总结"])
    }

    @Test func oneCharacterQueriesWork() async throws {
        let files = await SearchIndex.files(for: [Self.doc("学", "无"), Self.doc("无关", "勤学苦练"), Self.doc("别的", "没有")], jobs: 2)
        #expect(try Self.query("学", files) == ["学", "无关"])
    }

    @Test func latinWordsAreCaseInsensitivePrefixesAndFullWidthFolds() async throws {
        let files = await SearchIndex.files(for: [Self.doc("Reading Club", "We meet monthly."), Self.doc("其他", "PDCA 循环")], jobs: 2)
        #expect(try Self.query("reading club", files) == ["Reading Club"])
        #expect(try Self.query("READ", files) == ["Reading Club"])
        #expect(try Self.query("ｐｄｃａ", files) == ["其他"])
        #expect(try Self.query("pdca 循环", files) == ["其他"])
        #expect(try Self.query("nothing", files).isEmpty)
    }

    @Test func traditionalAndSimplifiedAreNotFolded() async throws {
        let files = await SearchIndex.files(for: [Self.doc("学习", "x"), Self.doc("學習", "y")], jobs: 2)
        #expect(try Self.query("學習", files) == ["學習"])
    }

    @Test func tokenizerTerms() {
        var terms: [String] = []
        Tokenizer.forEachTerm("学习 PDCA，Ｎo.1") { terms.append($0.text) }
        #expect(terms == ["学", "习", "学习", "pdca", "no", "1"])
        #expect(Tokenizer.queryTerms("终身学习").map(\.text) == ["终身", "身学", "学习"])
        #expect(Tokenizer.queryTerms("学 reading").map(\.text) == ["学", "reading"])
    }

    /// The index reports each document's measured part's metrics, in the documents' order (the pages
    /// show them), and no metrics for a document without one: titles and other parts are not counted.
    @Test func theIndexMeasuresEachDocumentsBody() async {
        var docs = (0..<40).map { n in
            SearchIndex.Document(title: "标题 Title", url: "/\(n)", kind: "k", date: "", utf8: [Array("摘要 summary".utf8), Array(String(repeating: "学习 word ", count: n).utf8), Array("标签".utf8)], measured: 1)
        }
        docs.append(SearchIndex.Document(title: "无正文", url: "/x", kind: "k", date: "", text: "正文 text"))
        let built = await SearchIndex.build(docs, jobs: 2) { ($0, $1) }
        #expect(built.metrics.count == docs.count)
        for n in 0..<40 {
            #expect(built.metrics[n].cjkCharacters == 2 * n && built.metrics[n].words == n, "document \(n)")
        }
        #expect(built.metrics[40] == TextMetrics())
        #expect(built.files.map(\.1) == (await SearchIndex.files(for: docs, jobs: 1)).map(\.data))
    }

    /// The index builder's counting (a term counter: hashed keys, single characters by code point)
    /// counts as a Dictionary does, document after document, through table growth and clearing.
    @Test func termCountsAreADictionarysCounts() {
        var random = SystemRandomNumberGenerator()
        var counter = SearchIndex.TermCounter()
        // Characters in and out of the by-code-point range (kana, ideographs, Extension B, Hangul) and bigrams.
        let chars: [UInt64] = [0x3040, 0x30A2, 0x4E00, 0x5B66, 0x9FFF, 0xA000, 0x20000, 0xAC00, 0x1100, 0x303F]
        for _ in 0..<40 {
            counter.startDocument()
            var expected: [UInt64: Int32] = [:]
            for _ in 0..<Int.random(in: 0...20_000, using: &random) {
                let a = chars.randomElement(using: &random) ?? 0
                let key = Bool.random(using: &random) ? a << 21 : a << 21 | UInt64.random(in: 0x3400...0x9FFF, using: &random)
                counter.cjk(key)
                expected[key, default: 0] += 1
            }
            var counted: [UInt64: Int32] = [:]
            counter.forEachTextCount { key, n in
                #expect(counted[key] == nil, "key \(key) given twice")
                counted[key] = n
            }
            #expect(counted == expected)
        }
    }

    /// A task's posting buffers keep what was written when they grow (a run of documents larger than
    /// the room first reserved).
    @Test func postingBuffersKeepTheirPostingsWhenTheyGrow() {
        let scratch = SearchIndex.Scratch()
        scratch.reserve(3, keeping: 0)
        for k in 0..<3 {
            scratch.entries[k] = SearchIndex.Posting(key: UInt64(k + 1), doc: k, count: Int32(k))
            scratch.shards[k] = UInt16(k * 7)
        }
        scratch.reserve(2, keeping: 3)   // never smaller
        #expect(scratch.capacity == 3)
        scratch.reserve(100, keeping: 3)
        #expect(scratch.capacity == 100)
        #expect((0..<3).map { scratch.entries[$0].doc } == [0, 1, 2])
        #expect((0..<3).map { scratch.entries[$0].key } == [1, 2, 3])
        #expect((0..<3).map { scratch.shards[$0] } == [0, 7, 14])
    }

    /// Runs of ideographs are counted with the tables' state held apart (`CountTable.Run`): the
    /// counts must be the term reading's, also when a run brings more new pairs than the table has
    /// room for and it grows in the middle of the run, and when titles and text alternate.
    @Test func runsOfIdeographsCountAsTheTermReadingDoes() {
        var random = SystemRandomNumberGenerator()
        var counter = SearchIndex.TermCounter()
        for length in [0, 1, 2, 300, 30_000] {
            // One long run (pairs of random ideographs: thousands of new keys), then mixed text.
            let run = String(String.UnicodeScalarView((0..<length).compactMap { _ in Unicode.Scalar(UInt32.random(in: 0x4E00...0x9FFF, using: &random)) }))
            // Kana and Extension B around ideographs: pairs made outside the runs, both ways.
            let texts = [run, "学习" + run.prefix(50) + "，abc 学习型党组织", "第一章\n" + run.suffix(40), "学かな習ア" + run.prefix(3) + "𠀀学𠀁"]
            counter.startDocument()
            var expected: [Tokenizer.Term: Int32] = [:]
            for text in texts {
                Tokenizer.forEachKey(text, into: &counter)
                Tokenizer.forEachTerm(text) { term in
                    if case .cjk = term { expected[term, default: 0] += 1 }
                }
            }
            counter.inTitle = true
            Tokenizer.forEachKey(String(run.prefix(20)), into: &counter)
            counter.inTitle = false
            var counted: [Tokenizer.Term: Int32] = [:]
            counter.forEachTextCount { key, n in
                if key & SearchIndex.wordFlag == 0 { counted[Tokenizer.Key.cjk(key).term] = n }
            }
            #expect(counted == expected, "length \(length)")
            var titles: [Tokenizer.Term: Int32] = [:]
            Tokenizer.forEachTerm(String(run.prefix(20))) { titles[$0, default: 0] += 1 }
            var countedTitles: [Tokenizer.Term: Int32] = [:]
            counter.titles.forEach { key, n in countedTitles[Tokenizer.Key.cjk(key).term] = n }
            #expect(countedTitles == titles, "titles, length \(length)")
        }
    }

    /// The index builder's shard of a packed term (table, mask) is the script's: FNV-1a of the
    /// term's text modulo the count, for every count and characters in and out of the table.
    @Test func packedShardsAreTheScriptsShards() {
        var random = SystemRandomNumberGenerator()
        let scalars: [ClosedRange<UInt32>] = [0x3040...0x9FFF, 0x1100...0x11FF, 0xAC00...0xD7A3, 0x20000...0x2A6DF, 0xF900...0xFAFF]
        for _ in 0..<20_000 {
            func scalar() -> UInt64 { UInt64(UInt32.random(in: scalars.randomElement(using: &random) ?? 0x4E00...0x4E00, using: &random)) }
            let key: Tokenizer.Key = Int.random(in: 0..<5, using: &random) == 0
                ? .word(["学习", "ab", "x", "é", "ßq"].randomElement(using: &random) ?? "x")
                : .cjk(scalar() << 21 | (Bool.random(using: &random) ? scalar() : 0))
            let count = [0, 1, 2, 7, 100, 1024, 2048, 4096].randomElement(using: &random) ?? 1
            #expect(key.shard(count: count) == Tokenizer.shard(of: key.term.shardKey, count: count), "\(key) \(count)")
        }
    }

    /// A posting's one integer gives back the key (CJK terms of any two scalars, words), the
    /// document's place in its chunk and the count as the shard format writes it (capped at 20).
    @Test func postingsKeepTheirFields() {
        var random = SystemRandomNumberGenerator()
        let edges: [UInt64] = [1, 0x3040, 0x10FFFF]
        for _ in 0..<10_000 {
            let key: UInt64
            switch Int.random(in: 0..<3, using: &random) {
            case 0: key = (edges.randomElement(using: &random) ?? 1) << 21 | UInt64.random(in: 0...0x10FFFF, using: &random)
            case 1: key = UInt64.random(in: 1...0x10FFFF, using: &random) << 21
            default: key = SearchIndex.wordFlag | UInt64.random(in: 0..<(1 << 42), using: &random)
            }
            let doc = Bool.random(using: &random) ? SearchIndex.Posting.maxChunk - 1 : Int.random(in: 0..<SearchIndex.Posting.maxChunk, using: &random)
            let count = Int32.random(in: 0...1_000, using: &random)
            let p = SearchIndex.Posting(key: key, doc: doc, count: count)
            #expect(p.key == key && p.doc == doc && p.count == min(count, 20), "\(key) \(doc) \(count)")
        }
    }

    /// Base 36 as JavaScript's parseInt reads it (String writes the same digits), at an offset.
    @Test func base36IsWrittenAsStringWritesIt() {
        var values = [0, 1, 35, 36, 1295, 1296, 46_655, 46_656, Int(Int32.max)]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 { values.append(Int.random(in: 0...Int(Int32.max), using: &random) >> Int.random(in: 0...30, using: &random)) }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)
        defer { buffer.deallocate() }
        for v in values {
            buffer[0] = 0x2E
            let end = SearchIndex.base36(v, into: buffer, at: 1)
            #expect(String(decoding: UnsafeBufferPointer(start: buffer, count: end), as: UTF8.self) == "." + String(v, radix: 36), "\(v)")
        }
    }

    /// A chunk's word numbers: one per distinct word, the same each time it comes back, and the word
    /// that number stands for is the word.
    @Test func wordsAreNumberedByTheirBytes() {
        var table = SearchIndex.WordTable()
        var seen: [String: Int] = [:]
        let letters = ["a", "b", "é", "ß", "z", "0", "9"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let word = (0..<Int.random(in: 1...4, using: &random)).map { _ in letters.randomElement(using: &random) ?? "a" }.joined()
            var bytes = Array(word.utf8)
            let n = bytes.withUnsafeMutableBufferPointer { table.number(of: UnsafeBufferPointer($0)) }
            let words = table.words
            if let first = seen[word] { #expect(n == first, "\(word)") } else {
                #expect(n == words.count - 1, "\(word) is numbered next")
                seen[word] = n
            }
            #expect(words[n] == word)
        }
        #expect(table.words.count == seen.count)
    }

    /// The index builder's packed keys are the tokenizer's terms, one for one, in order.
    @Test func packedKeysAreTheTerms() {
        struct Collect: Tokenizer.KeySink {
            var terms: [Tokenizer.Term] = []
            mutating func cjk(_ packed: UInt64) { terms.append(Tokenizer.Key.cjk(packed).term) }
            mutating func word(_ utf8: UnsafeBufferPointer<UInt8>) { terms.append(.word(String(decoding: utf8, as: UTF8.self))) }
        }
        let pieces = ["学", "習", "𠀀", " ", "Ａ", "b", "9", "é", "ß", "，", "。", "\n", "-", "한", "か", "👍🏽", "\u{3000}", "x", "ᄀ", "⺀", "A", "Q", "Z", "@", "[", "`", "{", "/", ":", "0",
                      // Around the unified ideographs' three-byte fast path (lead bytes E4–E9).
                      "\u{4000}", "\u{4DBF}", "\u{4DC0}", "\u{4DFF}", "\u{4E00}", "\u{9FFF}", "\u{A000}", "\u{3000}", "Ｑ"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
            var expected: [Tokenizer.Term] = []
            Tokenizer.forEachTerm(text) { expected.append($0) }
            var sink = Collect()
            Tokenizer.forEachKey(text, into: &sink)
            #expect(sink.terms == expected, "\(text.debugDescription)")
        }
    }

    @Test func theSampleSiteIsSearchable() async throws {
        let (_, out) = await runBuild(repoRoot)
        var files: [(String, [UInt8])] = []
        for (path, data) in snapshot(out) where path.hasPrefix("search/") && path.hasSuffix(".json") { files.append((path, Array(data))) }
        let hits = try Self.query("终身学习", files)
        #expect(hits.first == "终身学习的理念与实践")
        #expect(FileManager.default.fileExists(atPath: out + "/search/index.html"))
        #expect(read(out + "/index.html").contains("<form class=\"site-search\" role=\"search\" action=\"/search/\""))
    }

    /// In the public profile a reflection without consent is not indexed.
    @Test func privateReflectionsAreNotIndexed() async throws {
        let (_, out) = await runBuild(repoRoot) { $0.profile = .public }
        let docs = snapshot(out).filter { $0.key.hasPrefix("search/d/") }.map { String(decoding: $0.value, as: UTF8.self) }.joined()
        #expect(!docs.contains("/reflections/u005/"))
        #expect(docs.contains("/reflections/u002/"))
    }
}
