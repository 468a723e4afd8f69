import Foundation
import Testing
@testable import StudyPortal

@Suite(.temporaryFiles) struct LedgerTests {
    /// Parses our CSV back (RFC 4180) to check what a spreadsheet would see.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false
        var chars = Array(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = chars.next() { if n == "\"" { cell.append("\"") } else { quoted = false; pending = n } } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(cell); cell = ""
            } else if c == "\r\n" || c == "\n" { row.append(cell); rows.append(row); row = []; cell = ""
            } else { cell.append(c) }
        }
        if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
        return rows
    }

    /// The buffer the tables' rows are written into holds what an array would: appends past its
    /// room (it grows), bytes put in front of what was written, numbers, hours and escaped text.
    @Test func byteBufferHoldsWhatAnArrayWould() {
        var random = SystemRandomNumberGenerator()
        let pieces = ["", "a", "<td>", "学习", "&\"'<>", String(repeating: "长", count: 200)]
        for _ in 0..<200 {
            var buffer = ByteBuffer(capacity: Int.random(in: 0...8, using: &random))
            var array: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                switch Int.random(in: 0..<5, using: &random) {
                case 0:
                    var piece = pieces.randomElement(using: &random) ?? ""
                    piece.withUTF8 { buffer.append(contentsOf: $0); array.append(contentsOf: $0) }
                case 1:
                    let piece = pieces.randomElement(using: &random) ?? ""
                    HTMLEscape.append(piece, into: &buffer)
                    HTMLEscape.append(piece, to: &array)
                case 2:
                    let n = Int.random(in: -100_000...100_000, using: &random)
                    Digits.append(n, width: 3, to: &buffer)
                    Digits.append(n, width: 3, to: &array)
                case 3:
                    let h = Double(Int.random(in: -1000...1000, using: &random)) / 8
                    Strings.appendHours(h, to: &buffer)
                    Strings.appendHours(h, to: &array)
                default:
                    let at = Int.random(in: 0...array.count, using: &random), byte = UInt8.random(in: 0...255, using: &random)
                    buffer.insert(byte, at: at)
                    array.insert(byte, at: at)
                }
            }
            #expect(buffer.count == array.count)
            #expect((0..<buffer.count).allSatisfy { buffer.byte(at: $0) == array[$0] })
            var written: [UInt8] = [1, 2]
            buffer.write(to: &written)
            #expect(written == [1, 2] + array)
        }
    }

    @Test func csvCellsAreQuotedAndFormulaSafe() {
        #expect(CSVWriter.cell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        #expect(CSVWriter.cell("+1") == "'+1")
        #expect(CSVWriter.cell("-2") == "'-2")
        #expect(CSVWriter.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.cell("\tx") == "'\tx")
        #expect(CSVWriter.cell("a\r\nb") == "\"a\r\nb\"")
        #expect(CSVWriter.cell("学习") == "学习")
        #expect(CSVWriter.document([["a", "b"]]) == "\u{FEFF}a,b\r\n")
    }

    /// Every member's ledger adds up to their year figure, which the member page shows, and the CSV
    /// and progress.json agree with the page.
    @Test func memberLedgersAddUpToTheYearFigure() async throws {
        let (report, out) = await runBuild(repoRoot)
        #expect(!report.diagnostics.hasErrors)
        let index = try FileManager.default.contentsOfDirectory(atPath: out + "/ledgers/2026/members")
        #expect(index.count == 24)
        for id in index {
            let rows = Self.parseCSV(read(out + "/ledgers/2026/members/\(id)/ledger.csv"))
            #expect(rows.first?.first == "序号")
            let body = rows.dropFirst().filter { $0.first != "合计" }
            let sum = body.reduce(0.0) { $0 + (Double($1[6]) ?? .nan) }
            let total = try #require(rows.last).first == "合计" ? Double(rows.last?[6] ?? "") : nil
            #expect(total.map { abs($0 - sum) < 1e-9 } == true, "\(id)")
            #expect(body.last.map { Double($0[7]) } == .some(total), "\(id): cumulative ends at the total")
            // The member page shows the same year total, and so does the ledger page.
            let shown = Strings.hours(sum)
            #expect(read(out + "/members/\(id)/index.html").contains("<span>\(shown) / "), "\(id) member page")
            #expect(read(out + "/ledgers/2026/members/\(id)/index.html").contains("<td colspan=\"3\">\(shown)"), "\(id) ledger page")
        }
    }

    /// Hand-checked: u002's 2026 events are 13 records (20.5 h) and 3 activities (8 h).
    @Test func aLedgerByHand() async throws {
        let (_, out) = await runBuild(repoRoot)
        let rows = Self.parseCSV(read(out + "/ledgers/2026/members/u002/ledger.csv"))
        #expect(rows.count == 1 + 16 + 1)
        #expect(rows.last == ["合计", "", "", "", "", "", "28.5", "", "", ""])
        let club = try #require(rows.first { $0[1] == "2026-03-19" })
        #expect(club[2] == "读书会" && club[6] == "2" && club[8] == "有")
    }

    @Test func groupLedgersListTheGroupsAndOrganisationWideActivities() async throws {
        let (_, out) = await runBuild(repoRoot)
        let g1 = Self.parseCSV(read(out + "/ledgers/2026/groups/g1/ledger.csv"))
        #expect(g1.first == ["序号", "日期", "形式", "学习内容", "主持人", "主讲人", "地点", "应到", "实到", "缺席", "学时"])
        let dates = g1.dropFirst().dropLast().map { $0[1] }
        #expect(dates.contains("2026-04-16"))          // the lecture with no group appears in every group's ledger
        #expect(!dates.contains("2026-10-29"))         // after the as-of date
        #expect(dates == dates.sorted())
        let club = try #require(g1.first { $0[1] == "2026-03-19" })
        #expect(club[7] == "8" && club[8] == "7" && club[9].contains("（"))
        let members = Self.parseCSV(read(out + "/ledgers/2026/groups/g1/members.csv"))
        #expect(members.count == 1 + 8)
        // progress.json's attendance figures match the ledger's.
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/data/progress.json"))) as? [String: Any])
        let activity = try #require((json["activities"] as? [[String: Any]])?.first { $0["id"] as? String == "2026-03-dushuhui" })
        #expect("\(activity["expected"] ?? "")" == club[7] && "\(activity["attended"] ?? "")" == club[8])
    }

    @Test func planExportsMatchProgressJSON() async throws {
        let (_, out) = await runBuild(repoRoot)
        let rows = Self.parseCSV(read(out + "/progress/2026-annual-groups.csv"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/data/progress.json"))) as? [String: Any])
        let plan = try #require((json["plans"] as? [[String: Any]])?.first { $0["id"] as? String == "2026-annual" })
        let groups = try #require(plan["groups"] as? [[String: Any]])
        #expect(rows.count == groups.count + 1)
        for (row, g) in zip(rows.dropFirst(), groups) {
            #expect(row[0] == g["id"] as? String)
            #expect(Double(row[7]) == g["hours_mean"] as? Double)
            #expect(Double(row[8]) == g["completion_mean"] as? Double)
        }
        #expect(Self.parseCSV(read(out + "/progress/2026-annual-members.csv")).count == 25)
    }

    @Test func formulaInARecordNoteIsNeutralised() async throws {
        let root = try makeSite([
            "content/materials/m.md": material("资料"),
            "content/people/groups.csv": "id,name\ng1,一支部\n",
            "content/people/members.csv": "id,name,group,role\nu1,甲,g1,\n",
            "content/records/r.csv": "date,member,material,hours,note\n2026-01-05,u1,m,,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\"\n",
        ], config: "title: t\nprofile: internal\nas_of: 2026-02-01\n")
        let (report, out) = await runBuild(root)
        #expect(!report.diagnostics.hasErrors, "\(report.diagnostics)")
        let text = read(out + "/ledgers/2026/members/u1/ledger.csv")
        for (path, data) in snapshot(out) where path.hasSuffix(".csv") {
            #expect(data.starts(with: [0xEF, 0xBB, 0xBF]), "\(path) starts with a UTF-8 BOM")
            for row in Self.parseCSV(String(decoding: data, as: UTF8.self)) {
                for cell in row { #expect(!(cell.first.map { "=+-@\t\r".contains($0) } ?? false), "\(path): \(cell)") }
            }
        }
        #expect(text.contains("'=HYPERLINK"))
    }

    /// The ledgers' addresses are known only once the figures are, after the Markdown has begun
    /// (it is rendered beside them): links to them still resolve, and a link to a year without
    /// ledgers is still broken.
    @Test func linksToLedgerPagesResolve() async throws {
        let body = "[本年台账](/ledgers/2026/) [个人台账](/ledgers/2026/members/u1/ledger.csv) [明年](/ledgers/2027/)"
        let root = try makeSite([
            "content/materials/m.md": material("资料", body),
            "content/people/groups.csv": "id,name\ng1,一支部\n",
            "content/people/members.csv": "id,name,group,role\nu1,甲,g1,\n",
            "content/records/r.csv": "date,member,material,hours,note\n2026-01-05,u1,m,,\n",
        ], config: "title: t\nprofile: internal\nas_of: 2026-02-01\nlinks: warn\nbase_url: /portal/\n")
        let (report, out) = await runBuild(root)
        #expect(report.diagnostics.map(\.message) == ["broken link `/ledgers/2027/`: the site has no /ledgers/2027/"])
        // Resolved links get the base URL's path; the broken one is left as written.
        let page = read(out + "/materials/m/index.html")
        #expect(page.contains("<a href=\"/portal/ledgers/2026/\">本年台账</a>"))
        #expect(page.contains("<a href=\"/portal/ledgers/2026/members/u1/ledger.csv\">个人台账</a>"))
        #expect(page.contains("<a href=\"/ledgers/2027/\">明年</a>"))
        var serial = report
        (serial, _) = await runBuild(root) { $0.jobs = 1 }
        #expect(serial.diagnostics.map(\.message) == report.diagnostics.map(\.message))
    }

    @Test func publicProfileWritesNoMemberLedgersAndNoNamesInGroupLedgers() async throws {
        let (_, out) = await runBuild(repoRoot) { $0.profile = .public }
        #expect(!FileManager.default.fileExists(atPath: out + "/ledgers/2026/members"))
        #expect(FileManager.default.fileExists(atPath: out + "/ledgers/2026/groups/g1/ledger.csv"))
        #expect(!FileManager.default.fileExists(atPath: out + "/ledgers/2026/groups/g1/members.csv"))
        let header = Self.parseCSV(read(out + "/ledgers/2026/groups/g1/ledger.csv")).first ?? []
        #expect(!header.contains("主持人"))
        let names = read(repoRoot + "/content/people/members.csv").split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }
        for (path, data) in snapshot(out) where path.hasPrefix("ledgers/") || path.hasPrefix("progress/") {
            let text = String(decoding: data, as: UTF8.self)
            for name in names { #expect(!text.contains(name), "\(name) in \(path)") }
        }
    }
}

/// The built-in ledger table is written by code (`Views.TableView.writeBuiltInPartial`): it must give
/// exactly what interpreting the built-in template gives, and a site's own partial must win.
@Suite(.temporaryFiles) struct LedgerTableTests {
    static let wrapper = "{{#table}}{{>partials/ledger-table}}{{/table}}|{{#table}}{{csv}}{{/table}}"

    @Test func theBuiltInTableIsWrittenAsItsTemplateReads() throws {
        let (theme, problems) = Theme.load(siteRoot: temporaryPath("no-site"))
        #expect(problems.isEmpty)
        var native = theme.library
        native.register(try Template(Self.wrapper), named: "wrapper")
        var interpreted = native
        interpreted.natives = [:]
        #expect(native.natives["partials/ledger-table"] != nil)

        let pieces = ["学习", "<b>", "&", "\"", "'", "12.5", "", " ", "a,b", "第一\n第二"]
        var random = SystemRandomNumberGenerator()
        func text() -> String { (0..<Int.random(in: 0...3, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined() }
        for _ in 0..<300 {
            let columns = Int.random(in: 0...6, using: &random)
            let table = Views.Table(header: (0..<columns).map { _ in text() },
                                    rows: (0..<Int.random(in: 0...4, using: &random)).map { _ in (0..<columns).map { _ in text() } },
                                    total: [nil, [], (0..<columns).map { _ in text() }].randomElement(using: &random) ?? nil)
            var view = Views.TableView(table: table, numeric: UInt64.random(in: 0...63, using: &random))
            if Bool.random(using: &random) { view.csvURL = "ledger.csv" }
            let context: View = ["table": view]
            let expected = interpreted.render("wrapper", context)
            #expect(native.render("wrapper", context) == expected, "\(table)")
        }
    }

    /// A member ledger kept as its entries: its HTML (written by code from the per-render cells,
    /// and interpreted from the rows as text) and its CSV are those of the same rows as strings, byte
    /// for byte — records of a material or not, with and without kind, title and note, activities,
    /// text needing escapes and quotes, a cell starting like a formula, hours with fractions.
    @Test func memberLedgerRowsAreTheirStrings() throws {
        let (theme, _) = Theme.load(siteRoot: temporaryPath("no-site"))
        var native = theme.library
        native.register(try Template(Self.wrapper), named: "wrapper")
        var interpreted = native
        interpreted.natives = [:]
        let pieces = ["学习", "<b>", "&", "\"", "'", "12.5", "", " ", "a,b", "第一\n第二", "=1+1", "-x", "@"]
        var random = SystemRandomNumberGenerator()
        func text() -> String { (0..<Int.random(in: 0...3, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined() }
        for _ in 0..<300 {
            let records = (0..<4).map { _ in
                Record(date: Day(year: 2026, month: 1, day: 1)!, member: Ref("m1", path: "", line: 0), material: nil, hours: nil, note: text(),
                       title: Bool.random(using: &random) ? text() : nil, kind: Bool.random(using: &random) ? text() : nil)
            }
            let recordWord = text()
            let subjects = LedgerSubjects(records: records, recordMaterial: records.map { _ in Int.random(in: -1..<3, using: &random) },
                                          recordWord: recordWord, yes: text(), no: text(), materials: (0..<3).map { _ in (text(), text()) },
                                          activities: (0..<2).map { _ in (text(), text(), text(), text()) }, activityDays: [Day(year: 2025, month: 7, day: 1)!])
            var total = 0.0
            let entries = (0..<Int.random(in: 0...6, using: &random)).map { _ -> LedgerEntry in
                let hours: Double = [0, 1, 1.5, 2.25, 0.125, 1.0 / 3, 100_000].randomElement(using: &random) ?? 0
                total += hours
                let source: StudyEvent.Source = Bool.random(using: &random) ? .record(Int.random(in: 0..<4, using: &random)) : .activity(Int.random(in: 0..<2, using: &random))
                // On the days records and activities fall on (dates made once per render), or others.
                let date = [Day(year: 2026, month: 1, day: 1)!, Day(year: 2025, month: 7, day: 1)!].randomElement(using: &random)
                return LedgerEntry(event: StudyEvent(date: Bool.random(using: &random) ? date ?? Day(year: 2026, month: 1, day: 1)!
                                                        : Day(year: Int.random(in: 1990...2100, using: &random), month: Int.random(in: 1...12, using: &random), day: 1)!,
                                                     hours: hours, source: source),
                                   cumulative: total, hasReflection: Bool.random(using: &random))
            }
            let rows = MemberLedgerRows(entries: entries, subjects: subjects)
            let header = (0..<10).map { _ in text() }, totals = [nil, (0..<10).map { _ in text() }].randomElement(using: &random) ?? nil
            let kept = Views.Table(header: header, ledger: rows, total: totals)
            let asText = Views.Table(header: header, rows: rows.strings(), total: totals)
            // A record's form and note are its own, read from the record (the rows take them from
            // tables made once per render).
            for (k, entry) in entries.enumerated() {
                guard case .record(let i) = entry.event.source else { continue }
                #expect(asText.rows[k][2] == (records[i].kind ?? recordWord) && asText.rows[k][9] == records[i].note)
            }
            #expect(kept.csv == asText.csv, "\(entries)")
            #expect(kept.rows == asText.rows && kept.rowCount == entries.count)
            let numeric = UInt64.random(in: 0...1023, using: &random)
            let expected = interpreted.render("wrapper", ["table": Views.TableView(table: asText, numeric: numeric)])
            #expect(native.render("wrapper", ["table": Views.TableView(table: kept, numeric: numeric)]) == expected, "\(entries)")
            #expect(interpreted.render("wrapper", ["table": Views.TableView(table: kept, numeric: numeric)]) == expected, "\(entries)")
        }
    }

    /// The code declines any context but its own table view: a view with the same names is interpreted.
    @Test func anotherContextIsInterpreted() throws {
        var (theme, _) = Theme.load(siteRoot: temporaryPath("no-site"))
        theme.library.register(try Template(Self.wrapper), named: "wrapper")
        var interpreted = theme.library
        interpreted.natives = [:]
        let table: View = ["header": Views.Cells(texts: ["日期", "学时"], numeric: 2),
                           "rows": Views.Rows(rows: [["3月1日", "2"]], numeric: 2), "total": Views.Cells(texts: [], numeric: 0)]
        let out = theme.library.render("wrapper", ["table": table])
        #expect(out == interpreted.render("wrapper", ["table": table]))
        #expect(String(decoding: out, as: UTF8.self).contains("<td class=\"num\">2</td>"))
    }

    @Test func unchangedCopiesOfTheBuiltInTablesAreStillWrittenByCode() throws {
        let site = temporaryPath("copied-table")
        #expect(Theme.natives.count == 2)
        for native in Theme.natives {
            let builtIn = try #require(EmbeddedFiles.theme.first { $0.path == native.name + ".html" }.flatMap { Data(base64Encoded: $0.data) })
            try write(String(decoding: builtIn, as: UTF8.self), to: site + "/templates/\(native.name).html")
        }
        let (theme, problems) = Theme.load(siteRoot: site)
        #expect(problems.isEmpty)
        for native in Theme.natives { #expect(theme.library.natives[native.name] != nil, "\(native.name)") }
    }

    /// The table as `member.html` had it inline before it became a partial: a site's older copy of
    /// `member.html` still renders it, and must give the same page.
    static let inlineEventTable = "{{^empty(events)}}<section class=\"panel\"><h2>{{events_title}}</h2>\n<div class=\"table-wrap\"><table class=\"data\">\n<thead><tr><th scope=\"col\">{{t.date}}</th><th scope=\"col\">{{t.form}}</th><th scope=\"col\">{{t.content_col}}</th><th scope=\"col\" class=\"num\">{{t.hours_label}}</th></tr></thead>\n<tbody>\n{{#events}}<tr><td>{{#date}}<time datetime=\"{{iso}}\">{{text}}</time>{{/date}}</td><td>{{form}}</td><td>{{#url}}<a href=\"{{url}}\">{{title}}</a>{{/url}}{{^url}}{{title}}{{/url}}</td><td class=\"num\">{{hours}}</td></tr>\n{{/events}}</tbody></table></div></section>{{/empty(events)}}"

    /// The member page's event table: random events (subjects with links or none, text needing
    /// escapes, both languages' dates, hours with and without fractions) written by code, by the built-in template, and by the inline table of older
    /// copies of `member.html`, byte for byte.
    @Test func theBuiltInEventTableIsWrittenAsItsTemplateReads() throws {
        let (theme, problems) = Theme.load(siteRoot: temporaryPath("no-site"))
        #expect(problems.isEmpty)
        var native = theme.library
        native.register(try Template("{{^empty(events)}}<section class=\"panel\"><h2>{{events_title}}</h2>\n{{#event_table}}{{>partials/event-table}}{{/event_table}}</section>{{/empty(events)}}"),
                        named: "wrapper")
        native.register(try Template(Self.inlineEventTable), named: "inline")
        // The wrapper is the built-in member page's own section.
        let memberPage = try #require(EmbeddedFiles.theme.first { $0.path == "member.html" }.flatMap { Data(base64Encoded: $0.data) })
        #expect(String(decoding: memberPage, as: UTF8.self).contains(
            "{{^empty(events)}}<section class=\"panel\"><h2>{{events_title}}</h2>\n{{#event_table}}{{>partials/event-table}}{{/event_table}}</section>{{/empty(events)}}"))
        var interpreted = native
        interpreted.natives = [:]
        #expect(native.natives["partials/event-table"] != nil)

        let pieces = ["学习", "<b>", "&", "\"", "'", "1.5", "", " ", "/materials/a/"]
        var random = SystemRandomNumberGenerator()
        func text() -> String { (0..<Int.random(in: 0...3, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined() }
        let words = ["date", "form", "content_col", "hours_label"]
        for _ in 0..<300 {
            let strings = Dictionary(uniqueKeysWithValues: words.filter { _ in Int.random(in: 0..<8, using: &random) > 0 }.map { ($0, text()) })
            // Subjects with and without links (a draft's nil, an empty link), records of a material or
            // of outside study, with and without a kind; events of both sources, both languages.
            let materials = (0..<3).map { _ in (title: text(), url: [nil, "", text()].randomElement(using: &random) ?? nil) }
            let activities = (0..<3).map { _ in (title: text(), url: Bool.random(using: &random) ? "" : text(), form: text()) }
            // Days the records and activities fall on, whose row starts are made beforehand, and others.
            let known = (0..<3).map { _ in Day(year: Int.random(in: 2025...2026, using: &random), month: Int.random(in: 1...12, using: &random), day: Int.random(in: 1...28, using: &random)) ?? Day(year: 2026, month: 1, day: 1)! }
            let records = (0..<4).map { k in
                Record(date: known[k % 2], member: Ref("m1", path: "", line: 0), material: nil, hours: nil, note: "",
                       title: Bool.random(using: &random) ? text() : nil, kind: Bool.random(using: &random) ? text() : nil)
            }
            let subjects = EventSubjects(language: Bool.random(using: &random) ? .zhCN : .en, recordWord: text(), records: records,
                                         recordMaterial: records.map { _ in Int.random(in: -1..<3, using: &random) },
                                         materials: materials, activities: activities, activityDays: [known[2]])
            let events = (0..<Int.random(in: 0...6, using: &random)).map { _ in
                StudyEvent(date: Bool.random(using: &random) ? known.randomElement(using: &random) ?? known[0]
                               : Day(year: Int.random(in: 1990...2100, using: &random), month: Int.random(in: 1...12, using: &random), day: Int.random(in: 1...28, using: &random)) ?? Day(year: 2026, month: 1, day: 1)!,
                           hours: [0, 1, 1.5, 2.25, 0.125, 1.0 / 3, 100_000].randomElement(using: &random) ?? 0,
                           source: Bool.random(using: &random) ? .record(Int.random(in: 0..<4, using: &random)) : .activity(Int.random(in: 0..<3, using: &random)))
            }
            let rows = EventRows(events: events, subjects: subjects)
            // A `url` further down the stack, as a page could have: a row without a link must not reach it.
            let context: View = ["t": View(strings.mapValues { $0 as any TemplateValue }), "url": "/outer/", "events_title": text(),
                                 "events": rows, "event_table": EventTable(rows: rows, header: words.map { strings[$0] ?? "" })]
            let expected = interpreted.render("wrapper", context)
            #expect(native.render("wrapper", context) == expected, "\(events) \(strings)")
            #expect(native.render("inline", context) == expected, "\(events) \(strings)")
        }
    }

    /// The theme of a site holding its own version of the built-in partial `name`: that partial is
    /// interpreted, the other built-in table still written by code.
    func themeWithOwn(_ name: String, _ text: String, other: String) throws -> Theme {
        let site = temporaryPath("own-" + name.replacingOccurrences(of: "/", with: "-"))
        try write(text, to: site + "/templates/\(name).html")
        let (theme, problems) = Theme.load(siteRoot: site)
        #expect(problems.isEmpty)
        #expect(theme.library.natives[name] == nil && theme.library.natives[other] != nil)
        return theme
    }

    @Test func aSitesOwnEventTableIsInterpreted() throws {
        var theme = try themeWithOwn("partials/event-table", "<p>{{#rows}}[{{title}}]{{/rows}}</p>", other: "partials/ledger-table")
        theme.library.register(try Template("{{#t}}{{>partials/event-table}}{{/t}}"), named: "wrapper")
        let subjects = EventSubjects(language: .zhCN, recordWord: "自学", records: [], recordMaterial: [], materials: [],
                                     activities: [(title: "党章", url: "", form: "讲座")])
        let event = StudyEvent(date: Day(year: 2026, month: 3, day: 1)!, hours: 2, source: .activity(0))
        let rows = EventRows(events: [event, event], subjects: subjects)
        #expect(String(decoding: theme.library.render("wrapper", ["t": EventTable(rows: rows, header: ["日期", "形式", "内容", "学时"])]), as: UTF8.self) == "<p>[党章][党章]</p>")
    }

    @Test func aSitesOwnLedgerTableIsInterpreted() throws {
        var theme = try themeWithOwn("partials/ledger-table", "<p>{{#rows}}{{#cells}}[{{text}}]{{/cells}}{{/rows}}</p>", other: "partials/event-table")
        theme.library.register(try Template(Self.wrapper), named: "wrapper")
        let view = Views.TableView(table: Views.Table(header: ["日期"], rows: [["1"], ["2"]], total: nil), numeric: 1)
        #expect(String(decoding: theme.library.render("wrapper", ["table": view]), as: UTF8.self) == "<p>[1][2]</p>|")
    }
}
