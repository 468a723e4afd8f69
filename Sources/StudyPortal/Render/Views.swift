/// View models: plain values holding exactly what a template shows, already formatted (dictionaries of
/// `TemplateValue`s, read by our renderer through protocol witnesses).
struct Views {
    /// `var` so `serve` can swap in one re-rendered material without rebuilding the rest.
    var programme: Programme
    let routes: Routes
    let strings: [String: String]
    /// The same words as a view, made once (templates read them as `t.KEY`).
    let stringsView: SharedView
    var bodies: Bodies
    let programmeFigures: Figures
    let lookup: Lookup
    let visibility: Visibility
    let chrome: Chrome
    /// `item(_:)` of every material, by index (`serve` replaces the one it re-renders).
    var listItems: [SharedView] = []
    /// `itemLink` of every plan's items, by plan and item index: member pages show every item of
    /// every plan, for each of thousands of members.
    var planItemLinks: [[SharedView]] = []
    /// `memberLink` of every member, by id: the activities' lists of attendees (40,000 entries at
    /// 10,000 materials) show these, each rendered once.
    var memberLinks: [String: SharedView] = [:]
    /// The link of each category and tag name (`termLink`), made once per name: every material
    /// shows its own (40,000 at 10,000 materials), and a name's slug is worked out a character at
    /// a time.
    var categoryLinks: [String: (name: String, link: SharedView)] = [:], tagLinks: [String: (name: String, link: SharedView)] = [:]
    /// `activitySummary` of every activity, by index: the home page, the activities index and each
    /// attendee's member page show them (30,000 times at 10,000 materials).
    var activitySummaries: [View] = []
    /// `reflectionSummary` of every reflection the profile shows, by index (nil for the others): its
    /// page, its author's member page and the reflections index show it (12,000 times at 10,000
    /// materials, each a view with links looked up).
    var reflectionSummaries: [View?] = []
    /// What member pages show of their events' subjects (`EventSubjects`).
    var eventSubjects = EventSubjects.empty
    /// What member ledgers show of their events' subjects (`LedgerSubjects`).
    var ledgerSubjects = LedgerSubjects.empty

    var language: SiteConfig.Language { programme.config.language }

    func t(_ key: String, _ args: String...) -> String {
        Strings.format(strings[key] ?? key, args)
    }

    /// The names of `common`'s values that are the same on every page, which no other view holds:
    /// the theme has them written in (`Theme.foldingShared`).
    static let sharedRoots: Set<String> = ["site", "t", "links"]

    /// What every page shows: the site, the words, the navigation (built once per render, `chrome`).
    func common(current: String) -> View {
        var c: View = ["site": chrome.site, "t": stringsView, "nav": NavList(chrome.nav, current: current),
                       "links": chrome.links, "as_of": chrome.asOf]
        // Room for what the page adds (a dozen at most): grown by doubling, both arrays were made twice.
        c.reserveCapacity(20)
        return c
    }

    /// The parts of every page that do not depend on the page.
    struct Chrome: Sendable {
        var site: SharedView
        var links: SharedView
        var asOf: String
        var nav: NavItems
    }

    static func chrome(_ programme: Programme, routes: Routes, strings: [String: String], figures: Figures, visibility: Visibility) -> Chrome {
        let config = programme.config
        func t(_ key: String) -> String { strings[key] ?? key }
        var nav = [
            NavItem(title: t("home"), url: routes.link(Routes.home), exact: Routes.home),
            NavItem(title: t("materials"), url: routes.link(Routes.materials), prefixes: ["materials/", "categories/", "tags/"]),
        ]
        if !programme.plans.isEmpty { nav.append(NavItem(title: t("plans"), url: routes.link(Routes.plans), prefixes: ["plans/"])) }
        if !programme.activities.isEmpty { nav.append(NavItem(title: t("activities"), url: routes.link(Routes.activities), prefixes: ["activities/"])) }
        if !programme.plans.isEmpty {
            nav.append(NavItem(title: t("progress"), url: routes.link(Routes.progress), prefixes: ["progress/", "groups/", "members/"]))
        }
        if !figures.ledgerYears.isEmpty { nav.append(NavItem(title: t("ledgers"), url: routes.link(Routes.ledgers), prefixes: ["ledgers/"])) }
        if programme.reflections.contains(where: visibility.shows) {
            nav.append(NavItem(title: t("reflections"), url: routes.link(Routes.reflections), prefixes: ["reflections/"]))
        }
        for page in programme.pages where programme.isPublished(page) {
            nav.append(NavItem(title: page.title, url: routes.link(Routes.page(page.slug)), exact: Routes.page(page.slug)))
        }
        let site: View = [
            "title": config.title, "description": config.description, "lang": config.language.rawValue,
            "home": routes.link(Routes.home), "css": routes.link("assets/style.css"), "feed": routes.link(Routes.feed),
            "base": routes.base.path, "search": routes.link(Routes.search),
        ]
        let links: View = [
            "materials": routes.link(Routes.materials), "categories": routes.link(Routes.categories), "tags": routes.link(Routes.tags),
            "plans": routes.link(Routes.plans), "activities": routes.link(Routes.activities), "progress": routes.link(Routes.progress),
            "overdue": routes.link(Routes.overdue), "progress_json": routes.link(Routes.progressJSON),
            "reflections": routes.link(Routes.reflections),
        ]
        return Chrome(site: SharedView(site), links: SharedView(links), asOf: Strings.format(strings["as_of"] ?? "%@", [Strings.date(programme.asOf, config.language)]), nav: NavItems(nav))
    }

