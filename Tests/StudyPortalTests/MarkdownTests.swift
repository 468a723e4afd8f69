import CMark
import CSupport
import Foundation
import Testing
@testable import StudyPortal

@Suite(.temporaryFiles) struct MarkdownTests {
    func render(_ text: String, unsafe: Bool = false, links: (String) -> LinkTarget = { _ in .keep }) -> RenderedMarkdown {
        Markdown.render(text, unsafeHTML: unsafe, resolveLink: links)
    }

    /// cmark writes U+FFFE and U+FFFF as the bytes FE and FF, which are not UTF-8: the page, the plain
    /// text search reads and the counts get U+FFFD for each, as a string made of those bytes would,
    /// and the characters after them stay (a decoder reading FF as a four-byte lead swallowed them).
    @Test func noncharacterReferencesBecomeReplacementCharacters() {
        let r = Markdown.render("学&#xFFFF;习 &#65534;\n\n第二段&#x4E2D;", unsafeHTML: false) { _ in .keep }
        #expect(String(validating: r.plainText, as: UTF8.self) == "学\u{FFFD}习 \u{FFFD}\n第二段中")
        #expect(String(validating: r.html.bytes, as: UTF8.self) == "<p>学\u{FFFD}习 \u{FFFD}</p>\n<p>第二段中</p>\n")
        #expect(r.metrics.cjkCharacters == 6)
        var keys: [Tokenizer.Term] = []
        struct Collect: Tokenizer.KeySink {
            var terms: [Tokenizer.Term] = []
            mutating func cjk(_ packed: UInt64) { terms.append(Tokenizer.Key.cjk(packed).term) }
            mutating func word(_ utf8: UnsafeBufferPointer<UInt8>) { terms.append(.word(String(decoding: utf8, as: UTF8.self))) }
        }
        var sink = Collect()
        r.plainText.withUnsafeBufferPointer { Tokenizer.forEachKey(utf8: $0, into: &sink) }
        Tokenizer.forEachTerm(String(decoding: r.plainText, as: UTF8.self)) { keys.append($0) }
        #expect(sink.terms == keys)
        #expect(keys.contains(.cjk("习")))
        // Bytes that are not UTF-8 at the end of a buffer read as U+FFFD, never past it.
        for tail: [UInt8] in [[0xFF], [0xE5, 0xAD], [0xF0, 0x9F, 0x98], [0xC3]] {
            let bytes: [UInt8] = Array("学".utf8) + tail
            var scalars: [UInt32] = []
            bytes.withUnsafeBufferPointer { b in
                var i = 0
                while i < b.count { scalars.append(UTF8Scalars.next(b, &i)) }
            }
            #expect(scalars.first == 0x5B66 && scalars.dropFirst().allSatisfy { $0 == 0xFFFD }, "\(tail)")
        }
    }

    @Test func headingIDsFollowGitHub() {
        #expect(HeadingID.slug("二、存在的问题") == "二存在的问题")
        #expect(HeadingID.slug("3. PDCA 循环") == "3-pdca-循环")
        #expect(HeadingID.slug("一、什么是“终身学习”") == "一什么是终身学习")
        #expect(HeadingID.slug("Hello, World! snake_case") == "hello-world-snake_case")
        #expect(HeadingID.slug("问题：如何（做）？") == "问题如何做")
        #expect(HeadingID.slug("Ünïcode 〇 Ελλάδα") == HeadingID.generalSlug("Ünïcode 〇 Ελλάδα"))
    }

    /// The byte-by-byte slug of common headings is the general rule's, for every scalar it takes, alone
    /// and between others, and it leaves every other text to the general rule.
    @Test func commonSlugsFollowTheGeneralRule() {
        var scalars = Array(0x00...0x7F) + Array(0x3400...0x4DBF) + Array(0x4E00...0x9FFF)
        scalars += HeadingID.commonPunctuation.map { Int($0) }
        for v in scalars {
            guard let s = Unicode.Scalar(UInt32(v)) else { continue }
            for text in [String(s), "A" + String(s) + "b", "学" + String(s) + " 9"] {
                #expect(HeadingID.commonSlug(text) == HeadingID.generalSlug(text), "U+\(String(v, radix: 16))")
            }
        }
        for other in ["É", "〇", "ａ", "Ελλάδα", "e\u{301}", "👍", "\u{3000}", "＿"] {
            #expect(HeadingID.commonSlug(other) == nil, "\(other)")
            #expect(HeadingID.slug(other) == HeadingID.generalSlug(other))
        }
    }

