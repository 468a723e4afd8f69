import Synchronization

/// A content file's place and text, kept with every item so later stages can report positions.
public struct SourceFile: Sendable {
    /// Path from the site root, as diagnostics print it: `content/materials/foo.md`.
    public var path: String
    /// Path inside `content/`: `materials/foo.md`. Links between content files are resolved on it.
    public var contentPath: String
    /// The Markdown after the front matter; "" once a build has rendered it (`releaseBody`).
    public var body: String {
        get { storage.text.withLock { $0 } }
        set { storage = Body(newValue) }
    }
    /// The file's line number of the body's first line.
    public var bodyLine: Int
    /// The body, held by reference: copies of the file (the programme's, the figures') share it, so
    /// the one place that renders it can let it go (`releaseBody`). Kept to the end of the build, the
    /// bodies (54 MB at 10,000 materials) made the render's HTML take fresh pages where it could have
    /// reused theirs (docs/benchmarks.md).
    private var storage: Body

    public init(path: String, contentPath: String, body: String, bodyLine: Int) {
        (self.path, self.contentPath, self.storage, self.bodyLine) = (path, contentPath, Body(body), bodyLine)
    }

    /// Empties the body for this file and every copy of it: the build's Markdown stage calls it once
    /// a body is rendered and will not be rendered again. Nothing after that stage reads bodies.
    func releaseBody() { storage.text.withLock { $0 = "" } }

    private final class Body: Sendable {
        let text: Mutex<String>
        init(_ text: String) { self.text = Mutex(text) }
    }
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
