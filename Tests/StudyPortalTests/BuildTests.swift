import Foundation
import Testing
@testable import StudyPortal

@Suite(.temporaryFiles) struct BuildTests {
    @Test func sampleSiteBuildsWithAPageForEveryMaterialAndNoBrokenLinks() async throws {
        let (report, out) = await runBuild(repoRoot) { $0.strict = true }
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        #expect(FileManager.default.fileExists(atPath: out + "/index.html"))
        let materials = try FileManager.default.contentsOfDirectory(atPath: repoRoot + "/content/materials").filter { $0.hasSuffix(".md") }
        #expect(materials.count >= 12)
        for name in materials {
            let text = read(repoRoot + "/content/materials/" + name)
            let isDraft = text.contains("\ndraft: true")
            let slug = String(name.dropLast(3))
            #expect(FileManager.default.fileExists(atPath: out + "/materials/\(slug)/index.html") != isDraft, "\(slug)")
        }
        #expect(brokenLinks(in: out, basePath: "/") == [])
        for path in ["404.html", "feed.xml", "sitemap.xml", "categories/index.html", "tags/index.html", "about/index.html", "assets/style.css"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + path), "\(path)")
        }
        // Data folders never reach the output.
        #expect(!FileManager.default.fileExists(atPath: out + "/people"))
        #expect(!FileManager.default.fileExists(atPath: out + "/records"))
    }

    /// Two outputs for one path: an error at the second, naming what wrote the first (files of
    /// other paths in between, and a third writer reported too).
    @Test func twoFilesForOnePathAreAnErrorNamingTheFirst() {
        let files = [OutputFile(path: "a/index.html", content: .written, origin: "templates/page.html"),
                     OutputFile(path: "sitemap.xml", content: .written, origin: "sitemap"),
                     OutputFile(path: "a/index.html", content: .written, origin: "content/a/index.html"),
                     OutputFile(path: "a/index.html", content: .written, origin: "content/a.md")]
        let found = Renderer.collisions(files)
        #expect(found.map(\.message) == ["writes /a/index.html, which templates/page.html also writes; rename one of them",
                                         "writes /a/index.html, which templates/page.html also writes; rename one of them"])
        #expect(found.map(\.path) == ["content/a/index.html", "content/a.md"])
        #expect(Renderer.collisions(Array(files.prefix(2))).isEmpty)
    }

    @Test func everyLinkHonoursASubpathBaseURL() async throws {
        let (report, out) = await runBuild(repoRoot) { $0.baseURL = "/portal/" }
        #expect(!report.diagnostics.hasErrors, "\(report.diagnostics)")
        #expect(brokenLinks(in: out, basePath: "/portal/") == [])
        let home = read(out + "/index.html")
        #expect(home.contains("href=\"/portal/assets/style.css\""))
        #expect(!home.contains("href=\"/materials/"))
        #expect(read(out + "/sitemap.xml").contains("<loc>/portal/materials/"))
    }

    @Test func absoluteBaseURLMakesFeedURLsAbsolute() async throws {
        let (report, out) = await runBuild(repoRoot) { $0.baseURL = "https://example.org/portal/" }
        #expect(!report.diagnostics.hasErrors)
        let feed = read(out + "/feed.xml")
        #expect(feed.contains("<id>https://example.org/portal/</id>"))
        #expect(feed.contains("https://example.org/portal/materials/"))
        #expect(read(out + "/index.html").contains("href=\"/portal/materials/\""))
    }

    @Test func aSiteWithOnlyMaterialsBuilds() async throws {
        let (report, out) = await runBuild(fixtures + "/materials-only") { $0.strict = true }
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        let a = read(out + "/materials/a/index.html")
        #expect(a.contains("href=\"/materials/b/#%E4%BA%8C%E8%A6%81%E7%82%B9\""))
        #expect(brokenLinks(in: out, basePath: "/") == [])
    }

    @Test func yamlErrorNamesFileLineAndColumnAndLeavesOutputUntouched() async throws {
        let root = try makeSite([
            "content/materials/good.md": material("好"),
            "content/materials/bad.md": "---\ntitle: 坏\ntags: [a, b\ndate: 2026-01-01\n---\n正文\n",
        ])
        let out = root + "/output"
        try write("previous", to: out + "/index.html")
        try write("", to: out + "/404.html")
        try write("", to: out + "/sitemap.xml")
        let before = snapshot(out)
        let (report, _) = await runBuild(root, output: out)
        let errors = report.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.path == "content/materials/bad.md")
        #expect((errors.first?.line ?? 0) >= 3)
        #expect((errors.first?.column ?? 0) >= 1)
        #expect(snapshot(out) == before)
    }

    @Test func templateErrorNamesTemplateLineAndColumn() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲")])
        let out = root + "/output"
        let (good, _) = await runBuild(root, output: out)
        #expect(good.wrote)
        let before = snapshot(out)
        try write("{{<layout}}\n{{$main}}\n  {{#material}}{{title}}{{/materia}}\n{{/main}}\n{{/layout}}\n", to: root + "/templates/material.html")
        let (report, _) = await runBuild(root, output: out)
        let error = try #require(report.diagnostics.first { $0.severity == .error })
        #expect(error.path == "templates/material.html")
        #expect(error.line == 3)
        #expect(error.column > 1)
        #expect(snapshot(out) == before)
    }

    @Test func siteTemplatesOverrideTheBuiltInOnes() async throws {
        let root = try makeSite([
            "content/materials/a.md": material("甲"),
            "templates/partials/footer.html": "<footer>自定义页脚</footer>\n",
            "templates/assets/extra.css": "body{}",
        ])
        let (report, out) = await runBuild(root)
        #expect(!report.diagnostics.hasErrors)
        #expect(read(out + "/index.html").contains("<footer>自定义页脚</footer>"))
        #expect(FileManager.default.fileExists(atPath: out + "/assets/extra.css"))
        #expect(FileManager.default.fileExists(atPath: out + "/assets/style.css"))
    }

    @Test func allErrorsAreReportedInOneRun() async throws {
        let root = try makeSite([
            "content/materials/a.md": "---\ndate: 2026-01-01\n---\n",
            "content/materials/b.md": "---\ntitle: 乙\ndate: 2026-1-1\n---\n",
            "content/materials/sub/a.md": material("重复"),
            "content/materials/c.md": material("丙", "[坏链接](nothing.md) [坏锚点](b.md#没有)"),
            "content/pages/empty.md": "",
        ])
        let (report, _) = await runBuild(root)
        let text = report.diagnostics.map(\.description).joined(separator: "\n")
        #expect(text.contains("content/materials/a.md:1:1: error: missing required field `title`"))
        #expect(text.contains("content/materials/b.md:3:7: error: `date` should be a date"))
        #expect(text.contains("content/pages/empty.md:1:1: error: the file is empty"))
        #expect(!report.wrote)
    }

    @Test func duplicateSlugsNameBothFiles() async throws {
        let root = try makeSite([
            "content/materials/a.md": material("甲"),
            "content/materials/sub/a.md": material("乙"),
        ])
        let (report, _) = await runBuild(root)
        let errors = report.diagnostics.filter { $0.severity == .error }.map(\.description)
        #expect(errors.contains { $0.hasPrefix("content/materials/a.md:1:1: error: duplicate material slug `a`: also used by content/materials/sub/a.md") })
        #expect(errors.contains { $0.hasPrefix("content/materials/sub/a.md:1:1: error: duplicate material slug `a`: also used by content/materials/a.md") })
    }

    @Test func brokenLinksAndAnchorsAreErrorsOrWarnings() async throws {
        let files = [
            "content/materials/b.md": material("乙", "## 一、有\n"),
            "content/materials/c.md": material("丙", "[坏链接](nothing.md)\n\n[坏锚点](b.md#没有)\n\n[站内](/materials/none/)\n\n[好](b.md#一有)\n"),
        ]
        let (strict, _) = await runBuild(try makeSite(files))
        let errors = strict.diagnostics.filter { $0.severity == .error }.map(\.description)
        #expect(errors.count == 3, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("content/materials/c.md:4:1: error: broken link `nothing.md`") })
        #expect(errors.contains { $0.hasPrefix("content/materials/c.md:6:1: error: broken anchor") })
        #expect(errors.contains { $0.hasPrefix("content/materials/c.md:8:1: error: broken link `/materials/none/`") })
        let (lenient, _) = await runBuild(try makeSite(files, config: "title: t\nlinks: warn\n"))
        #expect(!lenient.diagnostics.hasErrors)
        #expect(lenient.diagnostics.warningCount == 3)
    }

    /// A link to a ledger, an address known only once the figures are, is checked again then and
    /// its body rendered again, whole: the build lets each body go once it is rendered, but not one
    /// it may render again.
    @Test func aLinkToALedgerResolvesAndItsBodyIsKeptForTheSecondRender() async throws {
        let root = try makeSite([
            "content/materials/a.md": material("甲", "[我的台账](/ledgers/2026/members/u1/)\n\n第二段正文。\n", extra: "date: 2026-03-01\n"),
            "content/materials/b.md": material("乙", "乙的正文。\n", extra: "date: 2026-03-02\n"),
            "content/people/groups.csv": "id,name\ng1,一支部\n",
            "content/people/members.csv": "id,name,group,role\nu1,张三,g1,member\n",
            "content/records/r.csv": "date,member,material,hours,note\n2026-03-05,u1,a,1,读\n",
        ], config: "title: t\nprofile: internal\nas_of: 2026-06-30\n")
        let (report, out) = await runBuild(root)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        let a = read(out + "/materials/a/index.html")
        #expect(a.contains("<a href=\"/ledgers/2026/members/u1/\">我的台账</a>") && a.contains("<p>第二段正文。</p>"))
        #expect(read(out + "/materials/b/index.html").contains("<p>乙的正文。</p>"))
        #expect(!read(out + "/ledgers/2026/members/u1/index.html").isEmpty)
    }

    @Test func relativeLinksToFilesPointAtTheCopiedFile() async throws {
        let root = try makeSite([
            "content/materials/a.md": material("甲", "![图](img/p.png) [文件](../files/规定.pdf)"),
            "content/materials/img/p.png": "PNG",
            "content/files/规定.pdf": "PDF",
        ])
        let (report, out) = await runBuild(root) { $0.baseURL = "/portal/" }
        #expect(!report.diagnostics.hasErrors, "\(report.diagnostics)")
        let html = read(out + "/materials/a/index.html")
        #expect(html.contains("src=\"/portal/materials/img/p.png\""))
        #expect(html.contains("href=\"/portal/files/%E8%A7%84%E5%AE%9A.pdf\""))
        #expect(read(out + "/files/规定.pdf") == "PDF")
    }

    @Test func linksRelativeToThePageURLWorkAsInHugo() async throws {
        let root = try makeSite([
            "content/materials/a.md": material("甲", "[乙](../b/) [乙的节](../b/#一节) [无](../none/)"),
            "content/materials/b.md": material("乙", "## 一、节\n"),
        ])
        let (report, out) = await runBuild(root) { $0.baseURL = "/portal/" }
        #expect(report.diagnostics.map(\.description) == ["content/materials/a.md:4:28: error: broken link `../none/`: no file content/none, and no page at that address"])
        _ = out
        let (ok, out2) = await runBuild(try makeSite(["content/materials/a.md": material("甲", "[乙](../b/#一节)"), "content/materials/b.md": material("乙", "## 一、节\n")])) { $0.baseURL = "/portal/" }
        #expect(!ok.diagnostics.hasErrors)
        #expect(read(out2 + "/materials/a/index.html").contains("href=\"/portal/materials/b/#%E4%B8%80%E8%8A%82\""))
    }

    @Test func draftsGetNoPageUnlessAsked() async throws {
        let root = try makeSite(["content/materials/d.md": material("草稿", extra: "draft: true\n")])
        let (_, out) = await runBuild(root)
        #expect(!FileManager.default.fileExists(atPath: out + "/materials/d/index.html"))
        let (_, withDrafts) = await runBuild(root) { $0.drafts = true }
        #expect(FileManager.default.fileExists(atPath: withDrafts + "/materials/d/index.html"))
    }

    @Test func paginationSplitsTheMaterialsIndex() async throws {
        var files: [String: String] = [:]
        for i in 1...5 { files["content/materials/m\(i).md"] = material("资料\(i)", extra: "date: 2026-01-0\(i)\n") }
        let (report, out) = await runBuild(try makeSite(files, config: "title: t\npaginate: 2\n"))
        #expect(!report.diagnostics.hasErrors)
        #expect(FileManager.default.fileExists(atPath: out + "/materials/page/3/index.html"))
        #expect(!FileManager.default.fileExists(atPath: out + "/materials/page/4/index.html"))
        let first = read(out + "/materials/index.html")
        #expect(first.contains("资料5") && first.contains("资料4") && !first.contains("资料3"))
        #expect(brokenLinks(in: out, basePath: "/") == [])
    }

    @Test func englishInterface() async throws {
        let root = try makeSite(["content/materials/a.md": material("A", extra: "date: 2026-03-01\n")], config: "title: Study\nlanguage: en\n")
        let (_, out) = await runBuild(root)
        let html = read(out + "/materials/a/index.html")
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.contains("1 March 2026"))
        #expect(html.contains("min read"))
    }

    @Test func valuesFromFrontMatterAreEscaped() async throws {
        let root = try makeSite(["content/materials/x.md": material("<script>alert(1)</script>", extra: "tags: [\"<img src=x onerror=alert(1)>\"]\nsummary: \"\\\"><svg onload=alert(1)>\"\n")])
        let (report, out) = await runBuild(root)
        #expect(!report.diagnostics.hasErrors)
        for (path, data) in snapshot(out) where path.hasSuffix(".html") || path.hasSuffix(".xml") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("<script>alert"), "\(path)")
            #expect(!text.contains("<img src=x"), "\(path)")
            #expect(!text.contains("<svg onload"), "\(path)")
        }
    }
}

