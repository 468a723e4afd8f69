import FlyingFox
import FlyingSocks
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
    }

    let options: BuildOptions
    let port: UInt16
    private let lock = NSLock()
    private var state = State()
    private var basePath = "/"
    private var listeners: [UUID: AsyncStream<Data>.Continuation] = [:]
    private var server: HTTPServer?

    public static let eventsPath = "__studyportal/events"

    public init(options: BuildOptions, port: UInt16) {
        self.options = options
        self.port = port
    }

    /// Builds, starts listening and serves until stopped. Throws when the port cannot be had.
    public func run(log: @escaping @Sendable (String) -> Void) async throws {
        await rebuild(log: log)
        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: port), timeout: 3600, handler: Handler(owner: self))
        self.server = server
        let root = options.siteRoot
        Thread.detachNewThread { [weak self] in
            guard let watcher = Watcher(root: root) else { log("cannot watch \(root) for changes (inotify)"); return }
            while true {
                watcher.waitForChange()
                // Debounce: editors write several events per save.
                Thread.sleep(forTimeInterval: 0.06)
                guard let self else { return }
                let done = DispatchSemaphore(value: 0)
                Task {
                    await self.rebuild(log: log)
                    done.signal()
                }
                done.wait()
            }
        }
        try await server.run()
    }

    /// Set once `stop` was called: the listening loop then ends without it being an error.
    public var isStopping: Bool { lock.withLock { stopping } }
    private var stopping = false

    public func stop() async {
        lock.withLock { stopping = true }
        await server?.stop(timeout: 1)
        let continuations = lock.withLock { Array(listeners.values) }
        for c in continuations { c.finish() }
    }

    /// A new build into memory; on errors the last good site stays and the errors are shown over it.
    func rebuild(log: @Sendable (String) -> Void) async {
        var clock = Clock()
        var opts = options
        opts.writeOutput = false
        let (report, files) = await renderSite(opts)
        let seconds = clock.lap()
        let base = BaseURL.parse(options.baseURL ?? "") ?? SiteConfig.load(root: URL(fileURLWithPath: options.siteRoot)).0.baseURL
        let generation: Int = lock.withLock {
            basePath = base.path
            if let files {
                state.files = Dictionary(files.map { ($0.path, $0.content) }, uniquingKeysWith: { a, _ in a })
                state.errors = []
            } else {
                state.errors = sortedForDisplay(report.diagnostics.filter { $0.severity == .error })
            }
            state.generation += 1
            return state.generation
        }
        if files == nil {
            log("build failed (\(report.diagnostics.errorCount) errors); showing them in the browser:")
            for d in sortedForDisplay(report.diagnostics) { log("  " + d.description) }
        } else {
            log(String(format: "rebuilt in %.0f ms: %d pages", seconds * 1000, report.pageCount))
        }
        broadcast("event: reload\ndata: \(generation)\n\n")
    }

    func broadcast(_ message: String) {
        let continuations = lock.withLock { Array(listeners.values) }
        for c in continuations { c.yield(Data(message.utf8)) }
    }

    struct Handler: HTTPHandler {
        let owner: PreviewServer
        func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse { owner.respond(to: request) }
    }

    /// Answers one request from memory.
    func respond(to request: HTTPRequest) -> HTTPResponse {
        let (base, snapshot) = lock.withLock { (basePath, state) }
        guard request.method == .GET || request.method == .HEAD else { return HTTPResponse(statusCode: .methodNotAllowed) }
        let raw = request.target.path()   // as sent: `path` is already normalised (and loses the trailing slash)
        guard raw.hasPrefix(base) || raw + "/" == base else {
            return HTTPResponse(statusCode: .temporaryRedirect, headers: [.location: base])
        }
        guard let decoded = raw.removingPercentEncoding else { return HTTPResponse(statusCode: .badRequest) }
        var path = raw + "/" == base ? "" : String(decoded.dropFirst(base.count))
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0 == ".." || $0 == "." }) || path.contains("\\") || path.hasPrefix("/") || path.contains("\0") {
            return HTTPResponse(statusCode: .badRequest, headers: [.contentType: "text/plain; charset=utf-8"], body: Data("bad path\n".utf8))
        }
        if path == Self.eventsPath { return events() }
        if path.isEmpty || path.hasSuffix("/") { path += "index.html" }
        if snapshot.files[path] == nil, snapshot.files[path + "/index.html"] != nil {
            return HTTPResponse(statusCode: .movedPermanently, headers: [.location: base + Routes.path(path) + "/"])
        }
        let status: HTTPStatusCode = snapshot.files[path] == nil ? .notFound : .ok
        let key = snapshot.files[path] == nil ? Routes.notFound : path
        guard let content = snapshot.files[key], var data = Self.bytes(content) else {
            return HTTPResponse(statusCode: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: Data("not found\n".utf8))
        }
        let type = Self.contentType(key)
        if type.hasPrefix("text/html") { data = inject(into: data, base: base, errors: snapshot.errors) }
        return HTTPResponse(statusCode: status, headers: [.contentType: type, HTTPHeader("Cache-Control"): "no-store"],
                            body: request.method == .HEAD ? Data() : data)
    }

    static func bytes(_ content: OutputFile.Content) -> Data? {
        switch content {
        case .bytes(let data): return data
        case .copy(let source): return FileManager.default.contents(atPath: source)
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

    /// Server-Sent Events: one `reload` event after every rebuild, a comment every 15 s to keep it open.
    func events() -> HTTPResponse {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .bufferingNewest(8))
        lock.withLock { listeners[id] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.lock.withLock { self?.listeners.removeValue(forKey: id) } }
        continuation.yield(Data(": connected\n\n".utf8))
        let keepAlive = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 15_000_000_000)
                continuation.yield(Data(": keep-alive\n\n".utf8))
            }
        }
        continuation.onTermination = { [weak self] _ in
            keepAlive.cancel()
            _ = self?.lock.withLock { self?.listeners.removeValue(forKey: id) }
        }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", HTTPHeader("Cache-Control"): "no-store"],
                            body: HTTPBodySequence(from: EventBytes(stream: stream)))
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

/// An event stream as the byte sequence FlyingFox sends with chunked encoding, chunk by chunk.
struct EventBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<Data>

    func makeAsyncIterator() -> Iterator { Iterator(inner: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var inner: AsyncStream<Data>.AsyncIterator
        var pending: [UInt8] = []

        mutating func next() async -> UInt8? {
            if pending.isEmpty { guard let chunk = await inner.next() else { return nil }; pending = Array(chunk) }
            return pending.removeFirst()
        }

        mutating func nextBuffer(suggested count: Int) async -> [UInt8]? {
            if pending.isEmpty { guard let chunk = await inner.next() else { return nil }; pending = Array(chunk) }
            let out = Array(pending.prefix(count))
            pending.removeFirst(out.count)
            return out
        }
    }
}
