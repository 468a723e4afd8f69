import Testing
@testable import StudyPortal

@Suite(.temporaryFiles) struct TemplateTests {
    func render(_ text: String, _ context: View, partials: [String: String] = [:]) throws -> String {
        var library = TemplateLibrary()
        library.register(try Template(text), named: "main")
        for (name, t) in partials { library.register(try Template(t), named: name) }
        return String(decoding: library.render("main", context), as: UTF8.self)
    }

    @Test func variablesAreEscapedUnlessTripleOrAmpersand() throws {
        let c: View = ["x": "<a href=\"x\">'&'</a>"]
        #expect(try render("{{x}}", c) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(try render("{{{x}}}|{{&x}}", c) == "<a href=\"x\">'&'</a>|<a href=\"x\">'&'</a>")
        #expect(try render("{{missing}}|{{n}}|{{b}}", ["n": 42, "b": true]) == "|42|true")
    }

    @Test func sectionsListsObjectsAndInverted() throws {
        let c: View = ["items": [["n": "a"], ["n": "b"]] as [View], "o": ["k": "v"] as View, "none": [View](), "s": "", "t": "yes"]
        #expect(try render("{{#items}}[{{n}}]{{/items}}", c) == "[a][b]")
        #expect(try render("{{#o}}{{k}}{{/o}}{{#o.k}}!{{/o.k}}", c) == "v!")
        #expect(try render("{{^none}}none{{/none}}{{^s}}empty{{/s}}{{#t}}{{.}}{{/t}}", c) == "noneemptyyes")
        #expect(try render("{{^empty(items)}}has{{/empty(items)}}{{#empty(none)}}no{{/empty(none)}}{{#empty(missing)}}gone{{/empty(missing)}}", c) == "hasnogone")
    }

    @Test func namesResolveUpTheStack() throws {
        let c: View = ["title": "外", "items": [["name": "甲"]] as [View]]
        #expect(try render("{{#items}}{{name}}@{{title}}{{/items}}", c) == "甲@外")
    }

    /// Dotted names are written in place (`writePath`), not looked up and copied: the Mustache rules
    /// must hold all the same. The first name is searched up the stack; where it is found, the rest
    /// must be found below it, or nothing is written (no falling back to outer levels).
    @Test func dottedNamesFollowTheFirstNameFound() throws {
        let c: View = ["o": ["k": "outer", "deep": ["x": "<x>"] as View] as View,
                       "items": [["o": ["j": "inner"] as View]] as [View],
                       "d": DayView(day: Day(year: 2026, month: 3, day: 5)!, language: .zhCN)]
        #expect(try render("{{o.k}}|{{o.deep.x}}|{{{o.deep.x}}}|{{o.missing}}|{{missing.k}}", c) == "outer|&lt;x&gt;|<x>||")
        #expect(try render("{{#items}}{{o.j}}/{{o.k}}/{{o.deep.x}}{{/items}}", c) == "inner//")
        #expect(try render("{{d.iso}} {{d.text}} {{d.none}}", c) == "2026-03-05 2026年3月5日 ")
    }

    /// A member page's plan item: its own due date and state, the rest from the shared link; a missing
    /// due date is looked up further out, as a missing key of any view is.
    @Test func memberItemsReadTheirLinkAndFallThroughLikeAView() throws {
        let item = MemberItemView(link: SharedView(["title": "甲", "url": "/a/"]), due: nil, state: Pill(key: "done", label: "完成"), stateIndex: 0)
        let c: View = ["due": "外", "items": [item]]
        #expect(try render("{{#items}}{{title}}|{{url}}|{{due}}|{{#state}}{{key}} {{label}}{{/state}}{{/items}}", c) == "甲|/a/|外|done 完成")
    }

