/// A content file split into its YAML front matter and its Markdown body (SPEC §3).
public struct SourceText: Sendable {
    /// The YAML between the fences, or nil when the file has no front matter.
    public var yaml: String?
    /// The Markdown after the closing fence.
    public var body: String
    /// The file's line number of the body's first line.
    public var bodyLine: Int
}

public enum FrontMatter {
    /// Normalises what editors on Windows and WeChat leave behind — a UTF-8 BOM, CRLF or CR line ends —
    /// then splits the `---` fenced block from the body. Positions stay those of the original lines.
    public static func split(_ raw: String) -> Result<SourceText, YAMLError> {
        let text = normalise(raw)
        guard text.hasPrefix("---") else {
            return .success(SourceText(yaml: nil, body: text, bodyLine: 1))
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard let first = lines.popFirst(), isFence(first) else {
            return .success(SourceText(yaml: nil, body: text, bodyLine: 1))
        }
        var yamlLines: [Substring] = []
        var line = 1
        while let next = lines.popFirst() {
            line += 1
            if isFence(next) {
                return .success(SourceText(yaml: yamlLines.joined(separator: "\n"),
                                           body: lines.joined(separator: "\n"), bodyLine: line + 1))
            }
            yamlLines.append(next)
        }
        return .failure(YAMLError(message: "front matter opened with --- on line 1 is never closed by a line with ---",
                                  line: 1, column: 1))
    }

    static func isFence(_ line: Substring) -> Bool {
        guard line.hasPrefix("---") else { return false }
        return line.dropFirst(3).allSatisfy { $0 == " " || $0 == "\t" }
    }

    static func normalise(_ raw: String) -> String {
        var text = raw
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.contains("\r") {
            // "\r\n" is a single Character in Swift; replace it before lone CRs.
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return text
    }
}
