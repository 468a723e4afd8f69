import Foundation

/// One file of the built site.
public struct OutputFile: Sendable {
    public enum Content: Sendable {
        /// Kept as made (the search index's 25 MB at 10,000 materials were copied into `Data` first).
        case bytes([UInt8])
        /// Copied from this absolute path when written (content files, kept off the heap).
        case copy(from: String)
        /// Already written into the build's work folder (`OutputWriter.WorkFolder.store`).
        case written
    }

    /// Path inside the output folder: `materials/foo/index.html`.
    public var path: String
    public var content: Content
    /// What produced it, for collision messages.
    public var origin: String
    /// For `.written` files: what the next build's manifest records of it (`OutputManifest`).
    var stamp: OutputManifest.Stamp? = nil
    /// For `.written` files: whether the work folder had the file when the build began (`commit`
    /// then knows whether any file there is one the site no longer has without looking each up).
    var existed = false

    /// Whether it was written into the work folder as it was made (`Content.written`).
    var isWritten: Bool { if case .written = content { true } else { false } }
}

/// The render stage: Markdown through cmark, pages through the templates, feeds — in parallel.
public enum Renderer {
    /// False only in the binary that measures what the search index adds to a build
    /// (`make index-cost`, compiled with -DSTUDYPORTAL_WITHOUT_INDEX): it writes no index, and the
    /// Markdown stage measures the bodies instead.
    #if STUDYPORTAL_WITHOUT_INDEX
    static let buildsIndex = false
    #else
    static let buildsIndex = true
    #endif

    public struct Result: Sendable {
        public var files: [OutputFile]
        public var diagnostics: [Diagnostic]
        public var timings: [StageTiming]
        /// What `serve` keeps to re-render one page without rebuilding the site.
        var session: Session
    }

    /// The render stage's state: enough to redo one material's Markdown and page.
    struct Session: Sendable {
        var views: Views
        var links: LinkResolver
        var theme: Theme
    }

    /// What the render needs of the programme but not of its figures, made while they are computed:
    /// the name and link tables (a pass over every material and record), and the page each content
    /// file becomes.
    struct Tables: Sendable {
        var lookup: Lookup
        var pages: [String: LinkResolver.Target]
    }

    static func tables(_ p: Programme) -> Tables {
        let visibility = Visibility(p.config)
        var targets: [String: LinkResolver.Target] = [:]
        targets.reserveCapacity(p.materials.count + p.pages.count + p.plans.count + p.activities.count + p.reflections.count)
        // Fields read in place: `for m in p.materials` copied each material (a dozen references).
        for i in p.materials.indices {
            let slug = p.materials[i].slug
            targets[p.materials[i].file.contentPath] = .init(key: "material:" + slug, sitePath: Routes.material(slug), published: p.isPublished(material: i))
        }
        for page in p.pages { targets[page.file.contentPath] = .init(key: "page:" + page.slug, sitePath: Routes.page(page.slug), published: p.isPublished(page)) }
        for plan in p.plans { targets[plan.file.contentPath] = .init(key: "plan:" + plan.slug, sitePath: Routes.plan(plan.slug), published: true) }
        for a in p.activities { targets[a.file.contentPath] = .init(key: "activity:" + a.slug, sitePath: Routes.activity(a.slug), published: true) }
        for r in p.reflections {
            targets[r.file.contentPath] = .init(key: "reflection:\(r.folder)/\(r.slug)", sitePath: Routes.reflection(r.folder, r.slug), published: visibility.shows(r),
                                                hiddenBecause: "a reflection without `public: true` is shown in the internal profile only")
        }
        return Tables(lookup: Lookup(p, routes: Routes(base: p.config.baseURL)), pages: targets)
    }