@Suite(.temporaryFiles) struct OutputTests {
    /// The manifest's page hash sees a change of any one byte, wherever it falls among the lanes
    /// and the tail, and a change of length alone.
    @Test func pageHashesSeeEveryByte() {
        var random = SystemRandomNumberGenerator()
        for length in [0, 1, 7, 8, 31, 32, 33, 64, 100, 257] {
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let original = bytes.withUnsafeBytes(OutputManifest.hash)
            for i in 0..<length {
                let saved = bytes[i]
                bytes[i] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                #expect(bytes.withUnsafeBytes(OutputManifest.hash) != original, "length \(length), byte \(i)")
                bytes[i] = saved
            }
            #expect(bytes.withUnsafeBytes(OutputManifest.hash) == original)
        }
        let zeros = [UInt8](repeating: 0, count: 40)
        #expect(zeros.withUnsafeBytes(OutputManifest.hash) != zeros.dropLast().withUnsafeBytes(OutputManifest.hash))
    }

    @Test func onlyPlainRelativePathsAreWritten() {
        for path in ["a", "a/b", "index.html", "materials/学习/index.html", "...", "a/.../b", ".a", "a.", "a/.b/c"] {
            #expect(OutputWriter.isContained(path), "\(path)")
        }
        for path in ["", "/a", "a//b", "a/", ".", "..", "./a", "../a", "a/./b", "a/../b", "a/..", "a/.", "a\u{1}b", "a\u{7F}", "a\nb"] {
            #expect(!OutputWriter.isContained(path), "\(path)")
        }
    }

