import Foundation
import Testing
@testable import StudyPortal

/// The corpus of bad inputs (issue: robustness): each with the outcome it must get. The CLI is run as
/// a separate process so a crash or a signal would show as such, not take the test runner down.
@Suite(.temporaryFiles) struct RobustnessTests {
    /// Runs `studyportal check` on a site with one extra material file and returns (status, stderr).
    func check(_ files: [String: String], config: String = "title: t\n", args: [String] = []) throws -> (Int32, String) {
        let root = try makeSite(files, config: config)
        let (status, _, err) = try runCLI(["check", root] + args)
        return (status, err)
    }

    @Test(arguments: [
        ("---\ntitle: 甲\n", "content/materials/x.md:1:1: error: front matter opened with --- on line 1 is never closed"),
        ("---\ntitle: 甲\ntags: [a\n---\n", "content/materials/x.md:4:1: error: invalid YAML"),
        ("---\ntitle: 甲\n\tdate: 2026-01-01\n---\n", "content/materials/x.md:3:1: error: a tab indents this line"),
        ("---\ndate: 2026-01-01\n---\n正文\n", "content/materials/x.md:1:1: error: missing required field `title`"),
        ("", "content/materials/x.md:1:1: error: the file is empty"),
        ("---\ntitle: 甲\nslug: ../evil\n---\n", "content/materials/x.md:3:1: error: a slug must not contain / or \\"),
        ("---\ntitle: 甲\nslug: a..b\n---\n", "content/materials/x.md:3:1: error: a slug must not contain .."),
        ("---\ntitle: 甲\nslug: \"a\\u0007b\"\n---\n", "content/materials/x.md:3:1: error: a slug must not contain control characters"),
        ("---\ntitle: 甲\ndate: 2026-02-30\n---\n", "content/materials/x.md:3:7: error: `date` should be a date"),
        ("---\ntitle: 甲\nhours: -1\n---\n", "content/materials/x.md:3:8: error: `hours` must not be negative"),
        ("---\ntitle: 甲\nhours: 1e300\n---\n", "content/materials/x.md:3:8: error: `hours` is more than 100000 hours"),
        ("正文，没有前言。\n", "content/materials/x.md:1:1: error: missing front matter"),
    ])
    func badMaterialIsAnErrorWithItsPosition(text: String, expected: String) throws {
        let (status, err) = try check(["content/materials/x.md": text])
        #expect(status == 1)
        #expect(err.contains(expected), "\(err)")
    }

    @Test func idsThatWouldLeaveTheOutputFolderAreRefused() throws {
        let (status, err) = try check([
            "content/people/groups.csv": "id,name\n../g,x\ng1,y\n",
            "content/people/members.csv": "id,name,group,role\n../../etc,甲,g1,\n",
        ], config: "title: t\nprofile: internal\n")
        #expect(status == 1)
        #expect(err.contains("content/people/groups.csv:2:1: error: unusable group id"))
        #expect(err.contains("content/people/members.csv:2:1: error: unusable member id"))
    }

    /// Hours typed wrong by orders of magnitude (`1e300` for `1.5`) made the build trap printing
    /// them; every source of hours refuses them, each at its place.
    @Test func absurdHoursAreErrorsNotCrashes() throws {
        let (status, err) = try check([
            "content/materials/m.md": "---\ntitle: 甲\n---\n",
            "content/people/groups.csv": "id,name\ng1,一组\n",
            "content/people/members.csv": "id,name,group,role\nu1,甲,g1,\n",
            "content/records/r.csv": "date,member,material,hours,note\n2026-01-05,u1,m,1e300,\n2026-01-06,u1,m,100000,\n",
            "content/activities/a.md": "---\ntitle: 会\ntype: lecture\ndate: 2026-01-07\nhours: 1e20\n---\n",
        ], config: "title: t\nprofile: internal\nyearly_target_hours:\n  member: inf\n")
        #expect(status == 1)
        #expect(err.contains("content/records/r.csv:2:1: error: more than 100000 hours (1e300)"), "\(err)")
        #expect(!err.contains("r.csv:3:"), "\(err)")
        #expect(err.contains("content/activities/a.md:5:8: error: `hours` is more than 100000 hours"), "\(err)")
        #expect(err.contains("site.yml:4:11: error: hours for `member` should be a number from 0 to 100000"), "\(err)")
    }

