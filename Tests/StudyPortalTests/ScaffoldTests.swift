import Foundation
import Testing
@testable import StudyPortal

@Suite(.temporaryFiles) struct ScaffoldTests {
    func tempDir() -> String { temporaryPath("init") }

    @Test func initWritesASiteThatBuildsStrictly() async throws {
        let dir = tempDir()
        let written = try Scaffold.initSite(at: dir, force: false)
        for path in ["site.yml", ".gitignore", ".github/workflows/pages.yml", ".github/workflows/check.yml", "templates/layout.html",
                     "templates/assets/style.css", "content/people/members.csv", "content/plans/2026-niandu.md", "output/.gitkeep"] {
            #expect(written.contains(path), "\(path)")
            #expect(FileManager.default.fileExists(atPath: dir + "/" + path), "\(path)")
        }
        #expect(read(dir + "/site.yml").contains("# "))   // commented in Chinese
        for profile in [SiteConfig.Profile.public, .internal] {
            let (report, out) = await runBuild(dir) { $0.strict = true; $0.profile = profile }
            #expect(report.diagnostics.isEmpty, "\(profile): \(report.diagnostics)")
            #expect(brokenLinks(in: out, basePath: "/") == [])
        }
    }

    @Test func initRefusesAFolderThatIsNotEmptyUnlessForced() throws {
        let dir = tempDir()
        try write("mine", to: dir + "/notes.txt")
        #expect(throws: Scaffold.Failure.self) { try Scaffold.initSite(at: dir, force: false) }
        #expect(!FileManager.default.fileExists(atPath: dir + "/site.yml"))
        _ = try Scaffold.initSite(at: dir, force: true)
        #expect(read(dir + "/notes.txt") == "mine")
        #expect(FileManager.default.fileExists(atPath: dir + "/site.yml"))
    }

    @Test func slugsKeepUnicodeAndDropUnsafeCharacters() {
        #expect(Scaffold.slug(for: "学习型党组织建设") == "学习型党组织建设")
        #expect(Scaffold.slug(for: "a/b: 学习\\计划 2026") == "ab-学习计划-2026")
        #expect(Scaffold.slug(for: "../../etc/passwd") == "etcpasswd")
        #expect(Scaffold.slug(for: "？！") == "untitled")
    }

    @Test func newFilesBuildAndAreNeverOverwritten() async throws {
        let dir = tempDir()
        _ = try Scaffold.initSite(at: dir, force: false)
        let day = Day(iso: "2026-05-04")!
        #expect(try Scaffold.newFile(.material, title: "标题", site: dir, date: day, author: nil) == "content/materials/标题.md")
        #expect(try Scaffold.newFile(.plan, title: "三季度 计划", site: dir, date: day, author: nil) == "content/plans/三季度-计划.md")
        #expect(try Scaffold.newFile(.activity, title: "专题讲座", site: dir, date: day, author: nil) == "content/activities/专题讲座.md")
        #expect(try Scaffold.newFile(.reflection, title: "心得", site: dir, date: day, author: "m02") == "content/reflections/m02/心得.md")
        #expect(read(dir + "/content/materials/标题.md").contains("date: 2026-05-04"))
        #expect(throws: Scaffold.Failure.self) { try Scaffold.newFile(.material, title: "标题", site: dir, date: day, author: nil) }
        #expect(throws: Scaffold.Failure.self) { try Scaffold.newFile(.reflection, title: "无作者", site: dir, date: day, author: nil) }
        let (report, _) = await runBuild(dir) { $0.strict = true; $0.profile = .internal }
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
    }

    /// The acceptance path: a binary on its own, in another folder, with no files beside it.
    @Test func initNewBuildWithALoneBinary() throws {
        let bin = tempDir()
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: studyportalBinary, toPath: bin + "/studyportal")
        let site = tempDir()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\"$BIN\" init \"$SITE\" && cd \"$SITE\" && \"$BIN\" new material \"标题\" && \"$BIN\" build --strict"]
        process.environment = ["BIN": bin + "/studyportal", "SITE": site, "PATH": "/usr/bin:/bin"]
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: site + "/output/materials/标题/index.html"))
    }
}
