import Foundation

/// The load stage: walk `content/`, split front matter, decode typed values, collect diagnostics.
public enum Loader {
    /// Which kind a file under `content/` is, by its folder (SPEC §3).
    enum Kind: Equatable {
        case material, page, plan, activity, reflection
        /// `people/` and `records/`: data, never copied.
        case data
        /// Anything else: copied as it is (reflection attachments only in the internal profile).
        case asset(privateToMembers: Bool)
    }

    static func kind(of contentPath: String) -> Kind {
        // By bytes (a slash is one): split by Character, the 15,000 paths of a large site took a few
        // milliseconds of the load stage's start, on one core.
        let parts = contentPath.utf8.split(separator: UInt8(ascii: "/")).map { Substring(contentPath[$0.startIndex..<$0.endIndex]) }
        let isMarkdown = contentPath.hasASCIISuffix(".md")
        switch parts.first {
        case "materials" where isMarkdown: return .material
        case "pages" where isMarkdown: return .page
        case "plans" where isMarkdown && parts.count == 2: return .plan
        case "activities" where isMarkdown && parts.count == 2: return .activity
        case "reflections" where isMarkdown && parts.count == 3: return .reflection
        case "reflections": return .asset(privateToMembers: true)
        case "people", "records": return .data
        default: return .asset(privateToMembers: false)
        }
    }

    /// The load stage's result: every content file found and classified; the parse stage reads the
    /// Markdown and record files.
    public struct Files: Sendable {
        var site: Site
        var contentDir = ""
        var markdown: [(entry: Walk.Entry, kind: Kind)] = []
        var records: [Walk.Entry] = []
        var diagnostics: [Diagnostic] = []
    }

    /// The load stage: walk `content/` and classify what it holds.
    public static func read(root: String, config: SiteConfig, jobs: Int) async -> Files {
        var files = Files(site: Site(root: root, config: config))
        let contentDir = root + "/content"
        files.contentDir = contentDir
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contentDir, isDirectory: &isDir), isDir.boolValue else { return files }
        let walk = Walk.files(under: contentDir)
        files.diagnostics = walk.diagnostics
        files.diagnostics += walk.unreadable.map { .error("cannot read this file or folder (check its permissions)", path: "content/" + $0) }

