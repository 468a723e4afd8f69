/// CSV for spreadsheets (SPEC §5): UTF-8 with a BOM so Excel opens Chinese text correctly, CRLF row
/// ends and RFC 4180 quoting, and no cell a spreadsheet would evaluate: one that begins with `=`, `+`,
/// `-`, `@`, tab or carriage return gets a leading `'` (OWASP's advice against CSV injection).
public enum CSVWriter {
    public static func document(_ rows: [[String]]) -> String {
        "\u{FEFF}" + rows.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    public static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
