/// Checks every reference between the programme's files (SPEC §3): each dangling one is an error at
/// the place it was written. Also the duplicates and impossibilities only visible across files.
enum References {
    /// The problems, and each record's member and material found on the way.
    static func check(_ site: Site, activityTypes: [String: SiteConfig.ActivityType]) -> (problems: [Diagnostic], keys: RecordKeys) {
        var out: [Diagnostic] = []
        func missing(_ ref: Ref, _ what: String, hint: String = "") {
            out.append(.error("unknown \(what) `\(ref.id)`\(hint)", path: ref.path, line: ref.line, column: ref.column))
        }

        // Duplicates (naming both places).
        out += csvDuplicates(site.members.map { ($0.id, $0.line) }, path: PeopleLoader.membersPath, what: "member id")
        out += csvDuplicates(site.groups.map { ($0.id, $0.line) }, path: PeopleLoader.groupsPath, what: "group id")
        out += Resolve.duplicates(site.plans.map { ($0.slug, $0.file.path) }, kind: "plan")
        out += Resolve.duplicates(site.activities.map { ($0.slug, $0.file.path) }, kind: "activity")
        for (_, reflections) in Dictionary(grouping: site.reflections, by: \.folder) {
            out += Resolve.duplicates(reflections.map { ($0.slug, $0.file.path) }, kind: "reflection")
        }

        let members = RecordKeys.positions(site.members.map(\.id))
        let groups = Set(site.groups.map(\.id))
        let materials = RecordKeys.positions(site.materials.map(\.slug))
        let activities = Set(site.activities.map(\.slug))
        let plans = Set(site.plans.map(\.slug))
        func member(_ r: Ref) { if members[r.id] == nil { missing(r, "member", hint: site.members.isEmpty ? " (content/people/members.csv lists no members)" : "") } }
        func group(_ r: Ref) { if !groups.contains(r.id) { missing(r, "group", hint: site.groups.isEmpty ? " (content/people/groups.csv lists no groups)" : "") } }
        func material(_ r: Ref) { if materials[r.id] == nil { missing(r, "material") } }

        for m in site.members { group(m.group) }
        for g in site.groups { if let s = g.secretary { member(s) } }
        let keys = RecordKeys(site.records, members: members, materials: materials)
        for i in site.records.indices {
            if keys.member[i] < 0 { member(site.records[i].member) }
            if keys.material[i] < 0, let m = site.records[i].material { material(m) }
        }
        for p in site.plans {
            if case .groups(let gs) = p.audience { gs.forEach(group) }
            for item in p.items {
                switch item.kind {
                case .material: material(item.ref)
                case .activity: if !activities.contains(item.ref.id) { missing(item.ref, "activity") }
                }
            }
        }
        for a in site.activities {
            if activityTypes[a.type.id] == nil {
                let hint = ActivityTypes.nearest(a.type.id, among: activityTypes.keys).map { " (did you mean `\($0)`? or add it under activity_types in site.yml)" } ?? ""
                missing(a.type, "activity type", hint: hint)
            }
            if let g = a.group { group(g) }
            if let h = a.host { member(h) }
            if case .list(let people) = a.attendees { people.forEach(member) }
            a.absent.map(\.member).forEach(member)
            a.materials.forEach(material)
            if let p = a.plan, !plans.contains(p.id) { missing(p, "plan") }
        }
        for r in site.reflections {
            member(r.author)
            if let about = r.about, materials[about.id] == nil && !activities.contains(about.id) {
                missing(about, "material or activity")
            }
        }
        return (out, keys)
    }

    static func csvDuplicates(_ items: [(id: String, line: Int)], path: String, what: String) -> [Diagnostic] {
        var first: [String: Int] = [:]
        var out: [Diagnostic] = []
        for item in items {
            if let line = first[item.id] {
                out.append(.error("duplicate \(what) `\(item.id)`: also on line \(line)", path: path, line: item.line, column: 1))
            } else {
                first[item.id] = item.line
            }
        }
        return out
    }
}
