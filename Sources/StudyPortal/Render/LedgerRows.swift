/// A member ledger's rows (SPEC §5), kept as the ledger's entries and written from them: 2,000
/// ledgers of a hundred rows of ten cells at 10,000 materials. Made into rows of strings first,
/// they cost more to build and free (each subject's title and organiser retained and released per
/// row, by both cores at once) than to write; now the HTML table and the CSV copy each subject's
/// cells from `LedgerSubjects`, escaped and quoted once per render. `strings()` makes the rows a
/// template lists when a site has its own `partials/ledger-table.html`.
struct MemberLedgerRows: Sendable {
    var entries: [LedgerEntry]
    var subjects: LedgerSubjects

    /// The rows as text, as the HTML and the CSV show them.
    func strings() -> [[String]] { entries.enumerated().map { subjects.cells(row: $0, $1) } }
}

/// What member ledgers show of each event's subject, by index, made once per render.
final class LedgerSubjects: Sendable {
    let records: [Record]
    /// Per record: the index of its material, or -1 (`Lookup.recordMaterial`).
    let recordMaterial: [Int]
    /// The form of a record without a `kind` (`t.record`).
    let recordWord: String
    /// The subjects' texts by cell number: per material its title and author (the organiser
    /// column), per activity the name of its type, its title, organiser (speaker, else host) and
    /// location, then the words yes and no, then each kind of record (`facts.kinds`) and `recordWord`
    /// (`materialCell`, `activityCell`, `yesCell`, `kindCell`); and the same as HTML (escaped) and
    /// CSV (quoted) cells.
    private let texts: [String]
    private let facts: RecordFacts
    private let html: FlatCells, csv: FlatCells
    private let materialCount: Int, activityCount: Int
    /// The dates of the days records and activities fall on, after the texts in both.
    private let dayCell: DayCells

    static let empty = LedgerSubjects(records: [], recordMaterial: [], recordWord: "", yes: "", no: "", materials: [], activities: [])

    init(records: [Record], recordMaterial: [Int], recordWord: String, yes: String, no: String,
         materials: [(title: String, author: String)], activities: [(form: String, title: String, organiser: String, location: String)],
         activityDays: [Day] = [], facts: RecordFacts? = nil) {
        (self.records, self.recordMaterial, self.recordWord) = (records, recordMaterial, recordWord)
        (materialCount, activityCount) = (materials.count, activities.count)
        let facts = facts ?? RecordFacts(records)
        self.facts = facts
        texts = materials.flatMap { [$0.title, $0.author] } + activities.flatMap { [$0.form, $0.title, $0.organiser, $0.location] } + [yes, no]
            + facts.kinds + [recordWord]
        var html = FlatCells(), csv = FlatCells()
        for text in texts {
            html.add { HTMLEscape.append(text, to: &$0) }
            csv.add { CSVWriter.append(text, to: &$0) }
        }
        // A date is digits and dashes: nothing to escape or quote, the same in both.
        dayCell = DayCells(records.lazy.map(\.date) + activityDays, next: texts.count) { day in
            html.add { day.appendISO(to: &$0) }
            csv.add { day.appendISO(to: &$0) }
        }
        (self.html, self.csv) = (html, csv)
    }

    private var yesCell: Int { 2 * materialCount + 4 * activityCount }
    /// Record `i`'s form: its kind, or `recordWord`.
    private func kindCell(_ i: Int) -> Int {
        let kind = facts.kind[i]
        return yesCell + 2 + (kind >= 0 ? Int(kind) : facts.kinds.count)
    }
    private func materialCell(_ m: Int, _ field: Int) -> Int { 2 * m + field }
    private func activityCell(_ a: Int, _ field: Int) -> Int { 2 * materialCount + 4 * a + field }

    /// Row `k` (from 0) as text: number, date, form, content, organiser, location, hours, cumulative
    /// hours, reflection, note — the cells `writeRow` gives, for a template that lists the rows.
    func cells(row k: Int, _ entry: LedgerEntry) -> [String] {
        var sink = TextSink(texts: texts)
        writeRow(k, entry, into: &sink)
        return sink.cells
    }

    /// The ten cells of `entry`, row `k`, into `sink` in order. A generic sink rather than a closure
    /// or an enum of cells: specialised for the HTML and the CSV, with no box or copy per cell.
    private func writeRow<Sink: CellSink & ~Copyable>(_ k: Int, _ entry: LedgerEntry, into sink: inout Sink) {
        let e = entry.event
        sink.start()
        sink.plain(.number(k + 1))
        sink.date(e.date, cell: dayCell(e.date))
        switch e.source {
        case .record(let i):
            sink.flat(kindCell(i))
            let m = recordMaterial[i]
            if m >= 0 {
                sink.flat(materialCell(m, 0))
                sink.flat(materialCell(m, 1))
            } else {
                sink.text(records[i].title ?? "")
                sink.text("")
            }
            sink.text("")
        case .activity(let i):
            for field in 0..<4 { sink.flat(activityCell(i, field)) }
        }
        sink.plain(.hours(e.hours))
        sink.plain(.hours(entry.cumulative))
        sink.flat(yesCell + (entry.hasReflection ? 0 : 1))
        if case .record(let i) = e.source, facts.noted[i] { sink.text(records[i].note) } else { sink.text("") }
        sink.end()
    }

