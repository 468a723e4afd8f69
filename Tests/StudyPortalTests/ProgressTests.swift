import Testing
@testable import StudyPortal

/// SPEC §4 rule by rule, on small hand-made programmes whose figures are worked out in the comments.
@Suite(.temporaryFiles) struct ProgressTests {
    static func d(_ s: String) -> Day { Day(iso: s)! }
    static func ref(_ id: String) -> Ref { Ref(id, path: "t", line: 1) }
    static func file(_ p: String) -> SourceFile { SourceFile(path: p, contentPath: p, body: "", bodyLine: 1) }

    static func member(_ id: String, _ group: String = "g1", role: Role = .member, joined: String? = nil, left: String? = nil) -> Member {
        Member(id: id, name: id, group: ref(group), role: role, joined: joined.map(d), left: left.map(d), line: 1)
    }

    static func plan(_ start: String = "2026-01-01", _ end: String = "2026-12-31", items: [PlanItem] = [], target: Double? = nil,
                     reflections: Int? = nil, audience: Audience = .all, roles: [Role] = []) -> Plan {
        Plan(slug: "p", title: "P", start: d(start), end: d(end), audience: audience, roles: roles, targetHours: target,
             reflections: reflections, items: items, file: file("plans/p.md"))
    }

    static func record(_ date: String, _ member: String, _ material: String?, hours: Double? = nil) -> Record {
        Record(date: d(date), member: ref(member), material: material.map(ref), hours: hours, note: "", title: nil, kind: nil)
    }

    static func activity(_ slug: String, _ date: String, group: String? = nil, attendees: Attendees = .all, absent: [String] = [],
                         type: String = "lecture", hours: Double? = nil) -> Activity {
        Activity(slug: slug, title: slug, type: ref(type), date: d(date), hours: hours, group: group.map(ref), host: nil, speaker: nil,
                 location: nil, attendees: attendees, absent: absent.map { (ref($0), "出差") }, materials: [], plan: nil, file: file("activities/\(slug).md"))
    }

    static func reflection(_ author: String, _ date: String) -> Reflection {
        Reflection(slug: "r\(date)", folder: author, title: "R", author: ref(author), date: d(date), about: nil, isPublic: false, file: file("r.md"))
    }

    static func index(_ members: [Member], activities: [Activity] = [], records: [Record] = [], reflections: [Reflection] = [],
                      materialHours: [String: Double?] = ["m1": 2, "m2": nil], asOf: String, tracking: Set<String>? = nil) -> ProgressIndex {
        ProgressIndex(members: members, activities: activities, records: records, reflections: reflections, materialHours: materialHours,
                      activityTypes: ["lecture": .init(name: "讲座", hours: 2), "free": .init(name: "x", hours: 0)], defaultHours: 1, asOf: d(asOf),
                      tracking: tracking)
    }

    static func item(_ kind: PlanItem.Kind, _ id: String, due: String? = nil) -> PlanItem { PlanItem(kind: kind, ref: ref(id), due: due.map(d)) }

    @Test func audienceFollowsGroupsRolesAndMembershipDates() {
        let p = Self.plan("2026-04-01", "2026-06-30", audience: .groups([Self.ref("g1")]), roles: [.leader])
        #expect(Progress.isInAudience(Self.member("a", role: .leader), of: p))
        #expect(!Progress.isInAudience(Self.member("b", role: .member), of: p))          // role filter
        #expect(!Progress.isInAudience(Self.member("c", "g2", role: .leader), of: p))    // other group
        #expect(Progress.isInAudience(Self.member("d", role: .leader, joined: "2026-06-30"), of: p))   // joined on the last day
        #expect(!Progress.isInAudience(Self.member("e", role: .leader, joined: "2026-07-01"), of: p))  // joined after
        #expect(Progress.isInAudience(Self.member("f", role: .leader, left: "2026-04-01"), of: p))     // left on the first day
        #expect(!Progress.isInAudience(Self.member("g", role: .leader, left: "2026-03-31"), of: p))   // left before
    }

