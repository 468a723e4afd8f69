/// Front matter of each kind, read into typed values (SPEC §3, the table of fields).
enum Decode {
    static func material(_ f: inout Fields, file: SourceFile, fileSlug: String) -> Material? {
        let title = f.string("title", required: true)
        let slug = explicitSlug(&f) ?? fileSlug
        var m = Material(slug: slug, title: title ?? "", date: f.day("date"), updated: f.day("updated"),
                         category: f.string("category").flatMap(nonEmpty), tags: f.strings("tags").compactMap(nonEmpty),
                         hours: f.number("hours"), summary: f.string("summary").flatMap(nonEmpty),
                         draft: f.bool("draft") ?? false, weight: f.integer("weight"),
                         author: f.string("author").flatMap(nonEmpty), source: f.string("source").flatMap(nonEmpty), file: file)
        m.tags = unique(m.tags)
        f.finish()
        return title == nil ? nil : m
    }

    static func page(_ f: inout Fields, file: SourceFile, fileSlug: String) -> Page? {
        let title = f.string("title", required: true)
        let slug = explicitSlug(&f) ?? fileSlug
        let page = Page(slug: slug, title: title ?? "", draft: f.bool("draft") ?? false, file: file)
        f.finish()
        return title == nil ? nil : page
    }

    static func explicitSlug(_ f: inout Fields) -> String? {
        guard let slug = f.string("slug") else { return nil }
        if let problem = Slug.problem(slug) {
            f.error(problem, key: "slug")
            return nil
        }
        return slug
    }

    static func nonEmpty(_ s: String) -> String? {
        let t = s.trimmingSpaces()
        return t.isEmpty ? nil : t
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
