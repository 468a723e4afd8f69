import Foundation

/// Every HTML page of the portal, as a list of jobs that can be rendered in any order.
enum PageJob: Sendable {
    case home
    case materials(page: Int, of: Int)
    case material(Int)
    case page(Int)
    case terms(categories: Bool)
    case term(categories: Bool, index: Int)
    case notFound
    case plans, plan(Int), activities, activity(Int), progress, overdue, group(Int), member(Int), reflections, reflection(Int)
    case ledgers, ledgerYear(Int), memberLedger(year: Int, member: Int), groupLedger(year: Int, group: Int)
    case search

    /// Every page but the ledgers (`ledgers(_:figures:)`): what is known before the progress figures are.
    static func content(_ p: Programme) -> [PageJob] {
        var jobs: [PageJob] = [.home, .terms(categories: true), .terms(categories: false), .notFound, .search]
        let pageCount = max(1, (p.publishedMaterials.count + p.config.paginate - 1) / p.config.paginate)
        jobs += (1...pageCount).map { .materials(page: $0, of: pageCount) }
        jobs += p.publishedMaterials.map { .material($0) }
        jobs += p.pages.indices.filter { p.isPublished(p.pages[$0]) }.map { .page($0) }
        jobs += p.categories.indices.map { .term(categories: true, index: $0) }
        jobs += p.tags.indices.map { .term(categories: false, index: $0) }
        let visibility = Visibility(p.config)
        if !p.plans.isEmpty { jobs += [.plans, .progress, .overdue] + p.plans.indices.map(PageJob.plan) }
        if !p.activities.isEmpty { jobs += [.activities] + p.activities.indices.map(PageJob.activity) }
        jobs += p.groups.indices.map(PageJob.group)
        if visibility.showsMembers { jobs += p.members.indices.map(PageJob.member) }
        let reflections = p.reflections.indices.filter { visibility.shows(p.reflections[$0]) }
        if !reflections.isEmpty { jobs += [.reflections] + reflections.map(PageJob.reflection) }
        return jobs
    }

    /// The ledgers: one set per year with a study event (the figures say which).
    static func ledgers(_ p: Programme, figures: Figures) -> [PageJob] {
        var jobs: [PageJob] = []
        let visibility = Visibility(p.config)
        let years = figures.ledgerYears
        if !years.isEmpty { jobs.append(.ledgers) }
        for year in years {
            jobs.append(.ledgerYear(year))
            jobs += p.groups.indices.map { .groupLedger(year: year, group: $0) }
            if visibility.showsMembers {
                jobs += p.members.indices.filter { (figures.memberLedgerYears[p.members[$0].id] ?? []).contains(year) }.map { .memberLedger(year: year, member: $0) }
            }
        }
        return jobs
    }
}

extension Views {
    /// The site path, template and context of one page.
    /// The page of a job, with the files that go beside it (a ledger's CSV, a plan's exports).
    struct PageView {
        var sitePath: String
        var template: String
        var context: View
        var attachments: [(path: String, bytes: [UInt8])] = []
    }

    func page(_ job: PageJob) -> PageView {
        let p = programme
        switch job {
        case .memberLedger(let y, let i):
            let (context, table) = memberLedgerPage(year: y, member: i)
            let path = Routes.memberLedger(y, p.members[i].id)
            return PageView(sitePath: path, template: "ledger-member", context: context, attachments: [(path + "ledger.csv", table.csv)])
        case .groupLedger(let y, let i):
            let (context, tables) = groupLedgerPage(year: y, group: i)
            let path = Routes.groupLedger(y, p.groups[i].id)
            return PageView(sitePath: path, template: "ledger-group", context: context,
                            attachments: [(path + "ledger.csv", tables.ledger.csv)] + (tables.members.map { [(path + "members.csv", $0.csv)] } ?? []))
        case .plan(let i):
            let v = view(job)
            return PageView(sitePath: job.sitePath(p), template: v.template, context: v.context, attachments: planExports(i).map { ($0.path, $0.csv) })
        default:
            let v = view(job)
            return PageView(sitePath: job.sitePath(p), template: v.template, context: v.context)
        }
    }

