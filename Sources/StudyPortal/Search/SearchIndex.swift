import Foundation

/// The static search index (SPEC §5 `/search/`): sharded so a query fetches only what its terms need.
///
/// - `search/index.json`: the manifest (shard count, documents per document shard).
/// - `search/t/<n>.json`: term shard n, `{term: [[title doc deltas], [body doc delta, count, …]]}`;
///   a term lives in shard `fnv1a(shardKey) % count` (see `Tokenizer.Term.shardKey`).
/// - `search/d/<n>.json`: documents n·8 … n·8+7: title, URL, kind, date, and an excerpt for snippets.
///
/// Documents are numbered in display order (materials newest first, then plans, activities, pages,
/// reflections), so ties in score keep that order.
public struct SearchIndex: Sendable {
    public struct Document: Sendable {
        public var title: String
        public var url: String
        public var kind: String
        public var date: String
        public var text: String
    }

    public static let docsPerShard = 8
    public static let excerptLength = 240
    /// Aim for term shards of about this many bytes.
    static let targetShardBytes = 24_000

    /// One occurrence record: a term in a document's title (count 0) or body (count ≥ 1).
    struct Entry: Sendable {
        var doc: Int
        var term: String
        var count: Int
    }

    /// The files of the index, path → bytes.
    public static func files(for documents: [Document], jobs: Int) async -> [(path: String, data: Data)] {
        // Terms of each document, in parallel.
        let perDoc = await parallelMap(documents, jobs: jobs) { doc -> (title: Set<Tokenizer.Term>, body: [Tokenizer.Term: Int]) in
            var title = Set<Tokenizer.Term>()
            Tokenizer.forEachTerm(doc.title) { title.insert($0) }
            var body: [Tokenizer.Term: Int] = [:]
            Tokenizer.forEachTerm(doc.text) { body[$0, default: 0] += 1 }
            return (title, body)
        }
        let postings = perDoc.reduce(0) { $0 + $1.title.count + $1.body.count }
        var count = 1
        while count < 4096 && count * targetShardBytes < postings * 4 { count *= 2 }
        let shardCount = count

        // Bucket the postings by shard, a run of documents per task, then join each shard's buckets
        // in document order: every posting is touched twice, whatever the shard count.
        let chunk = max(1, (documents.count + jobs * 4 - 1) / (jobs * 4))
        let ranges = stride(from: 0, to: documents.count, by: chunk).map { $0..<min($0 + chunk, documents.count) }
        let buckets = await parallelMap(ranges, jobs: jobs) { range -> [[Entry]] in
            var out = Array(repeating: [Entry](), count: shardCount)
            for doc in range {
                for term in perDoc[doc].title { out[Tokenizer.shard(of: term.shardKey, count: shardCount)].append(Entry(doc: doc, term: term.text, count: 0)) }
                for (term, n) in perDoc[doc].body { out[Tokenizer.shard(of: term.shardKey, count: shardCount)].append(Entry(doc: doc, term: term.text, count: n)) }
            }
            return out
        }
        struct Posting { var title: [Int] = []; var body: [(Int, Int)] = [] }
        let shards = await parallelMap(Array(0..<shardCount), jobs: jobs) { shard -> Data in
            var terms: [String: Posting] = [:]
            for bucket in buckets {
                for e in bucket[shard] {
                    if e.count == 0 { terms[e.term, default: Posting()].title.append(e.doc) } else { terms[e.term, default: Posting()].body.append((e.doc, e.count)) }
                }
            }
            var out = "{"
            var first = true
            for term in terms.keys.sorted() {
                guard let p = terms[term] else { continue }
                if !first { out += "," }
                first = false
                var last = 0
                let title = p.title.map { d -> String in defer { last = d }; return String(d - last) }.joined(separator: ",")
                last = 0
                let body = p.body.map { d, c -> String in defer { last = d }; return "\(d - last),\(min(c, 99))" }.joined(separator: ",")
                out += JSON.quote(term) + ":[[" + title + "],[" + body + "]]"
            }
            return Data((out + "}").utf8)
        }
        var files: [(String, Data)] = []
        for (n, data) in shards.enumerated() { files.append(("search/t/\(n).json", data)) }
        for start in stride(from: 0, to: documents.count, by: docsPerShard) {
            let docs = documents[start..<min(start + docsPerShard, documents.count)].map { d -> JSON in
                .object([("t", .string(d.title)), ("u", .string(d.url)), ("k", .string(d.kind)), ("d", .string(d.date)),
                         ("x", .string(String(d.text.prefix(excerptLength))))])
            }
            files.append(("search/d/\(start / docsPerShard).json", Data(JSON.array(docs).compact().utf8)))
        }
        let manifest = JSON.object([("v", .int(1)), ("shards", .int(shardCount)), ("docs", .int(documents.count)), ("per", .int(docsPerShard))])
        files.append(("search/index.json", Data(manifest.compact().utf8)))
        return files
    }
}