    /// Sections over a shared value keep their text for the next page (`renderSection`), but only
    /// text the value alone decides: a body that read a name further out, found one nowhere, or
    /// wrote an inherited block is rendered again every time.
    @Test func sharedValuesKeepOnlyTextTheyAloneDecide() throws {
        var library = TemplateLibrary()
        let templates = [
            "list": "{{#items}}[{{>item}}]{{/items}}", "item": "{{name}}{{#tag}}·{{tag}}{{/tag}}",
            "outer": "{{#items}}{{name}}@{{page}}{{/items}}", "missing": "{{#items}}{{name}}{{absent}}{{/items}}",
            "frame": "{{#items}}{{$b}}{{name}}{{/b}}{{/items}}", "framed": "{{<frame}}{{$b}}外{{/b}}{{/frame}}",
        ]
        for (name, text) in templates { library.register(try Template(text), named: name) }
        let items = [SharedView(["name": "甲", "tag": "一"]), SharedView(["name": "乙"])]
        func page(_ template: String, _ extra: [String: any TemplateValue] = [:]) -> String {
            var c: View = ["items": items]
            for (k, v) in extra { c[k] = v }
            return String(decoding: library.render(template, c), as: UTF8.self)
        }
        #expect(page("list") == "[甲·一][乙]")
        #expect(items.map { $0.cache.count } == [1, 0])   // 乙's `tag` was looked for further out
        #expect(page("list") == "[甲·一][乙]")
        #expect(page("list", ["tag": "外"]) == "[甲·一][乙·外]")
        #expect(page("outer", ["page": "一"]) == "甲@一乙@一")
        #expect(page("outer", ["page": "二"]) == "甲@二乙@二")
        #expect(page("missing") == "甲乙")
        #expect(page("missing", ["absent": "!"]) == "甲!乙!")
        #expect(page("framed") == "外外")
        #expect(page("frame") == "甲乙")
        #expect(page("framed") == "外外")
        #expect(items.map { $0.cache.count } == [1, 0])

        // A member's plan item is kept per state and due date: the same link, three texts.
        let link = SharedView(["title": "学"])
        let (done, overdue) = (Pill(key: "done", label: "完成"), Pill(key: "overdue", label: "逾期"))
        let day = DayView(day: Day(year: 2026, month: 3, day: 5)!, language: .zhCN)
        let states = [MemberItemView(link: link, due: day, state: done, stateIndex: 0), MemberItemView(link: link, due: day, state: overdue, stateIndex: 1),
                      MemberItemView(link: link, due: DayView(day: Day(year: 2026, month: 4, day: 1)!, language: .zhCN), state: done, stateIndex: 0)]
        library.register(try Template("{{#items}}{{title}} {{#due}}{{iso}}{{/due}} {{#state}}{{label}}{{/state}};{{/items}}"), named: "plan")
        for _ in 0..<2 {
            #expect(String(decoding: library.render("plan", ["items": states + states]), as: UTF8.self)
                    == String(repeating: "学 2026-03-05 完成;学 2026-03-05 逾期;学 2026-04-01 完成;", count: 2))
        }
        #expect(link.cache.count == 3)

        // The navigation is kept whole, once per page it marks current.
        let nav = NavItems([NavItem(title: "首页", url: "/", exact: ""), NavItem(title: "资料", url: "/materials/", prefixes: ["materials/"])])
        library.register(try Template("{{#nav}}<a href=\"{{url}}\"{{#current}} aria-current=\"page\"{{/current}}>{{title}}</a>{{/nav}}"), named: "nav")
        for _ in 0..<2 {
            for (current, expected) in [("", "<a href=\"/\" aria-current=\"page\">首页</a><a href=\"/materials/\">资料</a>"),
                                        ("materials/a/", "<a href=\"/\">首页</a><a href=\"/materials/\" aria-current=\"page\">资料</a>"),
                                        ("plans/", "<a href=\"/\">首页</a><a href=\"/materials/\">资料</a>")] {
                #expect(String(decoding: library.render("nav", ["nav": NavList(nav, current: current)]), as: UTF8.self) == expected)
            }
        }
        #expect(nav.cache.count == 3)
        // Addresses compare as bytes: a slug that starts with a combining mark is still under
        // `materials/` (as characters, `/` and the mark are one, and the prefix did not match).
        #expect(NavItem(title: "", url: "", prefixes: ["materials/"]).isCurrent("materials/\u{301}a/"))
        #expect(!NavItem(title: "", url: "", prefixes: ["materials/"]).isCurrent("materialsa/"))

