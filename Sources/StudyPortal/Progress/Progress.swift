/// SPEC §4, rule by rule, as pure functions over typed values. Nothing here reads files or knows HTML.
///
/// `ProgressIndex` gathers each member's study events once (records and activities attended), so a
/// plan's figures cost one pass over its audience's events rather than a scan of every record.
public struct ProgressIndex: Sendable {
    public let asOf: Day
    public let members: [Member]
    public let activities: [Activity]
    public let records: [Record]
    public let reflections: [Reflection]
    public let memberIndex: [String: Int]
    public let activityIndex: [String: Int]
    /// Per member id, their events sorted by date.
    public let events: [String: [StudyEvent]]
    /// Per activity (same order as `activities`).
    public let attendance: [Attendance]
    /// Per member id, their reflections' dates.
    public let reflectionDates: [String: [Day]]
    /// Per member id, the materials and activities their reflections are about.
    public let reflectedOn: [String: Set<String>]
    /// Per member id, materials they have a record of, with the record dates (only the materials in
    /// `tracking` when it is given: plans ask about a few dozen of 10,000).
    let studied: [String: [String: [Day]]]
    /// Per record: its material's slug as a place in `materialSlugs`, or -1 (`RecordKeys.material`).
    /// What a ledger row asks of a record's material, without visiting the record (168 bytes, all over
    /// memory in a member's date order: a cache miss a row).
    let recordMaterial: [Int32]
    let materialSlugs: [String]

    /// Looks the records' members and materials up itself; `materialHours` is every material's hours by slug.
    public init(members: [Member], activities: [Activity], records: [Record], reflections: [Reflection],
                materialHours: [String: Double?], activityTypes: [String: SiteConfig.ActivityType],
                defaultHours: Double, asOf: Day, tracking: Set<String>? = nil) {
        let slugs = materialHours.keys.sorted()
        self.init(members: members, activities: activities, records: records, reflections: reflections,
                  materials: slugs.map { ($0, materialHours[$0] ?? nil) },
                  keys: RecordKeys(records, memberIDs: members.lazy.map(\.id), materialSlugs: slugs),
                  activityTypes: activityTypes, defaultHours: defaultHours, asOf: asOf, tracking: tracking)
    }

