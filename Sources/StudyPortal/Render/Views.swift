/// View models: plain values holding exactly what a template shows, already formatted (dictionaries of
/// `TemplateValue`s, read by our renderer through protocol witnesses).
struct Views {
    /// `var` so `serve` can swap in one re-rendered material without rebuilding the rest.
    var programme: Programme
    let routes: Routes
    let strings: [String: String]
    /// The same words as a view, made once (templates read them as `t.KEY`).
    let stringsView: View
    var bodies: [String: RenderedMarkdown]
    let programmeFigures: Figures
    let lookup: Lookup
    let visibility: Visibility

    var language: SiteConfig.Language { programme.config.language }

    func t(_ key: String, _ args: String...) -> String {
        Strings.format(strings[key] ?? key, args)
    }

    /// What every page shows: the site, the words, the navigation.
    func common(current: String) -> View {
        let config = programme.config
        var nav: [View] = [
            ["title": t("home"), "url": routes.link(Routes.home), "current": current == Routes.home],
            ["title": t("materials"), "url": routes.link(Routes.materials),
             "current": current.hasPrefix("materials/") || current.hasPrefix("categories/") || current.hasPrefix("tags/")],
        ]
        if !programme.plans.isEmpty {
            nav.append(["title": t("plans"), "url": routes.link(Routes.plans), "current": current.hasPrefix("plans/")])
        }
        if !programme.activities.isEmpty {
            nav.append(["title": t("activities"), "url": routes.link(Routes.activities), "current": current.hasPrefix("activities/")])
        }
        if !programme.plans.isEmpty {
            nav.append(["title": t("progress"), "url": routes.link(Routes.progress),
                        "current": current.hasPrefix("progress/") || current.hasPrefix("groups/") || current.hasPrefix("members/")])
        }
        if !programmeFigures.ledgerYears.isEmpty {
            nav.append(["title": t("ledgers"), "url": routes.link(Routes.ledgers), "current": current.hasPrefix("ledgers/")])
        }
        if programme.reflections.contains(where: visibility.shows) {
            nav.append(["title": t("reflections"), "url": routes.link(Routes.reflections), "current": current.hasPrefix("reflections/")])
        }
        for page in programme.pages where programme.isPublished(page) {
            let path = Routes.page(page.slug)
            nav.append(["title": page.title, "url": routes.link(path), "current": current == path])
        }
        return [
            "site": [
                "title": config.title, "description": config.description, "lang": config.language.rawValue,
                "home": routes.link(Routes.home), "css": routes.link("assets/style.css"), "feed": routes.link(Routes.feed),
                "base": routes.base.path, "search": routes.link(Routes.search),
            ] as View,
            "t": stringsView,
            "nav": nav,
            "links": ["materials": routes.link(Routes.materials), "categories": routes.link(Routes.categories), "tags": routes.link(Routes.tags),
                      "plans": routes.link(Routes.plans), "activities": routes.link(Routes.activities), "progress": routes.link(Routes.progress),
                      "overdue": routes.link(Routes.overdue), "progress_json": routes.link(Routes.progressJSON),
                      "reflections": routes.link(Routes.reflections)],
            "as_of": t("as_of", Strings.date(programme.asOf, language)),
        ]
    }

    /// A view from literal pairs, leaving out the nil ones.
    func view(_ pairs: [String: (any TemplateValue)?]) -> View { pairs.compactMapValues { $0 } }

    func day(_ d: Day?) -> DayView? { d.map { DayView(day: $0, language: language) } }

    func key(_ m: Material) -> String { "material:" + m.slug }
    func key(_ p: Page) -> String { "page:" + p.slug }

    func summary(_ m: Material) -> String {
        if let s = m.summary { return s }
        return (bodies[key(m)]?.firstParagraph ?? "").truncatedOnCharacters(120)
    }

    /// A material as lists show it.
    func item(_ m: Material) -> View {
        var out: View = [
            "title": m.title, "url": routes.link(Routes.material(m.slug)), "summary": summary(m),
            "reading": t("reading_time", String(bodies[key(m)]?.metrics.readingMinutes ?? 1)), "draft": m.draft,
        ]
        out["date"] = day(m.date)
        if let c = m.category { out["category"] = ["name": c, "url": routes.link(Routes.category(Term.slug(for: c)))] }
        if let h = m.hours { out["hours"] = t("hours", Strings.hours(h)) }
        if let n = lookup.studiedBy[m.slug], n > 0 { out["studied_by"] = t("studied_by", String(n)) }
        return out
    }

    func items(_ indices: some Sequence<Int>) -> [View] {
        indices.map { item(programme.materials[$0]) }
    }

    func termLinks(_ terms: [Term], route: (String) -> String) -> [View] {
        terms.map { ["name": $0.name, "url": routes.link(route($0.slug)), "count": $0.materials.count] }
    }

    func toc(_ body: RenderedMarkdown?) -> [View] {
        let headings = (body?.headings ?? []).filter { $0.level >= 2 && $0.level <= 4 }
        guard headings.count >= 2 else { return [] }
        return headings.map { ["level": $0.level, "id": $0.id, "text": $0.text] }
    }
}

/// A date as templates read it: `iso` (for `datetime=`) and `text` (as a reader writes it), made only
/// when a template asks. Small structs like this one instead of dictionaries for values that pages
/// hold by the thousand (member pages list a year of events).
struct DayView: TemplateValue {
    let day: Day
    let language: SiteConfig.Language

    func member(_ key: String) -> (any TemplateValue)? {
        switch key {
        case "iso": return day.description
        case "text": return Strings.date(day, language)
        default: return nil
        }
    }
    var isTruthy: Bool { true }
    func write(to out: inout [UInt8], escaped: Bool) { Strings.date(day, language).write(to: &out, escaped: escaped) }
}

/// One study event as the member page's table shows it.
struct EventRowView: TemplateValue {
    let date: DayView
    let form: String
    let title: String
    let url: String?
    let hours: String

    func member(_ key: String) -> (any TemplateValue)? {
        switch key {
        case "date": return date
        case "form": return form
        case "title": return title
        case "url": return url
        case "hours": return hours
        default: return nil
        }
    }
    var isTruthy: Bool { true }
    func write(to out: inout [UInt8], escaped: Bool) {}
}
