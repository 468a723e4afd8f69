/// Ledgers as tables of text: the same rows feed the printable HTML and the CSV beside it, so the two
/// can never disagree (SPEC §5).
extension Views {
    struct Table {
        var header: [String]
        /// The rows of an ordinary table; a member ledger's are `ledger`.
        private var body: [[String]]
        var ledger: MemberLedgerRows?
        var total: [String]?

        init(header: [String], rows: [[String]], total: [String]?) {
            (self.header, self.body, self.ledger, self.total) = (header, rows, nil, total)
        }

        init(header: [String], ledger: MemberLedgerRows, total: [String]?) {
            (self.header, self.body, self.ledger, self.total) = (header, [], ledger, total)
        }

        var rows: [[String]] { ledger?.strings() ?? body }
        var rowCount: Int { ledger?.entries.count ?? body.count }

        var csv: [UInt8] {
            guard let ledger else { return CSVWriter.bytes([header] + body + (total.map { [$0] } ?? [])) }
            var out = CSVWriter.bytes([header])
            out.reserveCapacity(out.count + ledger.entries.count * 160)
            ledger.subjects.writeCSV(ledger.entries, to: &out)
            if let total { CSVWriter.append(row: total, to: &out) }
            return out
        }
    }

    func memberLedgerTable(_ member: Member, year: Int) -> (Table, Double) {
        let entries = Ledger.member(member.id, year: year, figures.index)
        let total = entries.last?.cumulative ?? 0
        let header = ["col_no", "date", "form", "col_title", "col_speaker_org", "location", "hours_label", "col_cumulative", "col_reflection", "col_note"].map { t($0) }
        return (Table(header: header, ledger: MemberLedgerRows(entries: entries, subjects: ledgerSubjects),
                      total: [t("total"), "", "", "", "", "", Strings.hours(total), "", "", ""]), total)
    }

    func makeLedgerSubjects() -> LedgerSubjects {
        let p = programme
        return LedgerSubjects(records: p.site.records, recordMaterial: lookup.recordMaterial, recordWord: t("record"), yes: t("yes"), no: t("no"),
                              materials: p.materials.map { ($0.title, $0.author ?? "") },
                              activities: p.activities.indices.map { i in
                                  let a = p.activities[i]
                                  return (lookup.activityForm[i], a.title, a.speaker ?? a.host.map { lookup.memberName($0.id) } ?? "", a.location ?? "")
                              }, activityDays: p.activities.map(\.date), facts: lookup.recordFacts)
    }

    func groupLedgerTable(_ group: Group, year: Int) -> Table {
        let showNames = visibility.showsMembers
        var total = 0.0
        let rows = Ledger.activities(of: group.id, year: year, figures.index).enumerated().map { k, i -> [String] in
            let a = programme.activities[i]
            let attendance = figures.attendance(i)
            let hours = Progress.hours(of: a, types: lookup.types)
            total += hours
            let absences = showNames
                ? a.absent.map { lookup.memberName($0.member.id) + ($0.reason.isEmpty ? "" : "（\($0.reason)）") }.joined(separator: "；")
                : String(a.absent.count)
            var row = [String(k + 1), a.date.description, lookup.typeName(a.type.id), a.title]
            if showNames { row.append(a.host.map { lookup.memberName($0.id) } ?? "") }
            row += [a.speaker ?? "", a.location ?? "", String(attendance.expected), String(attendance.attended.count), absences, Strings.hours(hours)]
            return row
        }
        var header = ["col_no", "date", "type", "col_title"]
        if showNames { header.append("host") }
        header += ["speaker", "location", "expected", "attended", "col_absences", "hours_label"]
        var totalRow = Array(repeating: "", count: header.count)
        totalRow[0] = t("total")
        totalRow[header.count - 1] = Strings.hours(total)
        return Table(header: header.map { t($0) }, rows: rows, total: totalRow)
    }

    /// The group's members with their year's hours (internal profile only).
    func groupMembersTable(_ group: Group, year: Int) -> Table {
        let members = Ledger.members(of: group.id, year: year, figures.index)
        let rows = members.enumerated().map { k, m -> [String] in
            let y = Progress.year(year, of: m, index: figures.index, targets: programme.config.yearlyTargetHours)
            return [String(k + 1), m.name, m.id, t("role_" + m.role.rawValue), Strings.hours(y.hours), y.target.map(Strings.hours) ?? ""]
        }
        let header = ["col_no", "col_name", "col_id", "role", "year_total", "target_hours"].map { t($0) }
        return Table(header: header, rows: rows, total: nil)
    }

    /// The table for the template (`TableView`), numeric columns marked.
    func cells(_ table: Table, numeric: Set<Int>) -> TableView {
        TableView(table: table, numeric: numeric.reduce(UInt64(0)) { $1 >= 0 && $1 < 64 ? $0 | 1 << UInt64($1) : $0 })
    }

