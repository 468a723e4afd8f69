/// Study ledgers (学习台账, SPEC §5): which events and activities each ledger lists, from the same
/// events the progress figures use, so a ledger's total is the member page's year figure.
public struct LedgerEntry: Sendable, Hashable {
    public var event: StudyEvent
    /// Hours of this and every earlier row of the ledger.
    public var cumulative: Double
    /// Whether the member wrote a reflection about this material or activity.
    public var hasReflection: Bool
}

public enum Ledger {
    /// Calendar years that have any study event up to the as-of date, oldest first.
    public static func years(_ index: ProgressIndex) -> [Int] {
        var years = Set<Int>()
        for events in index.events.values {
            for e in events where e.date <= index.asOf { years.insert(e.date.year) }
        }
        return years.sorted()
    }

    /// Years in which this member has a study event (each gets a ledger).
    public static func years(of member: String, _ index: ProgressIndex) -> [Int] {
        Array(Set((index.events[member] ?? []).filter { $0.date <= index.asOf }.map(\.date.year))).sorted()
    }

    /// One row per event of the member in the year, by date, with running totals.
    public static func member(_ member: String, year: Int, _ index: ProgressIndex) -> [LedgerEntry] {
        let about = index.reflectedOn[member] ?? []
        var total = 0.0
        return Progress.events(of: member, in: year, index: index).map { e in
            total += e.hours
            let subject: String?
            switch e.source {
            case .record(let i):
                let m = Int(index.recordMaterial[i])
                subject = m >= 0 ? index.materialSlugs[m] : index.records[i].material?.id
            case .activity(let i): subject = index.activities[i].slug
            }
            return LedgerEntry(event: e, cumulative: total, hasReflection: !about.isEmpty && (subject.map(about.contains) ?? false))
        }
    }

    /// Indices of the activities a group's ledger lists for a year: the group's own and those with no
    /// group, dated in the year up to the as-of date, by date.
    public static func activities(of group: String, year: Int, _ index: ProgressIndex) -> [Int] {
        // Through the buffer, field by field: `let a = activities[i]` copied each whole activity
        // (a retain per field) for every group's ledger.
        index.activities.withUnsafeBufferPointer { activities in
            activities.indices.filter { i in
                activities[i].date.year == year && activities[i].date <= index.asOf && (activities[i].group.map { $0.id == group } ?? true)
            }.sorted { (activities[$0].date, activities[$0].slug) < (activities[$1].date, activities[$1].slug) }
        }
    }

    /// Members of a group at any time during the year (up to the as-of date), by id.
    public static func members(of group: String, year: Int, _ index: ProgressIndex) -> [Member] {
        guard let first = Day(year: year, month: 1, day: 1), let last = Day(year: year, month: 12, day: 31) else { return [] }
        let end = min(last, index.asOf)
        return index.members.filter { m in
            m.group.id == group && (m.joined.map { $0 <= end } ?? true) && (m.left.map { $0 >= first } ?? true)
        }.sorted { $0.id < $1.id }
    }
}
