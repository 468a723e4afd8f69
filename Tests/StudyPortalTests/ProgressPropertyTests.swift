import Testing
@testable import StudyPortal

/// Properties that must hold for any programme: random rosters, records, activities and plans.
@Suite(.temporaryFiles) struct ProgressPropertyTests {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed from its seed.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func bool() -> Bool { next() % 2 == 0 }
        mutating func day() -> Day { Day(year: 2026, month: int(1...12), day: int(1...28))! }
    }

    /// A random programme; the second index tracks only the materials its plans list, as builds do.
    static func programme(seed: UInt64) -> (ProgressIndex, [Plan], [Member], tracked: ProgressIndex) {
        var r = Random(state: seed)
        let groups = ["g1", "g2", "g3"]
        let members = (0..<r.int(1...25)).map { i in
            ProgressTests.member("m\(i)", groups[r.int(0...2)], role: r.bool() ? .member : .leader,
                                 joined: r.int(0...4) == 0 ? r.day().description : nil, left: r.int(0...4) == 0 ? r.day().description : nil)
        }
        let materials = ["m1", "m2", "m3"]
        let records = (0..<r.int(0...120)).map { _ in
            ProgressTests.record(r.day().description, members[r.int(0...(members.count - 1))].id, r.bool() ? materials[r.int(0...2)] : nil,
                                 hours: r.bool() ? Double(r.int(0...8)) / 2 : (r.bool() ? nil : 1))
        }
        let activities = (0..<r.int(0...6)).map { i in
            ProgressTests.activity("a\(i)", r.day().description, group: r.bool() ? groups[r.int(0...2)] : nil,
                                   attendees: r.bool() ? .all : .list(members.prefix(r.int(0...members.count)).map { ProgressTests.ref($0.id) }),
                                   absent: r.bool() ? [members[0].id] : [])
        }
        let reflections = (0..<r.int(0...10)).map { _ in ProgressTests.reflection(members[r.int(0...(members.count - 1))].id, r.day().description) }
        let plans = (0..<3).map { _ -> Plan in
            let a = r.day(), b = r.day()
            var items: [PlanItem] = []
            for _ in 0..<r.int(0...4) {
                items.append(r.bool() ? ProgressTests.item(.material, materials[r.int(0...2)], due: r.bool() ? r.day().description : nil)
                             : ProgressTests.item(.activity, activities.isEmpty ? "none" : activities[r.int(0...(activities.count - 1))].slug))
            }
            return ProgressTests.plan(min(a, b).description, max(a, b).description, items: items, target: r.bool() ? Double(r.int(0...20)) : nil,
                                      reflections: r.bool() ? r.int(0...2) : nil, audience: r.bool() ? .all : .groups([ProgressTests.ref(groups[r.int(0...2)])]),
                                      roles: r.bool() ? [] : [.member])
        }
        let asOf = r.day().description
        let index = ProgressTests.index(members, activities: activities, records: records.filter { $0.material != nil || $0.hours != nil },
                                        reflections: reflections, asOf: asOf)
        let tracked = ProgressTests.index(members, activities: activities, records: records.filter { $0.material != nil || $0.hours != nil },
                                          reflections: reflections, asOf: asOf,
                                          tracking: Set(plans.flatMap { $0.items.filter { $0.kind == .material }.map(\.ref.id) }))
        return (index, plans, members, tracked)
    }

    @Test(arguments: 1...200)
    func invariantsHold(seed: Int) {
        let (index, plans, members, tracked) = Self.programme(seed: UInt64(seed))
        for plan in plans {
            let progress = Progress.progress(of: plan, index: index)
            // Tracking only the plans' materials changes no figure.
            let same = Progress.progress(of: plan, index: tracked)
            #expect(same.members == progress.members && same.groups == progress.groups)
            #expect(progress.members.count == members.count { Progress.isInAudience($0, of: plan) })
            for m in progress.members {
                #expect((0...1).contains(m.completion))
                #expect(m.hours >= 0)
                #expect(m.itemsDone <= m.items.count && m.itemsOverdue <= m.itemsDue)
                if m.status == .complete { #expect(m.itemsOverdue == 0 && m.itemsDone == m.items.count) }
                if m.itemsOverdue > 0 { #expect(m.status == .behind) }
            }
            // Group figures add up to their members.
            #expect(progress.groups.reduce(0) { $0 + $1.members } == progress.members.count)
            for g in progress.groups {
                let own = progress.members.filter { $0.group == g.group }
                #expect(g.members == own.count)
                #expect(g.complete + g.onTrack + g.behind == g.members)
                #expect(abs(g.hoursTotal - own.reduce(0) { $0 + $1.hours }) < 1e-9)
                #expect((0...1).contains(g.completionMean))
            }
        }
        for (k, a) in index.activities.enumerated() {
            let attendance = index.attendance[k]
            if case .all = a.attendees { #expect(attendance.attended.count <= attendance.expected) }
            if a.date > index.asOf { #expect(attendance.attended.isEmpty) }
        }
        // Year figures equal the sum of the year's events, and never count past the as-of date.
        for m in members {
            let events = Progress.events(of: m.id, in: 2026, index: index)
            #expect(events.allSatisfy { $0.date <= index.asOf })
            #expect(Progress.year(2026, of: m, index: index, targets: [:]).hours == events.reduce(0) { $0 + $1.hours })
        }
    }
}
