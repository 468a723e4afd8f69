import Foundation
import Testing
@testable import StudyPortal

struct CSVTests {
    /// Rows as (line, cells), and the problems, of `text`.
    func scan(_ text: String) -> (rows: [[String]], lines: [Int], problems: [CSVScanner.Problem]) {
        var copy = text
        return copy.withUTF8 { bytes in
            var scanner = CSVScanner(bytes)
            var rows: [[String]] = [], lines: [Int] = []
            while let row = scanner.next() {
                rows.append(row.cells)
                lines.append(row.line)
            }
            return (rows, lines, scanner.problems)
        }
    }

    @Test(arguments: [
        ("a,b\n1,2\n", [["a", "b"], ["1", "2"]], [1, 2]),
        ("a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]], [1, 2]),
        ("a,b\r1,2", [["a", "b"], ["1", "2"]], [1, 2]),
        ("a,b\n\n1,2\n", [["a", "b"], [""], ["1", "2"]], [1, 2, 3]),
        ("a,\n,\n", [["a", ""], ["", ""]], [1, 2]),
        ("\"自学，含逗号\",\"他说\"\"好\"\"\"\nx,\"\"\n", [["自学，含逗号", "他说\"好\""], ["x", ""]], [1, 2]),
        ("\"两\r\n行\",b\n\"三\n\n行\"\nlast", [["两\r\n行", "b"], ["三\n\n行"], ["last"]], [1, 3, 6]),
        ("a\"b,c\n", [["a\"b", "c"]], [1]),
        ("\"a,b\"", [["a,b"]], [1]),
        ("", [], []),
    ] as [(String, [[String]], [Int])])
    func rowsCellsAndLines(text: String, rows: [[String]], lines: [Int]) {
        let scanned = scan(text)
        #expect(scanned.rows == rows)
        #expect(scanned.lines == lines)
        #expect(scanned.problems.isEmpty)
    }

    @Test func quotingProblemsArePlacedWhereTheyStart() {
        let unclosed = scan("a,b\n1,\"学习\n2,3\n4,5\n")
        #expect(unclosed.rows == [["a", "b"], ["1", "学习\n2,3\n4,5\n"]])
        #expect(unclosed.problems == [.init(kind: .unclosedQuote, line: 2, column: 3)])
        let after = scan("a,b\n\"学\"习,2\n")
        #expect(after.rows == [["a", "b"], ["学习", "2"]])
        #expect(after.problems == [.init(kind: .textAfterQuote, line: 2, column: 4)])
    }

    /// Any table, written as RFC 4180 says (cells quoted when they need it, any line ending), reads
    /// back the same, each row on the line it starts on.
    @Test func anyTableRoundTrips() {
        var random = SystemRandomNumberGenerator()
        let alphabet: [String] = ["a", "1", " ", ",", "\"", "\n", "\r", "\r\n", "学", "习", "é", "👍🏽"]
        for _ in 0..<300 {
            let rows = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                (0..<Int.random(in: 1...4, using: &random)).map { _ in
                    (0..<Int.random(in: 0...5, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "" }.joined()
                }
            }
            let ending = ["\n", "\r\n", "\r"].randomElement(using: &random) ?? "\n"   // one per file, as spreadsheets write them
            var text = ""
            var lines: [Int] = []
            var line = 1
            for row in rows {
                lines.append(line)
                let cells = row.map { cell in
                    cell.contains(where: { ",\"\r\n".contains($0) }) || cell.unicodeScalars.contains { $0 == "\r" || $0 == "\n" }
                        ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
                }
                text += cells.joined(separator: ",") + ending
                // Line breaks inside cells: CRLF counts once, a lone CR or LF once each.
                line += 1 + row.reduce(0) { $0 + $1.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars.count { $0 == "\n" || $0 == "\r" } }
            }
            let scanned = scan(text)
            #expect(scanned.rows == rows, "\(text.debugDescription)")
            #expect(scanned.lines == lines, "\(text.debugDescription)")
            #expect(scanned.problems.isEmpty)
        }
    }

    @Test func tablesReportQuotingProblemsWithTheirLine() {
        let (table, diagnostics) = CSVTable.parse(Data("\u{FEFF}date,member,material,hours,note\n2026-01-01,a,m,1,\"未闭合\n2026-01-02,b,m,1,x\n".utf8),
                                                  path: "content/records/r.csv", required: RecordLoader.required, optional: RecordLoader.optional)
        #expect(diagnostics.map(\.description).contains { $0.hasPrefix("content/records/r.csv:2:18: error: this quoted cell is never closed") })
        #expect(table?.rows.map(\.line) == [2])
        let (_, warnings) = CSVTable.parse(Data("id,name\ng1,\"一\"支部\n".utf8), path: "content/people/groups.csv", required: ["id", "name"], optional: [])
        #expect(warnings.map(\.description) == ["content/people/groups.csv:2:7: warning: text after a closing quote (kept as part of the cell); write a quote inside a quoted cell as \"\""])
    }

    /// Record files read side by side give their records in file and row order, rows in error left
    /// out with their problems, whatever the files' sizes (each file's records are moved, not copied).
    @Test func recordsComeInFileAndRowOrder() async {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            var files: [String: String] = [:], expected: [String] = [], problems: [String] = []
            for f in 0..<Int.random(in: 0...7, using: &random) {
                var text = "date,member,material,hours,note\n"
                for row in 0..<Int.random(in: 0...60, using: &random) {
                    if Int.random(in: 0..<5, using: &random) == 0 {
                        text += "2026-13-01,u\(f)-\(row),m,,\n"
                        problems.append("content/records/\(f).csv:\(row + 2):1")
                    } else {
                        text += "2026-01-0\(1 + row % 9),u\(f)-\(row),m\(row),,note \(row)\n"
                        expected.append("u\(f)-\(row)")
                    }
                }
                files["\(f).csv"] = Int.random(in: 0..<6, using: &random) == 0 ? "" : text
                if files["\(f).csv"] == "" { expected.removeAll { $0.hasPrefix("u\(f)-") }; problems.removeAll { $0.hasPrefix("content/records/\(f).csv:") } }
            }
            let entries = files.keys.sorted { Int($0.dropLast(4)) ?? 0 < Int($1.dropLast(4)) ?? 0 }.map { Walk.Entry(relative: "records/" + $0, absolute: "/nowhere/" + $0) }
            let contents = files
            let (records, diagnostics) = await Loader.records(entries, jobs: 2) { contents[String($0.relative.dropFirst(8))].map { Array($0.utf8) } }
            #expect(records.map(\.member.id) == expected)
            #expect(records.allSatisfy { r in r.material.map { "note " + $0.id.dropFirst() } == r.note })
            let rowErrors = diagnostics.filter { $0.message.contains("`date`") }.map { "\($0.path):\($0.line):\($0.column)" }
            #expect(rowErrors == problems)
        }
    }
}
