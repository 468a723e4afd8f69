import Foundation
import Testing
@testable import StudyPortal

/// The study programme end to end: the sample's figures against an independent computation,
/// reference errors with their lines, spreadsheet realities, and the privacy profiles.
@Suite(.temporaryFiles) struct ProgrammeBuildTests {
    /// `progress.json` of the sample equals what Tests/oracle/progress_oracle.py (an independent
    /// Python reading of SPEC §4) computed; numbers compared by value.
    @Test func sampleProgressMatchesTheIndependentComputation() async throws {
        let (report, out) = await runBuild(repoRoot)
        #expect(!report.diagnostics.hasErrors)
        let ours = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/data/progress.json")))
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixtures + "/sample-progress.expected.json")))
        #expect(NSDictionary(dictionary: ours as? [String: Any] ?? [:]).isEqual(to: expected as? [String: Any] ?? [:]))
    }

    /// A material's category and tags show as the material writes them, byte for byte — also when
    /// another material writes the same name canonically equal in other bytes (NFC and NFD).
    @Test func termLinksKeepEachMaterialsSpelling() async throws {
        let (nfc, nfd) = ("caf\u{E9}", "cafe\u{301}")
        let root = try makeSite(["content/materials/a.md": material("甲", extra: "category: \(nfc)\ntags: [\(nfd)]\n"),
                                 "content/materials/b.md": material("乙", extra: "category: \(nfd)\ntags: [\(nfc)]\n")])
        let (report, out) = await runBuild(root)
        #expect(report.wrote)
        func page(_ slug: String) -> Data { FileManager.default.contents(atPath: out + "/materials/\(slug)/index.html") ?? Data() }
        func holds(_ page: Data, _ text: String) -> Bool { page.range(of: Data(text.utf8)) != nil }
        #expect(holds(page("a"), "\">\(nfc)</a></p>") && holds(page("a"), "\">\(nfd)</a></li>"))
        #expect(holds(page("b"), "\">\(nfd)</a></p>") && holds(page("b"), "\">\(nfc)</a></li>"))
    }

    @Test func progressJSONHasTheSpecShape() async throws {
        let (_, out) = await runBuild(repoRoot)
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/data/progress.json"))) as? [String: Any])
        #expect(json["as_of"] as? String == "2026-10-15")
        #expect(json["profile"] as? String == "internal")
        let plans = try #require(json["plans"] as? [[String: Any]])
        #expect(plans.map { $0["id"] as? String ?? "" } == plans.map { $0["id"] as? String ?? "" }.sorted())
        let annual = try #require(plans.first { $0["id"] as? String == "2026-annual" })
        #expect(annual["target_hours"] as? Double == 32)
        let members = try #require(annual["members"] as? [[String: Any]])
        #expect(members.count == 24)
        let u002 = try #require(members.first { $0["id"] as? String == "u002" })
        // Worked out by hand from content/records/2026.csv and the activities (see Tests/oracle's notes):
        // records 20.5 h + reading club 2 + lecture 2 + field visit 4 = 28.5 h.
        #expect(u002["hours"] as? Double == 28.5)
        #expect(u002["status"] as? String == "on-track")
        let activities = try #require(json["activities"] as? [[String: Any]])
        let club = try #require(activities.first { $0["id"] as? String == "2026-03-dushuhui" })
        #expect(club["expected"] as? Int == 8 && club["attended"] as? Int == 7)
    }

    @Test func theHTMLShowsTheSameFigures() async throws {
        let (_, out) = await runBuild(repoRoot)
        let plan = read(out + "/plans/2026-q2/index.html")
        // g1 in 2026-q2: 8 members, 1 complete, 7 behind, mean hours 8.38 (67/8 = 8.375).
        #expect(plan.contains("<td class=\"num\">8</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">7</td><td class=\"num\">8.38</td>"))
        let member = read(out + "/members/u002/index.html")
        #expect(member.contains("28.5 / 32"))
        let activity = read(out + "/activities/2026-03-dushuhui/index.html")
        #expect(activity.contains("<dt>应到</dt><dd>8</dd>") && activity.contains("<dt>实到</dt><dd>7</dd>"))
    }

    @Test func internalBuildHasAPagePerMember() async throws {
        let (_, out) = await runBuild(repoRoot)
        let members = read(repoRoot + "/content/people/members.csv").split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        #expect(members.count == 24)
        for id in members { #expect(FileManager.default.fileExists(atPath: out + "/members/\(id)/index.html"), "\(id)") }
        #expect(brokenLinks(in: out, basePath: "/") == [])
    }

    /// SPEC §7: nothing in a public build names a member, except an essay whose author consented
    /// (`public: true`), on that essay's own pages (and the sitemap entry pointing at it).
    @Test func publicBuildLeaksNoMemberNameOrID() async throws {
        let (report, out) = await runBuild(repoRoot) { $0.profile = .public }
        #expect(!report.diagnostics.hasErrors)
        let rows = read(repoRoot + "/content/people/members.csv").split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var consenting = Set<String>()
        for folder in try FileManager.default.contentsOfDirectory(atPath: repoRoot + "/content/reflections") {
            for file in try FileManager.default.contentsOfDirectory(atPath: repoRoot + "/content/reflections/" + folder)
            where read(repoRoot + "/content/reflections/\(folder)/\(file)").contains("\npublic: true") { consenting.insert(folder) }
        }
        #expect(!consenting.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out + "/members"))
        for (path, data) in snapshot(out) {
            let text = String(decoding: data, as: UTF8.self)
            for row in rows {
                let (id, name) = (row[0], row[1])
                if consenting.contains(id) && (path.hasPrefix("reflections/") || path == "sitemap.xml" || path.hasPrefix("search/d/")) { continue }
                #expect(!text.contains(name), "\(name) in \(path)")
                if let r = text.range(of: "\\b\(id)\\b", options: .regularExpression) {
                    let start = text.index(r.lowerBound, offsetBy: -60, limitedBy: text.startIndex) ?? text.startIndex
                    Issue.record("\(id) in \(path): …\(text[start..<r.upperBound])")
                }
            }
        }
        let json = read(out + "/data/progress.json")
        #expect(!json.contains("\"members\": ["))
        // g1 has a single leader, below min_group_size 3: withheld from 2026-q4 everywhere.
        let q4 = read(out + "/plans/2026-q4/index.html")
        #expect(q4.contains("人数少于 3 人的支部不公布数字"))
        #expect(!q4.contains(">第一党支部<"))
        // Nor may a plan-wide total include it: g1's single leader would be the difference.
        // 2026-q4 audience: g1 1 leader (withheld), g3 4 leaders, all on track.
        for page in ["plans/2026-q4/index.html", "plans/index.html", "index.html", "progress/index.html"] {
            let html = read(out + "/" + page)
            #expect(!html.contains("正常推进 5"), "\(page) counts the withheld group")
        }
        #expect(read(out + "/plans/index.html").contains("正常推进 4"))
    }

    @Test func referenceErrorsNameFileAndLineAndWriteNothing() async throws {
        let root = try makeSite([
            "content/materials/m1.md": material("资料"),
            "content/people/groups.csv": "id,name\ng1,一支部\ng1,重复\n",
            "content/people/members.csv": "id,name,group,role\n001234,甲,g1,member\n002,乙,g9,member\n003,丙,g1,boss\n001234,丁,g1,leader\n",
            "content/records/r.csv": "date,member,material,hours,note\n2026-01-05,001234,m1,,\n2026-01-06,999,m1,,\n2026-01-07,001234,nosuch,,\n2026-13-01,001234,m1,,\n2026-01-08,001234,m1,-2,\n2026-01-09,001234,,,\n",
            "content/plans/p.md": "---\ntitle: 计划\nstart: 2026-06-01\nend: 2026-01-01\naudience: [g1, g7]\nitems:\n  - {activity: nope}\n---\n",
            "content/activities/a.md": "---\ntitle: 活动\ntype: lectur\ndate: 2026-02-01\nattendees: [001234, 404]\nplan: nothere\n---\n",
        ])
        let out = root + "/output"
        let (report, _) = await runBuild(root, output: out)
        let text = report.diagnostics.filter { $0.severity == .error }.map(\.description)
        let expected = [
            "content/people/groups.csv:3:1: error: duplicate group id `g1`: also on line 2",
            "content/people/members.csv:3:1: error: unknown group `g9`",
            "content/people/members.csv:4:1: error: unknown role `boss`",
            "content/people/members.csv:5:1: error: duplicate member id `001234`: also on line 2",
            "content/records/r.csv:3:1: error: unknown member `999`",
            "content/records/r.csv:4:1: error: unknown material `nosuch`",
            "content/records/r.csv:5:1: error: `date` should be a date",
            "content/records/r.csv:6:1: error: negative hours",
            "content/records/r.csv:7:1: error: a record needs a material or its hours",
            "content/plans/p.md:4:1: error: the plan ends (2026-01-01) before it starts (2026-06-01)",
            "content/plans/p.md:5:16: error: unknown group `g7`",
            "content/plans/p.md:7:16: error: unknown activity `nope`",
            "content/activities/a.md:3:7: error: unknown activity type `lectur` (did you mean `lecture`?",
            "content/activities/a.md:5:21: error: unknown member `404`",
            "content/activities/a.md:6:7: error: unknown plan `nothere`",
        ]
        for e in expected { #expect(text.contains { $0.hasPrefix(e) }, "missing: \(e)\n\(text.joined(separator: "\n"))") }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func spreadsheetRealities() async throws {
        // GB18030 from Excel on Chinese Windows, Chinese-style dates, leading zeros kept, CRLF and a BOM.
        let root = try makeSite([
            "content/materials/m1.md": material("资料", extra: "hours: 2\n"),
            "content/people/groups.csv": "\u{FEFF}id,name\r\ng1,一支部\r\n",
            "content/people/members.csv": "id,name,group,role,joined,left\n001234,甲,g1,,2026年1月5日,\n1234,乙,g1,leader,,\n",
            "content/plans/p.md": "---\ntitle: 计划\nstart: 2026-01-01\nend: 2026-12-31\nitems: [{material: m1}]\n---\n",
            "content/activities/a.md": "---\ntitle: 活动\ntype: lecture\ndate: 2026-02-01\nattendees: [001234]\n---\n",
        ], config: "title: t\nas_of: 2026-06-01\nprofile: internal\n")
        let gb = "date,member,material,hours,note\n2026/3/1,001234,m1,,\"自学，\n含换行\"\n2026.3.2,1234,m1,1.5,网上学习\n"
        try FileManager.default.createDirectory(atPath: root + "/content/records", withIntermediateDirectories: true)
        try (gb.data(using: CSVTable.gb18030) ?? Data()).write(to: URL(fileURLWithPath: root + "/content/records/r.csv"))
        let (report, out) = await runBuild(root)
        #expect(!report.diagnostics.hasErrors, "\(report.diagnostics)")
        #expect(report.diagnostics.contains { $0.path == "content/records/r.csv" && $0.message.contains("GB18030") })
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/data/progress.json"))) as? [String: Any])
        let members = ((json["plans"] as? [[String: Any]])?.first?["members"] as? [[String: Any]]) ?? []
        #expect(members.map { $0["id"] as? String } == ["001234", "1234"])
        // 001234: record 2 h (the material's hours) + the activity by list 2 h = 4; 1234: 1.5 h.
        #expect(members.map { $0["hours"] as? Double } == [4, 1.5])
        #expect(FileManager.default.fileExists(atPath: out + "/members/001234/index.html"))
    }

    @Test func csvShapeErrors() async throws {
        let root = try makeSite([
            "content/people/groups.csv": "id,title\ng1,x\n",
            "content/records/r.csv": "date,member,material,hours,note\n2026-01-01,a,b\n",
        ])
        let (report, _) = await runBuild(root)
        let text = report.diagnostics.map(\.description)
        #expect(text.contains { $0.hasPrefix("content/people/groups.csv:1:1: error: the header row lacks the column name") })
        #expect(text.contains { $0.hasPrefix("content/records/r.csv:2:1: error: this row has 3 cells, the header has 5") })
    }

    @Test func asOfComesFromFlagThenConfigThenSourceDateEpochThenToday() async throws {
        let root = try makeSite([:], config: "title: t\ntimezone: Asia/Shanghai\n")
        let (fromEpoch, _) = await runBuild(root, write: false) { $0.environment = ["SOURCE_DATE_EPOCH": "1780243200"] }   // 2026-05-31T16:00Z
        #expect(fromEpoch.asOf == Day(iso: "2026-06-01"))   // already June 1st in Shanghai
        let (fromFlag, _) = await runBuild(root, write: false) { $0.asOf = Day(iso: "2026-02-03"); $0.environment = ["SOURCE_DATE_EPOCH": "0"] }
        #expect(fromFlag.asOf == Day(iso: "2026-02-03"))
        let configured = try makeSite([:], config: "title: t\nas_of: 2026-07-08\n")
        let (fromConfig, _) = await runBuild(configured, write: false) { $0.environment = ["SOURCE_DATE_EPOCH": "0"] }
        #expect(fromConfig.asOf == Day(iso: "2026-07-08"))
        let (today, _) = await runBuild(root, write: false) { $0.now = Date(timeIntervalSince1970: 1_800_000_000) }
        #expect(today.asOf == Day(Date(timeIntervalSince1970: 1_800_000_000), in: TimeZone(identifier: "Asia/Shanghai")!))
    }
}