    /// `figures` are being computed meanwhile (one core's work): the Markdown is rendered beside them.
    /// With a work folder, pages are written into it as they are rendered (and come back as
    /// `.written`); without one (`check`, `serve`) they are kept in memory. It renders a programme
    /// once: the content files' bodies are let go as they are rendered (`SourceFile.releaseBody`).
    static func render(_ p: Programme, figures computing: Task<Figures, Never>, tables: Tables, theme: Theme, jobs: Int,
                       into work: OutputWriter.WorkFolder? = nil) async -> Result {
        var diagnostics: [Diagnostic] = []
        var timings: [StageTiming] = []
        var clock = Clock()
        let routes = Routes(base: p.config.baseURL)
        let lookup = tables.lookup
        let visibility = Visibility(p.config)

        // Every URL the site will have, known before any Markdown is rendered, so links can be
        // checked — but the ledgers', which wait for the figures: a body with a link to an address
        // the site seems not to have is rendered again once they are known (most bodies have none).
        let contentJobs = PageJob.content(p)
        var sitePaths = Set(contentJobs.map { $0.sitePath(p) })
        sitePaths.formUnion(contentJobs.flatMap { $0.attachmentPaths(p) })
        sitePaths.formUnion([Routes.feed, Routes.sitemap, Routes.progressJSON])
        sitePaths.formUnion(theme.assets.map(\.path))
        let contentLinks = LinkResolver(routes: routes, pages: tables.pages, sitePaths: sitePaths, staticFiles: Set(p.site.staticFiles.map(\.contentPath)))

        // Markdown, in the order of the search index's documents (`searchDocuments`): body k is
        // document k's text.
        let sources: [(key: String, file: SourceFile, sitePath: String)] =
            p.publishedMaterials.map { ("material:" + p.materials[$0].slug, p.materials[$0].file, Routes.material(p.materials[$0].slug)) }
            + p.plans.map { ("plan:" + $0.slug, $0.file, Routes.plan($0.slug)) }
            + p.activities.map { ("activity:" + $0.slug, $0.file, Routes.activity($0.slug)) }
            + p.pages.filter(p.isPublished).map { ("page:" + $0.slug, $0.file, Routes.page($0.slug)) }
            + p.reflections.filter(visibility.shows).map { ("reflection:\($0.folder)/\($0.slug)", $0.file, Routes.reflection($0.folder, $0.slug)) }
        let unsafe = p.config.unsafeHTML
        @Sendable func markdown(_ source: (key: String, file: SourceFile, sitePath: String), _ links: LinkResolver) -> RenderedMarkdown {
            // Measured here only in the build without the index: the index measures each body in the
            // pass that finds its terms.
            source.file.withBody { body in
                Markdown.render(utf8: body, unsafeHTML: unsafe, firstLine: source.file.bodyLine, measuring: !buildsIndex) {
                    links.resolve($0, from: source.file.contentPath, page: source.sitePath)
                }
            }
        }
        // Each body is let go as soon as it is rendered (its pages then reuse its memory), but for
        // one with a link the ledgers' addresses may mend: it is rendered again below.
        @Sendable func render(_ k: Int) -> RenderedMarkdown {
            let body = markdown(sources[k], contentLinks)
            if body.brokenLinks.isEmpty { sources[k].file.releaseBody() }
            return body
        }
        let strings = Strings.table(p.config.language)
        var rendered: [RenderedMarkdown]
        var counted: (chunks: [SearchIndex.Chunk], documents: [SearchIndex.Document]) = ([], [])
        if buildsIndex {
            // The search index counts each body's terms (and measures it) as soon as it is rendered,
            // in the same task: the text is read while it is in the cache and let go at once, where
            // the bodies' texts (54 MB at 10,000 materials) were kept for a pass of their own.
            let documents = await searchDocuments(p, lookup: lookup, routes: routes, strings: strings, visibility: visibility, jobs: jobs)
            precondition(documents.count == sources.count, "a search document for every body")
            // Each body goes straight to its place (gathered from the runs, 15,000 of them were copied
            // on one core while the other waited).
            let bodies = Slots<RenderedMarkdown>(count: sources.count)
            let chunks = await parallelMap(SearchIndex.runs(count: sources.count, jobs: jobs), jobs: jobs, local: { SearchIndex.Scratch() }) { scratch, range in
                let estimate = sources[range].reduce(0) { $0 + $1.file.bodyByteCount + 64 }
                return SearchIndex.count(range, scratch: scratch, estimate: estimate) { k in
                    var body = render(k)
                    var document = documents[k]
                    if let part = document.measured { swap(&document.parts[part], &body.plainText) }
                    bodies.initialize(k, to: body)
                    return document
                }
            }
            rendered = bodies.array()
            counted = (chunks, documents)
        } else {
            rendered = await parallelMap(Array(sources.indices), jobs: jobs, render)
        }
        let figures = await computing.value
        let ledgerJobs = PageJob.ledgers(p, figures: figures)
        let jobsList = contentJobs + ledgerJobs
        let links = contentLinks.adding(sitePaths: ledgerJobs.flatMap { [$0.sitePath(p)] + $0.attachmentPaths(p) })
        for k in rendered.indices where !ledgerJobs.isEmpty && !rendered[k].brokenLinks.isEmpty {
            let resolvesNow = rendered[k].brokenLinks.contains { link in
                guard let url = link.url else { return false }
                if case .broken = links.resolve(url, from: sources[k].file.contentPath, page: sources[k].sitePath) { return false }
                return true
            }
            if resolvesNow { rendered[k] = markdown(sources[k], links) }
        }
        // Each body's place in `rendered` by its key (a later body wins a key twice, as in `bodies`).
        let positions = Dictionary(sources.indices.map { (sources[$0].key, $0) }, uniquingKeysWith: { _, later in later })
        let severity: Diagnostic.Severity = p.config.links == .error ? .error : .warning
        // By index: a rendered body copied out of the array retains each of its fields (15,000 of
        // them at 10,000 materials, on one core), and most have no link to report.
        for k in sources.indices where !rendered[k].brokenLinks.isEmpty || !rendered[k].pendingAnchors.isEmpty {
            let path = sources[k].file.path
            for link in rendered[k].brokenLinks {
                diagnostics.append(Diagnostic(severity, link.message, path: path, line: link.line, column: link.column))
            }
            for anchor in rendered[k].pendingAnchors where !(positions[anchor.pageKey].map { rendered[$0].headings.contains { $0.id == anchor.anchor } } ?? false) {
                diagnostics.append(Diagnostic(severity, "broken anchor: the linked page has no heading with id `\(anchor.anchor)`",
                                              path: path, line: anchor.line, column: anchor.column))
            }
        }
        timings.append(clock.stage("markdown"))

        // A page and its attachments go straight into the work folder when there is one.
        @Sendable func keep(_ path: String, _ bytes: [UInt8], origin: String) -> OutputFile {
            work?.store(path, bytes, origin: origin) ?? OutputFile(path: path, content: .bytes(bytes), origin: origin)
        }

        // Search, before the pages: the pass that found each body's terms also counted its characters
        // and words (the pages show them). Its files go into the work folder as they are made, as the
        // pages do.
        let built: (files: [OutputFile], metrics: [TextMetrics]) = buildsIndex
            ? await SearchIndex.write(counted.chunks, documents: counted.documents, jobs: jobs) { keep($0, $1, origin: "search index") } : ([], [])
        for (k, metrics) in built.metrics.enumerated() { rendered[k].metrics = metrics }   // document k is body k
        for k in rendered.indices where !rendered[k].plainText.isEmpty { rendered[k].plainText = [] }
        let bodies = Bodies(consume rendered, places: positions)
        let index = built.files
        timings.append(clock.stage("search"))

        // Templates.
        var building = Views(programme: p, routes: routes, strings: strings, stringsView: SharedView(View(strings.mapValues { $0 as any TemplateValue })), bodies: bodies,
                             programmeFigures: figures, lookup: lookup, visibility: visibility,
                             chrome: Views.chrome(p, routes: routes, strings: strings, figures: figures, visibility: visibility))
        // By the terms' names; a material writing a name otherwise (`AI` for `ai`) gets its own link.
        building.categoryLinks = Dictionary(p.categories.map { ($0.name, ($0.name, building.termLink($0.name, category: true))) }, uniquingKeysWith: { first, _ in first })
        building.tagLinks = Dictionary(p.tags.map { ($0.name, ($0.name, building.termLink($0.name, category: false))) }, uniquingKeysWith: { first, _ in first })
        let itemViews = building
        // The shared tables of member pages and ledgers are made meanwhile: alone, on one core,
        // they left the other idle between the Markdown and the pages.
        async let eventSubjects = itemViews.makeEventSubjects()
        async let ledgerSubjects = itemViews.makeLedgerSubjects()
        building.listItems = await parallelMap(p.materials, jobs: jobs) { SharedView(itemViews.item($0)) }
        building.planItemLinks = p.plans.map { $0.items.map { SharedView(itemViews.itemLink($0)) } }
        building.memberLinks = Dictionary(p.members.map { ($0.id, SharedView(itemViews.memberLink($0.id))) }, uniquingKeysWith: { first, _ in first })
        building.activitySummaries = p.activities.indices.map(itemViews.activitySummary)
        building.reflectionSummaries = await parallelMap(Array(p.reflections.indices), jobs: jobs) { i -> View? in
            visibility.shows(p.reflections[i]) ? itemViews.reflectionSummary(i) : nil
        }
        building.eventSubjects = await eventSubjects
        building.ledgerSubjects = await ledgerSubjects
        let views = building
        let pageTheme = theme.foldingShared(over: views.common(current: ""))
        // The feeds, sitemap and progress.json are made meanwhile, on whichever core is free: they
        // depend on nothing the pages produce, and alone they kept one core idle for 70 ms. (Under
        // `--jobs 1` too, like the members' shared tables above: `serve`'s background rebuild then
        // borrows the other core for those milliseconds.) Their time is counted in the templates stage.
        async let extras = Self.feedFiles(p, figures: figures, views: views, jobs: jobsList, routes: routes, visibility: visibility, theme: theme)
        // Each job's page as the result (moved into `files` below, not copied), its attachments (the
        // ledgers' CSV files) to the side.
        let attachments = Slots<[OutputFile]>(count: jobsList.count)
        var files = await parallelMap(Array(jobsList.indices), jobs: jobs) { k -> OutputFile in
            let view = views.page(jobsList[k])
            let page = keep(Routes.file(for: view.sitePath), pageTheme.render(view.template, view.context), origin: "templates/\(view.template).html")
            attachments.initialize(k, to: view.attachments.map { keep($0.path, $0.bytes, origin: view.sitePath) })
            return page
        }
        timings.append(clock.stage("templates"))

        for list in attachments.array() where !list.isEmpty { files += list }
        files += index
        files += await extras
        diagnostics += collisions(files)
        timings.append(clock.stage("feeds"))
        return Result(files: files, diagnostics: diagnostics, timings: timings, session: Session(views: views, links: links, theme: pageTheme))
    }

