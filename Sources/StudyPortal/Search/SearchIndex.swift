import Foundation

/// The static search index (SPEC §5 `/search/`): sharded so a query fetches only what its terms need.
///
/// - `search/index.json`: the manifest (shard count, documents per document shard).
/// - `search/t/<n>.json`: term shard n, `{term: "TITLE|BODY"}`; a term lives in shard
///   `fnv1a(shardKey) % count` (see `Tokenizer.Term.shardKey`). TITLE lists the documents whose title
///   holds the term as base-36 deltas joined by `.`; BODY lists each document holding it in the text as
///   a base-36 delta followed by one capital letter for how often (A = 1 … T = 20 or more). Dense terms
///   (学习 in most documents) cost two bytes a document.
/// - `search/d/<n>.json`: documents n·4 … n·4+3: title, URL, kind, date, and an excerpt for snippets.
///
/// Documents are numbered in display order (materials newest first, then plans, activities, pages,
/// reflections), so ties in score keep that order.
public struct SearchIndex: Sendable {
    public struct Document: Sendable {
        public var title: String
        public var url: String
        public var kind: String
        public var date: String
        /// The searchable text as UTF-8, in parts read as one text with a line break between each
        /// two: a material's body is indexed where it is (the bytes its Markdown left), not copied
        /// into a joined string, nor made a string at all.
        public var parts: [[UInt8]]
        /// The part whose reading metrics the index reports (`SearchIndex.build`): a body's text,
        /// measured in the pass that finds its terms rather than in a pass of its own.
        public var measured: Int?

        public init(title: String, url: String, kind: String, date: String, parts: [String]) {
            self.init(title: title, url: url, kind: kind, date: date, utf8: parts.map { Array($0.utf8) })
        }

        public init(title: String, url: String, kind: String, date: String, text: String) {
            self.init(title: title, url: url, kind: kind, date: date, parts: [text])
        }

        /// Parts that are valid UTF-8 already.
        init(title: String, url: String, kind: String, date: String, utf8 parts: [[UInt8]], measured: Int? = nil) {
            (self.title, self.url, self.kind, self.date, self.parts, self.measured) = (title, url, kind, date, parts, measured)
        }

        /// The bytes of the title and the text, a line break between two parts counted: what decides
        /// the index's shard count (`write`).
        var textSize: Int { title.utf8.count + parts.reduce(max(0, parts.count - 1)) { $0 + $1.count } }

        /// The first `length` characters of the text, for the result's snippet.
        func excerpt(_ length: Int) -> String {
            var out = "", remaining = length
            for (k, part) in parts.enumerated() where remaining > 0 {
                if k > 0 { out += "\n"; remaining -= 1 }
                let (piece, count) = String.characterPrefix(utf8: part, remaining)
                out += piece
                remaining -= count
            }
            return out
        }
    }

    public static let docsPerShard = 4
    public static let excerptLength = 160
    /// Aim for term shards of about this many bytes.
    static let targetShardBytes = 24_000

    /// One occurrence in one integer: a term in a document's title (count 0) or text (count ≥ 1) —
    /// the term's key in bits 21–63 (a packed CJK term of up to 42 bits, or bit 63 and the index of a
    /// word in its chunk's word table), the document's place in its chunk in bits 5–20, the count,
    /// capped at the 20 the shard format can tell apart, in bits 0–4. Eight bytes where a struct of
    /// key, document and count took sixteen: the postings of a 10,000-material site are tens of
    /// millions, and every page of memory they touch is a page the kernel has to clear first (7% of
    /// the build's CPU went to that when they were structs in growing arrays).
    struct Posting: Sendable {
        var bits: UInt64

        /// Documents a chunk may hold: its place in the chunk must fit 16 bits.
        static let maxChunk = 1 << 16

        init(key: UInt64, doc: Int, count: Int32) {
            assert(key & ~wordFlag < 1 << 42 && doc < Self.maxChunk, "a posting's fields overflow their bits")
            let term = key & wordFlag == 0 ? key : 1 << 42 | key & ~wordFlag
            bits = term << 21 | UInt64(doc) << 5 | UInt64(min(count, 20))
        }

        /// The key as the chunk has it (`wordFlag` set for a word).
        var key: UInt64 {
            let term = bits >> 21
            return term & 1 << 42 == 0 ? term : wordFlag | term & (1 << 42 - 1)
        }
        var doc: Int { Int(bits >> 5 & 0xFFFF) }
        var count: Int32 { Int32(bits & 0x1F) }
    }

