/// Plans, activities and reflections: the study programme's Markdown files (SPEC §3).
public struct PlanItem: Sendable, Hashable {
    public enum Kind: String, Sendable { case material, activity }
    public var kind: Kind
    public var ref: Ref
    public var due: Day?
}

public enum Audience: Sendable, Hashable {
    case all
    case groups([Ref])
}

public struct Plan: Sendable {
    public var slug: String
    public var title: String
    public var start: Day
    public var end: Day
    public var audience: Audience
    public var roles: [Role]
    public var targetHours: Double?
    public var reflections: Int?
    public var items: [PlanItem]
    public var file: SourceFile
}

public enum Attendees: Sendable, Hashable {
    case none
    case all
    case list([Ref])
}

public struct Activity: Sendable {
    public var slug: String
    public var title: String
    public var type: Ref
    public var date: Day
    public var hours: Double?
    public var group: Ref?
    public var host: Ref?
    public var speaker: String?
    public var location: String?
    public var attendees: Attendees
    /// Member id → reason, in the order written.
    public var absent: [(member: Ref, reason: String)]
    public var materials: [Ref]
    public var plan: Ref?
    public var file: SourceFile
}

public struct Reflection: Sendable {
    public var slug: String
    /// The folder it is in: `reflections/<member>/`.
    public var folder: String
    public var title: String
    public var author: Ref
    public var date: Day
    /// A material or activity slug.
    public var about: Ref?
    public var isPublic: Bool
    public var file: SourceFile
}