    @Test func badCommandLineExitsTwo() throws {
        for args in [["build", "--profile", "secret"], ["build", "--jobs", "0"], ["nosuch"], ["build", "--bogus"]] {
            let (status, _, _) = try runCLI(args)
            #expect(status == 2, "\(args)")
        }
    }

    @Test func outputThatIsAFileIsRefusedAndLeftUntouched() throws {
        let root = try makeSite(["content/materials/a.md": material("甲")])
        try write("keep me", to: root + "/out.txt")
        let (status, _, err) = try runCLI(["build", root, "--output", root + "/out.txt"])
        #expect(status == 1)
        #expect(err.contains("exists and is not a folder"))
        #expect(read(root + "/out.txt") == "keep me")
        for odd in ["/", root, root + "/content"] {
            let (s, _, e) = try runCLI(["build", root, "--output", odd])
            #expect(s == 1 && e.contains("refusing"), "\(odd)")
        }
    }

    @Test func unreadableFileIsAnError() throws {
        let root = try makeSite(["content/materials/a.md": material("甲")])
        chmod(root + "/content/materials/a.md", 0)
        guard let (status, text) = try checkUnprivileged(root) else { return }
        #expect(status == 1)
        #expect(text.contains("content/materials/a.md: error: cannot read this file"), "\(text)")
    }