    @Test func headingsGetIDsInSafeModeWithDuplicatesNumbered() {
        let out = render("## 二、存在的问题\n\n## 小结\n\n## 小结\n\n### *强调* 与 `代码`\n")
        #expect(out.html.text.contains("<h2 id=\"二存在的问题\">二、存在的问题</h2>"))
        #expect(out.html.text.contains("<h2 id=\"小结\">小结</h2>"))
        #expect(out.html.text.contains("<h2 id=\"小结-1\">小结</h2>"))
        #expect(out.html.text.contains("<h3 id=\"强调-与-代码\"><em>强调</em> 与 <code>代码</code></h3>"))
        #expect(out.headings.map(\.id) == ["二存在的问题", "小结", "小结-1", "强调-与-代码"])
    }

    /// Ids are written into cmark's heading tags unless raw HTML is kept, where each heading is
    /// rendered on its own instead: both ways give the same HTML. A raw HTML block at the end (kept
    /// in unsafe mode, and written last) makes a document take the second way.
    @Test func headingIDsWrittenInPlaceMatchHeadingsRenderedApart() {
        let pieces = ["# 标题", "## 小结", "### *强调* 与 `代码`", "###### 六", "#######", "##", "## 一 ##", "标题\n===", "二\n---",
                      "正文", "- 项\n  ## 列表里", "> ## 引用里", "    ## 代码块", "```\n<h2>\n```", "`<h2>`", "&lt;h2&gt;", "***",
                      "[链接](/a \"<h2>\")", "![图](x.png)", "a &amp; b", "终身\n学习", "\\<h2>", "* * *", ""]
        var random = SystemRandomNumberGenerator()
        var withHeadings = 0
        for _ in 0..<400 {
            let text = (0..<Int.random(in: 1...8, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined(separator: "\n\n")
            let inPlace = render(text)
            let apart = render(text + "\n\n<div>x</div>\n", unsafe: true)
            #expect(apart.html.text == inPlace.html.text + "<div>x</div>\n", "\(text.debugDescription)")
            #expect(apart.headings.map(\.id) == inPlace.headings.map(\.id))
            if !inPlace.headings.isEmpty { withHeadings += 1 }
        }
        #expect(withHeadings > 200)
    }

    @Test func safeModeDropsRawHTMLAndScriptLinks() {
        let out = render("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n## <b>标题</b>\n")
        #expect(!out.html.text.contains("<script"))
        #expect(!out.html.text.contains("javascript:"))
        #expect(!out.html.text.contains("onerror"))
        #expect(!out.html.text.contains("<b>"))
    }

    @Test func unsafeModeKeepsRawHTML() {
        let out = render("<div class=\"note\">注</div>\n", unsafe: true)
        #expect(out.html.text.contains("<div class=\"note\">注</div>"))
    }

    @Test func longChineseProseKeepsEveryCharacterAndReadingTimeCountsCJK() {
        let sentence = "建设学习型党组织，要坚持把学习作为一种政治责任、一种精神追求、一种思想境界。"
        let paragraph = String(repeating: sentence, count: 20)
        let text = Array(repeating: paragraph, count: 10).joined(separator: "\n\n") + "\n\nLifelong learning is a habit we keep every single day.\n"
        let out = render(text)
        let cjk = sentence.unicodeScalars.filter(TextMetrics.isCJK).count * 200
        #expect(out.metrics.cjkCharacters == cjk)
        #expect(out.metrics.words == 10)
        let expected = Double(cjk) / 300 + 10.0 / 200
        #expect(abs(Double(out.metrics.readingMinutes) - expected) <= expected * 0.2)
        // Every character of the prose survives rendering.
        #expect(out.html.text.components(separatedBy: sentence).count - 1 == 200)
    }

    @Test func softBreakBetweenChineseCharactersIsNotASpace() {
        let out = render("学习型\n组织\nand\nmore\n")
        #expect(out.html.text.contains("学习型组织"))
        #expect(out.html.text.contains("and\nmore"))
    }

    @Test func anchorsOnThePageAreChecked() {
        let out = render("## 一、背景\n\n[上文](#一背景) [没有](#不存在)\n")
        #expect(out.brokenLinks.count == 1)
        #expect(out.brokenLinks.first?.message.contains("不存在") == true)
        #expect(out.brokenLinks.first?.line == 3)
    }

    @Test func linksAreRewrittenByTheResolver() {
        let out = render("[a](other.md#节) ![图](img/a.png)", links: { url in
            url == "other.md#节" ? .rewriteCheckingAnchor("/materials/other/#节", pageKey: "material:other", anchor: "节") : .rewrite("/materials/img/a.png")
        })
        #expect(out.html.text.contains("href=\"/materials/other/#%E8%8A%82\""))
        #expect(out.html.text.contains("src=\"/materials/img/a.png\""))
        #expect(out.pendingAnchors == [PendingAnchor(pageKey: "material:other", anchor: "节", line: 1, column: 1)])
    }

    @Test func deepNestingDoesNotOverflowTheStack() {
        let deep = String(repeating: ">", count: 20_000) + " 深\n\n" + String(repeating: "[", count: 20_000) + "\n\n" + String(repeating: "- ", count: 5_000) + "x\n"
        let out = render(deep)
        #expect(out.html.text.contains("深"))
    }

    @Test func firstParagraphIsTheSummarySource() {
        let out = render("## 标题\n\n第一段**文字**。\n\n第二段。\n")
        #expect(out.firstParagraph == "第一段文字。")
    }

    @Test func truncationCutsOnCharacters() {
        let s = String(repeating: "学", count: 130)
        #expect(s.truncatedOnCharacters(120) == String(repeating: "学", count: 120) + "…")
        #expect("短".truncatedOnCharacters(120) == "短")
        #expect("👨‍👩‍👧学".truncatedOnCharacters(1) == "👨‍👩‍👧…")
    }

    @Test func metricsCountWordsAndCJKSeparately() {
        var m = TextMetrics()
        m.add("学习 PDCA 循环 don't stop, 2026年")
        #expect(m.cjkCharacters == 5)
        #expect(m.words == 4)
    }

    @Test func chinesePunctuationSeparatesWordsAndLetterLikeSymbolsCount() {
        // ，。「」—… and full-width ！ end a word; 〇 and 々 (CJK symbols that are letters) and full-width
        // digits are words; the typographic apostrophe keeps a word whole.
        var m = TextMetrics()
        m.add("abc，def。「ghi」jk—lm…no！pq don’t 〇 々 ２０２６")
        #expect(m.words == 11)
        #expect(m.cjkCharacters == 0)
    }

    /// Counting from bytes gives what reading the string's scalars one by one (SPEC §6's rules) gives.
    @Test func metricsFromBytesMatchTheScalarReading() {
        func reference(_ text: String) -> (Int, Int) {
            var cjk = 0, words = 0, inWord = false
            for s in text.unicodeScalars {
                if TextMetrics.isCJK(s) { cjk += 1; inWord = false }
                else if s == "’" || (s.isASCII && (s == "'" || s == "-") && inWord) { continue }
                else if TextMetrics.isPunctuation(s.value) { inWord = false }
                else if s.properties.isAlphabetic || s.properties.numericType != nil { if !inWord { words += 1; inWord = true } }
                else { inWord = false }
            }
            return (cjk, words)
        }
        let pieces = ["学", "習", "𠀀", " ", "Ａ", "b", "9", "é", "ß", "，", "。", "\n", "-", "'", "’", "한", "か", "👍🏽", "〇", "２", "x", "—",
                      "\u{4DBF}", "\u{4DC0}", "\u{4DFF}", "\u{4E00}", "\u{9FFF}", "\u{A000}"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
            var m = TextMetrics()
            m.add(text)
            let (cjk, words) = reference(text)
            #expect(m.cjkCharacters == cjk && m.words == words, "\(text.debugDescription)")
            // The search index's tokenizer counts the same in the pass that finds the terms.
            struct Measure: Tokenizer.KeySink {
                var metrics = TextMetrics()
                mutating func cjk(_ packed: UInt64) {}
                mutating func word(_ utf8: UnsafeBufferPointer<UInt8>) {}
                mutating func measured(_ tally: TextMetrics.Tally) { metrics += tally }
            }
            var sink = Measure()
            Tokenizer.forEachKey(text, into: &sink)
            #expect(sink.metrics == m, "\(text.debugDescription)")
        }
    }

    /// Counts are of the text as it reads, markup gone: a word split by emphasis is one word, a code
    /// span and a code block count, the lines of a paragraph are apart.
    @Test func metricsCountThePlainText() {
        let r = render("```\nlet z\n```\n\n**un**done and `x`y\n\n学\n习 a\nb")
        #expect(r.metrics.words == 7, "\(String(decoding: r.plainText, as: UTF8.self).debugDescription)")   // undone, and, xy, let, z, a, b
        #expect(r.metrics.cjkCharacters == 2)
        var m = TextMetrics()
        r.plainText.withUnsafeBufferPointer { m.add(utf8: $0) }
        #expect(r.metrics == m)
        let unmeasured = Markdown.render("学习 words", unsafeHTML: false, measuring: false) { _ in .keep }
        #expect(unmeasured.metrics == TextMetrics() && !unmeasured.plainText.isEmpty)
        // A code block after a paragraph starts a line: its first word is not run into the last one.
        let code = render("段落 end\n\n```\nlet z\n```\n")
        #expect(String(decoding: code.plainText, as: UTF8.self) == "段落 end\nlet z\n")
        #expect(code.metrics.words == 3)
        // Inline HTML and an image set the text around them apart (as the page shows it), but for
        // Chinese on both sides of inline HTML, which stays one run as across a line break.
        #expect(render("Line one<br>Line two").metrics.words == 4)
        #expect(render("See![diagram](d.png)Figure 1").metrics.words == 4)
        #expect(String(decoding: render("学<br>习").plainText, as: UTF8.self) == "学习")
        #expect(String(decoding: render("![图](d.png)\n\n下一段").plainText, as: UTF8.self) == "图\n下一段")
    }

    /// cmark through a thread's arena (`studyportal_cmark_arena`) gives the HTML cmark's own allocator
    /// gives, for documents small and large: a large one grows the arena past its first block, and
    /// its buffers are reallocated in place and out of place. Renders on both a test thread and
    /// another thread, resetting between documents as the build does.
    @Test func cmarkThroughTheArenaRendersAsWithItsOwnAllocator() async {
        let pieces = ["# 标题\n", "正文**加粗**与*斜体*", "\n\n", "- 列表项\n", "`code`", "[链接](http://x.cn/路径)", "> 引用\n", "```\n代码\n```\n",
                      "&#xFFFF;", "<b>x</b>", "1. 一\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "    缩进\n", String(repeating: "长", count: 5000), "\\", "<!-- c -->"]
        @Sendable func check(_ seed: UInt64) -> [String] {
            var random = ProgressPropertyTests.Random(state: seed)   // seeded: a failing document can be made again
            var failures: [String] = []
            for round in 0..<150 {
                let count = Int.random(in: 0...(round % 10 == 0 ? 2000 : 40), using: &random)
                let text = (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
                for options in [CMARK_OPT_DEFAULT, CMARK_OPT_UNSAFE] {
                    let expected: String = text.withCString { source in
                        guard let html = cmark_markdown_to_html(source, strlen(source), options) else { return "" }
                        defer { free(html) }
                        return String(cString: html)
                    }
                    let mem = studyportal_cmark_arena().assumingMemoryBound(to: cmark_mem.self)
                    let got: String = text.withCString { source in
                        guard let parser = cmark_parser_new_with_mem(options, mem) else { return "no parser" }
                        cmark_parser_feed(parser, source, strlen(source))
                        guard let document = cmark_parser_finish(parser), let html = cmark_render_html(document, options) else { return "no document" }
                        return String(cString: html)
                    }
                    studyportal_cmark_arena_reset()
                    if got != expected { failures.append("seed \(seed) round \(round): \(text.prefix(80))") }
                }
            }
            return failures
        }
        async let other = Task.detached { check(2) }.value
        #expect(check(1).isEmpty)
        #expect(await other.isEmpty)
    }
}
