/// The compute stage: every progress figure of the site, computed once from the resolved programme.
public struct Figures: Sendable {
    public var index: ProgressIndex
    /// One per plan, in the programme's plan order.
    public var plans: [PlanProgress]
    /// Years with any study event up to the as-of date (each gets ledgers), and each member's.
    public var ledgerYears: [Int]
    public var memberLedgerYears: [String: [Int]]

    public static func compute(_ p: Programme) -> Figures {
        let site = p.site
        let index = ProgressIndex(members: site.members, activities: p.activities, records: site.records,
                                  reflections: site.reflections, materials: site.materials.indices.map { (site.materials[$0].slug, site.materials[$0].hours) }, keys: p.recordKeys,
                                  activityTypes: ActivityTypes.table(site.config), defaultHours: site.config.defaultHours,
                                  asOf: p.asOf, tracking: Set(p.plans.flatMap { $0.items.filter { $0.kind == .material }.map(\.ref.id) }))
        var memberYears: [String: [Int]] = [:]
        for id in index.events.keys { memberYears[id] = Ledger.years(of: id, index) }
        return Figures(index: index, plans: p.plans.map { Progress.progress(of: $0, index: index) },
                       ledgerYears: Ledger.years(index), memberLedgerYears: memberYears)
    }

    /// Attendance of the activity with this index in `Programme.activities`.
    public func attendance(_ activity: Int) -> Attendance { index.attendance[activity] }
}