        for entry in walk.entries {
            let kind = kind(of: entry.relative)
            switch kind {
            case .material, .page, .plan, .activity, .reflection: files.markdown.append((entry, kind))
            case .data:
                if entry.relative.hasPrefix("records/") && entry.relative.hasSuffix(".csv") { files.records.append(entry) }
            case .asset(let isPrivate):
                if !isPrivate || config.profile == .internal {
                    files.site.staticFiles.append(StaticFile(contentPath: entry.relative, absolutePath: entry.absolute))
                }
            }
        }
        return files
    }

    /// The parse stage: each file read, its front matter split and decoded into typed values; the
    /// roster and the records. A file's bytes are read where they are parsed and let go at once:
    /// read in the load stage, the 100 MB of a 10,000-material site were all held until parsing
    /// ended, in pages faulted in for them alone.
    public static func parse(_ files: Files, jobs: Int) async -> (Site, [Diagnostic]) {
        var site = files.site
        var diagnostics = files.diagnostics
        guard !files.contentDir.isEmpty else { return (site, diagnostics) }
        // The record files are parsed beside the Markdown files, not after them: the last few
        // large CSV files, and the records gathered into one array, kept a core idle (60 ms at
        // 10,000 materials).
        // Opened by name inside `content/`: the kernel walks the names above it once, not per file.
        let folder = open(files.contentDir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if folder >= 0 { close(folder) } }
        let read: @Sendable (Walk.Entry) -> [UInt8]? = { entry in
            folder >= 0 ? FileSystem.contents(ofFile: entry.relative, in: folder, followingLinks: true)
                        : FileSystem.contents(ofFile: entry.absolute, followingLinks: true)
        }
        async let records = Self.records(files.records, jobs: jobs, read: read)
        let parsed = await parallelMap(files.markdown, jobs: jobs) { parse($0.entry, kind: $0.kind, bytes: read($0.entry)) }
        for item in parsed {
            diagnostics += item.diagnostics
            switch item.value {
            case .material(let m): site.materials.append(m)
            case .page(let p): site.pages.append(p)
            case .plan(let p): site.plans.append(p)
            case .activity(let a): site.activities.append(a)
            case .reflection(let r): site.reflections.append(r)
            case nil: break
            }
        }
        diagnostics += loadPeople(files.contentDir, into: &site)
        let (allRecords, recordProblems) = await records
        if site.records.isEmpty { site.records = allRecords } else { site.records += allRecords }   // moved, not copied
        diagnostics += recordProblems
        return (site, diagnostics)
    }

    /// Every record of the record files, in file and row order, and their problems. The files (one
    /// a month, typically) are parsed side by side, each into a buffer of its own, and the records
    /// are then moved into one array: gathered from an array per file, the 200,000 records of a
    /// large site were copied (a retain per reference) and the copies' sources freed (a release per
    /// reference), 25 ms of CPU on one core.
    static func records(_ files: [Walk.Entry], jobs: Int, read: @escaping @Sendable (Walk.Entry) -> [UInt8]?) async -> ([Record], [Diagnostic]) {
        let parts = await parallelMap(files, jobs: jobs) { entry -> (records: Part, diagnostics: [Diagnostic]) in
            let path = "content/" + entry.relative
            guard let bytes = read(entry) else { return (Part(), [.error("cannot read this file (check its permissions)", path: path)]) }
            // Each row made into its record as it is read (`CSVTable.scan`), into room for every row
            // of the bytes scanned.
            var part = Part()
            var problems: [Diagnostic] = []
            let (_, found) = bytes.withUnsafeBufferPointer { bytes in
                CSVTable.decoding(bytes, path: path) { utf8, warnings in
                    part = Part(capacity: CSVTable.rowCapacity(utf8))
                    var columns: RecordLoader.Columns?
                    return CSVTable.scan(utf8, path: path, required: RecordLoader.required, optional: RecordLoader.optional, warnings: warnings) { row in
                        let at = columns ?? RecordLoader.Columns(row.header)
                        columns = at
                        guard let record = RecordLoader.record(row, at, path: path, diagnostics: &problems), let base = part.base else { return }
                        (base + part.count).initialize(to: record)
                        part.count += 1
                    }
                }
            }
            return (part, found + problems)   // (no problems of rows when the file had no usable header)
        }
        let diagnostics = parts.flatMap(\.diagnostics)
        let total = parts.reduce(0) { $0 + $1.records.count }
        // None: no array made over no room (that one writes its count into the empty array all
        // arrays share, which ThreadSanitizer reports when two builds run side by side).
        guard total > 0 else {
            for (part, _) in parts { part.base?.deallocate() }
            return ([], diagnostics)
        }
        let records = [Record](unsafeUninitializedCapacity: total) { buffer, count in
            for (part, _) in parts {
                if let base = buffer.baseAddress, let from = part.base { (base + count).moveInitialize(from: from, count: part.count) }
                count += part.count
                part.base?.deallocate()
            }
        }
        return (records, diagnostics)
    }

    /// One record file's records, initialized at `base` by the task that read it, moved out (and the
    /// memory freed) by `records` once every task has ended: hence `@unchecked Sendable`.
    private struct Part: @unchecked Sendable {
        var base: UnsafeMutablePointer<Record>?
        var count = 0

        init() {}
        init(capacity: Int) { base = .allocate(capacity: max(1, capacity)) }
    }

    /// The roster: both files are optional, but groups are needed as soon as members name them.
    static func loadPeople(_ contentDir: String, into site: inout Site) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let fm = FileManager.default
        if fm.fileExists(atPath: contentDir + "/people/groups.csv") {
            let (table, problems) = CSVTable.read(contentDir + "/people/groups.csv", path: PeopleLoader.groupsPath, required: ["id", "name"], optional: ["secretary"])
            diagnostics += problems
            if let table { let (groups, more) = PeopleLoader.groups(table); site.groups = groups; diagnostics += more }
        }
        if fm.fileExists(atPath: contentDir + "/people/members.csv") {
            let (table, problems) = CSVTable.read(contentDir + "/people/members.csv", path: PeopleLoader.membersPath, required: ["id", "name", "group", "role"], optional: ["joined", "left"])
            diagnostics += problems
            if let table { let (members, more) = PeopleLoader.members(table); site.members = members; diagnostics += more }
        }
        return diagnostics
    }

    enum Item: Sendable {
        case material(Material), page(Page), plan(Plan), activity(Activity), reflection(Reflection)
    }

    struct Parsed: Sendable {
        var value: Item?
        var diagnostics: [Diagnostic]

        init(value: Item? = nil, diagnostics: [Diagnostic]) {
            self.value = value
            self.diagnostics = diagnostics
        }
    }

    static func parse(_ entry: Walk.Entry, kind: Kind) -> Parsed {
        parse(entry, kind: kind, bytes: FileSystem.contents(ofFile: entry.absolute, followingLinks: true))
    }

    static func parse(_ entry: Walk.Entry, kind: Kind, bytes: [UInt8]?) -> Parsed {
        let path = "content/" + entry.relative
        guard let bytes else {
            return Parsed(diagnostics: [.error("cannot read this file (check its permissions)", path: path)])
        }
        var diagnostics: [Diagnostic] = []
        let yaml: String?, bodyLine: Int
        // The body: the file's own bytes when they can be (most files: nothing copied), else the
        // text the general path read.
        let body: (bytes: [UInt8], start: Int)
        if let common = bytes.withUnsafeBytes(FrontMatter.splitting(bytes:)) {
            (yaml, bodyLine, body) = (common.yaml, common.bodyLine, (bytes, common.bodyStart))
        } else {
            let text: String
            (text, diagnostics) = TextDecoding.markdown(Data(bytes), path: path)
            if text.allSatisfy(\.isWhitespace) {
                return Parsed(diagnostics: diagnostics + [.error("the file is empty; it needs front matter with at least a title (---\\ntitle: …\\n---)", path: path, line: 1, column: 1)])
            }
            switch FrontMatter.split(text) {
            case .success(let s): (yaml, bodyLine, body) = (s.yaml, s.bodyLine, (Array(s.body.utf8), 0))
            case .failure(let e): return Parsed(diagnostics: diagnostics + [.error(e.message, path: path, line: e.line, column: e.column)])
            }
        }
        guard let yaml else {
            return Parsed(diagnostics: diagnostics + [.error("missing front matter: the file should start with a line ---, then `title: …`, then ---", path: path, line: 1, column: 1)])
        }
        let value: YAMLValue?
        do throws(YAMLError) {
            value = try YAML.parse(yaml, lineOffset: 1)
        } catch {
            // libyaml reports tab indentation obscurely ("found character that cannot start any token"):
            // name the cause when a tab-indented line comes at or before the error.
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            if let k = lines.firstIndex(where: { $0.hasPrefix("\t") || $0.drop(while: { $0 == " " }).hasPrefix("\t") }), k + 2 <= error.line {
                return Parsed(diagnostics: diagnostics + [.error("a tab indents this line; YAML indents with spaces only", path: path, line: k + 2, column: 1)])
            }
            return Parsed(diagnostics: diagnostics + [.error(error.message, path: path, line: error.line, column: error.column)])
        }
        let file = SourceFile(path: path, contentPath: entry.relative, bytes: body.bytes, bodyStart: body.start, bodyLine: bodyLine)
        var fields = Fields(value, path: path, origin: .init(line: 1, column: 1))
        let parts = entry.relative.utf8.split(separator: UInt8(ascii: "/")).map { String(entry.relative[$0.startIndex..<$0.endIndex]) }
        let fileSlug = Slug.fromFileName(parts.last ?? "")
        var result = Parsed(diagnostics: [])
        if let problem = Slug.problem(fileSlug) {
            fields.append(.error("unusable file name: \(problem)", path: path, line: 1, column: 1))
        }
        switch kind {
        case .material: result.value = Decode.material(&fields, file: file, fileSlug: fileSlug).map(Item.material)
        case .page: result.value = Decode.page(&fields, file: file, fileSlug: fileSlug).map(Item.page)
        case .plan: result.value = Decode.plan(&fields, file: file, slug: fileSlug).map(Item.plan)
        case .activity: result.value = Decode.activity(&fields, file: file, slug: fileSlug).map(Item.activity)
        case .reflection: result.value = Decode.reflection(&fields, file: file, slug: fileSlug, folder: parts[1]).map(Item.reflection)
        default: break
        }
        result.diagnostics = diagnostics + fields.diagnostics
        return result
    }
}