    @Test func refusesOddOutputFolders() throws {
        let root = try makeSite([:])
        #expect(OutputWriter.problem(output: "/", siteRoot: root) != nil)
        #expect(OutputWriter.problem(output: root, siteRoot: root) != nil)
        #expect(OutputWriter.problem(output: root + "/..", siteRoot: root) != nil)
        #expect(OutputWriter.problem(output: root + "/content", siteRoot: root) != nil)
        #expect(OutputWriter.problem(output: root + "/content/x", siteRoot: root) != nil)
        #expect(OutputWriter.problem(output: root + "/output", siteRoot: root) == nil)
        try write("x", to: root + "/file")
        #expect(OutputWriter.problem(output: root + "/file", siteRoot: root)?.contains("not a folder") == true)
        try write("mine", to: root + "/docs/notes.txt")
        #expect(OutputWriter.problem(output: root + "/docs", siteRoot: root)?.contains("did not write") == true)
    }

    @Test func aGoodBuildReplacesTheOutputWholeAndKeepsGitkeep() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲")])
        let out = root + "/output"
        try write("", to: out + "/.gitkeep")
        let (first, _) = await runBuild(root, output: out)
        #expect(first.wrote)
        try write("stale", to: out + "/stale.html")
        try FileManager.default.removeItem(atPath: root + "/content/materials/a.md")
        try write(material("乙"), to: root + "/content/materials/b.md")
        let (second, _) = await runBuild(root, output: out)
        #expect(second.wrote)
        #expect(!FileManager.default.fileExists(atPath: out + "/stale.html"))
        #expect(!FileManager.default.fileExists(atPath: out + "/materials/a/index.html"))
        #expect(FileManager.default.fileExists(atPath: out + "/materials/b/index.html"))
        #expect(FileManager.default.fileExists(atPath: out + "/.gitkeep"))
        // Only the previous output is kept beside it (the base the next build writes over).
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".output.tmp-") }
        #expect(leftovers == [".output.tmp-previous"])
        // Whatever the base held, the result equals a fresh build into an empty folder.
        let (_, fresh) = await runBuild(root)
        var expected = snapshot(fresh)
        expected[".gitkeep"] = Data()
        #expect(snapshot(out) == expected)
    }

    @Test func rebuildsOverThePreviousOutputEqualFreshBuilds() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲"), "content/files/x": "file", "content/keep.txt": "1"])
        let out = root + "/output"
        for step in 0..<4 {
            switch step {
            case 1: try FileManager.default.removeItem(atPath: root + "/content/files/x")
                    try write("now a folder", to: root + "/content/files/x/inner.txt")   // a file becomes a folder
                    try write("2", to: root + "/content/keep.txt")                        // same size, new bytes
            case 2: try FileManager.default.removeItem(atPath: root + "/content/files")
                    try write(material("乙"), to: root + "/content/materials/b.md")
            case 3: try write("tampered", to: root + "/.output.tmp-previous/materials/b/index.html")
            default: break
            }
            let (report, _) = await runBuild(root, output: out)
            #expect(report.wrote)
            let (_, fresh) = await runBuild(root)
            #expect(snapshot(out) == snapshot(fresh), "step \(step)")
        }
    }

    @Test func unchangedPagesAreKnownFromTheManifestAndEditsAreNoticed() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲"), "content/materials/b.md": material("乙")])
        let out = root + "/output"
        for _ in 0..<3 { _ = await runBuild(root, output: out) }
        let work = root + "/.output.tmp-previous"
        // The manifest lives in the work folder, never in the published output.
        #expect(FileManager.default.fileExists(atPath: work + "/" + OutputManifest.fileName))
        #expect(!FileManager.default.fileExists(atPath: out + "/" + OutputManifest.fileName))
        // An unchanged page is left as it is: the next build swaps the very same file in.
        let page = "materials/a/index.html"
        let kept = try #require(FileSystem.stamp(work + "/" + page, hash: 0))
        _ = await runBuild(root, output: out)
        #expect(FileSystem.stamp(out + "/" + page, hash: 0) == kept)
        #expect(!FileManager.default.fileExists(atPath: out + "/" + OutputManifest.fileName))
        // An edit of the same size behind the manifest's back moves the file's change time: noticed
        // and undone. Without a usable manifest, the bytes are compared, as before there was one.
        let (_, fresh) = await runBuild(root)
        for manifest in [nil, "studyportal-manifest 1\nfolder x\n"] {
            if let manifest { try write(manifest, to: work + "/" + OutputManifest.fileName) }
            let other = "materials/b/index.html"
            var bytes = try #require(FileManager.default.contents(atPath: work + "/" + other))
            bytes[bytes.count / 2] ^= 0x01
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: work + "/" + other))
            try handle.write(contentsOf: bytes)
            try handle.close()
            let (report, _) = await runBuild(root, output: out)
            #expect(report.wrote)
            #expect(snapshot(out) == snapshot(fresh), "manifest: \(manifest ?? "as written")")
        }
    }

    @Test func manifestsRoundTripAndHashesSeeEveryByte() throws {
        var manifest = OutputManifest()
        manifest.folders[42] = ["materials/学习 资料/index.html": .init(size: 10, hash: 0xDEAD_BEEF, inode: 7, changed: 1_796_075_989_328_594_700),
                                "404.html": .init(size: 0, hash: 0, inode: 8, changed: 0),
                                "a/b.html": .init(size: Int.max, hash: .max, inode: .max, changed: .max)]
        manifest.folders[43] = [:]
        manifest.subfolders[42] = ["materials": .init(inode: 5, changed: 1_796_075_989_328_594_700), "materials/学习 资料": .init(inode: .max, changed: .max)]
        let folder = temporaryPath("manifest")
        let text = String(decoding: manifest.serialized(), as: UTF8.self)
        #expect(text.contains("\ndir 5 1796075989328594700 materials\n"))
        // The numbers as String writes them (the manifest writes their digits itself).
        #expect(text.contains("\n10 deadbeef 7 1796075989328594700 materials/学习 资料/index.html\n"))
        #expect(text.contains("\n0 0 8 0 404.html\n"))
        #expect(text.contains("\n\(Int.max) \(String(UInt64.max, radix: 16)) \(UInt64.max) \(Int64.max) a/b.html\n"))
        try write(text, to: folder + "/" + OutputManifest.fileName)
        #expect(OutputManifest.read(in: folder).folders[42] == manifest.folders[42])
        #expect(OutputManifest.read(in: folder).subfolders == manifest.subfolders)
        // Cut short at any line (a full disk, a killed build), it is not read at all: a shorter
        // record of files would hide the others from the next build.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for keep in 1..<(lines.count - 1) {
            try write(lines.prefix(keep).joined(separator: "\n") + "\n", to: folder + "/" + OutputManifest.fileName)
            let cut = OutputManifest.read(in: folder)
            #expect(cut.folders.isEmpty && cut.subfolders.isEmpty, "\(keep) lines")
        }
        // Read for one folder, the other folder's part is kept as written and written back whole;
        // and a part cut short is still no manifest at all.
        try write(text, to: folder + "/" + OutputManifest.fileName)
        let one = OutputManifest.read(in: folder, parsing: 43)
        #expect(one.folders == [43: [:]] && one.subfolders.isEmpty && Array(one.carried.keys) == [42])
        let carried = String(decoding: one.carried[42] ?? [], as: UTF8.self)
        #expect(carried.hasPrefix("folder 42\n") && carried.contains("\ndir 5 1796075989328594700 materials\n") && !carried.contains("folder 43"))
        let again = String(decoding: one.serialized(), as: UTF8.self)
        #expect(Set(again.split(separator: "\n")) == Set(text.split(separator: "\n")) && again.count == text.count)
        #expect(OutputManifest.read(in: folder, parsing: 42).carried.keys.sorted() == [43])
        for keep in 2..<(lines.count - 1) {
            try write(lines.prefix(keep).joined(separator: "\n"), to: folder + "/" + OutputManifest.fileName)   // no last newline either
            let cut = OutputManifest.read(in: folder, parsing: 43)
            #expect(cut.folders.isEmpty && cut.carried.isEmpty, "\(keep) lines")
        }
        try write(text + "end\n", to: folder + "/" + OutputManifest.fileName)
        #expect(OutputManifest.read(in: folder).folders.isEmpty, "nothing after the end")
        // A FIFO in its place is not waited on.
        try FileManager.default.removeItem(atPath: folder + "/" + OutputManifest.fileName)
        #expect(mkfifo(folder + "/" + OutputManifest.fileName, 0o644) == 0)
        #expect(OutputManifest.read(in: folder).folders.isEmpty)
        try FileManager.default.removeItem(atPath: folder + "/" + OutputManifest.fileName)
        for garbage in ["", "studyportal-manifest 2\n", "studyportal-manifest 1\n1 2 3 4 a\n", "studyportal-manifest 1\nfolder 1\n1 zz 3 4 a\n",
                        "studyportal-manifest 1\nfolder 1\n1 2 3 4 ../a\n", "studyportal-manifest 1\nfolder 1\n1 2 3 4 a",
                        "studyportal-manifest 1\nfolder 1x\n1 2 3 4 a\n", "studyportal-manifest 1\nfolder 1\n1 2 3 4 \n",
                        "studyportal-manifest 1\nfolder 1\n1 2  3 4 a\n", "studyportal-manifest 1\nfolder 1\n1 2 3 -4 a\n",
                        "studyportal-manifest 1\nfolder 1\n1 12345678901234567 3 4 a\n", "studyportal-manifest 1\nfolder 1\n1 2 3 4 a\nfolder\n",
                        "studyportal-manifest 3\ndir 1 2 a\n", "studyportal-manifest 3\nfolder 1\ndir 1 2 ../a\n", "studyportal-manifest 3\nfolder 1\ndir 1 -2 a\n",
                        "studyportal-manifest 3\nfolder 1\ndir 1 2\n", "studyportal-manifest 3\nfolder 1\ndir x 2 a\n"] {
            try write(garbage, to: folder + "/" + OutputManifest.fileName)
            #expect(OutputManifest.read(in: folder).folders.isEmpty, "\(garbage)")
        }
        // Every byte and every length counts.
        var seen = Set<UInt64>()
        let base = Array("<p>学习型党组织建设</p>".utf8)
        for length in 0...base.count { seen.insert(Array(base.prefix(length)).withUnsafeBytes(OutputManifest.hash)) }
        for i in base.indices {
            var changed = base
            changed[i] ^= 0x01
            seen.insert(changed.withUnsafeBytes(OutputManifest.hash))
        }
        #expect(seen.count == base.count + 1 + base.count)
    }

    @Test func symbolicLinksInTheWorkFolderAreNeverFollowed() async throws {
        // Pages are written into the work folder (the output before last) as they are rendered: a link
        // planted there, as a folder or as a file, must be replaced, never written through.
        let root = try makeSite(["content/materials/a.md": material("甲"), "content/materials/b.md": material("乙")])
        let out = root + "/output"
        _ = await runBuild(root, output: out)
        _ = await runBuild(root, output: out)   // .output.tmp-previous now holds a full site
        let outside = temporaryPath("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try write("untouched", to: outside + "/index.html")
        let work = root + "/.output.tmp-previous"
        try FileManager.default.removeItem(atPath: work + "/materials/a")
        try FileManager.default.createSymbolicLink(atPath: work + "/materials/a", withDestinationPath: outside)
        try FileManager.default.removeItem(atPath: work + "/materials/b/index.html")
        try FileManager.default.createSymbolicLink(atPath: work + "/materials/b/index.html", withDestinationPath: outside + "/index.html")
        // A file whose name is not UTF-8 (no build writes one) must not be carried into the output.
        let foreign = (Array((work + "/materials/").utf8) + [0xB2, 0xE2, 0xCA, 0xD4, 0]).map { CChar(bitPattern: $0) }
        close(open(foreign, O_WRONLY | O_CREAT, 0o644))
        let (report, _) = await runBuild(root, output: out)
        #expect(report.wrote)
        #expect(try String(contentsOfFile: outside + "/index.html", encoding: .utf8) == "untouched")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["index.html"])
        let (_, fresh) = await runBuild(root)
        #expect(snapshot(out) == snapshot(fresh))
        #expect(rawEntryCount(out + "/materials") == 3)   // a, b and the list page (FileManager skips names not in UTF-8)
        let attributes = try FileManager.default.attributesOfItem(atPath: out + "/materials/a")
        #expect(attributes[.type] as? FileAttributeType == .typeDirectory)
    }

    @Test func listingTheWorkFolderRemovesLinksAndNamesNotInUTF8() throws {
        let root = temporaryPath("tree")
        try FileManager.default.createDirectory(atPath: root + "/a/b/c", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("x", to: root + "/a/b/c/index.html")
        try write("y", to: root + "/top.txt")
        try FileManager.default.createSymbolicLink(atPath: root + "/a/link", withDestinationPath: root + "/a/b")
        // More entries than one read of the folder returns (32 KiB of records).
        try FileManager.default.createDirectory(atPath: root + "/many", withIntermediateDirectories: true)
        for k in 0..<2_000 { try write("", to: root + "/many/entry-with-a-long-name-\(k)") }
        // A file, and a folder holding one, whose names are GBK bytes (not UTF-8).
        let gbk: [UInt8] = [0xB2, 0xE2, 0xCA, 0xD4]   // 测试 in GBK
        let foreignFile = Array(root.utf8) + Array("/a/".utf8) + gbk + [0]
        let foreignDir = Array(root.utf8) + Array("/".utf8) + gbk + [0]
        let fileName = foreignFile.map { CChar(bitPattern: $0) }, dirName = foreignDir.map { CChar(bitPattern: $0) }
        close(open(fileName, O_WRONLY | O_CREAT, 0o644))
        #expect(mkdir(dirName, 0o755) == 0)
        close(open(dirName.dropLast() + Array("/x".utf8CString), O_WRONLY | O_CREAT, 0o644))

        let tree = try #require(FileSystem.listTree(root))
        #expect(Set(tree.files.paths) == Set(["a/b/c/index.html", "top.txt"] + (0..<2_000).map { "many/entry-with-a-long-name-\($0)" }))
        #expect(tree.files.count == 2_002 && tree.files.contains("a/b/c/index.html") && !tree.files.contains("a/b"))
        #expect(Set(tree.dirs) == ["a", "a/b", "a/b/c", "many"] && tree.dirs.count == 4)
        #expect(!FileManager.default.fileExists(atPath: root + "/a/link"))
        #expect(FileManager.default.fileExists(atPath: root + "/a/b/c/index.html"))   // the link's target stays
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/a").sorted() == ["b"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["a", "many", "top.txt"])
        #expect(FileSystem.listTree(root + "/missing") == nil)
    }

    /// The record of a tree (its files, and each sub-folder's inode and change time) stands in for
    /// reading it only while every sub-folder is as recorded: anything made, removed, renamed or
    /// linked below the root, even with the modification time set back, sends the build back to
    /// reading the folders.
    @Test func aTreeIsTakenFromItsRecordOnlyWhileNothingBelowTheRootChanged() throws {
        let root = temporaryPath("trusted")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for path in ["a/b/index.html", "a/c/index.html", "d/index.html", "top.html"] { try write(path, to: root + "/" + path) }
        func record() throws -> (files: [String: OutputManifest.Stamp], folders: [String: OutputManifest.FolderStamp]) {
            let tree = try #require(FileSystem.listTree(root, settledBefore: .max))
            let stamps = try #require(tree.stamps)
            #expect(Set(stamps.keys) == Set(tree.dirs))
            return (Dictionary(uniqueKeysWithValues: tree.files.paths.map { ($0, OutputManifest.Stamp(size: 0, hash: 0, inode: 0, changed: 0)) }), stamps)
        }
        var (files, folders) = try record()
        let trusted = try #require(FileSystem.trustedTree(root, files: files, folders: folders))
        #expect(Set(trusted.files.paths) == ["a/b/index.html", "a/c/index.html", "d/index.html", "top.html"] && trusted.files.count == 4)
        #expect(trusted.files.contains("a/b/index.html") && trusted.files.contains("top.html") && !trusted.files.contains("a/b"))
        #expect(Set(trusted.dirs) == ["a", "a/b", "a/c", "d"] && trusted.dirs.count == 4)
        // Not settled yet (changed after `settledBefore`): no stamps, nothing to trust next time.
        #expect(try #require(FileSystem.listTree(root, settledBefore: 0)).stamps == nil)
        // The root's own files are read, not recorded.
        try write("new", to: root + "/second.html")
        #expect(FileSystem.trustedTree(root, files: files, folders: folders)?.files.contains("second.html") == true)

        let changes: [(String, () throws -> Void)] = [
            ("a file planted", { try write("planted", to: root + "/a/b/planted.html") }),
            ("a file removed", { try FileManager.default.removeItem(atPath: root + "/a/c/index.html") }),
            ("a file renamed", { try FileManager.default.moveItem(atPath: root + "/d/index.html", toPath: root + "/d/other.html") }),
            ("a folder made", { try FileManager.default.createDirectory(atPath: root + "/a/b/new", withIntermediateDirectories: false) }),
            ("a folder at the root", { try FileManager.default.createDirectory(atPath: root + "/e", withIntermediateDirectories: false) }),
            ("a folder linked", {
                try FileManager.default.removeItem(atPath: root + "/d")
                try FileManager.default.createSymbolicLink(atPath: root + "/d", withDestinationPath: root + "/a")
            }),
            ("a file planted, the time set back", {
                var info = stat()
                _ = lstat(root + "/a", &info)
                try write("planted", to: root + "/a/planted.html")
                var times = [info.st_atim, info.st_mtim]
                _ = utimensat(AT_FDCWD, root + "/a", &times, AT_SYMLINK_NOFOLLOW)
            }),
        ]
        for (change, apply) in changes {
            // Clocks tick in steps (a few milliseconds here): a change within the step of the record
            // would not move the change time, which is why records wait for folders to settle.
            usleep(20_000)
            try apply()
            #expect(FileSystem.trustedTree(root, files: files, folders: folders) == nil, "\(change)")
            usleep(20_000)
            (files, folders) = try record()
            #expect(FileSystem.trustedTree(root, files: files, folders: folders) != nil, "\(change)")
        }
        // A record missing a folder, or a file whose folder it lacks, is not whole.
        #expect(FileSystem.trustedTree(root, files: files, folders: folders.filter { $0.key != "a/b" }) == nil)
        #expect(FileSystem.trustedTree(root, files: files.merging(["x/y.html": .init(size: 0, hash: 0, inode: 0, changed: 0)]) { a, _ in a }, folders: folders) == nil)
    }

    /// Builds taking the work folder's folders from the manifest (folders settle at once here)
    /// still publish exactly the site: a file planted, a link put in place of a folder, a page
    /// removed by hand between builds are all undone.
    @Test func buildsThatTrustTheRecordStillPublishExactlyTheSite() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲"), "content/materials/b.md": material("乙")])
        let out = root + "/output", work = root + "/.output.tmp-previous"
        let (_, fresh) = await runBuild(root)
        func settledBuild() async { _ = await runBuild(root, output: out) { $0.settlingSeconds = 0 } }
        for _ in 0..<4 { await settledBuild() }
        let manifest = try #require(FileManager.default.contents(atPath: work + "/" + OutputManifest.fileName))
        #expect(String(decoding: manifest, as: UTF8.self).contains("\ndir "), "the folders' stamps are recorded")
        let outside = temporaryPath("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try write("untouched", to: outside + "/index.html")
        let plants: [() throws -> Void] = [
            { try write("planted", to: work + "/materials/a/planted.html") },
            {
                try FileManager.default.removeItem(atPath: work + "/materials/a")
                try FileManager.default.createSymbolicLink(atPath: work + "/materials/a", withDestinationPath: outside)
            },
            { try FileManager.default.removeItem(atPath: work + "/materials/b/index.html") },
        ]
        for (k, plant) in plants.enumerated() {
            usleep(20_000)
            try plant()
            await settledBuild()
            #expect(snapshot(out) == snapshot(fresh), "change \(k)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["index.html"])
            await settledBuild()
            await settledBuild()
        }
    }

    /// A page written over a hard link planted in the work folder must not change the file the link
    /// shares its content with, wherever that lies.
    @Test func writingNeverGoesThroughAHardLink() throws {
        let root = temporaryPath("hardlink"), outside = temporaryPath("outside")
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        try write("untouched", to: outside + "/secret.txt")
        #expect(link(outside + "/secret.txt", root + "/a/index.html") == 0)
        let page = Array("<p>page</p>".utf8)
        #expect(page.withUnsafeBytes { FileSystem.write($0, to: root + "/a/index.html", makingFoldersUnder: root) } == nil)
        #expect(try String(contentsOfFile: outside + "/secret.txt", encoding: .utf8) == "untouched")
        #expect(try String(contentsOfFile: root + "/a/index.html", encoding: .utf8) == "<p>page</p>")
        // Nor through a FIFO (it would wait for a reader forever).
        #expect(mkfifo(root + "/a/feed.xml", 0o644) == 0)
        #expect(page.withUnsafeBytes { FileSystem.write($0, to: root + "/a/feed.xml", makingFoldersUnder: root) } == nil)
        #expect(try String(contentsOfFile: root + "/a/feed.xml", encoding: .utf8) == "<p>page</p>")
    }

    @Test func removingATreeNeverFollowsALink() throws {
        let root = temporaryPath("remove"), outside = temporaryPath("outside")
        try FileManager.default.createDirectory(atPath: root + "/a/b", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: outside) }
        try write("kept", to: outside + "/kept.txt")
        try write("x", to: root + "/a/b/index.html")
        try FileManager.default.createSymbolicLink(atPath: root + "/a/b/out", withDestinationPath: outside)
        FileSystem.removeTree(root + "/a")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == [])
        #expect(read(outside + "/kept.txt") == "kept")
        for odd in [root + "/..", root + "/."] { FileSystem.removeTree(odd) }   // refused: not a name in a folder
        #expect(FileManager.default.fileExists(atPath: root))
        #expect(read(outside + "/kept.txt") == "kept")
    }

    @Test func oneBuildAtATimePerOutput() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲")])
        let out = root + "/output"
        _ = await runBuild(root, output: out)
        _ = await runBuild(root, output: out)   // the output before last is now the work folder
        let before = snapshot(out)
        // Another build holds the work folder (as a running build does from prepare to commit).
        var held = OutputWriter.FolderLock.acquire(root + "/.output.tmp-previous")
        #expect(held != nil)
        try write(material("乙"), to: root + "/content/materials/a.md")
        let (report, _) = await runBuild(root, output: out)
        #expect(!report.wrote)
        #expect(report.diagnostics.contains { $0.message.contains("another studyportal build is writing") })
        #expect(snapshot(out) == before)
        held = nil
        // Released: the next build goes ahead.
        let (again, _) = await runBuild(root, output: out)
        #expect(again.wrote)
    }

    @Test func staleWorkFoldersAreRemoved() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲")])
        try write("junk", to: root + "/.output.tmp-99999/x")
        let (report, _) = await runBuild(root, output: root + "/output")
        #expect(report.wrote)
        #expect(!FileManager.default.fileExists(atPath: root + "/.output.tmp-99999"))
    }

    @Test func checkWritesNothing() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲")])
        let (report, out) = await runBuild(root, write: false)
        #expect(!report.diagnostics.hasErrors)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

