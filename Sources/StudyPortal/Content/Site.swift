/// A content file's place and text, kept with every item so later stages can report positions.
public struct SourceFile: Sendable {
    /// Path from the site root, as diagnostics print it: `content/materials/foo.md`.
    public var path: String
    /// Path inside `content/`: `materials/foo.md`. Links between content files are resolved on it.
    public var contentPath: String
    public var body: String
    /// The file's line number of the body's first line.
    public var bodyLine: Int
}

public struct Material: Sendable {
    public var slug: String
    public var title: String
    public var date: Day?
    public var updated: Day?
    public var category: String?
    public var tags: [String]
    public var hours: Double?
    public var summary: String?
    public var draft: Bool
    public var weight: Int?
    public var author: String?
    public var source: String?
    public var file: SourceFile
}

public struct Page: Sendable {
    public var slug: String
    public var title: String
    public var draft: Bool
    public var file: SourceFile
}

/// A file under `content/` that is copied to the same path in the output.
public struct StaticFile: Sendable, Hashable {
    /// Path inside `content/` (and inside the output).
    public var contentPath: String
    public var absolutePath: String
}

/// Everything `load` read: plain values, no cross-references checked yet.
public struct Site: Sendable {
    public var root: String
    public var config: SiteConfig
    public var materials: [Material] = []
    public var pages: [Page] = []
    public var plans: [Plan] = []
    public var activities: [Activity] = []
    public var reflections: [Reflection] = []
    public var members: [Member] = []
    public var groups: [Group] = []
    public var records: [Record] = []
    public var staticFiles: [StaticFile] = []
}