    @Test func recordHoursFallBackToMaterialThenDefault() {
        let hours: [String: Double?] = ["m1": 2, "m2": nil]
        #expect(Progress.hours(of: Self.record("2026-01-01", "a", "m1", hours: 0.5), materialHours: hours, defaultHours: 1) == 0.5)
        #expect(Progress.hours(of: Self.record("2026-01-01", "a", "m1"), materialHours: hours, defaultHours: 1) == 2)
        #expect(Progress.hours(of: Self.record("2026-01-01", "a", "m2"), materialHours: hours, defaultHours: 1) == 1)
        let types: [String: SiteConfig.ActivityType] = ["lecture": .init(name: "", hours: 2)]
        #expect(Progress.hours(of: Self.activity("x", "2026-01-01", hours: 3), types: types) == 3)
        #expect(Progress.hours(of: Self.activity("x", "2026-01-01"), types: types) == 2)
        #expect(Progress.hours(of: Self.activity("x", "2026-01-01", type: "unknown"), types: types) == 0)
    }

    @Test func attendanceWithAllAbsentListsAndUpcoming() {
        let members = [Self.member("a"), Self.member("b"), Self.member("c", "g2"), Self.member("d", joined: "2026-03-02"), Self.member("e", left: "2026-02-28")]
        // g1 on 2026-03-01: a, b (d not yet joined, e already left) → expected 2; b absent → attended [a].
        let x = Progress.attendance(of: Self.activity("x", "2026-03-01", group: "g1", absent: ["b"]), members: members, asOf: Self.d("2026-12-31"))
        #expect(x.expected == 2)
        #expect(x.attended == ["a"])
        // No group: every member that day (a, b, c) → 3, all attended.
        let y = Progress.attendance(of: Self.activity("y", "2026-03-01"), members: members, asOf: Self.d("2026-12-31"))
        #expect(y.expected == 3 && y.attended == ["a", "b", "c"])
        // A list is taken as written: c of g2 counts, absent is not applied.
        let z = Progress.attendance(of: Self.activity("z", "2026-03-01", group: "g1", attendees: .list([Self.ref("c"), Self.ref("a")]), absent: ["a"]),
                                    members: members, asOf: Self.d("2026-12-31"))
        #expect(z.expected == 2 && z.attended == ["a", "c"])
        // Upcoming: nobody has attended yet. No attendees: nobody attended.
        let u = Progress.attendance(of: Self.activity("u", "2026-03-01"), members: members, asOf: Self.d("2026-02-28"))
        #expect(u.upcoming && u.attended.isEmpty && u.expected == 3)
        let n = Progress.attendance(of: Self.activity("n", "2026-03-01", attendees: .none), members: members, asOf: Self.d("2026-12-31"))
        #expect(n.attended.isEmpty)
    }

    @Test func countedWindowHoursItemsAndStatus() {
        let a = Self.member("a")
        let items = [Self.item(.material, "m1", due: "2026-03-31"), Self.item(.material, "m2"), Self.item(.activity, "x")]
        let p = Self.plan("2026-01-01", "2026-06-30", items: items, target: 6, reflections: 1)
        let records = [
            Self.record("2025-12-31", "a", "m1"),            // before the window: not counted
            Self.record("2026-02-01", "a", "m1"),            // 2 h, m1 done
            Self.record("2026-05-01", "a", nil, hours: 1.5), // outside study, 1.5 h
            Self.record("2026-05-20", "a", "m2"),            // after as-of: not counted
        ]
        let index = Self.index([a], activities: [Self.activity("x", "2026-04-10")], records: records, asOf: "2026-05-15")
        let m = Progress.progress(of: a, in: p, index: index)
        // 2 (m1) + 1.5 (outside) + 2 (lecture x attended via `all`) = 5.5
        #expect(m.hours == 5.5)
        #expect(m.items.map(\.done) == [true, false, true])
        #expect(m.items.map(\.isDue) == [true, false, false])     // m2 and x are due at the plan's end
        #expect(m.items[1].due == Self.d("2026-06-30"))
        #expect(m.itemsOverdue == 0)
        #expect(m.completion == 2.0 / 3.0)
        #expect(m.status == .onTrack)
        #expect(m.missingReflections == 1)

        // After the end, with m2 still undone: behind; overdue m2.
        let late = Progress.progress(of: a, in: p, index: Self.index([a], activities: [Self.activity("x", "2026-04-10")], records: records, asOf: "2026-07-01"))
        // The 05-20 record now counts; m2 has no hours, so default_hours (1): 5.5 + 1 = 6.5.
        #expect(late.hours == 6.5)
        #expect(late.items.map(\.done) == [true, true, true])
        #expect(late.status == .behind)   // reflections 0 < 1 and as-of after the end
    }