    /// The template and context of a job's page (its path is `job.sitePath`).
    func view(_ job: PageJob) -> (template: String, context: View) {
        let p = programme
        switch job {
        case .home:
            var c = common(current: Routes.home)
            c["materials"] = items(p.publishedMaterials.prefix(10))
            c["categories"] = termLinks(p.categories, route: Routes.category)
            c["tags"] = termLinks(p.tags, route: Routes.tag)
            c["description"] = p.config.description
            homeProgramme(&c)
            return ("home", c)

        case .materials(let n, let total):
            let path = Routes.materialsPage(n)
            var c = common(current: path)
            let size = p.config.paginate
            c["heading"] = total > 1 ? t("all_materials") + " · " + t("page_n_of", String(n), String(total)) : t("all_materials")
            c["materials"] = items(p.publishedMaterials.dropFirst((n - 1) * size).prefix(size))
            if total > 1 {
                var pager: View = ["label": t("page_n_of", String(n), String(total))]
                if n > 1 { pager["prev"] = routes.link(Routes.materialsPage(n - 1)) }
                if n < total { pager["next"] = routes.link(Routes.materialsPage(n + 1)) }
                c["pagination"] = pager
            }
            return ("list", c)

        case .material(let i):
            let m = p.materials[i]
            let path = Routes.material(m.slug)
            let body = bodies[key(m)]
            var c = common(current: path)
            var view = listItem(i)
            view["updated"] = day(m.updated)
            view["author"] = m.author
            view["source"] = m.source
            view["length"] = t("characters", String((body?.metrics.cjkCharacters ?? 0) + (body?.metrics.words ?? 0)))
            view["tags"] = m.tags.map { termLink($0, category: false) }
            // The list item's summary (`item`: the same text), not cut from the paragraph again.
            c["description"] = view["summary"] ?? summary(m, body: body)
            c["material"] = view
            c["content"] = body?.html ?? HTMLFragment()
            c["toc"] = toc(body)
            return ("material", c)

        case .page(let i):
            let page = p.pages[i]
            let path = Routes.page(page.slug)
            let body = bodies[key(page)]
            var c = common(current: path)
            c["page"] = ["title": page.title] as View
            c["content"] = body?.html ?? HTMLFragment()
            c["toc"] = toc(body)
            c["description"] = (body?.firstParagraph ?? "").truncatedOnCharacters(120)
            return ("page", c)

        case .terms(let isCategories):
            let path = isCategories ? Routes.categories : Routes.tags
            var c = common(current: path)
            c["heading"] = t(isCategories ? "categories" : "tags")
            c["terms"] = isCategories ? termLinks(p.categories, route: Routes.category) : termLinks(p.tags, route: Routes.tag)
            return ("terms", c)

        case .term(let isCategories, let i):
            let term = isCategories ? p.categories[i] : p.tags[i]
            let path = isCategories ? Routes.category(term.slug) : Routes.tag(term.slug)
            var c = common(current: path)
            c["heading"] = t("materials_in", term.name)
            c["materials"] = items(term.materials)
            return ("list", c)

        case .notFound:
            return ("404", common(current: Routes.notFound))
        case .plans: return ("plans", plansIndex())
        case .plan(let i): return ("plan", planPage(i))
        case .activities: return ("activities", activitiesIndex())
        case .activity(let i): return ("activity", activityPage(i))
        case .progress: return ("progress", progressPage())
        case .overdue: return ("overdue", overduePage())
        case .group(let i): return ("group", groupPage(i))
        case .member(let i): return ("member", memberPage(i))
        case .reflections: return ("reflections", reflectionsIndex())
        case .reflection(let i): return ("reflection", reflectionPage(i))
        case .ledgers: return ("ledgers", ledgersIndex(year: nil))
        case .ledgerYear(let y): return ("ledgers", ledgersIndex(year: y))
        case .memberLedger(let y, let i): return ("ledger-member", memberLedgerPage(year: y, member: i).0)
        case .groupLedger(let y, let i): return ("ledger-group", groupLedgerPage(year: y, group: i).0)
        case .search:
            var c = common(current: Routes.search)
            c["index"] = routes.link(Routes.searchIndex)
            c["script"] = routes.link("assets/search.js")
            // The patterns as written (%d, %@): the script fills them in.
            c["words"] = ["count": strings["search_count"] ?? "", "none": strings["search_none"] ?? "",
                          "loading": strings["search_loading"] ?? "", "error": strings["search_error"] ?? ""] as View
            return ("search", c)
        }
    }
}

extension PageJob {
    /// Where the job's page lives: the one place a job is mapped to its path.
    func sitePath(_ p: Programme) -> String {
        switch self {
        case .home: return Routes.home
        case .materials(let n, _): return Routes.materialsPage(n)
        case .material(let i): return Routes.material(p.materials[i].slug)
        case .page(let i): return Routes.page(p.pages[i].slug)
        case .terms(let c): return c ? Routes.categories : Routes.tags
        case .term(let c, let i): return c ? Routes.category(p.categories[i].slug) : Routes.tag(p.tags[i].slug)
        case .notFound: return Routes.notFound
        case .plans: return Routes.plans
        case .plan(let i): return Routes.plan(p.plans[i].slug)
        case .activities: return Routes.activities
        case .activity(let i): return Routes.activity(p.activities[i].slug)
        case .progress: return Routes.progress
        case .overdue: return Routes.overdue
        case .group(let i): return Routes.group(p.groups[i].id)
        case .member(let i): return Routes.member(p.members[i].id)
        case .reflections: return Routes.reflections
        case .reflection(let i): return Routes.reflection(p.reflections[i].folder, p.reflections[i].slug)
        case .ledgers: return Routes.ledgers
        case .ledgerYear(let y): return Routes.ledgers(y)
        case .memberLedger(let y, let i): return Routes.memberLedger(y, p.members[i].id)
        case .groupLedger(let y, let i): return Routes.groupLedger(y, p.groups[i].id)
        case .search: return Routes.search
        }
    }

    /// Where `attachments` writes, known without rendering (for link checking).
    func attachmentPaths(_ p: Programme) -> [String] {
        let showsMembers = Visibility(p.config).showsMembers
        switch self {
        case .memberLedger(let y, let i): return [Routes.memberLedger(y, p.members[i].id) + "ledger.csv"]
        case .groupLedger(let y, let i):
            let base = Routes.groupLedger(y, p.groups[i].id)
            return [base + "ledger.csv"] + (showsMembers ? [base + "members.csv"] : [])
        case .plan(let i):
            return [Routes.planExport(p.plans[i].slug, "groups")] + (showsMembers ? [Routes.planExport(p.plans[i].slug, "members")] : [])
        default:
            return []
        }
    }
}
