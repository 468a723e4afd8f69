import Foundation

/// A CSV file as spreadsheets export it (SPEC §3): UTF-8 with or without BOM, else GB18030 (what Excel
/// on Chinese Windows saves) with a warning; RFC 4180 quoting (`CSVScanner`); a header row.
/// Each row keeps the file line it starts on, so every message can point at it.
public struct CSVTable: Sendable {
    /// A row's cells in header order. The header is shared by every row and searched in order: a
    /// table has a handful of columns, and a dictionary per row cost 200,000 hashed tables at the
    /// 10,000-material benchmark.
    public struct Row: Sendable {
        public var line: Int
        var header: [String]
        var cells: [String]

        /// The cell without surrounding spaces and tabs ("" when there is no such column; the first of
        /// two columns with the same name).
        public subscript(_ column: String) -> String { cell(header.firstIndex(of: column)) }

        /// The cell at `index` (a column's place, `CSVTable.place`), as `self[column]` gives it.
        public func cell(_ index: Int?) -> String {
            guard let i = index, cells.indices.contains(i) else { return "" }
            let value = cells[i]
            guard let first = value.utf8.first, let last = value.utf8.last,
                  first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 else { return value }
            return value.trimmingSpaces()
        }
    }

    public var path: String
    public var header: [String]
    public var rows: [Row]

    /// Where `column` is in every row (`Row.cell`), found once rather than per row and cell: 200,000
    /// records read seven cells each, and each read compared the column's name along the header.
    public func place(of column: String) -> Int? { header.firstIndex(of: column) }

    /// Reads `absolute`; `path` is how messages name it. Missing required columns, unknown columns and
    /// rows with the wrong number of cells are reported; nil when the file cannot be used at all.
    public static func read(_ absolute: String, path: String, required: [String], optional: [String]) -> (CSVTable?, [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: absolute) else {
            return (nil, [.error("cannot read this file (check its permissions)", path: path)])
        }
        return parse(data, path: path, required: required, optional: optional)
    }

    /// `read` over bytes already read.
    public static func parse(_ data: Data, path: String, required: [String], optional: [String]) -> (CSVTable?, [Diagnostic]) {
        var rows: [Row] = []
        let (header, diagnostics) = decoding(data, path: path) { bytes, warnings in
            rows.reserveCapacity(rowCapacity(bytes))   // the array made once
            return scan(bytes, path: path, required: required, optional: optional, warnings: warnings) { rows.append($0) }
        }
        guard let header else { return (nil, diagnostics) }
        return (CSVTable(path: path, header: header, rows: rows), diagnostics)
    }

    /// Room for every row of `bytes`: each ends at a line break (LF, CR or both) or at the end
    /// (a quoted cell may hold line breaks: then there are fewer).
    static func rowCapacity(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.count { $0 == 0x0A || $0 == 0x0D } + 1
    }

    /// The file's bytes as UTF-8 for `body`, with the warnings of reading them: UTF-8 (the bytes as
    /// they are, not copied), else GB18030, else UTF-8 with the unreadable bytes replaced; a BOM left out.
    static func decoding<R>(_ data: Data, path: String, _ body: (UnsafeBufferPointer<UInt8>, [Diagnostic]) -> R) -> R {
        data.withUnsafeBytes { decoding($0.bindMemory(to: UInt8.self), path: path, body) }
    }

    /// `decoding` of bytes already read (valid UTF-8 is passed on in place).
    static func decoding<R>(_ bytes: UnsafeBufferPointer<UInt8>, path: String, _ body: (UnsafeBufferPointer<UInt8>, [Diagnostic]) -> R) -> R {
        if UTF8Validation.isValid(bytes) {
            let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            return body(UnsafeBufferPointer(rebasing: bytes[bom...]), [])
        }
        let data = Data(buffer: bytes)
        var diagnostics: [Diagnostic] = []
        var text: String
        if let gb = String(data: data, encoding: gb18030) {
            text = gb
            diagnostics.append(.warning("not UTF-8: read as GB18030 (as Excel on Chinese Windows saves CSV); save as \"CSV UTF-8\" to silence this", path: path))
        } else {
            text = String(decoding: data, as: UTF8.self)
            diagnostics.append(.warning("neither UTF-8 nor GB18030; unreadable bytes are shown as \u{FFFD}", path: path))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.withUTF8 { body($0, diagnostics) }
    }

    /// Each row of the UTF-8 `bytes` (no BOM) given to `row` as it is read, in order, none kept: the
    /// header's names (nil when the file cannot be used: no header row, or required columns
    /// missing) and every problem found, after `warnings`. The record files' 200,000 rows at 10,000
    /// materials are made into records this way, each as it is read, where a table of them all was
    /// built first and read back from memory.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, path: String, required: [String], optional: [String], warnings: [Diagnostic],
                     row: (Row) -> Void) -> (header: [String]?, diagnostics: [Diagnostic]) {
        var diagnostics = warnings
        var scanner = CSVScanner(bytes)
        var header: [String]?
        while let scanned = scanner.next() {
            let (start, cells) = (scanned.line, scanned.cells)
            if cells.count == 1 && cells[0].trimmingSpaces().isEmpty { continue }
            guard let columns = header else {
                let names = cells.map { $0.trimmingSpaces() }
                header = names
                let missing = required.filter { !names.contains($0) }
                if !missing.isEmpty {
                    diagnostics.append(.error("the header row lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (expected \((required + optional).joined(separator: ",")))", path: path, line: start, column: 1))
                    return (nil, diagnostics)
                }
                for (i, name) in names.enumerated() where !required.contains(name) && !optional.contains(name) {
                    diagnostics.append(.warning("unknown column `\(name)` (ignored)", path: path, line: start, column: column(of: i, in: cells)))
                }
                var seen = Set<String>()
                for name in names where !seen.insert(name).inserted {
                    diagnostics.append(.error("the column `\(name)` appears twice in the header", path: path, line: start, column: 1))
                }
                continue
            }
            guard cells.count == columns.count else {
                diagnostics.append(.error("this row has \(cells.count) cell\(cells.count == 1 ? "" : "s"), the header has \(columns.count)", path: path, line: start, column: 1))
                continue
            }
            row(Row(line: start, header: columns, cells: cells))
        }
        for problem in scanner.problems {
            switch problem.kind {
            case .unclosedQuote:
                diagnostics.append(.error("this quoted cell is never closed: the rest of the file was read into it (add the closing \")",
                                          path: path, line: problem.line, column: problem.column))
            case .textAfterQuote:
                diagnostics.append(.warning("text after a closing quote (kept as part of the cell); write a quote inside a quoted cell as \"\"",
                                            path: path, line: problem.line, column: problem.column))
            }
        }
        guard let header else {
            return (nil, diagnostics + [.error("the file is empty; it needs a header row (\((required + optional).joined(separator: ","))))", path: path, line: 1, column: 1)])
        }
        return (header, diagnostics)
    }

    /// Foundation's constant for GB18030 (kCFStringEncodingGB_18030_2000 as an NSStringEncoding).
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// 1-based column of cell `index`, counting the cells and commas before it (close enough for quoted cells).
    private static func column(of index: Int, in cells: [String]) -> Int {
        cells.prefix(index).reduce(1) { $0 + $1.count + 1 }
    }
}