    /// The Atom feed, progress.json, the sitemap, the theme's assets and the site's static files.
    static func feedFiles(_ p: Programme, figures: Figures, views: Views, jobs: [PageJob], routes: Routes, visibility: Visibility, theme: Theme) -> [OutputFile] {
        var files = [OutputFile(path: Routes.feed, content: .bytes(Array(Feeds.atom(views).utf8)), origin: "feed")]
        let json = ProgressJSON.document(p, figures, visibility).serialized() + "\n"
        files.append(OutputFile(path: Routes.progressJSON, content: .bytes(Array(json.utf8)), origin: "progress.json"))
        let sitemapEntries = jobs.compactMap { job -> (String, Day?)? in
            switch job {
            case .notFound: return nil
            case .material(let i): return (job.sitePath(p), p.materials[i].updated ?? p.materials[i].date)
            default: return (job.sitePath(p), nil)
            }
        }
        files.append(OutputFile(path: Routes.sitemap, content: .bytes(Feeds.sitemap(sitemapEntries, routes: routes)), origin: "sitemap"))
        files += theme.assets.map { OutputFile(path: $0.path, content: .bytes(Array($0.data)), origin: "templates/" + $0.path) }
        files += p.site.staticFiles.map { OutputFile(path: $0.contentPath, content: .copy(from: $0.absolutePath), origin: "content/" + $0.contentPath) }
        return files
    }