@Suite(.temporaryFiles) struct CommandLineTests {
    @Test func badFlagsExitTwo() throws {
        let (status, _, err) = try runCLI(["build", repoRoot, "--as-of", "yesterday"])
        #expect(status == 2)
        #expect(err.contains("--as-of"))
        let (status2, _, _) = try runCLI(["frobnicate"])
        #expect(status2 == 2)
    }

    @Test func errorsExitOneWithLocations() throws {
        let root = try makeSite(["content/materials/bad.md": "---\ntitle: [\n---\n"])
        let (status, _, err) = try runCLI(["build", root])
        #expect(status == 1)
        #expect(err.contains("content/materials/bad.md:"))
        #expect(err.contains("1 error"))
        let (checkStatus, _, _) = try runCLI(["check", root])
        #expect(checkStatus == 1)
    }

    @Test func githubAnnotationsOnActions() throws {
        let root = try makeSite(["content/materials/bad.md": "---\ndate: x\n---\n"])
        let (_, _, err) = try runCLI(["check", root], environment: ["GITHUB_ACTIONS": "true"])
        #expect(err.contains("::error file=content/materials/bad.md,line=1,col=1::missing required field `title`"))
    }

    @Test func strictFailsOnWarnings() throws {
        let root = try makeSite(["content/materials/a.md": material("甲", extra: "colour: red\n")])
        let (lenient, _, _) = try runCLI(["check", root])
        #expect(lenient == 0)
        let (strict, _, err) = try runCLI(["check", root, "--strict"])
        #expect(strict == 1)
        #expect(err.contains("warning: unknown field `colour`"))
    }

    @Test func buildPrintsAsOfAndProfile() throws {
        let (status, out, _) = try runCLI(["check", repoRoot])
        #expect(status == 0)
        #expect(out.contains("as of 2026-10-15, profile internal"))
    }

    @Test func verboseTimesEveryStageInWallAndCPUTime() throws {
        let root = try makeSite(["content/materials/a.md": material("甲")])
        let (status, out, _) = try runCLI(["build", root, "--output", root + "/output", "--verbose"])
        #expect(status == 0)
        let stages = out.split(separator: "\n").filter { $0.hasPrefix("  ") }.map { $0.split(separator: " ") }
        #expect(stages.map { String($0[0]) } == ["load", "parse", "resolve", "progress", "markdown", "search", "templates", "feeds", "write"])
        for fields in stages {
            // name, wall, "ms", "cpu", cpu, "ms"
            #expect(fields.count == 6 && Double(fields[1]) != nil && fields[3] == "cpu" && Double(fields[4]) != nil, "\(fields)")
        }
    }
}
