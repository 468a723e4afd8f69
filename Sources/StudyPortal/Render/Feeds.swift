/// The Atom feed and the sitemap: XML written directly, every value escaped.
enum Feeds {
    static func xml(_ s: String) -> String {
        // Printable ASCII with nothing to escape (every URL of the sitemap) is already its own XML.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 }) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Characters XML 1.0 forbids (control characters) are dropped rather than written.
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            default:
                if c.value >= 0x20 && c.value != 0xFFFE && c.value != 0xFFFF { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// Atom feed of the newest materials and activities (SPEC §5). `updated` is the newest entry's
    /// date, so the feed is the same bytes for the same content (no build timestamp).
    static func atom(_ views: Views, limit: Int = 30) -> String {
        let p = views.programme
        let routes = views.routes
        let zone = p.config.timezone
        struct Entry { var title, path, summary: String; var published, updated: Day?; var author, category: String? }
        // The newest first (by date, then path: no two items share a path), chosen before the
        // entries are made: each material's entry needs its summary (its first paragraph cut at 120
        // characters), made for all 10,000 of a large site to keep thirty.
        enum Item { case material(Int), activity(Int) }
        var items = p.publishedMaterials.map { (published: p.materials[$0].date, path: Routes.material(p.materials[$0].slug), item: Item.material($0)) }
        items += p.activities.indices.map { (published: p.activities[$0].date, path: Routes.activity(p.activities[$0].slug), item: Item.activity($0)) }
        items.sort { ($0.published ?? p.asOf, $0.path) > ($1.published ?? p.asOf, $1.path) }
        let entries = items.prefix(limit).map { chosen -> Entry in
            switch chosen.item {
            case .material(let i):
                let m = p.materials[i]
                return Entry(title: m.title, path: chosen.path, summary: views.summary(m), published: m.date,
                             updated: m.updated ?? m.date, author: m.author, category: m.category)
            case .activity(let k):
                let a = p.activities[k]
                let summary = [views.lookup.typeName(a.type.id), a.location ?? ""].filter { !$0.isEmpty }.joined(separator: " · ")
                return Entry(title: a.title, path: chosen.path, summary: summary, published: a.date, updated: a.date,
                             author: nil, category: views.lookup.typeName(a.type.id))
            }
        }
        let newest = entries.compactMap { $0.updated ?? $0.published }.max() ?? p.asOf
        var out = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(xml(p.config.language.rawValue))">
        <title>\(xml(p.config.title))</title>

        """
        if !p.config.description.isEmpty { out += "<subtitle>\(xml(p.config.description))</subtitle>\n" }
        let home = routes.absolute(Routes.home)
        out += "<link href=\"\(xml(home))\"/>\n"
        out += "<link rel=\"self\" href=\"\(xml(routes.absolute(Routes.feed)))\"/>\n"
        out += "<id>\(xml(home))</id>\n<updated>\(newest.rfc3339(in: zone))</updated>\n"
        out += "<author><name>\(xml(p.config.title))</name></author>\n"
        for e in entries {
            let url = routes.absolute(e.path)
            let published = e.published ?? newest
            out += "<entry>\n<title>\(xml(e.title))</title>\n<link href=\"\(xml(url))\"/>\n<id>\(xml(url))</id>\n"
            out += "<published>\(published.rfc3339(in: zone))</published>\n"
            out += "<updated>\((e.updated ?? published).rfc3339(in: zone))</updated>\n"
            if let author = e.author { out += "<author><name>\(xml(author))</name></author>\n" }
            if let c = e.category { out += "<category term=\"\(xml(c))\"/>\n" }
            out += "<summary>\(xml(e.summary))</summary>\n</entry>\n"
        }
        out += "</feed>\n"
        return out
    }

    /// Every HTML page but the 404, with `lastmod` where a date is known: the file's bytes, written
    /// straight into them (a string interpolated per page of a large site: 20,000 of them).
    static func sitemap(_ sitePaths: [(path: String, lastmod: Day?)], routes: Routes) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + sitePaths.count * 96)
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
        for entry in sitePaths {
            out.append("<url><loc>")
            out.append(contentsOf: xml(routes.absolute(entry.path)).utf8)
            out.append("</loc>")
            if let d = entry.lastmod {
                out.append("<lastmod>")
                d.appendISO(to: &out)
                out.append("</lastmod>")
            }
            out.append("</url>\n")
        }
        out.append("</urlset>\n")
        return out
    }
}