        // Kept at the top, a section whose partial would pass the depth limit further down is
        // rendered again there (and its partial left out, as a fresh render does).
        var deep = TemplateLibrary()
        deep.register(try Template("{{#items}}[{{name}}{{>leaf}}]{{/items}}"), named: "list")
        deep.register(try Template("!"), named: "leaf")
        let chain = TemplateLibrary.maxDepth - 1
        for k in 0..<chain { deep.register(try Template("{{>c\(k + 1)}}"), named: "c\(k)") }
        deep.register(try Template("{{>list}}"), named: "c\(chain)")
        let sharedItems = [SharedView(["name": "甲"])]
        #expect(String(decoding: deep.render("list", ["items": sharedItems]), as: UTF8.self) == "[甲!]")
        let fresh = String(decoding: deep.render("c0", ["items": [["name": "甲"] as View]]), as: UTF8.self)
        #expect(fresh == "[甲]")
        #expect(String(decoding: deep.render("c0", ["items": sharedItems]), as: UTF8.self) == fresh)
        #expect(String(decoding: deep.render("list", ["items": sharedItems]), as: UTF8.self) == "[甲!]")
    }

    @Test func partialsAndInheritance() throws {
        let layout = "<title>{{$title}}默认{{/title}}</title>\n<main>\n{{$main}}{{/main}}\n</main>\n{{>foot}}"
        let page = "{{<layout}}\n{{$title}}{{t}}{{/title}}\n{{$main}}正文{{/main}}\n{{/layout}}\n"
        #expect(try render(page, ["t": "标题"], partials: ["layout": layout, "foot": "<footer>{{t}}</footer>"])
                == "<title>标题</title>\n<main>\n正文\n</main>\n<footer>标题</footer>")
        #expect(try render("{{<layout}}{{/layout}}", [:], partials: ["layout": layout, "foot": ""]) == "<title>默认</title>\n<main>\n\n</main>\n")
    }

    @Test func standaloneTagsTakeTheirLine() throws {
        let text = "<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n"
        #expect(try render(text, ["items": ["a", "b"]]) == "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n")
        #expect(try render("a {{#x}}b{{/x}} c\n", ["x": true]) == "a b c\n")
        #expect(try render("{{! a comment }}\nx", [:]) == "x")
    }

    /// The shared values written into the templates (`folding`) render exactly as they are looked up:
    /// escaped or raw, in sections, partials, inherited blocks and their defaults, missing members
    /// as nothing; other names, sections over the shared names and `empty(…)` are left to the pages.
    @Test func foldedSharedValuesRenderAsLookedUp() throws {
        let shared: View = ["t": SharedView(["a": "<甲>", "b": "乙"]), "site": ["css": "/a&b.css"] as View]
        var page = shared
        page["items"] = [["n": "一"], ["n": "二"]] as [View]
        page["title"] = "页"
        var library = TemplateLibrary()
        let templates = [
            "main": "{{<layout}}{{$body}}{{#items}}{{n}}{{t.a}}{{/items}}{{/body}}{{/layout}}",
            "layout": "<link href=\"{{site.css}}\">{{{site.css}}}{{$body}}{{t.b}}{{/body}}{{>foot}}",
            "foot": "{{t.missing}}|{{missing.a}}|{{#t.b}}{{.}}{{/t.b}}|{{^empty(t.a)}}有{{/empty(t.a)}}|{{title}}{{&t.a}}",
        ]
        for (name, text) in templates { library.register(try Template(text), named: name) }
        let folded = library.folding(["t", "site"], over: shared)
        let expected = "<link href=\"/a&amp;b.css\">/a&b.css一&lt;甲&gt;二&lt;甲&gt;||乙|有|页<甲>"
        #expect(String(decoding: library.render("main", page), as: UTF8.self) == expected)
        #expect(String(decoding: folded.render("main", page), as: UTF8.self) == expected)
        // Variables written in, sections still looked up: a page without the shared views shows the
        // variables and not the sections.
        var bare = page
        bare["t"] = nil
        bare["site"] = nil
        #expect(String(decoding: folded.render("main", bare), as: UTF8.self) == "<link href=\"/a&amp;b.css\">/a&b.css一&lt;甲&gt;二&lt;甲&gt;||||页<甲>")
    }

    @Test func recursionIsBounded() throws {
        #expect(try render("{{>main}}x", [:]).count == TemplateLibrary.maxDepth + 1)
    }

    @Test(arguments: [
        ("a\n  {{#x}}b", 2, 3, "is never closed"),
        ("{{#x}}{{/y}}", 1, 7, "does not match"),
        ("x {{name", 1, 3, "not closed"),
        ("{{/x}}", 1, 1, "closes nothing"),
        ("{{<p}}text{{/p}}", 1, 1, "only {{$block}}"),
        ("学习{{#first(x)}}{{/first(x)}}", 1, 3, "unknown transform"),
    ])
    func parseErrorsHaveLineAndColumn(text: String, line: Int, column: Int, message: String) {
        do {
            _ = try Template(text)
            Issue.record("expected a parse error")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    /// Tag names are trimmed of tabs and space separators exactly as Foundation's `.whitespaces`
    /// trims them (line breaks and other characters stay), for random mixes of both.
    @Test func tagNamesTrimAsFoundationTrimsWhitespace() throws {
        let pieces = ["\t", " ", "\u{3000}", "\u{A0}", "\u{2009}", "\n", "\r", "\u{200B}", "\u{FEFF}", "a", "学", ".", "é", "\u{301}"]
        // Every scalar alone, then random mixes.
        for v in 0..<0x3_0000 {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let text = "a" + String(scalar)
            if TemplateParser.trimmingSpaces(text[...]) != text.trimmingCharacters(in: .whitespaces) { Issue.record("U+\(String(v, radix: 16))") }
        }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
            #expect(TemplateParser.trimmingSpaces(text[...]) == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
        }
        #expect(throws: Template.ParseError.self) { try Template("{{ \u{3000} }}") }
        #expect(try render("{{\u{3000}x\t}}", ["x": "好"]) == "好")
    }
}