    static let wordFlag: UInt64 = 1 << 63

    /// Lower-case base 36, as JavaScript's parseInt(_, 36) reads it, of a non-negative `value` below
    /// 2³¹ (at most six digits), written at `buffer[at...]`; returns where the digits end. Raw memory,
    /// not an array: this runs once per posting, millions of times on a large site, and an append
    /// checked the array's owner and room for every digit.
    static func base36(_ value: Int, into buffer: UnsafeMutablePointer<UInt8>, at: Int) -> Int {
        let digits: StaticString = "0123456789abcdefghijklmnopqrstuvwxyz"
        if value < 36 { buffer[at] = digits.utf8Start[value]; return at + 1 }   // most deltas: one digit
        var count = 1, v = value / 36
        while v > 0 { count += 1; v /= 36 }
        v = value
        for i in stride(from: at + count - 1, through: at, by: -1) {
            buffer[i] = digits.utf8Start[v % 36]
            v /= 36
        }
        return at + count
    }

    /// One document's terms counted, title and text apart; words numbered per chunk (`wordFlag`).
    struct TermCounter: Tokenizer.KeySink, ~Copyable {
        var counts = CountTable()
        var chars = CharCountTable()
        var titles = CountTable(capacity: 64)
        var inTitle = false
        /// The chunk's words, numbered (`WordTable.words`).
        var words = WordTable()
        /// Whether the text being read is the one to measure, and its metrics (`Tokenizer.KeySink.measured`).
        var measuring = false
        var metrics = TextMetrics()

        mutating func measured(_ tally: TextMetrics.Tally) {
            if measuring { metrics += tally }
        }

        mutating func cjk(_ packed: UInt64) {
            if inTitle { titles.add(packed); return }
            if packed & 0x1F_FFFF == 0 && chars.add(UInt32(packed >> 21)) { return }
            counts.add(packed)
        }

        /// Outside titles, a run is counted with both tables' state in locals (`CountTable.Run`):
        /// each character into `chars` (ideographs are all in its range), each pair into `counts`.
        mutating func ideographs(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, previous: UInt64) -> (end: Int, last: UInt64) {
            if inTitle {
                return Tokenizer.forEachIdeograph(bytes, from: start, previous: previous) { v, before in
                    titles.add(UInt64(v) << 21)
                    if before != 0 { titles.add(before << 21 | UInt64(v)) }
                }
            }
            var single = chars.run, pairs = counts.run
            let end = Tokenizer.forEachIdeograph(bytes, from: start, previous: previous) { v, before in
                single.addIdeograph(v)
                if before != 0 && pairs.add(before << 21 | UInt64(v)) {
                    counts.end(pairs)   // grown: the run goes on over the new slots
                    pairs = counts.run
                }
            }
            chars.end(single)
            counts.end(pairs)
            return end
        }

        /// How many postings the document's counts make (titles and text).
        var termCount: Int { titles.count + chars.count + counts.count }

        /// The text's counts (single characters of the common blocks are kept apart, `chars`).
        func forEachTextCount(_ body: (UInt64, Int32) -> Void) {
            chars.forEach { v, n in body(UInt64(v) << 21, n) }
            counts.forEach(body)
        }

        mutating func startDocument() {
            measuring = false
            metrics = TextMetrics()
            titles.removeAll()
            counts.removeAll()
            chars.removeAll()
        }

        mutating func word(_ utf8: UnsafeBufferPointer<UInt8>) {
            let key = wordFlag | UInt64(words.number(of: utf8))
            if inTitle { titles.add(key) } else { counts.add(key) }
        }
    }

    /// Word numbers by the word's bytes. Most words of a text repeat: a string made and hashed with
    /// SipHash for every occurrence was a tenth of the counting. Here the bytes are hashed (FNV-1a,
    /// 64 bits) into a `CountTable` and compared with the word that number stands for; two words with
    /// one hash (possible, if unlikely) are told apart by a dictionary of the later ones.
    struct WordTable: ~Copyable {
        /// The words by number.
        private(set) var words: [String] = []
        private var byHash = CountTable(capacity: 256)
        /// Every numbered word's bytes, one after another, and where each ends.
        private var bytes: [UInt8] = []
        private var ends: [Int] = []
        private var collided: [String: Int] = [:]

