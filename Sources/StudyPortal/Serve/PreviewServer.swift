import Foundation

/// `studyportal serve` (SPEC §2): the site built in memory and served on 127.0.0.1 under base_url's
/// path, rebuilt when a file changes, with a small live-reload client (Server-Sent Events) in every
/// HTML page it serves and the build's errors shown over the page until they are fixed.
///
/// Nothing is read from disk to answer a request but the content files the build copies, by the exact
/// paths the build listed: no request path can reach anything else.
public final class PreviewServer: @unchecked Sendable {
    struct State {
        var files: [String: OutputFile.Content] = [:]
        var errors: [Diagnostic] = []
        var generation = 0
        /// Quick updates so far: a full rebuild started before one is discarded.
        var edits = 0
        var session: Renderer.Session?
    }

    let options: BuildOptions
    let port: UInt16
    private let lock = NSLock()
    private var state = State()
    private var basePath = "/"
    private var listeners: [ObjectIdentifier: EventChannel] = [:]
    private var server: LoopbackHTTPServer?

    public static let eventsPath = "__studyportal/events"

    public init(options: BuildOptions, port: UInt16) {
        self.options = options
        self.port = port
    }

    /// Builds, starts listening and serves until stopped. Throws when the port cannot be had.
    public func run(log: @escaping @Sendable (String) -> Void) async throws {
        await rebuild(log: log)
        let server = try LoopbackHTTPServer(port: port)
        lock.withLock { self.server = server }
        let root = options.siteRoot
        Thread.detachNewThread { [weak self] in
            guard let watcher = Watcher(root: root) else { log("cannot watch \(root) for changes (inotify)"); return }
            while true {
                let changed = watcher.waitForChange()
                guard let self else { return }
                // The quick path runs right here, on the watcher's thread: the shared task pool may be
                // busy with a background rebuild, and a save should not wait for it.
                if let paths = changed, paths.count == 1, let path = paths.first, self.quickUpdate(path, log: log) { continue }
                let done = DispatchSemaphore(value: 0)
                Task {
                    await self.rebuild(log: log)
                    done.signal()
                }
                done.wait()
            }
        }
        // Answered on threads of the server's own (blocking calls, and event streams that last as
        // long as a page is open, would hold the task pool's few threads).
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            // Held while serving (the HTTP server keeps no handler once `serve` returns).
            Thread.detachNewThread { [self] in
                server.serve { request in self.respond(to: request) }
                done.resume()
            }
        }
    }

    /// Set once `stop` was called: the listening loop then ends without it being an error.
    public var isStopping: Bool { lock.withLock { stopping } }
    private var stopping = false

    public func stop() async {
        let server = lock.withLock { stopping = true; return self.server }
        server?.stop()
        let channels = lock.withLock { Array(listeners.values) }
        for c in channels { c.finish() }
    }

    /// A new build into memory; on errors the last good site stays and the errors are shown over it.
    func rebuild(log: @Sendable (String) -> Void, announce: Bool = true) async {
        let started = lock.withLock { state.edits }
        var clock = Clock()
        var opts = options
        opts.writeOutput = false
        // A background refresh after a quick update uses one thread, leaving the other cores to serve.
        if !announce { opts.jobs = 1 }
        let rendered = await renderSite(opts)
        let seconds = clock.lap()
        let base = BaseURL.parse(options.baseURL ?? "") ?? SiteConfig.load(root: URL(fileURLWithPath: options.siteRoot)).0.baseURL
        let generation: Int? = lock.withLock {
            // A quick update landed while this ran: its result would be older than what is served.
            guard state.edits == started else { return nil }
            basePath = base.path
            if let files = rendered.files {
                state.files = Dictionary(files.map { ($0.path, $0.content) }, uniquingKeysWith: { a, _ in a })
                state.errors = []
                state.session = rendered.session
            } else {
                state.errors = sortedForDisplay(rendered.report.diagnostics.filter { $0.severity == .error })
                state.session = nil
            }
            state.generation += 1
            return state.generation
        }
        guard let generation else { return }
        if rendered.files == nil {
            log("build failed (\(rendered.report.diagnostics.errorCount) errors); showing them in the browser:")
            for d in sortedForDisplay(rendered.report.diagnostics) { log("  " + d.description) }
        } else if announce {
            log(String(format: "rebuilt in %.0f ms: %d pages", seconds * 1000, rendered.report.pageCount))
        }
        if announce { broadcast("event: reload\ndata: \(generation)\n\n") }
    }

    /// The common case of writing: one material's text changed, its front matter did not. Re-renders
    /// that material's Markdown and page alone (milliseconds, whatever the site's size), serves them,
    /// then brings the rest (search index, word counts) up to date with a full rebuild in the
    /// background. Returns false, doing nothing, when anything else may be affected.
    func quickUpdate(_ path: String, log: @escaping @Sendable (String) -> Void) -> Bool {
        var clock = Clock()
        guard path.hasPrefix("content/materials/"), path.hasSuffix(".md"),
              let session = lock.withLock({ state.errors.isEmpty ? state.session : nil }) else { return false }
        var views = session.views
        guard let index = views.programme.materials.firstIndex(where: { $0.file.path == path }),
              views.programme.isPublished(views.programme.materials[index]) else { return false }
        let old = views.programme.materials[index]
        let contentPath = String(path.dropFirst("content/".count))
        let parsed = Loader.parse(Walk.Entry(relative: contentPath, absolute: options.siteRoot + "/" + path), kind: .material)
        guard parsed.diagnostics.isEmpty, case .material(let new)? = parsed.value, Self.sameFrontMatter(old, new) else { return false }
        let key = "material:" + new.slug
        let body = new.file.withBody { text in
            Markdown.render(utf8: text, unsafeHTML: views.programme.config.unsafeHTML, firstLine: new.file.bodyLine) {
                session.links.resolve($0, from: contentPath, page: Routes.material(new.slug))
            }
        }
        let previous = views.bodies[key]
        // Links must still resolve, and other pages may link to this page's headings: either changing
        // needs the full rebuild (which reports what broke).
        guard body.brokenLinks.isEmpty,
              body.pendingAnchors.allSatisfy({ anchor in views.bodies[anchor.pageKey]?.headings.contains { $0.id == anchor.anchor } ?? false }),
              body.headings.map(\.id) == previous?.headings.map(\.id) else { return false }
        views.programme.materials[index] = new
        views.bodies[key] = body
        if views.listItems.indices.contains(index) { views.listItems[index] = SharedView(views.item(new)) }
        // Its page; and when lists show its first paragraph as the summary, the lists that show it.
        var jobs: [PageJob] = [.material(index)]
        let p = views.programme
        if new.summary == nil && body.firstParagraph != previous?.firstParagraph {
            let position = p.publishedMaterials.firstIndex(of: index) ?? 0
            let pages = max(1, (p.publishedMaterials.count + p.config.paginate - 1) / p.config.paginate)
            jobs.append(.materials(page: position / p.config.paginate + 1, of: pages))
            if position < 10 { jobs.append(.home) }
            jobs += p.categories.indices.filter { p.categories[$0].materials.contains(index) }.map { .term(categories: true, index: $0) }
            jobs += p.tags.indices.filter { p.tags[$0].materials.contains(index) }.map { .term(categories: false, index: $0) }
        }
        let pages = jobs.map { job -> (String, [UInt8]) in
            let page = views.page(job)
            return (Routes.file(for: page.sitePath), session.theme.render(page.template, page.context))
        }
        let generation: Int = lock.withLock {
            for (file, html) in pages { state.files[file] = .bytes(html) }
            state.session = Renderer.Session(views: views, links: session.links, theme: session.theme)
            state.edits += 1
            state.generation += 1
            return state.generation
        }
        log(String(format: "updated %@ (%d pages) in %.0f ms", path, pages.count, clock.lap() * 1000))
        broadcast("event: reload\ndata: \(generation)\n\n")
        Task.detached(priority: .background) { [weak self] in await self?.rebuild(log: log, announce: false) }
        return true
    }

    static func sameFrontMatter(_ a: Material, _ b: Material) -> Bool {
        a.slug == b.slug && a.title == b.title && a.date == b.date && a.updated == b.updated && a.category == b.category
            && a.tags == b.tags && a.hours == b.hours && a.summary == b.summary && a.draft == b.draft && a.weight == b.weight
            && a.author == b.author && a.source == b.source
    }

    func broadcast(_ message: String) {
        let channels = lock.withLock { () -> [EventChannel] in
            dropClosedListeners()
            return Array(listeners.values)
        }
        for c in channels { c.send(Data(message.utf8)) }
    }

    /// Answers one request from memory.
    /// (A HEAD request is answered as GET is, without the body: `LoopbackHTTPServer` leaves it out.)
    func respond(to request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let (base, snapshot) = lock.withLock { (basePath, state) }
        guard request.method == "GET" || request.method == "HEAD" else { return .init(status: 405, headers: [("Allow", "GET, HEAD")]) }
        let raw = request.path   // as sent, percent-encoded
        guard raw.hasPrefix(base) || raw + "/" == base else {
            return .init(status: 307, headers: [("Location", base)])
        }
        guard let decoded = raw.removingPercentEncoding else { return .init(status: 400) }
        var path = raw + "/" == base ? "" : String(decoded.dropFirst(base.count))
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0 == ".." || $0 == "." }) || path.contains("\\") || path.hasPrefix("/") || path.contains("\0") {
            return .init(status: 400, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Data("bad path\n".utf8)))
        }
        if path == Self.eventsPath { return events() }
        if path.isEmpty || path.hasSuffix("/") { path += "index.html" }
        if snapshot.files[path] == nil, snapshot.files[path + "/index.html"] != nil {
            return .init(status: 301, headers: [("Location", base + Routes.path(path) + "/")])
        }
        let status = snapshot.files[path] == nil ? 404 : 200
        let key = snapshot.files[path] == nil ? Routes.notFound : path
        guard let content = snapshot.files[key], var data = Self.bytes(content) else {
            return .init(status: 404, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Data("not found\n".utf8)))
        }
        let type = Self.contentType(key)
        if type.hasPrefix("text/html") { data = inject(into: data, base: base, errors: snapshot.errors) }
        return .init(status: status, headers: [("Content-Type", type), ("Cache-Control", "no-store")], body: .bytes(data))
    }

    static func bytes(_ content: OutputFile.Content) -> Data? {
        switch content {
        case .bytes(let bytes): return Data(bytes)
        case .copy(let source): return FileManager.default.contents(atPath: source)
        case .written: return nil
        }
    }

    /// The live-reload client and, while the build is broken, its errors over the page.
    func inject(into page: Data, base: String, errors: [Diagnostic]) -> Data {
        var html = String(decoding: page, as: UTF8.self)
        var snippet = "<script>(function(){var s=new EventSource(\"\(base)\(Self.eventsPath)\");"
            + "s.addEventListener(\"reload\",function(){location.reload();});})();</script>"
        if !errors.isEmpty {
            snippet += "<div id=\"studyportal-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;"
                + "background:rgba(20,20,24,.94);color:#fdd;font:14px/1.6 ui-monospace,monospace;padding:24px\">"
                + "<p style=\"color:#fff;font-size:16px;margin:0 0 12px\">studyportal: the build failed — fix these and save:</p><pre style=\"white-space:pre-wrap;margin:0\">"
                + errors.map { HTML.escape($0.description) }.joined(separator: "\n") + "</pre></div>"
        }
        if let end = html.range(of: "</body>", options: .backwards) { html.insert(contentsOf: snippet, at: end.lowerBound) } else { html += snippet }
        return Data(html.utf8)
    }

    /// Forgets the event channels of pages closed since (their writers finished them). Under `lock`.
    private func dropClosedListeners() {
        listeners = listeners.filter { !$0.value.isFinished }
    }

    /// Server-Sent Events: one `reload` event after every rebuild, a comment every 15 s to keep it open.
    func events() -> LoopbackHTTPServer.Response {
        let channel = EventChannel()
        let open = lock.withLock { () -> Bool in
            dropClosedListeners()
            guard !stopping else { return false }   // `stop` finishes the channels it finds
            listeners[ObjectIdentifier(channel)] = channel
            return true
        }
        if open { channel.send(Data(": connected\n\n".utf8)) } else { channel.finish() }
        return .init(status: 200, headers: [("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-store")], body: .events(channel))
    }

    static func contentType(_ path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json; charset=utf-8"
        case "xml": return "application/xml; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        case "txt", "md": return "text/plain; charset=utf-8"
        case "svg": return "image/svg+xml; charset=utf-8"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "pdf": return "application/pdf"
        case "woff2": return "font/woff2"
        default: return "application/octet-stream"
        }
    }
}
