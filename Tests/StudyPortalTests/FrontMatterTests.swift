import Foundation
import Testing
@testable import StudyPortal

@Suite(.temporaryFiles) struct FrontMatterTests {
    @Test func splitsYAMLAndBodyAndCountsBodyLine() throws {
        let source = try FrontMatter.split("---\ntitle: 甲\n---\n正文\n").get()
        #expect(source.yaml == "title: 甲")
        #expect(source.body == "正文\n")
        #expect(source.bodyLine == 4)
    }

    @Test func acceptsBOMAndCRLF() throws {
        let source = try FrontMatter.split("\u{FEFF}---\r\ntitle: 甲\r\n---\r\n正文\r\n").get()
        #expect(source.yaml == "title: 甲")
        #expect(source.body == "正文\n")
    }

    @Test func noFrontMatterLeavesBodyWhole() throws {
        let source = try FrontMatter.split("# 标题\n").get()
        #expect(source.yaml == nil)
        #expect(source.body == "# 标题\n")
    }

    @Test func unterminatedFrontMatterIsAnErrorOnLineOne() {
        guard case .failure(let error) = FrontMatter.split("---\ntitle: 甲\n正文\n") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.line == 1)
        #expect(error.message.contains("never closed"))
    }

    /// The bytes' path (`split(bytes:)`) takes the common files, and reads each it takes exactly as
    /// the general path (`TextDecoding.markdown`, then `split`) does, with no warning lost: random
    /// files built from fences, near-fences, BOMs, CRs, NULs, invalid bytes and combining marks.
    @Test func bytesPathReadsAsTheGeneralPath() throws {
        var random = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = ["---", "--- \t", "----", "-- -", "---\u{301}", "title: 甲", "正文", "", " ", "\t", "a",
                                 "\u{FEFF}", "\r", "\0", "# 标题", "é"].map { Array($0.utf8) } + [[0xFF], [0xE6, 0xAD], [0xC3]]
        var taken = 0
        for round in 0..<3000 {
            var lines = (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random) ?? [] }
            if round % 2 == 0 { lines = [Array("---".utf8)] + lines }   // half open with a fence
            if round % 4 == 0 { lines.insert(Array("---".utf8), at: Int.random(in: 1...lines.count, using: &random)) }
            var bytes = Array(lines.joined(separator: [0x0A]))
            if Bool.random(using: &random) { bytes.append(0x0A) }
            let (text, warnings) = TextDecoding.markdown(Data(bytes), path: "x.md")
            let general = FrontMatter.split(text)
            guard let fast = bytes.withUnsafeBytes(FrontMatter.split(bytes:)) else { continue }
            taken += 1
            let expected = try general.get()
            #expect(warnings.isEmpty, "\(bytes)")
            #expect(fast.yaml == expected.yaml && fast.body == expected.body && fast.bodyLine == expected.bodyLine, "\(bytes)")
            #expect(fast.yaml.map { Array($0.utf8) } == expected.yaml.map { Array($0.utf8) } && Array(fast.body.utf8) == Array(expected.body.utf8))
        }
        #expect(taken > 300)
        let common = Array("---\ntitle: 甲\n---\n正文\n".utf8).withUnsafeBytes(FrontMatter.split(bytes:))
        #expect(common?.yaml == "title: 甲" && common?.body == "正文\n" && common?.bodyLine == 4)
    }

    /// The hand-written validator the build's bodies go through decides as the standard library's
    /// does: every one- and two-byte sequence, three- and four-byte ones over every lead and second
    /// byte (with boundary values after), and random text mixing ASCII runs (which it reads eight
    /// bytes at a time) with characters of every length, some cut short or corrupted.
    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        func agree(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) == (String(validating: $0, as: UTF8.self) != nil) }
        }
        let edges: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xFF]
        var disagreements: [[UInt8]] = []
        for a in 0...255 {
            let a = UInt8(a)
            if !agree([a]) { disagreements.append([a]) }
            for b in 0...255 {
                let b = UInt8(b)
                if !agree([a, b]) { disagreements.append([a, b]) }
                guard a >= 0xE0 else { continue }
                for c in edges {
                    if !agree([a, b, c]) { disagreements.append([a, b, c]) }
                    guard a >= 0xF0 else { continue }
                    for d in edges where !agree([a, b, c, d]) { disagreements.append([a, b, c, d]) }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
        var random = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = ["a", "abcdefgh", "0123456789abcdefghij", "é", "学习", "，", "𠀀", "\u{FFFF}", "\u{10FFFF}"].map { Array($0.utf8) }
        for _ in 0..<20_000 {
            var bytes = Array((0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random) ?? [] }.joined())
            if !bytes.isEmpty && Bool.random(using: &random) {
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.removeLast()
                case 1: bytes[Int.random(in: bytes.indices, using: &random)] = UInt8.random(in: 0x80...0xFF, using: &random)
                default: bytes.insert(UInt8.random(in: 0x80...0xFF, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
                }
            }
            #expect(agree(bytes), "\(bytes)")
        }
    }

    @Test func yamlErrorIsReportedAtTheLineInTheFile() {
        // Line 3 of the file is the bad one (line 2 of the YAML block).
        do {
            _ = try YAML.parse("title: 甲\ntags: [a, b\n", lineOffset: 1)
            Issue.record("expected an error")
        } catch {
            #expect(error.line >= 3)
            #expect(error.column >= 1)
        }
    }

    @Test func idsAndDatesStayTextAsWritten() throws {
        let value = try YAML.parse("attendees: [001234, 0x10]\ndate: 2026-03-01\nflag: yes\n")
        var fields = Fields(value, path: "x.md")
        #expect(fields.strings("attendees") == ["001234", "0x10"])
        #expect(fields.day("date") == Day(year: 2026, month: 3, day: 1))
        #expect(fields.bool("flag") == true)
    }

    @Test func aliasBombIsRefusedQuickly() {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        do {
            _ = try YAML.parse(yaml, lineOffset: 1)
            Issue.record("an alias bomb must not parse")
        } catch {
            #expect(error.message.contains("aliases"))
            #expect(error.line == 3)
        }
    }

    @Test func hugeDocumentsHitTheNodeBudget() {
        let yaml = "tags: [" + Array(repeating: "a", count: YAML.nodeBudget + 10).joined(separator: ",") + "]\n"
        #expect(throws: YAMLError.self) { try YAML.parse(yaml) }
    }

    @Test func fieldsReportTypeErrorsMissingAndUnknownKeys() throws {
        let value = try YAML.parse("date: 2026-13-01\nhours: -2\ncolour: red\n", lineOffset: 1)
        var fields = Fields(value, path: "content/materials/x.md")
        _ = fields.string("title", required: true)
        _ = fields.day("date")
        _ = fields.number("hours")
        fields.finish()
        let messages = fields.diagnostics.map(\.description)
        #expect(messages.contains { $0.hasPrefix("content/materials/x.md:1:1: error: missing required field `title`") })
        #expect(messages.contains { $0.hasPrefix("content/materials/x.md:2:7: error: `date` should be a date") })
        #expect(messages.contains { $0.hasPrefix("content/materials/x.md:3:8: error: `hours` must not be negative") })
        #expect(messages.contains { $0.hasPrefix("content/materials/x.md:4:1: warning: unknown field `colour`") })
    }

    /// Keys are matched as strings compare (canonical equivalence), and unknown keys are warned
    /// about in the order written, however many keys there are. (Equal keys twice are the YAML
    /// reader's error.)
    @Test func fieldsFindKeysAsStringsCompare() throws {
        for extra in [0, 40] {
            let filler = (0..<extra).map { "k\($0): v\($0)\n" }.joined()
            let yaml = "caf\u{E9}: 1\n" + filler + "title: 甲\n\u{212A}ind: 3\nodd: 4\n"
            var fields = Fields(try YAML.parse(yaml, lineOffset: 1), path: "x.md")
            #expect(fields.string("cafe\u{301}") == "1")
            #expect(fields.string("title") == "甲")
            #expect(fields.string("Kind") == "3")   // U+212A KELVIN SIGN is K to `==`
            #expect(fields.string("missing") == nil)
            for k in stride(from: 0, to: extra, by: 2) { #expect(fields.string("k\(k)") == "v\(k)") }
            fields.finish()
            let unknown = fields.diagnostics.map(\.message)
            #expect(unknown == (0..<extra).filter { $0 % 2 == 1 }.map { "unknown field `k\($0)` (ignored)" } + ["unknown field `odd` (ignored)"])
        }
    }

    @Test(arguments: ["", "a/b", "a\\b", ".hidden", "a..b", "x\u{7}y"])
    func unsafeSlugsAreRefused(_ slug: String) {
        #expect(Slug.problem(slug) != nil)
    }

    @Test func unicodeSlugsAreFine() {
        #expect(Slug.problem("终身学习") == nil)
        #expect(Slug.problem("2026-annual") == nil)
        #expect(Slug.problem("Study_Plan-9") == nil)
        #expect(Slug.problem("学习 ") != nil)
    }

    @Test func spreadsheetDates() {
        let expected = Day(year: 2026, month: 3, day: 1)
        for text in ["2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日", "2026/03/01"] {
            #expect(Day(spreadsheet: text) == expected, "\(text)")
        }
        #expect(Day(spreadsheet: "2026/2/30") == nil)
        #expect(Day(iso: "2026/3/1") == nil)
        #expect(Day(iso: "2024-02-29") != nil)
        #expect(Day(iso: "2026-02-29") == nil)
    }

    /// Days are kept packed in one integer: each keeps its year, month and day, and days order and
    /// compare as their (year, month, day) do, at the edges of every field too.
    @Test func daysKeepTheirFieldsAndOrder() throws {
        var random = SystemRandomNumberGenerator()
        let edges = [(1, 1, 1), (9999, 12, 31), (2024, 2, 29), (2026, 1, 31), (2026, 12, 1), (511, 15 & 12, 16)]
        var days = try edges.map { try #require(Day(year: $0.0, month: $0.1, day: $0.2)) }
        for _ in 0..<500 {
            let (y, m) = (Int.random(in: 1...9999, using: &random), Int.random(in: 1...12, using: &random))
            days.append(try #require(Day(year: y, month: m, day: Int.random(in: 1...Day.daysIn(month: m, year: y), using: &random))))
        }
        for (a, (y, m, d)) in zip(days, edges) { #expect((a.year, a.month, a.day) == (y, m, d)) }
        for a in days.prefix(60) {
            #expect(Day(iso: a.description) == a)
            for b in days {
                #expect((a < b) == ((a.year, a.month, a.day) < (b.year, b.month, b.day)))
                #expect((a == b) == ((a.year, a.month, a.day) == (b.year, b.month, b.day)))
            }
        }
    }

    @Test func numbersAreWrittenAsStringWouldWithTheirPadding() {
        var numbers = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 2026, 9999, 10000, 123_456_789, Int.max, -1, -2026, Int.min]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 { numbers.append(Int.random(in: 0...1_000_000_000, using: &generator) >> Int.random(in: 0...30, using: &generator)) }
        for n in numbers {
            for width in [1, 2, 4, 12, 25] {
                var out: [UInt8] = Array("x".utf8)
                Digits.append(n, width: width, to: &out)
                let digits = String(n.magnitude)
                let expected = "x" + (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
                #expect(String(decoding: out, as: UTF8.self) == expected, "\(n) width \(width)")
            }
        }
    }

    @Test func datesAreWrittenAsReadersExpect() throws {
        // Digits are written by hand (no String per date): compare with Foundation's formatting over
        // every width of year, month and day.
        let english = DateFormatter()
        english.locale = Locale(identifier: "en_US_POSIX")
        for (y, m, d) in [(1, 1, 1), (9, 9, 9), (33, 10, 10), (999, 12, 31), (1000, 2, 28), (2026, 3, 1), (2024, 2, 29), (9999, 12, 31)] {
            let day = try #require(Day(year: y, month: m, day: d))
            #expect(day.description == String(format: "%04d-%02d-%02d", y, m, d))
            #expect(Strings.date(day, .zhCN) == "\(y)年\(m)月\(d)日")
            #expect(Strings.date(day, .en) == "\(d) \(english.standaloneMonthSymbols[m - 1]) \(y)")
            var page: [UInt8] = []
            #expect(DayView(day: day, language: .zhCN).writeMember("iso", to: &page, escaped: true))
            #expect(DayView(day: day, language: .zhCN).writeMember("text", to: &page, escaped: true))
            #expect(!DayView(day: day, language: .zhCN).writeMember("weekday", to: &page, escaped: true))
            #expect(String(decoding: page, as: UTF8.self) == day.description + Strings.date(day, .zhCN))
        }
    }

    @Test func trimmingSpacesMatchesFoundation() {
        let samples = ["", " ", "\t", "abc", " abc ", "\tabc\t", "\u{3000}学习\u{3000}", "\u{200B}x\u{200B}", "\u{A0}\u{2009}x y\u{202F}",
                       " \u{301}a", "学 习", "\n a \n", "\u{FEFF}x", "  ", "\u{1680}\u{205F}"]
        for s in samples { #expect(s.trimmingSpaces() == s.trimmingCharacters(in: .whitespaces), "\(s.unicodeScalars.map { $0.value })") }
    }
}
