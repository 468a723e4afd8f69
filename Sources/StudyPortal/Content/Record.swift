/// One row of `content/records/*.csv`: one study event (SPEC §3).
public struct Record: Sendable, Hashable {
    public var date: Day
    public var member: Ref
    /// A material slug, or nil for outside study named by `title`.
    public var material: Ref?
    public var hours: Double?
    public var note: String
    public var title: String?
    public var kind: String?

    public var path: String { member.path }
    public var line: Int { member.line }
}

enum RecordLoader {
    static let required = ["date", "member", "material", "hours", "note"]
    static let optional = ["title", "kind"]

    /// Where each field is in a file's rows (`CSVTable.place`), found once per file.
    struct Columns {
        let date, member, material, hours, note, title, kind: Int?

        init(_ header: [String]) {
            func place(_ name: String) -> Int? { header.firstIndex(of: name) }
            (date, member, material, hours) = (place("date"), place("member"), place("material"), place("hours"))
            (note, title, kind) = (place("note"), place("title"), place("kind"))
        }
    }

    /// The record of one row, or nil with its problem added to `diagnostics`.
    static func record(_ row: CSVTable.Row, _ at: Columns, path: String, diagnostics: inout [Diagnostic]) -> Record? {
        let dateText = row.cell(at.date)
        guard let date = Day(spreadsheet: dateText) else {
            diagnostics.append(.error(dateText.isEmpty ? "a record needs a date" : "`date` should be a date like 2026-03-01 or 2026/3/1, not `\(dateText)`", path: path, line: row.line, column: 1))
            return nil
        }
        let member = row.cell(at.member)
        guard !member.isEmpty else { diagnostics.append(.error("a record needs a member id", path: path, line: row.line, column: 1)); return nil }
        let material = row.cell(at.material)
        let hoursText = row.cell(at.hours)
        var hours: Double?
        if !hoursText.isEmpty {
            guard let h = Double(hoursText), h.isFinite else {
                diagnostics.append(.error("`hours` should be a number, not `\(hoursText)`", path: path, line: row.line, column: 1))
                return nil
            }
            guard h >= 0 else {
                diagnostics.append(.error("negative hours (\(hoursText))", path: path, line: row.line, column: 1))
                return nil
            }
            guard h <= Fields.maximumHours else {
                diagnostics.append(.error("more than \(Int(Fields.maximumHours)) hours (\(hoursText))", path: path, line: row.line, column: 1))
                return nil
            }
            hours = h
        }
        if material.isEmpty && hours == nil {
            diagnostics.append(.error("a record needs a material or its hours (outside study: leave material empty, give title and hours)", path: path, line: row.line, column: 1))
            return nil
        }
        let title = row.cell(at.title), kind = row.cell(at.kind)
        return Record(date: date, member: Ref(member, path: path, line: row.line),
                      material: material.isEmpty ? nil : Ref(material, path: path, line: row.line),
                      hours: hours, note: row.cell(at.note), title: title.isEmpty ? nil : title, kind: kind.isEmpty ? nil : kind)
    }
}
