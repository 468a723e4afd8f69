/// A taxonomy term (a category or a tag) and the materials filed under it, newest first.
public struct Term: Sendable {
    public var name: String
    public var slug: String
    public var materials: [Int]

    /// The URL segment of a term name: its GitHub-style slug, or (for a name of punctuation only) its bytes in hex.
    public static func slug(for name: String) -> String {
        let slug = HeadingID.slug(name)
        return slug.isEmpty ? "t-" + name.utf8.map { String($0, radix: 16) }.joined() : slug
    }
}

/// What the resolve stage hands on: the site with every reference checked, sorted and indexed.
/// Nothing after this point reads files or reports a problem in front matter.
public struct Programme: Sendable {
    public var site: Site
    public var includeDrafts: Bool { didSet { publishedMaterials = Self.published(materials, includeDrafts: includeDrafts) } }
    /// The date progress is computed for (SPEC §2 `--as-of`).
    public var asOf: Day
    /// Materials newest first (then by weight, then title), drafts included.
    public var materials: [Material] { didSet { publishedMaterials = Self.published(materials, includeDrafts: includeDrafts) } }
    public var pages: [Page]
    public var categories: [Term]
    public var tags: [Term]
    /// Plans by start date (newest first), activities by date (newest first), reflections by date.
    public var plans: [Plan] = []
    public var activities: [Activity] = []
    public var reflections: [Reflection] = []
    /// Members and groups by id.
    public var members: [Member] = []
    public var groups: [Group] = []

    /// Each record's member and material in `site.members` and `site.materials`.
    public internal(set) var recordKeys = RecordKeys([], members: [:], materials: [:])

    public var config: SiteConfig { site.config }

    public func isPublished(_ m: Material) -> Bool { includeDrafts || !m.draft }
    /// `isPublished(materials[i])`, without copying the material out.
    public func isPublished(material i: Int) -> Bool { includeDrafts || !materials[i].draft }
    public func isPublished(_ p: Page) -> Bool { includeDrafts || !p.draft }

    /// Indices into `materials` of those that get a page. Kept, not computed when asked: each of
    /// the materials list's pages asked (500 pages of a 10,000-material site, each filtering all).
    public private(set) var publishedMaterials: [Int]

    init(site: Site, includeDrafts: Bool, asOf: Day, materials: [Material], pages: [Page], categories: [Term], tags: [Term]) {
        (self.site, self.includeDrafts, self.asOf, self.materials, self.pages) = (site, includeDrafts, asOf, materials, pages)
        (self.categories, self.tags) = (categories, tags)
        publishedMaterials = Self.published(materials, includeDrafts: includeDrafts)
    }

    static func published(_ materials: [Material], includeDrafts: Bool) -> [Int] {
        materials.indices.filter { includeDrafts || !materials[$0].draft }
    }
}

public enum Resolve {
    /// URL segments the generator uses for its own pages; a free page may not take them.
    static let reservedSlugs: Set<String> = [
        "materials", "categories", "tags", "plans", "activities", "progress", "groups", "members",
        "reflections", "ledgers", "search", "data", "assets", "page", "feed.xml", "sitemap.xml", "404.html", "index.html",
    ]

    public static func programme(_ site: Site, includeDrafts: Bool, asOf: Day) async -> (Programme, [Diagnostic]) {
        // References are checked on the other core meanwhile: a third of the stage at 10,000 materials.
        async let references = References.check(site, activityTypes: ActivityTypes.table(site.config))
        var diagnostics: [Diagnostic] = []
        diagnostics += duplicates(site.materials.map { ($0.slug, $0.file.path) }, kind: "material")
        diagnostics += duplicates(site.pages.map { ($0.slug, $0.file.path) }, kind: "page")
        for page in site.pages where reservedSlugs.contains(page.slug) {
            diagnostics.append(.error("the page slug `\(page.slug)` is used by the portal itself (/\(page.slug)/); choose another with `slug:`", path: page.file.path, line: 1, column: 1))
        }
        for file in site.staticFiles {
            let top = String(file.contentPath.split(separator: "/").first ?? "")
            if reservedSlugs.contains(top) && top != "assets" {
                diagnostics.append(.warning("`content/\(top)/` shares its URL with the portal's own pages; files there may be overwritten", path: "content/" + file.contentPath))
            }
        }

        // Indices are sorted, not the (large) material values themselves.
        let materials = site.materials.indices.sorted { newestFirst(site.materials[$0], site.materials[$1]) }.map { site.materials[$0] }
        let pages = site.pages.sorted { $0.slug < $1.slug }
        var programme = Programme(site: site, includeDrafts: includeDrafts, asOf: asOf, materials: materials, pages: pages, categories: [], tags: [])
        let published = programme.publishedMaterials
        programme.categories = terms(published.compactMap { i in materials[i].category.map { (i, [$0]) } }, order: site.config.categories)
        programme.tags = terms(published.map { ($0, materials[$0].tags) }, order: [])
        programme.plans = site.plans.sorted { ($0.start, $0.slug) > ($1.start, $1.slug) }
        programme.activities = site.activities.sorted { ($0.date, $0.slug) > ($1.date, $1.slug) }
        programme.reflections = site.reflections.indices.sorted {
            (site.reflections[$0].date, site.reflections[$0].folder, site.reflections[$0].slug) > (site.reflections[$1].date, site.reflections[$1].folder, site.reflections[$1].slug)
        }.map { site.reflections[$0] }
        programme.members = site.members.sorted { $0.id < $1.id }
        programme.groups = site.groups.sorted { $0.id < $1.id }
        let (referenceProblems, keys) = await references
        programme.recordKeys = keys
        return (programme, diagnostics + referenceProblems)
    }

    static func newestFirst(_ a: Material, _ b: Material) -> Bool {
        if a.date != b.date {
            guard let da = a.date else { return false }   // undated materials last
            guard let db = b.date else { return true }
            return da > db
        }
        if (a.weight ?? 0) != (b.weight ?? 0) { return (a.weight ?? 0) < (b.weight ?? 0) }
        if a.title != b.title { return a.title < b.title }
        return a.slug < b.slug
    }

    /// Two items of one kind with one slug: an error on each, naming the other file.
    static func duplicates(_ items: [(slug: String, path: String)], kind: String) -> [Diagnostic] {
        var byslug: [String: [String]] = [:]
        for item in items { byslug[item.slug, default: []].append(item.path) }
        var out: [Diagnostic] = []
        for (slug, paths) in byslug where paths.count > 1 {
            let sorted = paths.sorted()
            for path in sorted {
                let others = sorted.filter { $0 != path }.joined(separator: ", ")
                out.append(.error("duplicate \(kind) slug `\(slug)`: also used by \(others)", path: path, line: 1, column: 1))
            }
        }
        return out
    }

    /// Groups materials by term name. Names whose slugs coincide (`AI`, `ai`) are one term, shown
    /// by the first name in sort order. `order` (site.yml `categories`) comes first, the rest by name.
    static func terms(_ entries: [(Int, [String])], order: [String]) -> [Term] {
        var bySlug: [String: Term] = [:]
        for (index, names) in entries {
            for name in names {
                let slug = Term.slug(for: name)
                if var term = bySlug[slug] {
                    if name < term.name { term.name = name }
                    term.materials.append(index)
                    bySlug[slug] = term
                } else {
                    bySlug[slug] = Term(name: name, slug: slug, materials: [index])
                }
            }
        }
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return bySlug.values.sorted { a, b in
            let ra = rank[a.name] ?? Int.max, rb = rank[b.name] ?? Int.max
            return ra != rb ? ra < rb : a.name < b.name
        }
    }
}
