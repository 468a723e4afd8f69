import Synchronization

/// A content file's place and text, kept with every item so later stages can report positions.
public struct SourceFile: Sendable {
    /// Path from the site root, as diagnostics print it: `content/materials/foo.md`.
    public var path: String
    /// Path inside `content/`: `materials/foo.md`. Links between content files are resolved on it.
    public var contentPath: String
    /// The Markdown after the front matter; "" once a build has rendered it (`releaseBody`).
    public var body: String {
        get { storage.held.withLock { String(decoding: $0.bytes[$0.start...], as: UTF8.self) } }
        set { storage = Body(Array(newValue.utf8), start: 0) }
    }
    /// The file's line number of the body's first line.
    public var bodyLine: Int
    /// The body, held by reference: copies of the file (the programme's, the figures') share it, so
    /// the one place that renders it can let it go (`releaseBody`). Kept to the end of the build, the
    /// bodies (54 MB at 10,000 materials) made the render's HTML take fresh pages where it could have
    /// reused theirs (docs/benchmarks.md).
    private var storage: Body

    public init(path: String, contentPath: String, body: String, bodyLine: Int) {
        self.init(path: path, contentPath: contentPath, bytes: Array(body.utf8), bodyStart: 0, bodyLine: bodyLine)
    }

    /// A file whose body is `bytes[bodyStart...]`, valid UTF-8: the bytes the file was read into,
    /// kept as they are (made into a `String`, every body was validated and copied once more).
    init(path: String, contentPath: String, bytes: [UInt8], bodyStart: Int, bodyLine: Int) {
        precondition(bodyStart <= bytes.count, "the body lies in the bytes")
        (self.path, self.contentPath, self.storage, self.bodyLine) = (path, contentPath, Body(bytes, start: bodyStart), bodyLine)
    }

    /// The body's UTF-8 bytes, for `body` (nothing between the call and the body's use can release
    /// it: the bytes are held while `body` runs).
    func withBody<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let held = storage.held.withLock { $0 }
        return held.bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[held.start...])) }
    }

    /// How many bytes the body has.
    var bodyByteCount: Int { storage.held.withLock { $0.bytes.count - $0.start } }

    /// Empties the body for this file and every copy of it: the build's Markdown stage calls it once
    /// a body is rendered and will not be rendered again. Nothing after that stage reads bodies.
    func releaseBody() { storage.held.withLock { $0 = Held(bytes: [], start: 0) } }

    private struct Held: Sendable {
        var bytes: [UInt8]
        var start: Int
    }

    private final class Body: Sendable {
        let held: Mutex<Held>
        init(_ bytes: [UInt8], start: Int) { held = Mutex(Held(bytes: bytes, start: start)) }
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
