/// A ledger's table as templates see it, and the built-in `partials/ledger-table` written directly.
extension Views {
    /// `header`, `rows` (each with `cells`), `total`, and `csv` (the link of the CSV download) when
    /// the table has one. Cells carry `text`, and `num` for the right-aligned figures (a bit mask of
    /// columns).
    struct TableView: TemplateValue {
        var table: Table
        var numeric: UInt64
        var csvURL: String?

        func isNumeric(_ column: Int) -> Bool { Views.isNumeric(column, numeric) }

        func member(_ key: String) -> (any TemplateValue)? {
            switch key {
            case "header": return Cells(texts: table.header, numeric: numeric)
            case "rows": return Rows(rows: table.rows, numeric: numeric)
            case "total": return Cells(texts: table.total ?? [], numeric: numeric)
            case "csv": return csvURL
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
            let table = view.table
            out.reserveCapacity(out.count + 64 + (table.rowCount + 2) * (table.header.count * 24 + 16))
            // Whole tags at a time (appending a tag piece by piece cost more than the cells' text),
            // from static strings: tags kept as arrays were retained and released around every cell,
            // 78% of this function's samples in perf (templates stage CPU −8% without).
            func cells(_ texts: [String], _ tags: Tags) {
                for (column, text) in texts.enumerated() {
                    out.append(view.isNumeric(column) ? tags.openNumeric : tags.open)
                    HTMLEscape.append(text, to: &out)
                    out.append(tags.close)
                }
            }
            out.append("<table class=\"ledger-table\">\n<thead><tr>")
            cells(table.header, Tags(open: "<th scope=\"col\">", openNumeric: "<th scope=\"col\" class=\"num\">", close: "</th>"))
            out.append("</tr></thead>\n<tbody>\n")
            let td = Tags(open: "<td>", openNumeric: "<td class=\"num\">", close: "</td>")
            if let ledger = table.ledger {
                ledger.subjects.writeHTML(ledger.entries, numeric: view.numeric, to: &out)
            } else {
                for row in table.rows {
                    out.append("<tr>")
                    cells(row, td)
                    out.append("</tr>\n")
                }
            }
            out.append("</tbody>\n")
            if let total = table.total, !total.isEmpty {
                out.append("<tfoot><tr>")
                cells(total, td)
                out.append("</tr></tfoot>")
            }
            out.append("\n</table>\n")
            return true
        }

        private struct Tags {
            let open: StaticString, openNumeric: StaticString, close: StaticString
        }
    }

    /// Whether `column` is set in a table's mask of numeric columns.
    static func isNumeric(_ column: Int, _ mask: UInt64) -> Bool { column < 64 && mask >> UInt64(column) & 1 == 1 }

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
            for (i, text) in texts.enumerated() { body(Cell(text: text, num: Views.isNumeric(i, numeric))) }
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
