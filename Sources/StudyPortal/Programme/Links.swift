import Foundation

/// Resolves links written in content (SPEC §6) against the site's pages and files.
public struct LinkResolver: Sendable {
    public struct Target: Sendable {
        public var key: String
        public var sitePath: String
        public var published: Bool
        /// Why an unpublished target has no page, for the message.
        public var hiddenBecause = "it is a draft, which gets no page (build with --drafts to preview it)"
    }

    let routes: Routes
    /// `materials/foo.md` → the page it becomes.
    let pagesBySource: [String: Target]
    /// Site paths of every page of the portal: `materials/foo/`, `feed.xml` …
    private(set) var sitePaths: Set<String>
    /// Page key of a site path, for anchor checks on root-relative links.
    let keysBySitePath: [String: String]
    /// Content paths of files copied verbatim.
    let staticFiles: Set<String>

    public init(routes: Routes, pages: [String: Target], sitePaths: Set<String>, staticFiles: Set<String>) {
        self.routes = routes
        self.pagesBySource = pages
        self.sitePaths = sitePaths
        self.staticFiles = staticFiles
        var keys: [String: String] = [:]
        for target in pages.values where target.published { keys[target.sitePath] = target.key }
        self.keysBySitePath = keys
    }

    /// The same, knowing of more site paths.
    func adding(sitePaths more: some Sequence<String>) -> LinkResolver {
        var copy = self
        copy.sitePaths.formUnion(more)
        return copy
    }

    /// What `url`, written in the file at `contentPath` whose page is at `pageSitePath`, becomes.
    public func resolve(_ url: String, from contentPath: String, page pageSitePath: String) -> LinkTarget {
        let trimmed = url.trimmingSpaces()
        if trimmed.isEmpty || trimmed.hasPrefix("//") || hasScheme(trimmed) { return .keep }
        let (pathPart, fragment) = splitFragment(trimmed)
        let (rawPath, query) = splitQuery(pathPart)
        let path = Self.percentDecoded(rawPath)
        let anchor = fragment.map(Self.percentDecoded)

        if path.hasPrefix("/") {
            let sitePath = String(path.dropFirst())
            let link = routes.link(sitePath) + (query.map { "?" + $0 } ?? "") + (fragment.map { "#" + $0 } ?? "")
            let candidates = [sitePath, sitePath + "/", sitePath.hasSuffix("index.html") ? String(sitePath.dropLast(10)) : sitePath]
            guard let found = candidates.first(where: { sitePaths.contains($0) || staticFiles.contains($0) }) else {
                return .broken("broken link `\(url)`: the site has no /\(sitePath)")
            }
            if let anchor, !anchor.isEmpty, let key = keysBySitePath[found] {
                return .rewriteCheckingAnchor(link, pageKey: key, anchor: anchor)
            }
            return .rewrite(link)
        }

        guard let target = Self.join(directoryOf: contentPath, path) else {
            return .broken("broken link `\(url)`: it points outside content/")
        }
        if let page = pagesBySource[target] {
            guard page.published else { return .broken("link `\(url)` points at a page that is not published: \(page.hiddenBecause)") }
            let link = routes.link(page.sitePath) + (query.map { "?" + $0 } ?? "") + (fragment.map { "#" + $0 } ?? "")
            if let anchor, !anchor.isEmpty { return .rewriteCheckingAnchor(link, pageKey: page.key, anchor: anchor) }
            return .rewrite(link)
        }
        if staticFiles.contains(target) {
            return .rewrite(routes.link(target) + (query.map { "?" + $0 } ?? "") + (fragment.map { "#" + $0 } ?? ""))
        }
        // As a Hugo user writes it: relative to the page's own URL (`../other-material/` from a material).
        if let sitePath = Self.join(directoryOf: pageSitePath + "index.html", path).map({ path.hasSuffix("/") && !$0.isEmpty ? $0 + "/" : $0 }),
           let found = [sitePath, sitePath + "/"].first(where: sitePaths.contains) {
            let link = routes.link(found) + (query.map { "?" + $0 } ?? "") + (fragment.map { "#" + $0 } ?? "")
            if let anchor, !anchor.isEmpty, let key = keysBySitePath[found] { return .rewriteCheckingAnchor(link, pageKey: key, anchor: anchor) }
            return .rewrite(link)
        }
        return .broken("broken link `\(url)`: no file content/\(target), and no page at that address")
    }

    /// `removingPercentEncoding` (or the text as written when that fails), asked of Foundation only
    /// when there is a `%`: most links have none, and the call cost more than the rest of the check.
    static func percentDecoded(_ s: String) -> String {
        s.utf8.contains(0x25) ? s.removingPercentEncoding ?? s : s
    }

    // Over the UTF-8 bytes (the marks looked for are ASCII, so a byte's index is a character's):
    // by Character, the checks of a link cost a few microseconds, for every link of every body.

    private func hasScheme(_ s: String) -> Bool {
        let utf8 = s.utf8
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")), let first = utf8.first, Self.isLetter(first) else { return false }
        return utf8[..<colon].allSatisfy { Self.isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }
    }

    private static func isLetter(_ b: UInt8) -> Bool { b | 0x20 >= 0x61 && b | 0x20 <= 0x7A }

    private func splitFragment(_ s: String) -> (String, String?) { Self.split(s, at: UInt8(ascii: "#")) }

    private func splitQuery(_ s: String) -> (String, String?) { Self.split(s, at: UInt8(ascii: "?")) }

    /// Before and after the first `mark` (nil after when there is none).
    private static func split(_ s: String, at mark: UInt8) -> (String, String?) {
        guard let at = s.utf8.firstIndex(of: mark) else { return (s, nil) }
        return (String(s[..<at]), String(s[s.utf8.index(after: at)...]))
    }

    /// `materials/a/b.md` + `../c.md` → `materials/c.md`; nil when it climbs above content/.
    static func join(directoryOf file: String, _ relative: String) -> String? {
        // Split at the slashes' bytes, the pieces kept as slices of the two strings until joined.
        var parts = file.utf8.split(separator: UInt8(ascii: "/")).map { file[$0.startIndex..<$0.endIndex] }
        parts.removeLast()
        for piece in relative.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            switch piece.count == 1 && piece.first == UInt8(ascii: ".") ? 1 : piece.count == 2 && piece.allSatisfy({ $0 == UInt8(ascii: ".") }) ? 2 : 0 {
            case 1: continue
            case 2:
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(relative[piece.startIndex..<piece.endIndex])
            }
        }
        return parts.joined(separator: "/")
    }
}