    /// What search covers (SPEC §5): materials, plans, activities, pages, and reflections the profile
    /// shows, in that order — the order of the bodies `render` gives the index. Each document's body
    /// is the part the index measures (`SearchIndex.Document.measured`), left empty here: the body's
    /// text is put there as its Markdown is rendered. The materials' and reflections' documents are
    /// made on all cores (15,000 documents at 10,000 materials).
    static func searchDocuments(_ p: Programme, lookup: Lookup, routes: Routes, strings: [String: String],
                                visibility: Visibility, jobs: Int) async -> [SearchIndex.Document] {
        func t(_ key: String) -> String { strings[key] ?? key }
        // Links from the render's tables (`Lookup`), made once for the pages too.
        let kind = (material: t("kind_material"), activity: t("kind_activity"), reflection: t("kind_reflection"))
        // Fields read in place: a material copied out retained a dozen references and released them.
        var docs = await parallelMap(p.publishedMaterials, jobs: jobs) { i -> SearchIndex.Document in
            .init(title: p.materials[i].title, url: lookup.materialURL[i] ?? routes.link(Routes.material(p.materials[i].slug)), kind: kind.material,
                  date: p.materials[i].date?.description ?? "",
                  utf8: [Array((p.materials[i].summary ?? "").utf8), [],
                         Array(([p.materials[i].category].compactMap { $0 } + p.materials[i].tags).joined(separator: " ").utf8)],
                  measured: 1)
        }
        for plan in p.plans {
            docs.append(.init(title: plan.title, url: routes.link(Routes.plan(plan.slug)), kind: t("kind_plan"), date: plan.start.description, utf8: [[]], measured: 0))
        }
        for (k, a) in p.activities.enumerated() {
            let about = [a.speaker, a.location].compactMap { $0 }.joined(separator: " ")
            docs.append(.init(title: a.title, url: lookup.activityURL[k], kind: kind.activity, date: a.date.description, utf8: [Array(about.utf8), []], measured: 1))
        }
        for page in p.pages where p.isPublished(page) {
            docs.append(.init(title: page.title, url: routes.link(Routes.page(page.slug)), kind: t("kind_page"), date: "", utf8: [[]], measured: 0))
        }
        let reflections = await parallelMap(p.reflections.indices.filter { visibility.shows(p.reflections[$0]) }, jobs: jobs) { k -> SearchIndex.Document in
            .init(title: p.reflections[k].title, url: routes.link(Routes.reflection(p.reflections[k].folder, p.reflections[k].slug)), kind: kind.reflection,
                  date: p.reflections[k].date.description, utf8: [[]], measured: 0)
        }
        return docs + reflections
    }