    /// A view from literal pairs, leaving out the nil ones.
    func view(_ pairs: KeyValuePairs<String, (any TemplateValue)?>) -> View {
        var out = View()
        for (key, value) in pairs { out[key] = value }
        return out
    }

    func day(_ d: Day?) -> DayView? { d.map { DayView(day: $0, language: language) } }

    func key(_ m: Material) -> String { "material:" + m.slug }
    func key(_ p: Page) -> String { "page:" + p.slug }

    func summary(_ m: Material) -> String {
        summary(m, body: m.summary == nil ? bodies[key(m)] : nil)
    }

    /// `summary(m)` with the material's body already found.
    func summary(_ m: Material, body: RenderedMarkdown?) -> String {
        if let s = m.summary { return s }
        return (body?.firstParagraph ?? "").truncatedOnCharacters(120)
    }

    /// A material as lists show it.
    func item(_ m: Material) -> View {
        let body = bodies[key(m)]   // found once: a body copied out retains each of its parts
        var out: View = [
            "title": m.title, "url": routes.link(Routes.material(m.slug)), "summary": summary(m, body: body),
            "reading": t("reading_time", String(body?.metrics.readingMinutes ?? 1)), "draft": m.draft,
        ]
        out["date"] = day(m.date)
        if let c = m.category { out["category"] = termLink(c, category: true) }
        if let h = m.hours { out["hours"] = t("hours", Strings.hours(h)) }
        if let n = lookup.studiedBy[m.slug], n > 0 { out["studied_by"] = t("studied_by", String(n)) }
        return out
    }

    /// A category's or tag's name, as a material writes it, with the address of its page.
    func termLink(_ name: String, category: Bool) -> SharedView {
        // The same name in the same bytes: the tables' keys compare canonically (an NFD `café` finds
        // the NFC one), and a material's link shows its name as written.
        if let shared = category ? categoryLinks[name] : tagLinks[name], shared.name.utf8.elementsEqual(name.utf8) { return shared.link }
        let slug = Term.slug(for: name)
        return SharedView(["name": name, "url": routes.link(category ? Routes.category(slug) : Routes.tag(slug))])
    }

    /// Material `i` as lists show it: made once (`listItems`), as most appear in several lists, and
    /// its own page starts from it.
    func listItem(_ i: Int) -> View {
        listItems.indices.contains(i) ? listItems[i].view : item(programme.materials[i])
    }

    /// Materials as lists show them: the shared entries, so that each is rendered once for all
    /// the lists (a material is in three or four: its page of the list, its category, its tags).
    func items(_ indices: some Sequence<Int>) -> [SharedView] {
        indices.map { listItems.indices.contains($0) ? listItems[$0] : SharedView(item(programme.materials[$0])) }
    }

    func termLinks(_ terms: [Term], route: (String) -> String) -> [View] {
        terms.map { ["name": $0.name, "url": routes.link(route($0.slug)), "count": $0.materials.count] }
    }

    /// The headings themselves (`TOCEntry` is a template value), not a view made of each.
    func toc(_ body: RenderedMarkdown?) -> [TOCEntry] {
        let headings = (body?.headings ?? []).filter { $0.level >= 2 && $0.level <= 4 }
        return headings.count >= 2 ? headings : []
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
    /// Dates hold no character HTML escapes, so both forms are written as they are.
    func write(to out: inout [UInt8], escaped: Bool) { Strings.appendDate(day, language, to: &out) }
    func writeMember(_ key: String, to out: inout [UInt8], escaped: Bool) -> Bool {
        switch key {
        case "iso": day.appendISO(to: &out)
        case "text": Strings.appendDate(day, language, to: &out)
        default: return false
        }
        return true
    }
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
        // Empty rather than nil for a subject without a page: a row answers for its own link, so
        // `{{#url}}` never reaches a `url` further down the stack (`EventTable` relies on it).
        case "url": return url ?? ""
        case "hours": return hours
        default: return nil
        }
    }
    func writeMember(_ key: String, to out: inout [UInt8], escaped: Bool) -> Bool {
        switch key {
        case "form": form.write(to: &out, escaped: escaped)
        case "title": title.write(to: &out, escaped: escaped)
        case "hours": hours.write(to: &out, escaped: escaped)
        default: return writeFound(member(key), to: &out, escaped: escaped)
        }
        return true
    }
    var isTruthy: Bool { true }
    func write(to out: inout [UInt8], escaped: Bool) {}
}

