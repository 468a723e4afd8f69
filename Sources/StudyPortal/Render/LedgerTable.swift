/// A ledger's table as templates see it, and the built-in `partials/ledger-table` written directly.
extension Views {
    /// `header`, `rows` (each with `cells`), `total`, and `csv` when the table has a download beside
    /// it. Cells carry `text`, and `num` for the right-aligned figures (a bit mask of columns).
    struct TableView: TemplateValue {
        var table: Table
        var numeric: UInt64
        var csv: String?

        func isNumeric(_ column: Int) -> Bool { column < 64 && numeric >> UInt64(column) & 1 == 1 }

        func member(_ key: String) -> (any TemplateValue)? {
            switch key {
            case "header": return Cells(texts: table.header, numeric: numeric)
            case "rows": return Rows(rows: table.rows, numeric: numeric)
            case "total": return Cells(texts: table.total ?? [], numeric: numeric)
            case "csv": return csv
            default: return nil
            }
        }
        var isTruthy: Bool { true }
        func write(to out: inout [UInt8], escaped: Bool) {}

        /// What the built-in `partials/ledger-table.html` writes for this table, byte for byte (a test
        /// renders both ways), without interpreting it: member ledgers have a hundred rows of ten
        /// cells, thousands of times over, and the template engine spent ~190 ns a cell on look-ups,
        /// pushes and witness calls — 40% of the templates stage's time on member ledgers.
        /// `Theme` uses it only while the site keeps the built-in partial.
        static func writeBuiltInPartial(_ context: any TemplateValue, _ out: inout [UInt8]) -> Bool {
            guard let view = context as? TableView else { return false }
            func cells(_ texts: [String], _ tag: StaticString, scope: Bool) {
                for (column, text) in texts.enumerated() {
                    append("<", &out); append(tag, &out)
                    if scope { append(" scope=\"col\"", &out) }
                    if view.isNumeric(column) { append(" class=\"num\"", &out) }
                    append(">", &out)
                    HTMLEscape.append(text, to: &out)
                    append("</", &out); append(tag, &out); append(">", &out)
                }
            }
            append("<table class=\"ledger-table\">\n<thead><tr>", &out)
            cells(view.table.header, "th", scope: true)
            append("</tr></thead>\n<tbody>\n", &out)
            for row in view.table.rows {
                append("<tr>", &out)
                cells(row, "td", scope: false)
                append("</tr>\n", &out)
            }
            append("</tbody>\n", &out)
            if let total = view.table.total, !total.isEmpty {
                append("<tfoot><tr>", &out)
                cells(total, "td", scope: false)
                append("</tr></tfoot>", &out)
            }
            append("\n</table>\n", &out)
            return true
        }

        private static func append(_ s: StaticString, _ out: inout [UInt8]) {
            out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }
    }

    /// One cell: a struct rather than a dictionary, ledgers have thousands of cells.
    struct Cell: TemplateValue {
        var text: String
        var num: Bool
        func member(_ key: String) -> (any TemplateValue)? { key == "text" ? text : key == "num" ? num : nil }
        func writeMember(_ key: String, to out: inout [UInt8], escaped: Bool) -> Bool {
            switch key {
            case "text": text.write(to: &out, escaped: escaped)
            case "num": num.write(to: &out, escaped: escaped)
            default: return false
            }
            return true
        }
        var isTruthy: Bool { true }
        func write(to out: inout [UInt8], escaped: Bool) { text.write(to: &out, escaped: escaped) }
    }

    /// A row's cells as a template lists them, each `Cell` made as the template reaches it.
    struct Cells: TemplateValue {
        var texts: [String]
        var numeric: UInt64

        var isTruthy: Bool { !texts.isEmpty }
        func forEachElement(_ body: (any TemplateValue) -> Void) -> Bool {
            for (i, text) in texts.enumerated() { body(Cell(text: text, num: i < 64 && numeric >> UInt64(i) & 1 == 1)) }
            return true
        }
        func write(to out: inout [UInt8], escaped: Bool) {}
    }

    /// The rows, each as `cells`.
    struct Rows: TemplateValue {
        var rows: [[String]]
        var numeric: UInt64

        var isTruthy: Bool { !rows.isEmpty }
        func forEachElement(_ body: (any TemplateValue) -> Void) -> Bool {
            for row in rows { body(Row(cells: Cells(texts: row, numeric: numeric))) }
            return true
        }
        func write(to out: inout [UInt8], escaped: Bool) {}
    }

    struct Row: TemplateValue {
        var cells: Cells
        func member(_ key: String) -> (any TemplateValue)? { key == "cells" ? cells : nil }
        var isTruthy: Bool { true }
        func write(to out: inout [UInt8], escaped: Bool) {}
    }
}