        /// The number of the word `utf8` in `words`, appended there when new.
        mutating func number(of utf8: UnsafeBufferPointer<UInt8>) -> Int {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for b in utf8 { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            hash |= 1   // the table's keys are never 0
            guard let found = byHash.value(hash) else {
                let n = append(utf8)
                byHash.set(hash, Int32(n))
                return n
            }
            let n = Int(found)
            let start = n == 0 ? 0 : ends[n - 1]
            // memcmp: the generic `elementsEqual` over a slice stepped byte by byte.
            let same = ends[n] - start == utf8.count && bytes.withUnsafeBufferPointer { stored in
                guard let a = stored.baseAddress, let b = utf8.baseAddress else { return utf8.isEmpty }
                return memcmp(a + start, b, utf8.count) == 0
            }
            if same { return n }
            let text = String(decoding: utf8, as: UTF8.self)
            if let m = collided[text] { return m }
            let m = append(utf8)
            collided[text] = m
            return m
        }

        private mutating func append(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
            bytes.append(contentsOf: utf8)
            ends.append(bytes.count)
            words.append(String(decoding: utf8, as: UTF8.self))
            return words.count - 1
        }
    }

    /// Postings of a run of documents, sorted into buckets (`buckets`); and what the index needs of
    /// the run's documents besides: their excerpts, their measured parts' metrics, their text's size.
    struct Chunk: Sendable {
        /// The run's postings in bucket order (document order within a bucket): bucket `b` is
        /// `entries[offsets[b]..<offsets[b + 1]]`. One flat array rather than an array per bucket,
        /// whose appends paid two uniqueness checks each.
        var entries: [Posting]
        var offsets: [Int]
        var words: [String]
        /// The first document of the run (postings number documents from it).
        var firstDoc: Int
        /// Each document's measured part's metrics (`Document.measured`; zero without one).
        var metrics: [TextMetrics]
        /// Each document's excerpt (`excerptLength` characters of its text).
        var excerpts: [String]
        /// The bytes of the run's titles and texts (a line break between two parts counted), which
        /// decide how many shards the index has.
        var textBytes: Int

        func bucket(_ b: Int) -> ArraySlice<Posting> { entries[offsets[b]..<offsets[b + 1]] }
    }

    /// Postings are sorted before the shard count is known (it depends on all of the text, and the
    /// build counts each body's terms as soon as its Markdown is rendered) into this many buckets: the
    /// most shards an index has. A term's bucket is its hash modulo 4096 and its shard the hash modulo
    /// the shard count, a power of two that divides 4096: each bucket lies wholly in one shard.
    static let buckets = 4096

    /// `items` stably sorted by their buckets `0..<count` (a counting sort), and where each bucket
    /// starts: bucket `b` is `sorted[starts[b]..<starts[b + 1]]`.
    static func bucketed<T, B: BinaryInteger, Items: Collection<T>, Buckets: Collection<B>>(_ items: Items, by buckets: Buckets, count: Int) -> (sorted: [T], starts: [Int]) {
        var starts = [Int](repeating: 0, count: count + 1)
        for b in buckets { starts[Int(b) + 1] += 1 }
        for b in 0..<count { starts[b + 1] += starts[b] }
        // An empty result must not go through `unsafeUninitializedCapacity`: with capacity 0 it writes
        // the count into the shared empty-array storage (a data race ThreadSanitizer reports).
        guard !items.isEmpty else { return ([], starts) }
        var next = starts
        let sorted = [T](unsafeUninitializedCapacity: items.count) { buffer, initialized in
            // Each bucket's next place through a pointer: through the array, every item paid a
            // bounds check and a uniqueness check on it.
            next.withUnsafeMutableBufferPointer { next in
                guard let base = buffer.baseAddress, let cursor = next.baseAddress else { return }
                for (item, b) in zip(items, buckets) {
                    let at = cursor + Int(b)
                    (base + at.pointee).initialize(to: item)
                    at.pointee += 1
                }
            }
            initialized = items.count
        }
        return (sorted, starts)
    }

