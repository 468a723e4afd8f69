/// Each record's member and material as positions in the site's own lists (`Site.members`,
/// `Site.materials`), looked up once, while the references are checked. A large site has 200,000
/// records; the progress index and the render's tables each hashed every record's two ids again,
/// a million string hashes between them (docs/benchmarks.md, ninth session).
public struct RecordKeys: Sendable {
    /// Per record: the position of its member in `members`, or -1 when no member has that id.
    public var member: [Int32]
    /// Per record: the position of its material in `materials`, or -1 when it names none or an unknown one.
    public var material: [Int32]

    /// Ids looked up in `memberIDs` and slugs in `materialSlugs`; an id listed twice means its first place.
    public init(_ records: [Record], memberIDs: some Sequence<String>, materialSlugs: some Sequence<String>) {
        self.init(records, members: Self.positions(memberIDs), materials: Self.positions(materialSlugs))
    }

    /// With the positions already made (`positions(_:)`).
    init(_ records: [Record], members: [String: Int], materials: [String: Int]) {
        var member: [Int32] = [], material: [Int32] = []
        member.reserveCapacity(records.count)
        material.reserveCapacity(records.count)
        for i in records.indices {
            member.append(Int32(truncatingIfNeeded: members[records[i].member.id] ?? -1))
            material.append(Int32(truncatingIfNeeded: records[i].material.flatMap { materials[$0.id] } ?? -1))
        }
        (self.member, self.material) = (member, material)
    }

    /// Id → its first position.
    static func positions(_ ids: some Sequence<String>) -> [String: Int] {
        var out: [String: Int] = [:]
        for (i, id) in ids.enumerated() where out[id] == nil { out[id] = i }
        return out
    }
}