/// A plan item on a member's page: the item's link as every page shares it (`planItemLinks`), with
/// this member's due date and state beside it rather than written into a copy of the link (a copy
/// of its arrays per item per member: 100,000 at 10,000 materials).
///
/// Its sections are kept with the shared link, one text per due date and state (`fragments`): a
/// checklist of forty items on each of 2,000 member pages is rendered once per variant.
struct MemberItemView: TemplateValue {
    let link: SharedView
    let due: DayView?
    let state: Pill
    /// Which of the page's states `state` is (they are the same four on every member page).
    let stateIndex: UInt64

    var fragments: (cache: FragmentCache, variant: UInt64)? {
        // The top bit keeps these apart from the link's own variant (0) in the same cache.
        (link.cache, 1 << 63 | (due.map { UInt64($0.day.bits) + 1 } ?? 0) << 8 | stateIndex)
    }

    func member(_ key: String) -> (any TemplateValue)? {
        switch key {
        case "due": return due
        case "state": return state
        default: return link.member(key)
        }
    }
    func writeMember(_ key: String, to out: inout [UInt8], escaped: Bool) -> Bool {
        switch key {
        case "due", "state": return writeFound(member(key), to: &out, escaped: escaped)
        default: return link.writeMember(key, to: &out, escaped: escaped)
        }
    }
    var isTruthy: Bool { true }
    func write(to out: inout [UInt8], escaped: Bool) {}
}

/// A state as a label with the key that styles it (`<span class="pill {{key}}">{{label}}</span>`).
/// A reference: a page's few pills are shared by all its items, and a template reading one gets a
/// reference to retain rather than a two-string value boxed anew at every look-up (56,000 plan items
/// on the member pages at 10,000 materials, each read twice).
final class Pill: TemplateValue, Sendable {
    let key: String
    let label: String

    init(key: String, label: String) {
        self.key = key
        self.label = label
    }

    func member(_ key: String) -> (any TemplateValue)? {
        switch key {
        case "key": return self.key
        case "label": return label
        default: return nil
        }
    }
    func writeMember(_ key: String, to out: inout [UInt8], escaped: Bool) -> Bool {
        switch key {
        case "key": self.key.write(to: &out, escaped: escaped)
        case "label": label.write(to: &out, escaped: escaped)
        default: return false
        }
        return true
    }
    var isTruthy: Bool { true }
    func write(to out: inout [UInt8], escaped: Bool) {}
}

/// One entry of the site navigation: current on its own page (`exact`) or anywhere under `prefixes`.
struct NavItem: Sendable {
    var title: String
    var url: String
    var exact: String?
    var prefixes: [String] = []

    init(title: String, url: String, exact: String? = nil, prefixes: [String] = []) {
        self.title = title
        self.url = url
        self.exact = exact
        self.prefixes = prefixes
    }

    /// Paths compared as bytes, as addresses are: `hasPrefix` compares characters (a slug starting
    /// with a combining mark was not under `materials/`), and cost ~0.5% of a build's CPU, eight
    /// entries of every page's navigation.
    func isCurrent(_ path: String) -> Bool { path == exact || prefixes.contains { path.utf8.starts(with: $0.utf8) } }
}

/// The site navigation's entries, made once and shared by every page.
final class NavItems: Sendable {
    let items: [NavItem]
    /// The navigation as rendered, once per entry marked current (`NavList.fragments`).
    let cache = FragmentCache()

    init(_ items: [NavItem]) { self.items = items }
}

/// The navigation of one page: the shared items, each marked current or not for this page.
struct NavList: TemplateValue {
    let items: NavItems
    let current: String

    init(_ items: NavItems, current: String) {
        self.items = items
        self.current = current
    }

    /// One entry as a template reads it: a reference, a place and a flag, small enough to be passed
    /// as a template value without a box of its own (a copy of the item, boxed, was made for every
    /// entry of every page's navigation: 160,000 at 10,000 materials).
    struct Entry: TemplateValue {
        let items: NavItems
        let index: Int
        let current: Bool

        func member(_ key: String) -> (any TemplateValue)? {
            switch key {
            case "title": return items.items[index].title
            case "url": return items.items[index].url
            case "current": return current
            default: return nil
            }
        }
        func writeMember(_ key: String, to out: inout [UInt8], escaped: Bool) -> Bool {
            switch key {
            case "title": items.items[index].title.write(to: &out, escaped: escaped)
            case "url": items.items[index].url.write(to: &out, escaped: escaped)
            default: return writeFound(member(key), to: &out, escaped: escaped)
            }
            return true
        }
        var isTruthy: Bool { true }
        func write(to out: inout [UInt8], escaped: Bool) {}
    }

    var isTruthy: Bool { !items.items.isEmpty }
    /// Which entries are current, one bit each: all that differs between two pages' navigation.
    var fragments: (cache: FragmentCache, variant: UInt64)? {
        guard items.items.count <= 64 else { return nil }
        var current: UInt64 = 0
        for (k, item) in items.items.enumerated() where item.isCurrent(self.current) { current |= 1 << k }
        return (items.cache, current)
    }
    func forEachElement(_ body: (any TemplateValue) -> Void) -> Bool {
        for index in items.items.indices { body(Entry(items: items, index: index, current: items.items[index].isCurrent(current))) }
        return true
    }
    func write(to out: inout [UInt8], escaped: Bool) {}
}