    /// `keys` places each record's member in `members` and its material in `materials`.
    init(members: [Member], activities: [Activity], records: [Record], reflections: [Reflection],
         materials: [(slug: String, hours: Double?)], keys: RecordKeys, activityTypes: [String: SiteConfig.ActivityType],
         defaultHours: Double, asOf: Day, tracking: Set<String>?) {
        precondition(keys.member.count == records.count && keys.material.count == records.count, "the keys are these records'")
        self.asOf = asOf
        self.recordMaterial = keys.material
        self.materialSlugs = materials.map(\.slug)
        self.members = members
        self.activities = activities
        self.records = records
        self.reflections = reflections
        self.memberIndex = RecordKeys.positions(members.lazy.map(\.id))
        self.activityIndex = Dictionary(activities.enumerated().map { ($1.slug, $0) }, uniquingKeysWith: { a, _ in a })

        // Each record's events gathered by its member's place in `members` (looked up once, in
        // `keys`), fields read in place: `for r in records` copied each record, a dozen retains and
        // releases apiece, 200,000 times on a large site; so did passing a record to
        // `Progress.hours(of:)`. A material's hours and whether plans track it come from its place too.
        var bySlot = [[StudyEvent]](repeating: [], count: members.count)
        // Ids no member has (a record is checked before this runs; tests build indices directly).
        var extraSlots: [String: Int] = [:], extraIDs: [String] = []
        // What each member studied, by slot like the events (keyed by id once per member, not per record).
        var studiedBySlot = [[String: [Day]]](repeating: [:], count: members.count)
        /// The slot of an id no member has, made the first time it is met.
        func extraSlot(_ id: String) -> Int {
            if let s = extraSlots[id] { return s }
            extraSlots[id] = bySlot.count
            extraIDs.append(id)
            bySlot.append([])
            studiedBySlot.append([:])
            return bySlot.count - 1
        }
        let materialInfo = materials.map { (hours: $0.hours, tracked: tracking?.contains($0.slug) ?? true) }
        for i in records.indices {
            let date = records[i].date
            let member = Int(keys.member[i])
            let slot = member >= 0 ? member : extraSlot(records[i].member.id)
            let m = Int(keys.material[i])
            let info = m >= 0 ? materialInfo[m] : records[i].material.map { (hours: nil, tracked: tracking?.contains($0.id) ?? true) }
            let hours = Progress.hours(recorded: records[i].hours, material: info?.hours ?? nil, defaultHours: defaultHours)
            bySlot[slot].append(StudyEvent(date: date, hours: hours, source: .record(i)))
            if let info, info.tracked, let m = records[i].material?.id { studiedBySlot[slot][m, default: []].append(date) }
        }
        // An activity's expected attendance is drawn from its group's members only: scanning the
        // whole roster for each activity grew with members × activities. Its events go to the
        // attendees' slots too, each sorted there, and the table of events is made once: appended
        // through the table (`events[id, default: []]`), 40,000 attendances at 10,000 materials cost
        // a look-up and a uniqueness check each, and the table grew by doubling.
        let byGroup = Dictionary(grouping: members, by: \.group.id)
        var attendance: [Attendance] = []
        for (i, a) in activities.enumerated() {
            let figures = Progress.attendance(of: a, members: a.group.map { byGroup[$0.id] ?? [] } ?? members, asOf: asOf)
            attendance.append(figures)
            let hours = Progress.hours(of: a, types: activityTypes)
            for id in figures.attended {
                let slot = memberIndex[id] ?? extraSlot(id)
                bySlot[slot].append(StudyEvent(date: a.date, hours: hours, source: .activity(i)))
            }
        }
        let slotIDs = members.map(\.id) + extraIDs
        var events: [String: [StudyEvent]] = Dictionary(minimumCapacity: bySlot.count)
        for slot in bySlot.indices where !bySlot[slot].isEmpty {
            bySlot[slot].sort { ($0.date, $0.order) < ($1.date, $1.order) }
            events[slotIDs[slot]] = bySlot[slot]   // a member's later slots (an id listed twice) stay empty
        }
        var studied: [String: [String: [Day]]] = [:]
        for slot in studiedBySlot.indices where !studiedBySlot[slot].isEmpty { studied[slotIDs[slot]] = studiedBySlot[slot] }
        self.events = events
        self.attendance = attendance
        self.studied = studied
        let byAuthor = Dictionary(grouping: reflections, by: \.author.id)
        self.reflectionDates = byAuthor.mapValues { $0.map(\.date) }
        self.reflectedOn = byAuthor.mapValues { Set($0.compactMap { $0.about?.id }) }
    }
}

extension StudyEvent {
    /// Records before activities on one day, each in file order: a stable order for ledgers.
    var order: Int {
        switch source {
        case .record(let i): return i
        case .activity(let i): return 1_000_000_000 + i
        }
    }
}

public enum Progress {
    /// A record's hours: its `hours`, else its material's `hours`, else `default_hours`.
    public static func hours(of r: Record, materialHours: [String: Double?], defaultHours: Double) -> Double {
        hours(recorded: r.hours, material: r.material.flatMap { materialHours[$0.id] ?? nil }, defaultHours: defaultHours)
    }

    /// The same rule over the fields, for the index's pass over every record (no record copied).
    @inline(__always) static func hours(recorded: Double?, material: Double?, defaultHours: Double) -> Double {
        recorded ?? material ?? defaultHours
    }

    /// An activity's hours: its `hours`, else its type's hours, else 0.
    public static func hours(of a: Activity, types: [String: SiteConfig.ActivityType]) -> Double {
        a.hours ?? types[a.type.id]?.hours ?? 0
    }

    /// Member m is in P's audience when P takes all groups or m's group, P's roles are empty or hold m's
    /// role, and m was a member during the period.
    public static func isInAudience(_ m: Member, of p: Plan) -> Bool {
        if case .groups(let groups) = p.audience, !groups.contains(where: { $0.id == m.group.id }) { return false }
        if !p.roles.isEmpty && !p.roles.contains(m.role) { return false }
        return (m.joined.map { $0 <= p.end } ?? true) && (m.left.map { $0 >= p.start } ?? true)
    }

    /// Expected: X's group's members on X's date (every member when no group). Attended: the listed
    /// members as written; for `all`, those of X's group (or everyone) who were members that day and are
    /// not absent. Nobody has attended an activity dated after the as-of date.
    public static func attendance(of a: Activity, members: [Member], asOf: Day) -> Attendance {
        let expectedMembers = members.filter { m in (a.group.map { $0.id == m.group.id } ?? true) && m.isMember(on: a.date) }
        guard a.date <= asOf else { return Attendance(expected: expectedMembers.count, attended: [], upcoming: true) }
        var attended: [String]
        switch a.attendees {
        case .none: attended = []
        case .list(let refs): attended = Array(Set(refs.map(\.id)))
        case .all:
            let absent = Set(a.absent.map(\.member.id))
            attended = expectedMembers.map(\.id).filter { !absent.contains($0) }
        }
        attended.sort()
        return Attendance(expected: expectedMembers.count, attended: attended, upcoming: false)
    }

