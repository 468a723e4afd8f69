/// Names and links by id, built once per render so views never search lists.
struct Lookup: Sendable {
    let members: [String: Member]
    let groups: [String: Group]
    /// Indices into `Programme.materials` (a `Material` copied out of a dictionary retains a dozen fields).
    let materials: [String: Int]
    let activities: [String: Int]
    let plans: [String: Int]
    let types: [String: SiteConfig.ActivityType]
    /// Distinct members with a record of each material (SPEC §5: "who has studied it: a count").
    let studiedBy: [String: Int]
    /// Each member's reflections, as indices into `Programme.reflections` in its order.
    let reflectionsByAuthor: [String: [Int]]
    /// What a study event's row shows of its subject, by index: member pages and ledgers list about a
    /// hundred events each, thousands of times over, and looking up a slug and making a link per row
    /// was a third of their views' time. Per record: the index of its material, or -1.
    let recordMaterial: [Int]
    /// Per record: its kind and whether it has a note (`RecordFacts`).
    let recordFacts: RecordFacts
    /// Per material: its link, nil when it has no page (a draft).
    let materialURL: [String?]
    /// Per activity: its link and the name of its type.
    let activityURL: [String]
    let activityForm: [String]

    init(_ p: Programme, routes: Routes) {
        members = Dictionary(p.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        groups = Dictionary(p.groups.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        materials = Dictionary(p.materials.indices.map { (p.materials[$0].slug, $0) }, uniquingKeysWith: { a, _ in a })
        activities = Dictionary(p.activities.enumerated().map { ($1.slug, $0) }, uniquingKeysWith: { a, _ in a })
        plans = Dictionary(p.plans.enumerated().map { ($1.slug, $0) }, uniquingKeysWith: { a, _ in a })
        types = ActivityTypes.table(p.config)
        // From the records' keys (`RecordKeys`): no id hashed per record. Distinct readers counted
        // through one integer per (material, member) pair.
        let keys = p.recordKeys, memberCount = p.site.members.count
        var pairs = Set<Int>(minimumCapacity: keys.material.count)
        var readers = [Int](repeating: 0, count: p.site.materials.count)
        for i in keys.material.indices where keys.material[i] >= 0 && keys.member[i] >= 0 {
            let m = Int(keys.material[i])
            if pairs.insert(m * memberCount + Int(keys.member[i])).inserted { readers[m] += 1 }
        }
        var studiedBy: [String: Int] = [:]
        for (m, n) in readers.enumerated() where n > 0 { studiedBy[p.site.materials[m].slug] = n }
        self.studiedBy = studiedBy
        reflectionsByAuthor = Dictionary(grouping: p.reflections.indices, by: { p.reflections[$0].author.id })
        // A site material's place in the programme's order, by slug: one look-up per material, not per record.
        let materials = materials
        let position = p.site.materials.indices.map { materials[p.site.materials[$0].slug] ?? -1 }
        recordMaterial = keys.material.map { $0 >= 0 ? position[Int($0)] : -1 }
        recordFacts = RecordFacts(p.site.records)
        materialURL = p.materials.indices.map { p.isPublished(material: $0) ? routes.link(Routes.material(p.materials[$0].slug)) : nil }
        activityURL = p.activities.map { routes.link(Routes.activity($0.slug)) }
        let types = types
        activityForm = p.activities.map { Self.typeName($0.type.id, types) }
    }

    func memberName(_ id: String) -> String { members[id]?.name.nonEmpty ?? id }
    func groupName(_ id: String) -> String { groups[id]?.name ?? id }
    func typeName(_ id: String) -> String { Self.typeName(id, types) }
    static func typeName(_ id: String, _ types: [String: SiteConfig.ActivityType]) -> String { types[id]?.name ?? id }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