    /// `studyportal check` of `root` as a user the file permissions apply to: `nobody` when we are
    /// root, who reads every file and enters every folder. Its exit status and standard error, or nil
    /// (an issue recorded) when that cannot be done.
    func checkUnprivileged(_ root: String) throws -> (Int32, String)? {
        var args = ["check", root]
        var binary = studyportalBinary
        if getuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else { Issue.record("runuser is needed to test as another user"); return nil }
            args = ["-u", "nobody", "--", binary] + args
            binary = "/usr/sbin/runuser"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = args
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// A file name that is not UTF-8 (a GBK name from a Windows archive) names no path the build
    /// could read or copy: an error at load, as the walk found it.
    @Test func fileNameNotInUTF8IsAnError() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲")])
        let path = Array((root + "/content/").utf8) + [0xB2, 0xE2, 0xCA, 0xD4] + Array(".png".utf8) + [0]
        let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
        #expect(fd >= 0)
        close(fd)
        let (report, _) = await runBuild(root)
        #expect(report.diagnostics.contains { $0.severity == .error && $0.message.contains("cannot read this file or folder") && $0.path.hasPrefix("content/\u{FFFD}") },
                "\(report.diagnostics.map(\.description))")
        #expect(!report.wrote)
    }

    /// A folder that can be listed but not entered: the files it lists are unreadable, reported as
    /// the walk meets them (not when the render or the copy tries them).
    @Test func folderThatCannotBeEnteredIsAnError() throws {
        let root = try makeSite(["content/materials/a.md": material("甲"), "content/files/locked/plan.pdf": "pdf"])
        chmod(root + "/content/files/locked", 0o444)
        defer { chmod(root + "/content/files/locked", 0o755) }
        guard let (status, text) = try checkUnprivileged(root) else { return }
        #expect(status == 1)
        #expect(text.contains("content/files/locked/plan.pdf: error: cannot read this file or folder"), "\(text)")
    }

    @Test func hugeDeepAndOddlyEncodedFilesBuild() async throws {
        let paragraph = String(repeating: "学习型组织建设要久久为功，持之以恒。", count: 60) + "\n\n"
        var big = "---\ntitle: 大文件\n---\n"
        while big.utf8.count < 20_000_000 { big += "## 第\(big.utf8.count)节\n\n" + paragraph }
        let deep = "---\ntitle: 深\n---\n" + String(repeating: ">", count: 20_000) + " 深\n\n" + String(repeating: "- ", count: 20_000) + "项\n"
        let root = try makeSite([
            "content/materials/big.md": big,
            "content/materials/deep.md": deep,
            "content/materials/crlf.md": "\u{FEFF}---\r\ntitle: 视窗\r\ndate: 2026-01-02\r\n---\r\n## 一、标题\r\n\r\n正文。\r\n",
        ])
        let (report, out) = await runBuild(root)
        #expect(!report.diagnostics.hasErrors, "\(report.diagnostics)")
        #expect(read(out + "/materials/crlf/index.html").contains("<h2 id=\"一标题\">一、标题</h2>"))
        #expect(read(out + "/materials/deep/index.html").contains("深"))
        #expect((try? FileManager.default.attributesOfItem(atPath: out + "/materials/big/index.html")[.size] as? Int) ?? 0 > 20_000_000)
    }

    @Test func invalidUTF8AndNULBecomeReplacementCharacters() async throws {
        let root = try makeSite(["content/materials/ok.md": material("好")])
        var bytes = Array("---\ntitle: 坏字节\n---\n前".utf8)
        bytes += [0xFF, 0xFE, 0x00, 0xC3]
        bytes += Array("后\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/content/materials/bad.md"))
        let (report, out) = await runBuild(root)
        #expect(!report.diagnostics.hasErrors)
        #expect(report.diagnostics.contains { $0.path == "content/materials/bad.md" && $0.message.contains("not valid UTF-8") })
        for (path, data) in snapshot(out) where path.hasSuffix(".html") || path.hasSuffix(".xml") || path.hasSuffix(".json") {
            #expect(String(validating: data, as: UTF8.self) != nil, "\(path) is valid UTF-8")
            #expect(!data.contains(0), "\(path) has no NUL")
        }
        #expect(read(out + "/materials/bad/index.html").contains("前\u{FFFD}"))
    }

    @Test func symlinkLoopIsSkippedWithAWarning() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲")])
        try FileManager.default.createSymbolicLink(atPath: root + "/content/materials/loop", withDestinationPath: root + "/content")
        try FileManager.default.createSymbolicLink(atPath: root + "/content/materials/self", withDestinationPath: "self")
        let (report, out) = await runBuild(root)
        #expect(!report.diagnostics.hasErrors)
        #expect(report.diagnostics.contains { $0.severity == .warning && $0.path == "content/materials/loop" })
        #expect(report.diagnostics.contains { $0.severity == .warning && $0.path == "content/materials/self" })
        #expect(FileManager.default.fileExists(atPath: out + "/materials/a/index.html"))
    }

    @Test func yamlAliasBombIsABoundedError() throws {
        var yaml = "title: 炸弹\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = name
        }
        let started = Date()
        let (status, err) = try check(["content/materials/x.md": "---\n" + yaml + "---\n"])
        #expect(status == 1)
        #expect(err.contains("content/materials/x.md:4:") && err.contains("aliases"))
        #expect(Date().timeIntervalSince(started) < 30)
    }

    /// Two builds of the same input and as-of date are byte-identical, and so are a serial and a
    /// parallel build, and a build that leaves its memory to the process's exit (the CLI's).
    @Test func outputIsDeterministic() async throws {
        let (_, a) = await runBuild(repoRoot)
        let (_, b) = await runBuild(repoRoot) { $0.jobs = 1 }
        let (_, c) = await runBuild(repoRoot) { $0.jobs = 8 }
        let (report, d) = await runBuild(repoRoot) { $0.releasesMemory = false }
        let first = snapshot(a)
        #expect(first.count > 100)
        #expect(first == snapshot(b))
        #expect(first == snapshot(c))
        #expect(report.wrote && first == snapshot(d))
        Leftovers.release()
    }

    /// A build killed with SIGKILL at any moment leaves either the previous output or the complete new one.
    @Test func killedBuildLeavesThePreviousOutput() async throws {
        var files: [String: String] = [:]
        for i in 0..<1500 { files["content/materials/m\(i).md"] = material("资料\(i)", String(repeating: "学习内容。", count: 400), extra: "date: 2026-01-01\n") }
        let root = try makeSite(files)
        let out = root + "/output"
        let (first, _) = await runBuild(root, output: out)
        #expect(first.wrote)
        let before = snapshot(out)
        try write(material("新增"), to: root + "/content/materials/new.md")
        let (_, reference) = await runBuild(root)
        let complete = snapshot(reference)
        var sawOld = false
        for delay in [0.05, 0.15, 0.3, 0.5, 0.8, 1.2, 2.0] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: studyportalBinary)
            process.arguments = ["build", root, "--quiet"]
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            try process.run()
            try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let after = snapshot(out)
            if after == before { sawOld = true; continue }
            // Otherwise the swap happened: the new output is complete.
            #expect(after == complete, "killed after \(delay)s: neither the old nor the complete new output")
            break
        }
        #expect(sawOld)
        // The next build cleans up whatever work folder a killed one left.
        let (again, _) = await runBuild(root, output: out)
        #expect(again.wrote)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".output.tmp-") } == [".output.tmp-previous"])
    }

    /// Script payloads in every field a user writes come out escaped everywhere.
    @Test func payloadsInEveryFieldAreEscaped() async throws {
        let x = "<script>alert(1)</script><img src=x onerror=alert(1)>\"'&"
        let q = "\"" + x.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        let root = try makeSite([
            "content/materials/m.md": "---\ntitle: \(q)\ncategory: \(q)\ntags: [\(q)]\nsummary: \(q)\nauthor: \(q)\nsource: \(q)\n---\n<script>alert(2)</script>\n\n[x](javascript:alert(3))\n",
            "content/pages/p.md": "---\ntitle: \(q)\n---\n正文\n",
            "content/people/groups.csv": "id,name\ng1,\"\(x.replacingOccurrences(of: "\"", with: "\"\""))\"\n",
            "content/people/members.csv": "id,name,group,role\nu1,\"\(x.replacingOccurrences(of: "\"", with: "\"\""))\",g1,\n",
            "content/records/r.csv": "date,member,material,hours,note,title,kind\n2026-01-05,u1,m,,\"\(x.replacingOccurrences(of: "\"", with: "\"\""))\",,\n2026-01-06,u1,,2,n,\"\(x.replacingOccurrences(of: "\"", with: "\"\""))\",\"\(x.replacingOccurrences(of: "\"", with: "\"\""))\"\n",
            "content/plans/p.md": "---\ntitle: \(q)\nstart: 2026-01-01\nend: 2026-12-31\nitems: [{material: m}]\n---\n",
            "content/activities/a.md": "---\ntitle: \(q)\ntype: lecture\ndate: 2026-01-10\nspeaker: \(q)\nlocation: \(q)\nhost: u1\nattendees: all\nabsent: {u1: \(q)}\n---\n",
            "content/reflections/u1/r.md": "---\ntitle: \(q)\nauthor: u1\ndate: 2026-01-11\nabout: m\n---\n正文\n",
        ], config: "title: \(q)\ndescription: \(q)\nprofile: internal\nas_of: 2026-02-01\nactivity_types:\n  lecture: {name: \(q), hours: 2}\n")
        let (report, out) = await runBuild(root)
        #expect(!report.diagnostics.hasErrors, "\(report.diagnostics)")
        let files = snapshot(out)
        #expect(files.count > 20)
        for (path, data) in files where !path.hasSuffix(".csv") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("<script>alert"), "\(path)")
            #expect(!text.contains("<img src=x"), "\(path)")
            #expect(!text.contains("javascript:"), "\(path)")
        }
    }
}