    /// The rows of the built-in `partials/ledger-table.html` (`TableView.writeBuiltInPartial`).
    func writeHTML(_ entries: [LedgerEntry], numeric: UInt64, to out: inout [UInt8]) {
        html.reading { cells in
            var sink = HTMLSink(out: ByteBuffer(capacity: entries.count * 320), cells: cells, numeric: numeric)
            for (k, entry) in entries.enumerated() { writeRow(k, entry, into: &sink) }
            sink.out.write(to: &out)
        }
    }

    /// The rows of the ledger's CSV, each ending in CR LF (as `CSVWriter.bytes` writes rows).
    func writeCSV(_ entries: [LedgerEntry], to out: inout [UInt8]) {
        csv.reading { cells in
            var sink = CSVSink(out: ByteBuffer(capacity: entries.count * 128), cells: cells)
            for (k, entry) in entries.enumerated() { writeRow(k, entry, into: &sink) }
            sink.out.write(to: &out)
        }
    }
}

/// A cell of digits, dashes and dots: nothing in it to escape or quote.
private enum PlainCell {
    case number(Int)
    case hours(Double)
    case day(Day)

    func write<Out: ByteAppending & ~Copyable>(to out: inout Out) {
        switch self {
        case .number(let n): Digits.append(n, to: &out)
        case .hours(let h): Strings.appendHours(h, to: &out)
        case .day(let day): day.appendISO(into: &out)
        }
    }
}

private protocol CellSink: ~Copyable {
    mutating func start()
    mutating func end()
    /// A cell from the per-render cells.
    mutating func flat(_ c: Int)
    /// A cell of text.
    mutating func text(_ text: String)
    mutating func plain(_ cell: PlainCell)
    /// A date: its per-render cell when it has one (`DayCells`), else written out.
    mutating func date(_ day: Day, cell: Int?)
}

extension CellSink where Self: ~Copyable {
    mutating func date(_ day: Day, cell: Int?) {
        if let cell { flat(cell) } else { plain(.day(day)) }
    }
}

private struct TextSink: CellSink {
    let texts: [String]
    var cells: [String] = []

    mutating func start() { cells.reserveCapacity(10) }
    mutating func end() {}
    mutating func flat(_ c: Int) { cells.append(texts[c]) }
    /// Written out: the days' cells come after `texts`.
    mutating func date(_ day: Day, cell: Int?) { plain(.day(day)) }
    mutating func text(_ text: String) { cells.append(text) }
    mutating func plain(_ cell: PlainCell) {
        var bytes: [UInt8] = []
        cell.write(to: &bytes)
        cells.append(String(decoding: bytes, as: UTF8.self))
    }
}

private struct HTMLSink: CellSink, ~Copyable {
    var out: ByteBuffer
    let cells: FlatCells.Reader
    let numeric: UInt64
    var column = 0

    mutating func start() { out.append("<tr>"); column = 0 }
    mutating func end() { out.append("</tr>\n") }
    mutating func open() { out.append(Views.isNumeric(column, numeric) ? "<td class=\"num\">" : "<td>"); column += 1 }
    mutating func flat(_ c: Int) { open(); cells.copy(c, to: &out); out.append("</td>") }
    mutating func text(_ text: String) { open(); HTMLEscape.append(text, into: &out); out.append("</td>") }
    mutating func plain(_ cell: PlainCell) { open(); cell.write(to: &out); out.append("</td>") }
}

private struct CSVSink: CellSink, ~Copyable {
    var out: ByteBuffer
    let cells: FlatCells.Reader
    var first = true

    mutating func start() { first = true }
    mutating func end() { out.append(0x0D); out.append(0x0A) }
    mutating func separate() {
        if !first { out.append(0x2C) }
        first = false
    }
    mutating func flat(_ c: Int) { separate(); cells.copy(c, to: &out) }
    mutating func text(_ text: String) { separate(); CSVWriter.append(text, to: &out) }
    /// Never quoted (no comma, quote or line break); guarded like any cell if it starts with a dash.
    mutating func plain(_ cell: PlainCell) {
        separate()
        let start = out.count
        cell.write(to: &out)
        if out.count > start && out.byte(at: start) == UInt8(ascii: "-") { out.insert(0x27, at: start) }
    }
}
