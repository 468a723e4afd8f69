import CMark
import CSupport
import Foundation

/// What a link in content turns into (SPEC §6), decided by the caller who knows the site.
public enum LinkTarget: Sendable, Equatable {
    /// Leave the destination as written (external links, `mailto:` …).
    case keep
    /// Write this destination instead (a content file's page URL, base_url's path added …).
    case rewrite(String)
    /// Write this destination, and check later that `anchor` is a heading id of the page `pageKey`.
    case rewriteCheckingAnchor(String, pageKey: String, anchor: String)
    /// The link goes nowhere: report the message.
    case broken(String)
}

public struct TOCEntry: Sendable, Hashable {
    public var level: Int
    public var id: String
    public var text: String
}

/// A table of contents' entry as templates read it: `level`, `id` and `text`, as the view the pages
/// made of each heading had them (thousands of pages show a table of contents).
extension TOCEntry: TemplateValue {
    public func member(_ key: String) -> (any TemplateValue)? {
        switch key {
        case "level": return level
        case "id": return id
        case "text": return text
        default: return nil
        }
    }
    public func writeMember(_ key: String, to out: inout [UInt8], escaped: Bool) -> Bool {
        switch key {
        case "level": level.write(to: &out, escaped: escaped)
        case "id": id.write(to: &out, escaped: escaped)
        case "text": text.write(to: &out, escaped: escaped)
        default: return false
        }
        return true
    }
    public var isTruthy: Bool { true }
    public func write(to out: inout [UInt8], escaped: Bool) {}
}

/// A link whose anchor must be checked against another page once every page's headings are known.
public struct PendingAnchor: Sendable, Hashable {
    public var pageKey: String
    public var anchor: String
    public var line: Int
    public var column: Int
}

public struct BrokenLink: Sendable, Hashable {
    public var message: String
    public var line: Int
    public var column: Int
    /// The link as written, when its address is what is broken (not an anchor on the page itself).
    public var url: String? = nil
}

/// HTML kept as cmark wrote it: pages only copy it into their own bytes, so it is never made a
/// `String`, whose UTF-8 validation was a third of our own share of the Markdown stage. cmark
/// writes valid UTF-8 for valid input (ours comes from a `String`); the fuzz tests check it.
public struct HTMLFragment: TemplateValue, Sendable {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8] = []) { self.bytes = bytes }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public var isTruthy: Bool { !bytes.isEmpty }
    public func write(to out: inout [UInt8], escaped: Bool) {
        if escaped { HTMLEscape.append(bytes: bytes, to: &out) } else { out.append(contentsOf: bytes) }
    }
}

/// The rendered bodies of a build by key (`material:<slug>`, `page:<slug>`, …): the Markdown
/// stage's list as it made it, and each key's place in it. Made from the two without a table of
/// its own: filling one, 15,000 keys hashed and bodies moved, kept one core busy and the other idle
/// for 10 ms at 10,000 materials.
struct Bodies: Sendable {
    private var list: [RenderedMarkdown]
    /// Key → place in `list`.
    private var places: [String: Int]

    init(_ list: consuming [RenderedMarkdown] = [], places: [String: Int] = [:]) {
        self.list = list
        self.places = places
    }

    subscript(key: String) -> RenderedMarkdown? {
        get { places[key].map { list[$0] } }
        set {
            if let place = places[key] {
                if let newValue { list[place] = newValue } else { places[key] = nil }
            } else if let newValue {
                places[key] = list.count
                list.append(newValue)
            }
        }
    }
}

/// One Markdown body rendered, with what the rest of the site needs to know about it.
public struct RenderedMarkdown: Sendable {
    public var html: HTMLFragment
    public var headings: [TOCEntry]
    /// The plain text's counts (`TextMetrics.add(utf8:)` of `plainText`: a word cut by markup, as in
    /// `**un**done`, is one word, as it reads).
    public var metrics: TextMetrics
    /// Plain text of the first paragraph: the automatic summary.
    public var firstParagraph: String
    /// The whole text without markup, blocks on their own lines: what search indexes. UTF-8, kept
    /// as cmark's text nodes gave it (valid, as the body is): only search reads it, from its bytes,
    /// and making a `String` of it validated every byte of every body once more. A build empties it
    /// once the index has read it, before the pages are rendered.
    public var plainText: [UInt8]
    public var pendingAnchors: [PendingAnchor]
    public var brokenLinks: [BrokenLink]
}