    @Test func completeNeedsItemsHoursAndReflections() {
        let a = Self.member("a")
        let p = Self.plan(items: [Self.item(.material, "m1")], target: 2, reflections: 1)
        let records = [Self.record("2026-02-01", "a", "m1")]
        let without = Progress.progress(of: a, in: p, index: Self.index([a], records: records, asOf: "2026-03-01"))
        #expect(without.status == .onTrack)
        let with = Progress.progress(of: a, in: p, index: Self.index([a], records: records, reflections: [Self.reflection("a", "2026-02-02")], asOf: "2026-03-01"))
        #expect(with.status == .complete)
        #expect(with.completion == 1)
        // A reflection dated outside the window does not count.
        let outside = Progress.progress(of: a, in: p, index: Self.index([a], records: records, reflections: [Self.reflection("a", "2025-12-31")], asOf: "2026-03-01"))
        #expect(outside.reflections == 0)
    }

    @Test func planInTheFutureAndAsOfBeforeStart() {
        let a = Self.member("a")
        let p = Self.plan("2026-10-01", "2026-12-31", items: [Self.item(.material, "m1", due: "2026-10-31")], target: 10)
        let index = Self.index([a], records: [Self.record("2026-09-01", "a", "m1")], asOf: "2026-09-15")
        #expect(Progress.window(of: p, asOf: Self.d("2026-09-15")) == nil)
        let m = Progress.progress(of: a, in: p, index: index)
        #expect(m.hours == 0)
        #expect(m.items.map(\.done) == [false])     // studied before the window
        #expect(m.itemsDue == 0)
        #expect(m.status == .onTrack)
        #expect(m.completion == 0)
    }

    @Test func planWithoutItemsIsFullyComplete() {
        let a = Self.member("a")
        let m = Progress.progress(of: a, in: Self.plan(), index: Self.index([a], asOf: "2026-03-01"))
        #expect(m.completion == 1)
        #expect(m.status == .complete)
    }

    @Test func membershipDatesDoNotFilterOwnRecords() {
        let a = Self.member("a", joined: "2026-05-01")
        let p = Self.plan()
        let m = Progress.progress(of: a, in: p, index: Self.index([a], records: [Self.record("2026-02-01", "a", "m1")], asOf: "2026-06-01"))
        #expect(m.hours == 2)
    }

    @Test func yearFiguresStopAtTheAsOfDate() {
        let a = Self.member("a", role: .leader)
        let records = [Self.record("2025-12-31", "a", "m1"), Self.record("2026-01-01", "a", "m1"), Self.record("2026-06-01", "a", nil, hours: 8), Self.record("2026-06-02", "a", "m2")]
        let year = Progress.year(2026, of: a, index: Self.index([a], records: records, asOf: "2026-06-01"), targets: ["leader": 56])
        #expect(year.hours == 10)
        #expect(year.target == 56)
        #expect(Progress.year(2027, of: a, index: Self.index([a], records: records, asOf: "2026-06-01"), targets: [:]).hours == 0)
    }

    @Test func groupFiguresAreOverAudienceMembers() {
        let members = [Self.member("a"), Self.member("b"), Self.member("c", "g2"), Self.member("d", role: .leader)]
        let p = Self.plan(items: [Self.item(.material, "m1", due: "2026-02-01")], roles: [.member])
        let index = Self.index(members, records: [Self.record("2026-01-10", "a", "m1"), Self.record("2026-01-11", "c", "m1", hours: 3)], asOf: "2026-03-01")
        let progress = Progress.progress(of: p, index: index)
        #expect(progress.members.map(\.member) == ["a", "b", "c"])
        let g1 = progress.groups.first { $0.group == "g1" }
        #expect(g1 == GroupFigures(group: "g1", members: 2, complete: 1, onTrack: 0, behind: 1, hoursTotal: 2, hoursMean: 1, completionMean: 0.5))
        #expect(progress.groups.map(\.group) == ["g1", "g2"])
    }