    /// The counted window [P.start, min(P.end, A)]; nil when empty (A before the start).
    public static func window(of p: Plan, asOf: Day) -> ClosedRange<Day>? {
        let last = min(p.end, asOf)
        return p.start <= last ? p.start...last : nil
    }

    public static func progress(of m: Member, in p: Plan, index: ProgressIndex) -> MemberProgress {
        let asOf = index.asOf
        let window = window(of: p, asOf: asOf)
        // The window's events summed in place, in date order as before (a list of them was made
        // for every member of every plan's audience, 10,000 at 10,000 materials).
        var hours = 0.0
        var attendedInWindow = Set<Int>()
        if let w = window, let events = index.events[m.id] {
            for e in events where w.contains(e.date) {
                hours += e.hours
                if case .activity(let i) = e.source { attendedInWindow.insert(i) }
            }
        }
        let studied = index.studied[m.id] ?? [:]
        let items = p.items.map { item -> ItemState in
            let done: Bool
            switch item.kind {
            case .material: done = window.map { w in (studied[item.ref.id] ?? []).contains { w.contains($0) } } ?? false
            case .activity: done = index.activityIndex[item.ref.id].map(attendedInWindow.contains) ?? false
            }
            let due = item.due ?? p.end
            let isDue = due <= asOf
            return ItemState(due: due, done: done, isDue: isDue, overdue: isDue && !done)
        }
        let reflections = window.map { w in (index.reflectionDates[m.id] ?? []).count { w.contains($0) } } ?? 0
        let doneCount = items.count { $0.done }
        let completion = items.isEmpty ? 1.0 : Double(doneCount) / Double(items.count)
        let status: Status
        if doneCount == items.count && hours >= (p.targetHours ?? 0) && reflections >= (p.reflections ?? 0) {
            status = .complete
        } else if items.contains(where: \.overdue) || asOf > p.end {
            status = .behind
        } else {
            status = .onTrack
        }
        var result = MemberProgress(member: m.id, group: m.group.id, items: items, hours: hours, reflections: reflections,
                                    completion: completion, status: status)
        result.missingReflections = max(0, (p.reflections ?? 0) - reflections)
        return result
    }

    /// Group figures over the group's audience members.
    public static func figures(of group: String, _ members: [MemberProgress]) -> GroupFigures {
        let count = members.count
        let total = members.reduce(0) { $0 + $1.hours }
        return GroupFigures(group: group, members: count,
                            complete: members.count { $0.status == .complete },
                            onTrack: members.count { $0.status == .onTrack },
                            behind: members.count { $0.status == .behind },
                            hoursTotal: total,
                            hoursMean: count == 0 ? 0 : total / Double(count),
                            completionMean: count == 0 ? 0 : members.reduce(0) { $0 + $1.completion } / Double(count))
    }

    public static func progress(of p: Plan, index: ProgressIndex) -> PlanProgress {
        let audience = index.members.filter { isInAudience($0, of: p) }.sorted { $0.id < $1.id }
        let members = audience.map { progress(of: $0, in: p, index: index) }
        let groups = Dictionary(grouping: members, by: \.group).map { figures(of: $0.key, $0.value) }.sorted { $0.group < $1.group }
        return PlanProgress(plan: p, members: members, groups: groups)
    }

    /// Hours of m's events dated in [Y-01-01, min(Y-12-31, A)], against the role's yearly target.
    public static func year(_ year: Int, of m: Member, index: ProgressIndex, targets: [String: Double]) -> YearFigures {
        let hours = events(of: m.id, in: year, index: index).reduce(0) { $0 + $1.hours }
        return YearFigures(year: year, hours: hours, target: targets[m.role.rawValue])
    }

    /// m's events of calendar year Y up to the as-of date, by date.
    public static func events(of member: String, in year: Int, index: ProgressIndex) -> [StudyEvent] {
        guard let first = Day(year: year, month: 1, day: 1), let last = Day(year: year, month: 12, day: 31) else { return [] }
        let end = min(last, index.asOf)
        guard first <= end else { return [] }
        return (index.events[member] ?? []).filter { (first...end).contains($0.date) }
    }
}
