/// The member page's table of study events as templates see it, and the built-in
/// `partials/event-table` written directly.
struct EventTable: TemplateValue {
    /// Newest first, as the page lists them.
    var rows: [EventRowView]
    /// The words of the header, `t.date`, `t.form`, `t.content_col` and `t.hours_label`, as the
    /// page's `t` has them ("" for a word it lacks, which the template would leave out). The template
    /// finds `t` below the table on the context stack: on the member page only the page answers it,
    /// and it is the same words (`Views.common`).
    var header: [String]

    func member(_ key: String) -> (any TemplateValue)? { key == "rows" ? rows : nil }
    var isTruthy: Bool { true }
    func write(to out: inout [UInt8], escaped: Bool) {}

    /// What the built-in `partials/event-table.html` writes for this table, byte for byte (a test
    /// renders both ways): 2,000 member pages of a hundred events at 10,000 materials, where the
    /// template engine spent most of the member pages' rendering time on the rows' look-ups.
    static func writeBuiltInPartial(_ context: any TemplateValue, _ out: inout [UInt8]) -> Bool {
        guard let table = context as? EventTable, table.header.count == 4 else { return false }
        out.reserveCapacity(out.count + 400 + table.rows.count * 200)
        out.append("<div class=\"table-wrap\"><table class=\"data\">\n<thead><tr><th scope=\"col\">")
        HTMLEscape.append(table.header[0], to: &out)
        out.append("</th><th scope=\"col\">")
        HTMLEscape.append(table.header[1], to: &out)
        out.append("</th><th scope=\"col\">")
        HTMLEscape.append(table.header[2], to: &out)
        out.append("</th><th scope=\"col\" class=\"num\">")
        HTMLEscape.append(table.header[3], to: &out)
        out.append("</th></tr></thead>\n<tbody>\n")
        for row in table.rows {
            out.append("<tr><td><time datetime=\"")
            row.date.day.appendISO(to: &out)
            out.append("\">")
            Strings.appendDate(row.date.day, row.date.language, to: &out)
            out.append("</time></td><td>")
            HTMLEscape.append(row.form, to: &out)
            out.append("</td><td>")
            if let url = row.url, !url.isEmpty {
                out.append("<a href=\"")
                HTMLEscape.append(url, to: &out)
                out.append("\">")
                HTMLEscape.append(row.title, to: &out)
                out.append("</a>")
            } else {
                HTMLEscape.append(row.title, to: &out)
            }
            out.append("</td><td class=\"num\">")
            HTMLEscape.append(row.hours, to: &out)
            out.append("</td></tr>\n")
        }
        out.append("</tbody></table></div>")
        return true
    }
}
