import Foundation
import Testing
@testable import StudyPortal

/// Random inputs through the front-matter splitter, the YAML reader, the typed fields and the Markdown
/// stage: nothing may crash or hang, and everything rendered must be valid UTF-8. Seeds are mutated
/// byte by byte (flips, inserts of syntax characters, truncation, duplication). `make test` runs a few
/// thousand cases; `make fuzz` sets FUZZ_ITERATIONS for a longer run. A crasher found is added to
/// `crashers` below as a regression case.
@Suite(.temporaryFiles) struct FuzzTests {
    static let seeds: [String] = [
        "---\ntitle: 学习\ndate: 2026-01-01\ntags: [a, b]\nitems:\n  - {material: x, due: 2026-02-01}\n---\n## 一、标题\n\n正文**加粗**[链接](a.md#节)\n",
        "---\ntitle: \"引号\\\"\"\nsummary: |\n  多行\n  文本\nabsent: {u1: 出差}\n---\n> 引用\n>> 嵌套\n\n- 列表\n  1. 子项\n\n```\ncode\n```\n",
        "\u{FEFF}---\r\ntitle: 视窗\r\n---\r\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<div>raw</div>\n\n![图](img.png \"t\")\n",
        "---\na: &x [1, 2]\nb: *x\n---\n[[[[[[]]]]]]\n***\n___\n",
        "---\n? [complex, key]\n: value\n!!binary x: y\n---\n# 标题 {#id}\n",
    ]

    /// Inputs that once broke something (none yet).
    static let crashers: [String] = []

    static let syntax = Array("---\n:[]{}&*!|>'\"%@`#-?,\t\r\\<>()_~".utf8)

    static func mutate(_ input: [UInt8], _ r: inout ProgressPropertyTests.Random) -> [UInt8] {
        var bytes = input
        for _ in 0..<r.int(1...8) {
            let k = bytes.isEmpty ? 0 : r.int(0...(bytes.count - 1))
            switch r.int(0...5) {
            case 0 where !bytes.isEmpty: bytes[k] = UInt8(truncatingIfNeeded: r.next())
            case 1: bytes.insert(syntax[r.int(0...(syntax.count - 1))], at: min(k, bytes.count))
            case 2 where !bytes.isEmpty: bytes.remove(at: k)
            case 3 where !bytes.isEmpty: bytes = Array(bytes.prefix(k))
            case 4 where !bytes.isEmpty: bytes.insert(contentsOf: bytes[k..<min(bytes.count, k + r.int(1...40))], at: k)
            default: bytes.insert(contentsOf: Array(repeating: syntax[r.int(0...(syntax.count - 1))], count: r.int(1...200)), at: min(k, bytes.count))
            }
        }
        return bytes
    }

    /// The load stage of one file, then its Markdown, as the build does them.
    static func exercise(_ bytes: [UInt8]) {
        let (text, _) = TextDecoding.markdown(Data(bytes), path: "fuzz.md")
        guard case .success(let source) = FrontMatter.split(text) else { return }
        if let yaml = source.yaml, let value = try? YAML.parse(yaml, lineOffset: 1) {
            var fields = Fields(value, path: "fuzz.md")
            _ = fields.string("title", required: true)
            _ = fields.day("date")
            _ = fields.strings("tags")
            _ = fields.refs("attendees")
            fields.finish()
        }
        let out = Markdown.render(source.body, unsafeHTML: false, firstLine: source.bodyLine) { _ in .rewrite("/x/") }
        #expect(String(validating: out.html.bytes, as: UTF8.self) != nil)
        _ = out.firstParagraph.truncatedOnCharacters(120)
    }

    @Test func randomMutationsNeverCrash() {
        let iterations = Int(ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"] ?? "") ?? 3000
        var r = ProgressPropertyTests.Random(state: UInt64(ProcessInfo.processInfo.environment["FUZZ_SEED"] ?? "") ?? 20261130)
        for crasher in Self.crashers { Self.exercise(Array(crasher.utf8)) }
        for i in 0..<iterations {
            let seed = Self.seeds[i % Self.seeds.count]
            Self.exercise(Self.mutate(Array(seed.utf8), &r))
        }
    }
}