    /// The runs of documents whose terms are counted together: eight per job, at most `Posting.maxChunk`
    /// documents each.
    static func runs(count: Int, jobs: Int) -> [Range<Int>] {
        let size = min(Posting.maxChunk, max(1, (count + jobs * 8 - 1) / (jobs * 8)))
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    /// Each run of documents: its terms counted one document at a time and its postings sorted into
    /// buckets at once, so no document's term table outlives it (memory stays flat).
    static func chunks(_ documents: [Document], jobs: Int) async -> [Chunk] {
        await parallelMap(runs(count: documents.count, jobs: jobs), jobs: jobs, local: { Scratch() }) { scratch, range -> Chunk in
            let estimate = documents[range].reduce(0) { $0 + $1.textSize }
            return count(range, scratch: scratch, estimate: estimate) { documents[$0] }
        }
    }

    /// The chunk of the documents `range`, each given by `document` when it is its turn (the build
    /// renders a body's Markdown there, so that its text is counted while it is fresh and let go at
    /// once); `estimate` is about how many bytes of text they hold (room for the postings is made
    /// from it). Uses `scratch`'s buffers (a task's own, kept from run to run).
    static func count(_ range: Range<Int>, scratch: Scratch, estimate: Int, document: (Int) -> Document) -> Chunk {
        // Room for every posting the run can have, up to 16 M (then it grows as needed). A document
        // has no more distinct terms than bytes: a Chinese character, three bytes, starts two
        // (itself and the pair with the next), a word takes at least one byte and a separator.
        scratch.reserve(min(1 << 24, estimate + range.count), keeping: 0)
        var counter = TermCounter()
        var bucketOf = CountTable()   // word key → bucket (its FNV hash computed once per chunk)
        let charStates = scratch.charStates
        let span = Int(CharCountTable.end - CharCountTable.first)
        let mask = UInt32(buckets - 1)
        func bucket(_ key: UInt64) -> Int {
            // A CJK key's hash is a few multiplications; for the common blocks (`CharCountTable`'s)
            // each character's hash state is kept, so a single character's bucket is a look-up and
            // a pair's hashes only its second character (the shards of half the postings cost 7%
            // of the index's time). Words (rarer, hashed as text) are remembered.
            // (0 stands for "not computed yet"; a character whose state happens to be 0 is hashed
            // each time, which is only slower.)
            if key & wordFlag == 0 {
                let slot = Int(UInt32(truncatingIfNeeded: key >> 21) &- CharCountTable.first)
                guard slot < span else { return Tokenizer.Key.cjk(key).shard(count: buckets) }
                var hash = charStates[slot]
                if hash == 0 {
                    hash = Tokenizer.fnvStart
                    Tokenizer.fnvFeed(UInt32(truncatingIfNeeded: key >> 21), &hash)
                    charStates[slot] = hash
                }
                if key & 0x1F_FFFF != 0 { Tokenizer.fnvFeed(UInt32(truncatingIfNeeded: key & 0x1F_FFFF), &hash) }
                return Int(hash & mask)   // `hash % buckets`: a power of two
            }
            if let b = bucketOf.value(key) { return Int(b) }
            let b = Tokenizer.Key.word(counter.words.words[Int(key & ~wordFlag)]).shard(count: buckets)
            bucketOf.set(key, Int32(b))
            return b
        }
        // Written through the scratch's pointers with the count in a local: appended to arrays,
        // each posting waited on the array's count stored by the one before.
        var (entries, entryBuckets) = (scratch.entries, scratch.shards)
        var n = 0, textBytes = 0
        var metrics: [TextMetrics] = [], excerpts: [String] = []
        metrics.reserveCapacity(range.count)
        excerpts.reserveCapacity(range.count)
        for doc in range {
            let d = document(doc)
            counter.startDocument()
            counter.inTitle = true
            Tokenizer.forEachKey(d.title, into: &counter)
            counter.inTitle = false
            // A line break between parts ends any term, as it would in the joined text.
            for (k, part) in d.parts.enumerated() {
                counter.measuring = k == d.measured
                part.withUnsafeBufferPointer { Tokenizer.forEachKey(utf8: $0, into: &counter) }
            }
            metrics.append(counter.metrics)
            excerpts.append(d.excerpt(excerptLength))
            textBytes += d.textSize
            let local = doc - range.lowerBound
            if n + counter.termCount > scratch.capacity {
                scratch.reserve(max(2 * scratch.capacity, n + counter.termCount), keeping: n)
                (entries, entryBuckets) = (scratch.entries, scratch.shards)
            }
            counter.titles.forEach { key, _ in
                entries[n] = Posting(key: key, doc: local, count: 0)
                entryBuckets[n] = UInt16(bucket(key))
                n += 1
            }
            counter.forEachTextCount { key, count in
                entries[n] = Posting(key: key, doc: local, count: count)
                entryBuckets[n] = UInt16(bucket(key))
                n += 1
            }
        }
        let (sorted, offsets) = bucketed(UnsafeBufferPointer(start: entries, count: n), by: UnsafeBufferPointer(start: entryBuckets, count: n), count: buckets)
        return Chunk(entries: sorted, offsets: offsets, words: counter.words.words, firstDoc: range.lowerBound,
                     metrics: metrics, excerpts: excerpts, textBytes: textBytes)
    }

    /// A task's buffers for its runs of documents, kept from run to run (their pages are faulted in
    /// once per core, not once per run) and freed when the runs are counted, before the shards are
    /// written: each run's postings in the order found and their buckets, before the sort, and each
    /// common character's FNV state (`count`).
    final class Scratch {
        private(set) var entries: UnsafeMutablePointer<Posting>
        /// Each posting's bucket (`SearchIndex.buckets`).
        private(set) var shards: UnsafeMutablePointer<UInt16>
        private(set) var capacity = 0
        let charStates: UnsafeMutablePointer<UInt32>

        init() {
            let span = Int(CharCountTable.end - CharCountTable.first)
            entries = .allocate(capacity: 0)
            shards = .allocate(capacity: 0)
            charStates = .allocate(capacity: span)
            charStates.initialize(repeating: 0, count: span)
        }

        /// Room for `count` postings (pages never touched cost no memory), the first `kept` moved over.
        func reserve(_ count: Int, keeping kept: Int) {
            guard count > capacity else { return }
            let (oldEntries, oldShards) = (entries, shards)
            entries = .allocate(capacity: count)
            shards = .allocate(capacity: count)
            entries.moveInitialize(from: oldEntries, count: kept)
            shards.moveInitialize(from: oldShards, count: kept)
            oldEntries.deallocate()
            oldShards.deallocate()
            capacity = count
        }

        deinit {
            entries.deallocate()
            shards.deallocate()
            charStates.deallocate()
        }
    }

    /// The files of the index, path → bytes.
    public static func files(for documents: [Document], jobs: Int) async -> [(path: String, data: [UInt8])] {
        await build(documents, jobs: jobs) { ($0, $1) }.files
    }

    /// The files of the index, each given to `store` (path, bytes) as soon as it is made, in the
    /// task that made it — the build writes them into its work folder there, and the memory of one
    /// is reused for the next — with what `store` returned, in order; and each document's measured
    /// part's metrics, in the documents' order.
    static func build<File: Sendable>(_ documents: [Document], jobs: Int,
                                      store: @escaping @Sendable (String, [UInt8]) -> File) async -> (files: [File], metrics: [TextMetrics]) {
        await write(await chunks(documents, jobs: jobs), documents: documents, jobs: jobs, store: store)
    }

    /// The index's files from the counted chunks (which cover `documents` in order; the documents'
    /// titles, URLs, kinds and dates are read here, their texts were read by the counting), each given
    /// to `store` as it is made; and each document's measured part's metrics, in order.
    static func write<File: Sendable>(_ chunks: [Chunk], documents: [Document], jobs: Int,
                                      store: @escaping @Sendable (String, [UInt8]) -> File) async -> (files: [File], metrics: [TextMetrics]) {
        // Shard count from the text size (about one posting per 3 bytes of CJK text, 3 bytes a posting).
        let textBytes = chunks.reduce(0) { $0 + $1.textBytes }
        var count = 1
        while count < buckets && count * targetShardBytes < textBytes / 2 { count *= 2 }
        let shardCount = count

        // Each shard: its postings from every chunk (the buckets lying in it), written compactly.
        let shards = await parallelMap(Array(0..<shardCount), jobs: jobs) { shard -> File in
            let inShard = Array(stride(from: shard, to: buckets, by: shardCount))
            // Term → its postings list: CJK terms through the integer table, words through a Dictionary.
            var cjkIndex = CountTable(capacity: 1024)
            var wordIndex: [String: Int] = [:]
            var keys: [Tokenizer.Key] = []
            // Each posting with its term, then laid out term by term.
            // Room for the shard's postings at once (grown by doubling, each array was copied a dozen
            // times over), and for its text: about two bytes a posting and a dozen a term.
            let postingCount = chunks.reduce(0) { total, chunk in inShard.reduce(total) { $0 + chunk.offsets[$1 + 1] - chunk.offsets[$1] } }
            // Written through pointers with the count in a local (as `count` writes its postings).
            let found = UnsafeMutablePointer<(doc: Int32, count: Int32)>.allocate(capacity: postingCount)
            let termOf = UnsafeMutablePointer<Int32>.allocate(capacity: postingCount)
            defer {
                found.deallocate()
                termOf.deallocate()
            }
            var n = 0
            // A chunk's word (its index there, the chunk's place above it) → its term here: the word's
            // text is hashed once per chunk, not once per posting.
            var chunkWords = CountTable(capacity: 64)
            // A term's postings all lie in one bucket of each chunk, in document order: taken chunk by
            // chunk, they come in document order whatever the buckets' order.
            for (c, chunk) in chunks.enumerated() {
                chunk.entries.withUnsafeBufferPointer { entries in
                    for b in inShard {
                        for e in entries[chunk.offsets[b]..<chunk.offsets[b + 1]] {
                            let k: Int, key = e.key
                            if key & wordFlag == 0 {
                                if let found = cjkIndex.value(key) { k = Int(found) } else {
                                    k = keys.count
                                    cjkIndex.set(key, Int32(k))
                                    keys.append(.cjk(key))
                                }
                            } else {
                                let local = UInt64(c + 1) << 32 | key & ~wordFlag
                                if let found = chunkWords.value(local) { k = Int(found) } else {
                                    let word = chunk.words[Int(key & ~wordFlag)]
                                    if let found = wordIndex[word] { k = found } else {
                                        k = keys.count
                                        wordIndex[word] = k
                                        keys.append(.word(word))
                                    }
                                    chunkWords.set(local, Int32(k))
                                }
                            }
                            found[n] = (Int32(chunk.firstDoc + e.doc), e.count)
                            termOf[n] = Int32(k)
                            n += 1
                        }
                    }
                }
            }
            let (postings, start) = bucketed(UnsafeBufferPointer(start: found, count: n), by: UnsafeBufferPointer(start: termOf, count: n), count: keys.count)
            var out: [UInt8] = [0x7B]   // {
            out.reserveCapacity(2 * postingCount + 12 * keys.count + 2)
            // A term's postings are written into raw memory first, then appended at once: seven bytes
            // a posting at most (six base-36 digits of a delta below 2³¹, and a separator or a letter).
            let list = UnsafeMutablePointer<UInt8>.allocate(capacity: 7 * postingCount + 2)
            defer { list.deallocate() }
            let order = keys.indices.map { (keys[$0].term.text, $0) }.sorted { $0.0 < $1.0 }
            for (n, (text, k)) in order.enumerated() {
                if n > 0 { out.append(0x2C) }
                JSON.quote(text, into: &out)
                out.append(contentsOf: [0x3A, 0x22])   // :"
                var at = 0, last: Int32 = 0
                for p in postings[start[k]..<start[k + 1]] where p.count == 0 {
                    if at > 0 { list[at] = 0x2E; at += 1 }   // .
                    at = base36(Int(p.doc - last), into: list, at: at)
                    last = p.doc
                }
                list[at] = 0x7C   // |
                at += 1
                last = 0
                for p in postings[start[k]..<start[k + 1]] where p.count > 0 {
                    at = base36(Int(p.doc - last), into: list, at: at)
                    list[at] = UInt8(64 + min(p.count, 20))
                    at += 1
                    last = p.doc
                }
                list[at] = 0x22
                out.append(contentsOf: UnsafeBufferPointer(start: list, count: at + 1))
            }
            out.append(0x7D)
            return store("search/t/\(shard).json", out)
        }
        var files = shards
        let excerpts = chunks.flatMap(\.excerpts)
        let docShards = await parallelMap(Array(stride(from: 0, to: documents.count, by: docsPerShard)), jobs: jobs) { start -> File in
            // `[{"t":…,"u":…,"k":…,"d":…,"x":…},…]` as `JSON.compact` writes it, without a tree of
            // values made per document first.
            var out: [UInt8] = [0x5B]
            for (k, d) in documents[start..<min(start + docsPerShard, documents.count)].enumerated() {
                out.append(k == 0 ? "{\"t\":" : ",{\"t\":")
                JSON.quote(d.title, into: &out)
                out.append(",\"u\":")
                JSON.quote(d.url, into: &out)
                out.append(",\"k\":")
                JSON.quote(d.kind, into: &out)
                out.append(",\"d\":")
                JSON.quote(d.date, into: &out)
                out.append(",\"x\":")
                JSON.quote(excerpts[start + k], into: &out)
                out.append(0x7D)
            }
            out.append(0x5D)
            return store("search/d/\(start / docsPerShard).json", out)
        }
        files += docShards
        let manifest = JSON.object([("v", .int(1)), ("shards", .int(shardCount)), ("docs", .int(documents.count)), ("per", .int(docsPerShard))])
        files.append(store("search/index.json", Array(manifest.compact().utf8)))
        return (files, chunks.flatMap(\.metrics))
    }
}
