/// What a member page's table of study events shows of each event's subject — its title, its link,
/// the form of study — by index, made once per render.
///
/// 2,000 member pages list a hundred events each at 10,000 materials. A row made per event (a view
/// holding the subject's title and link) retained both and released them again, every row of every
/// page, on both cores at once: two thirds of the member pages' view time. Now a page keeps only its
/// events (`EventRows`); rows are made when a template lists them, and the built-in table copies each
/// subject's cell from here, escaped once.
final class EventSubjects: Sendable {
    let language: SiteConfig.Language
    /// The form of a record without a `kind` (`t.record`).
    let recordWord: String
    let records: [Record]
    /// Per record: the index of its material, or -1 (`Lookup.recordMaterial`).
    let recordMaterial: [Int]
    /// Per material: its title and link (nil for a draft, which has no page).
    let materials: [(title: String, url: String?)]
    /// Per activity: its title, link and the name of its type.
    let activities: [(title: String, url: String, form: String)]
    /// The built-in table's cells, escaped: the content cell of each material, then of each activity,
    /// then each activity's form, then each kind of record (`facts.kinds`) and `recordWord`; then the
    /// start of a row on each day a record or an activity falls
    /// (`<tr><td><time datetime="2026-03-01">2026年3月1日</time></td><td>`), by `dayCell`.
    private let cells: FlatCells
    private let dayCell: DayCells
    private let facts: RecordFacts

    static let empty = EventSubjects(language: .zhCN, recordWord: "", records: [], recordMaterial: [], materials: [], activities: [])

    /// `facts` are the records' (`RecordFacts(records)` when not given).
    init(language: SiteConfig.Language, recordWord: String, records: [Record], recordMaterial: [Int], facts: RecordFacts? = nil,
         materials: [(title: String, url: String?)], activities: [(title: String, url: String, form: String)], activityDays: [Day] = []) {
        (self.language, self.recordWord, self.records, self.recordMaterial) = (language, recordWord, records, recordMaterial)
        (self.materials, self.activities) = (materials, activities)
        var cells = FlatCells()
        for m in materials { cells.add { Self.appendContent(title: m.title, url: m.url, to: &$0) } }
        for a in activities { cells.add { Self.appendContent(title: a.title, url: a.url, to: &$0) } }
        for a in activities { cells.add { HTMLEscape.append(a.form, to: &$0) } }
        let facts = facts ?? RecordFacts(records)
        self.facts = facts
        for kind in facts.kinds + [recordWord] { cells.add { HTMLEscape.append(kind, to: &$0) } }
        dayCell = DayCells(records.lazy.map(\.date) + activityDays, next: materials.count + 2 * activities.count + facts.kinds.count + 1) { day in
            cells.add { Self.appendRowStart(day, language, to: &$0) }
        }
        self.cells = cells
    }

    static func appendRowStart<Out: ByteAppending & ~Copyable>(_ day: Day, _ language: SiteConfig.Language, to out: inout Out) {
        out.append("<tr><td><time datetime=\"")
        day.appendISO(into: &out)
        out.append("\">")
        Strings.appendDate(day, language, to: &out)
        out.append("</time></td><td>")
    }

    /// The content cell as `partials/event-table.html` writes it: the title, linked when it has a link.
    static func appendContent(title: String, url: String?, to out: inout [UInt8]) {
        if let url, !url.isEmpty {
            out.append("<a href=\"")
            HTMLEscape.append(url, to: &out)
            out.append("\">")
            HTMLEscape.append(title, to: &out)
            out.append("</a>")
        } else {
            HTMLEscape.append(title, to: &out)
        }
    }

    /// The row a template sees for `e`.
    func row(_ e: StudyEvent) -> EventRowView {
        let date = DayView(day: e.date, language: language)
        switch e.source {
        case .record(let k):
            let m = recordMaterial[k]
            return EventRowView(date: date, form: records[k].kind ?? recordWord, title: m >= 0 ? materials[m].title : records[k].title ?? "",
                                url: m >= 0 ? materials[m].url : nil, hours: Strings.hours(e.hours))
        case .activity(let k):
            return EventRowView(date: date, form: activities[k].form, title: activities[k].title, url: activities[k].url, hours: Strings.hours(e.hours))
        }
    }

    /// The rows of `partials/event-table.html` for `events`, byte for byte.
    func writeRows(_ events: [StudyEvent], to page: inout [UInt8]) {
        cells.reading { cells in
            var out = ByteBuffer(capacity: events.count * 200)
            defer { out.write(to: &page) }
            for e in events {
                if let day = dayCell(e.date) {
                    cells.copy(day, to: &out)
                } else {
                    Self.appendRowStart(e.date, language, to: &out)
                }
                switch e.source {
                case .record(let k):
                    let kind = facts.kind[k]
                    cells.copy(materials.count + 2 * activities.count + (kind >= 0 ? Int(kind) : facts.kinds.count), to: &out)
                    out.append("</td><td>")
                    let m = recordMaterial[k]
                    if m >= 0 { cells.copy(m, to: &out) } else { HTMLEscape.append(records[k].title ?? "", into: &out) }
                case .activity(let k):
                    cells.copy(materials.count + activities.count + k, to: &out)
                    out.append("</td><td>")
                    cells.copy(materials.count + k, to: &out)
                }
                out.append("</td><td class=\"num\">")
                Strings.appendHours(e.hours, to: &out)
                out.append("</td></tr>\n")
            }
        }
    }
}

/// A member page's study events as templates list them (`events`, and the table's `rows`), each
/// row made as the template reaches it.
struct EventRows: TemplateValue {
    /// Newest first, as the page lists them.
    var events: [StudyEvent]
    var subjects: EventSubjects

    var isTruthy: Bool { !events.isEmpty }
    func forEachElement(_ body: (any TemplateValue) -> Void) -> Bool {
        for e in events { body(subjects.row(e)) }
        return true
    }
    func write(to out: inout [UInt8], escaped: Bool) {}
}

/// The member page's table of study events as templates see it, and the built-in
/// `partials/event-table` written directly.
struct EventTable: TemplateValue {
    var rows: EventRows
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
        out.reserveCapacity(out.count + 400 + table.rows.events.count * 200)
        out.append("<div class=\"table-wrap\"><table class=\"data\">\n<thead><tr><th scope=\"col\">")
        HTMLEscape.append(table.header[0], to: &out)
        out.append("</th><th scope=\"col\">")
        HTMLEscape.append(table.header[1], to: &out)
        out.append("</th><th scope=\"col\">")
        HTMLEscape.append(table.header[2], to: &out)
        out.append("</th><th scope=\"col\" class=\"num\">")
        HTMLEscape.append(table.header[3], to: &out)
        out.append("</th></tr></thead>\n<tbody>\n")
        table.rows.subjects.writeRows(table.rows.events, to: &out)
        out.append("</tbody></table></div>")
        return true
    }
}