    /// Two things written to one path: an error naming both, rather than one silently winning.
    static func collisions(_ files: [OutputFile]) -> [Diagnostic] {
        // Path → the first file writing it, by index; room for all at once (27,552 paths at 10,000
        // materials: the table was grown and rehashed a dozen times).
        var seen: [String: Int] = [:]
        seen.reserveCapacity(files.count)
        var out: [Diagnostic] = []
        for i in files.indices {   // by index: a file copied out retained its fields
            if let other = seen.updateValue(i, forKey: files[i].path) {
                seen[files[i].path] = other   // the first keeps the path
                out.append(.error("writes /\(files[i].path), which \(files[other].origin) also writes; rename one of them", path: files[i].origin))
            }
        }
        return out
    }
}

/// One stage of a build for `--verbose`: its wall time, and the CPU time the process spent meanwhile
/// on all its threads (about twice the wall time for a stage that keeps both cores busy, equal for
/// one that runs on one).
public struct StageTiming: Sendable {
    public var stage: String
    public var seconds: Double
    public var cpuSeconds: Double
}

/// Wall-clock laps for `--verbose` and the server's log.
struct Clock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = Clock.processCPU()

    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }

    /// The lap as a named stage, with the CPU time since the last one.
    mutating func stage(_ name: String) -> StageTiming {
        let cpu = Clock.processCPU()
        defer { lastCPU = cpu }
        return StageTiming(stage: name, seconds: lap(), cpuSeconds: cpu - lastCPU)
    }

    /// User and system time of the whole process so far, in seconds.
    static func processCPU() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