    func memberLedgerPage(year: Int, member i: Int) -> (View, Table) {
        let m = programme.members[i]
        var c = common(current: Routes.memberLedger(year, m.id))
        let (table, total) = memberLedgerTable(m, year: year)
        let target = programme.config.yearlyTargetHours[m.role.rawValue]
        c["ledger"] = view([
            "title": t("ledger_title", String(year)), "year": year, "name": m.name, "id": m.id, "group": lookup.groupName(m.group.id),
            "role": t("role_" + m.role.rawValue), "total": Strings.hours(total), "target": target.map(Strings.hours),
            "csv": routes.link(Routes.memberLedger(year, m.id) + "ledger.csv"), "member_url": routes.link(Routes.member(m.id)),
            "index": routes.link(Routes.ledgers(year)), "as_of": Strings.date(programme.asOf, language),
        ])
        c["table"] = cells(table, numeric: [6, 7])
        return (c, table)
    }

    func groupLedgerPage(year: Int, group i: Int) -> (View, (ledger: Table, members: Table?)) {
        let g = programme.groups[i]
        var c = common(current: Routes.groupLedger(year, g.id))
        let table = groupLedgerTable(g, year: year)
        let numericStart = table.header.count - 4
        c["ledger"] = [
            "title": t("ledger_title", String(year)), "year": year, "name": g.name, "csv": routes.link(Routes.groupLedger(year, g.id) + "ledger.csv"),
            "group_url": routes.link(Routes.group(g.id)), "index": routes.link(Routes.ledgers(year)),
        ] as View
        c["table"] = cells(table, numeric: Set(numericStart..<(numericStart + 2)).union([table.header.count - 1]))
        c["members"] = TableView(table: Table(header: [], rows: [], total: nil), numeric: 0)
        var membersTable: Table?
        if visibility.showsMembers {
            let table = groupMembersTable(g, year: year)
            var members = cells(table, numeric: [4, 5])
            members.csvURL = routes.link(Routes.groupLedger(year, g.id) + "members.csv")
            c["members"] = members
            membersTable = table
        }
        return (c, (table, membersTable))
    }

    func ledgersIndex(year: Int?) -> View {
        var c = common(current: year.map(Routes.ledgers) ?? Routes.ledgers)
        let years = figures.ledgerYears
        c["years"] = years.map { y -> View in ["year": y, "url": routes.link(Routes.ledgers(y)), "current": y == year] }
        c["year"] = year.map { t("ledger_title", String($0)) } ?? t("ledgers")
        c["groups"] = [View]()
        c["members"] = [View]()
        if let year {
            c["groups"] = programme.groups.map { ["name": $0.name, "url": routes.link(Routes.groupLedger(year, $0.id))] as View }
            if visibility.showsMembers {
                c["members"] = programme.members.filter { (figures.memberLedgerYears[$0.id] ?? []).contains(year) }.map { m -> View in
                    let y = Progress.year(year, of: m, index: figures.index, targets: programme.config.yearlyTargetHours)
                    return view(["name": m.name, "id": m.id, "group": lookup.groupName(m.group.id), "url": routes.link(Routes.memberLedger(year, m.id)),
                                 "hours": Strings.hours(y.hours), "target": y.target.map(Strings.hours)])
                }
            }
        }
        return c
    }

    /// Per plan, the member table (internal) and the group table as CSV, beside the dashboard.
    func planExports(_ i: Int) -> [(path: String, csv: [UInt8])] {
        let plan = programme.plans[i]
        let progress = figures.plans[i]
        let groupHeader = ["group", "col_name", "member_count", "status_complete", "status_on-track", "status_behind", "hours_total", "hours_mean", "completion_mean"].map { t($0) }
        let groupRows = visibility.groups(of: progress).map { g -> [String] in
            [g.group, lookup.groupName(g.group), String(g.members), String(g.complete), String(g.onTrack), String(g.behind),
             Strings.hours(g.hoursTotal), Strings.hours(g.hoursMean), String(format: "%.4f", g.completionMean)]
        }
        var files = [(Routes.planExport(plan.slug, "groups"), Table(header: groupHeader, rows: groupRows, total: nil).csv)]
        if visibility.showsMembers {
            let header = ["col_id", "col_name", "group", "hours_label", "done_by", "due", "overdue_mark", "reflections", "completion", "status"].map { t($0) }
            let rows = progress.members.map { m -> [String] in
                [m.member, lookup.memberName(m.member), m.group, Strings.hours(m.hours), String(m.itemsDone), String(m.itemsDue),
                 String(m.itemsOverdue), String(m.reflections), String(format: "%.4f", m.completion), m.status.rawValue]
            }
            files.append((Routes.planExport(plan.slug, "members"), Table(header: header, rows: rows, total: nil).csv))
        }
        return files
    }
}