    @Test func recordKeysPlaceEachRecordAtItsIdsFirstPlace() {
        let records = [Self.record("2026-01-01", "b", "m2"), Self.record("2026-01-02", "x", nil, hours: 1), Self.record("2026-01-03", "a", "zz")]
        let keys = RecordKeys(records, memberIDs: ["a", "b", "a"], materialSlugs: ["m1", "m2", "m2"])
        #expect(keys.member == [1, -1, 0])
        #expect(keys.material == [1, -1, -1])
    }

    @Test func indexOfRecordsPlacedInTheSitesOwnOrder() {
        // The build places records in the site's own order (not sorted); a record of an id no
        // member has (possible only before the references are checked) keeps its events.
        let members = [Self.member("b"), Self.member("a")]
        let records = [Self.record("2026-01-02", "a", "m1"), Self.record("2026-01-01", "b", "m2"),
                       Self.record("2026-01-03", "x", "m1"), Self.record("2026-01-01", "a", nil, hours: 3)]
        let index = ProgressIndex(members: members, activities: [], records: records, reflections: [], materials: [("m2", nil), ("m1", 2)],
                                  keys: RecordKeys(records, memberIDs: ["b", "a"], materialSlugs: ["m2", "m1"]),
                                  activityTypes: [:], defaultHours: 1, asOf: Self.d("2026-06-01"), tracking: ["m1"])
        // Each member's events by date: hours as recorded, else the material's, else the default (1).
        func event(_ date: String, _ hours: Double, record: Int) -> StudyEvent { StudyEvent(date: Self.d(date), hours: hours, source: .record(record)) }
        #expect(index.events == ["a": [event("2026-01-01", 3, record: 3), event("2026-01-02", 2, record: 0)],
                                 "b": [event("2026-01-01", 1, record: 1)],
                                 "x": [event("2026-01-03", 2, record: 2)]])
        // Only the materials plans track (m1) are remembered per member.
        #expect(index.studied == ["a": ["m1": [Self.d("2026-01-02")]], "x": ["m1": [Self.d("2026-01-03")]]])
        #expect(index.memberIndex == ["b": 0, "a": 1])
    }

    /// A ledger row is marked reflected on when the member wrote a reflection about the row's
    /// material or activity: random records (of materials the site has or not, and of none),
    /// activities attended and reflections about either.
    @Test func ledgerRowsKnowWhatTheMemberReflectedOn() {
        var random = SystemRandomNumberGenerator()
        let slugs = ["m1", "m2", "m3", "gone"]
        for _ in 0..<100 {
            let members = ["a", "b"].map { Self.member($0) }
            let records = (0..<12).map { k in
                Self.record("2026-0\(1 + k % 9)-0\(1 + k % 7)", ["a", "b"].randomElement(using: &random) ?? "a",
                            Int.random(in: 0..<5, using: &random) == 0 ? nil : slugs.randomElement(using: &random), hours: 1)
            }
            let activities = (0..<2).map { Self.activity("act\($0)", "2026-03-0\(1 + $0)") }
            var reflections: [Reflection] = []
            for (n, author) in ["a", "b", "a"].enumerated() where Bool.random(using: &random) {
                var r = Self.reflection(author, "2026-04-0\(1 + n)")
                r.about = Self.ref((slugs + ["act0", "act1"]).randomElement(using: &random) ?? "m1")
                reflections.append(r)
            }
            let index = Self.index(members, activities: activities, records: records, reflections: reflections,
                                   materialHours: ["m1": 2, "m2": nil, "m3": 1], asOf: "2026-12-31")
            for member in ["a", "b"] {
                let about = Set(reflections.filter { $0.author.id == member }.compactMap { $0.about?.id })
                for entry in Ledger.member(member, year: 2026, index) {
                    let subject: String?
                    switch entry.event.source {
                    case .record(let i): subject = records[i].material?.id
                    case .activity(let i): subject = activities[i].slug
                    }
                    #expect(entry.hasReflection == subject.map(about.contains) ?? false, "\(member) \(entry)")
                }
            }
        }
    }
}