/// A small, safe wrapper over cmark's node API (Debian's libcmark, the reference implementation).
///
/// cmark's safe mode (the default) drops raw HTML and `javascript:`-style links. Heading ids are
/// written into cmark's heading tags as its HTML is copied out; where raw HTML is kept (which may
/// hold tags like theirs), each heading becomes a custom block whose content is rendered on its own.
public enum Markdown {
    /// `measuring: false` leaves `metrics` zero for a caller that counts `plainText` itself (the
    /// build's search index measures each body in the pass that finds its terms).
    public static func render(_ text: String, unsafeHTML: Bool, firstLine: Int = 1, measuring: Bool = true,
                              resolveLink: (String) -> LinkTarget) -> RenderedMarkdown {
        var text = text
        return text.withUTF8 { render(utf8: $0, unsafeHTML: unsafeHTML, firstLine: firstLine, measuring: measuring, resolveLink: resolveLink) }
    }

    /// `render` of the UTF-8 bytes of a text (valid UTF-8: a content file's body as it was read,
    /// `SourceFile.withBody`).
    static func render(utf8 text: UnsafeBufferPointer<UInt8>, unsafeHTML: Bool, firstLine: Int = 1, measuring: Bool = true,
                       resolveLink: (String) -> LinkTarget) -> RenderedMarkdown {
        let options = unsafeHTML ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT
        // cmark writes U+FFFE and U+FFFF (`&#xFFFF;`) as the single bytes FE and FF, which are not
        // UTF-8; only a numeric character reference makes them, so only a body holding `&#` is
        // repaired (each such byte becomes U+FFFD, as `String(decoding:)` reads it).
        let mayHoldNoncharacters = Self.containsCharacterReference(text)
        // Everything cmark allocates for the document comes from this thread's arena, let go of at once
        // when the render is done (nothing below keeps a pointer into it: what is kept is copied out).
        let mem = studyportal_cmark_arena().assumingMemoryBound(to: cmark_mem.self)
        defer { studyportal_cmark_arena_reset() }
        let document: OpaquePointer? = {
            guard let parser = cmark_parser_new_with_mem(options, mem) else { return nil }
            // Up to the first NUL, as when the text was given as a C string (a content file's body
            // has none: the bytes' path refuses files with one, the general path replaces it).
            text.withMemoryRebound(to: CChar.self) { if let base = $0.baseAddress { cmark_parser_feed(parser, base, strnlen(base, $0.count)) } }
            return cmark_parser_finish(parser)
        }()
        guard let document else {
            return RenderedMarkdown(html: HTMLFragment(), headings: [], metrics: TextMetrics(), firstParagraph: "", plainText: [], pendingAnchors: [], brokenLinks: [])
        }

        // The plain text as bytes: text nodes are appended straight from cmark's buffers.
        var plain: [UInt8] = []
        // Room for it at once: the text without its markup is hardly ever longer than the source
        // (kept as it is, the array would otherwise carry the slack of its last doubling).
        plain.reserveCapacity(text.count + 64)
        var headingNodes: [OpaquePointer] = []
        var softBreaks: [OpaquePointer] = []
        var firstParagraph: String?
        var anchorLinks: [(anchor: String, line: Int, column: Int)] = []
        var pending: [PendingAnchor] = []
        var broken: [BrokenLink] = []

        // Whether the next text is set apart from the text before it: an image's alt text, and what
        // follows an image or inline HTML (`one<br>two` reads as two words, as a space would make it).
        var setApart = false
        // Raw HTML, kept under `unsafe_html`, may hold tags like a heading's.
        var keepsRawHTML = false

        // One walk over the tree (cmark's iterator: no recursion, so deep nesting cannot overflow the stack).
        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while true {
                let event = cmark_iter_next(iterator)
                if event == CMARK_EVENT_DONE { break }
                guard let node = cmark_iter_get_node(iterator) else { continue }
                let type = cmark_node_get_type(node)
                guard event == CMARK_EVENT_ENTER else {
                    if type == CMARK_NODE_IMAGE { setApart = true }
                    continue
                }
                switch type {
                case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                    // A code block is a block: on a line of its own, not run into the paragraph before.
                    if type == CMARK_NODE_CODE_BLOCK { startLine(&plain) }
                    if setApart, let last = plain.last, last != 0x20 && last != 0x0A { plain.append(0x20) }
                    setApart = false
                    if let literal = cmark_node_get_literal(node) {
                        let text = UnsafeBufferPointer(start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self), count: strlen(literal))
                        if mayHoldNoncharacters, let repaired = Self.repairingNoncharacters(text) { plain += repaired } else { plain += text }
                    }
                case CMARK_NODE_SOFTBREAK:
                    softBreaks.append(node)
                    if !joinsCJK(node) { plain.append(0x20) }   // 终身⏎学习 must still hold the bigram 身学
                case CMARK_NODE_LINEBREAK:
                    plain.append(0x20)
                case CMARK_NODE_HTML_INLINE:
                    keepsRawHTML = unsafeHTML
                    if !joinsCJK(node) { setApart = true }   // 学<br>习 still holds the bigram, as a line break does
                case CMARK_NODE_HTML_BLOCK:
                    keepsRawHTML = unsafeHTML
                case CMARK_NODE_HEADING:
                    headingNodes.append(node)
                    if !plain.isEmpty { plain.append(0x0A) }
                case CMARK_NODE_PARAGRAPH:
                    startLine(&plain)
                    if firstParagraph == nil && cmark_node_parent(node) == document { firstParagraph = plainText(of: node) }
                case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                    if type == CMARK_NODE_IMAGE { setApart = true }
                    let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                    let (line, column) = position(of: node, firstLine: firstLine)
                    if url.hasPrefix("#") {
                        anchorLinks.append((LinkResolver.percentDecoded(String(url.dropFirst())), line, column))
                        continue
                    }
                    switch resolveLink(url) {
                    case .keep:
                        break
                    case .rewrite(let newURL):
                        cmark_node_set_url(node, newURL)
                    case .rewriteCheckingAnchor(let newURL, let key, let anchor):
                        cmark_node_set_url(node, newURL)
                        pending.append(PendingAnchor(pageKey: key, anchor: anchor, line: line, column: column))
                    case .broken(let message):
                        broken.append(BrokenLink(message: message, line: line, column: column, url: url))
                    }
                default:
                    break
                }
            }
        }

        // A line break between two Chinese characters is not a space (Markdown's soft break is).
        for node in softBreaks where joinsCJK(node) {
            cmark_node_unlink(node)
            cmark_node_free(node)
        }

        var allocator = HeadingID.Allocator()
        var headings: [TOCEntry] = []
        for node in headingNodes {
            let level = Int(cmark_node_get_heading_level(node))
            let plain = plainText(of: node)
            headings.append(TOCEntry(level: level, id: allocator.id(for: plain), text: plain))
        }

        // The page's ids as a set only for a page that links to its own headings (most do not).
        let ids = anchorLinks.isEmpty ? [] : Set(headings.map(\.id))
        for link in anchorLinks where !ids.contains(link.anchor) {
            broken.append(BrokenLink(message: "no heading with id `\(link.anchor)` on this page", line: link.line, column: link.column))
        }

        // cmark counts columns in bytes; messages count characters, as the YAML ones do.
        if !broken.isEmpty || !pending.isEmpty {
            let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            func characterColumn(line: Int, byteColumn: Int) -> Int {
                let k = line - firstLine
                guard lines.indices.contains(k), byteColumn > 1 else { return byteColumn }
                let utf8 = lines[k].utf8
                let end = utf8.index(utf8.startIndex, offsetBy: byteColumn - 1, limitedBy: utf8.endIndex) ?? utf8.endIndex
                return lines[k][..<end].count + 1
            }
            for i in broken.indices { broken[i].column = characterColumn(line: broken[i].line, byteColumn: broken[i].column) }
            for i in pending.indices { pending[i].column = characterColumn(line: pending[i].line, byteColumn: pending[i].column) }
        }

        var metrics = TextMetrics()
        if measuring { plain.withUnsafeBufferPointer { metrics.add(utf8: $0) } }
        // The ids go into the headings' opening tags as cmark's HTML is copied out: without raw HTML,
        // the output's only `<h1>`…`<h6>` are the headings', in order. With it (or should the tags
        // found not be one per heading), each heading becomes a block writing its tag and content,
        // rendered on their own (a second render per heading: 20 ms at 10,000 materials).
        var identified = keepsRawHTML ? nil : takeBytes(cmark_render_html(document, options), identifying: headings)
        if identified == nil {
            for (node, heading) in zip(headingNodes, headings) { replaceWithIdentifiedHeading(node, level: heading.level, id: heading.id, options: options, mem: mem) }
            identified = takeBytes(cmark_render_html(document, options))
        }
        var html = identified ?? []
        if mayHoldNoncharacters, let repaired = html.withUnsafeBufferPointer(Self.repairingNoncharacters) { html = repaired }
        return RenderedMarkdown(html: HTMLFragment(html), headings: headings, metrics: metrics,
                                firstParagraph: firstParagraph ?? "", plainText: plain, pendingAnchors: pending, brokenLinks: broken)
    }

    /// A line break at the end of the plain text, unless it is empty or ends one already (as
    /// `hasSuffix("\n")` on a string reads it: a CRLF at the end is one character, not "\n").
    private static func startLine(_ plain: inout [UInt8]) {
        if !plain.isEmpty && (plain.last != 0x0A || plain.dropLast().last == 0x0D) { plain.append(0x0A) }
    }

    /// `bytes` with each FE and FF byte (never part of UTF-8) replaced by U+FFFD, or nil when there is none.
    static func repairingNoncharacters(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard bytes.contains(where: { $0 >= 0xFE }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        for b in bytes {
            if b >= 0xFE { out += [0xEF, 0xBF, 0xBD] } else { out.append(b) }
        }
        return out
    }

    /// Whether `bytes` hold `&#` (each `&` found with `memchr`).
    static func containsCharacterReference(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var at = 0
        while at < bytes.count, let found = memchr(base + at, 0x26, bytes.count - at) {
            let i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if i + 1 < bytes.count && bytes[i + 1] == 0x23 { return true }
            at = i + 1
        }
        return false
    }

    private static func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    /// The text a reader sees in a node, without markup.
    static func plainText(of root: OpaquePointer) -> String {
        var out = ""
        guard let iterator = cmark_iter_new(root) else { return out }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                out += literal(node)
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                if !joinsCJK(node) { out += " " }
            default:
                break
            }
        }
        return out
    }

    /// A node's position, or (for inline nodes cmark gives none) the nearest enclosing block's.
    private static func position(of node: OpaquePointer, firstLine: Int) -> (Int, Int) {
        var current: OpaquePointer? = node
        while let n = current {
            let line = Int(cmark_node_get_start_line(n))
            if line > 0 { return (line + firstLine - 1, Int(cmark_node_get_start_column(n))) }
            current = cmark_node_parent(n)
        }
        return (firstLine, 1)
    }

    private static func joinsCJK(_ node: OpaquePointer) -> Bool {
        guard let before = cmark_node_previous(node), let after = cmark_node_next(node),
              cmark_node_get_type(before) == CMARK_NODE_TEXT, cmark_node_get_type(after) == CMARK_NODE_TEXT,
              let last = literal(before).unicodeScalars.last, let first = literal(after).unicodeScalars.first else { return false }
        return (TextMetrics.isCJK(last) || isCJKPunctuation(last)) && (TextMetrics.isCJK(first) || isCJKPunctuation(first))
    }

    private static func isCJKPunctuation(_ s: Unicode.Scalar) -> Bool {
        (0x3000...0x303F).contains(s.value) || (0xFF00...0xFFEF).contains(s.value)
    }

    /// Replaces `<hN>` with a custom block that writes `<hN id="…">…</hN>`. The heading's inline content
    /// is moved into a scratch document and rendered with the same (safe) options first.
    private static func replaceWithIdentifiedHeading(_ heading: OpaquePointer, level: Int, id: String, options: Int32, mem: UnsafeMutablePointer<cmark_mem>) {
        guard let scratch = cmark_node_new_with_mem(CMARK_NODE_DOCUMENT, mem) else { return }
        guard let paragraph = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, mem) else { return }
        cmark_node_append_child(scratch, paragraph)
        while let child = cmark_node_first_child(heading) {
            cmark_node_unlink(child)
            cmark_node_append_child(paragraph, child)
        }
        var inner = takeString(cmark_render_html(scratch, options))
        if inner.hasPrefix("<p>") { inner.removeFirst(3) }
        if inner.hasSuffix("</p>\n") { inner.removeLast(5) }
        guard let block = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mem) else { return }
        cmark_node_set_on_enter(block, "<h\(level) id=\"\(HTML.escape(id))\">\(inner)</h\(level)>")
        cmark_node_set_on_exit(block, "")
        cmark_node_replace(heading, block)
    }

    private static func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        String(decoding: takeBytes(pointer), as: UTF8.self)
    }

    /// cmark's HTML with ` id="…"` written into the opening tag of each heading, in order; nil when
    /// the tags found are fewer than the headings. (The HTML is the arena's: not freed here.)
    private static func takeBytes(_ pointer: UnsafeMutablePointer<CChar>?, identifying headings: [TOCEntry]) -> [UInt8]? {
        guard !headings.isEmpty else { return takeBytes(pointer) }
        guard let pointer else { return nil }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)).bindMemory(to: UInt8.self)
        guard let base = bytes.baseAddress else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + headings.count * 16)
        var from = 0, at = 0
        for heading in headings {
            // The next `<hN>`, N the heading's level.
            while true {
                guard at < bytes.count, let found = memchr(base + at, 0x3C, bytes.count - at) else { return nil }
                let i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                at = i + 1
                if i + 3 < bytes.count && bytes[i + 1] == 0x68 && bytes[i + 2] == 0x30 + UInt8(heading.level) && bytes[i + 3] == 0x3E { break }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<(at + 2)]))
            out.append(contentsOf: #" id=""#.utf8)
            HTMLEscape.append(heading.id, to: &out)
            out.append(0x22)
            from = at + 2
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from...]))
        return out
    }

    /// cmark's HTML, copied out of the arena.
    private static func takeBytes(_ pointer: UnsafeMutablePointer<CChar>?) -> [UInt8] {
        guard let pointer else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
    }
}

/// Escaping for text and attribute values we write ourselves (templates escape through mustache).
public enum HTML {
    /// The templates' escaping (`HTMLEscape`), for the few strings written outside templates.
    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        HTMLEscape.append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
