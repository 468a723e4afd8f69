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
        let parts = contentPath.split(separator: "/")
        let isMarkdown = contentPath.hasSuffix(".md")
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

    public static func load(root: String, config: SiteConfig, jobs: Int) async -> (Site, [Diagnostic]) {
        var site = Site(root: root, config: config)
        let contentDir = root + "/content"
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contentDir, isDirectory: &isDir), isDir.boolValue else {
            return (site, [])
        }
        let walk = Walk.files(under: contentDir)
        var diagnostics = walk.diagnostics
        diagnostics += walk.unreadable.map { .error("cannot read this file or folder (check its permissions)", path: "content/" + $0) }

        var markdown: [(Walk.Entry, Kind)] = []
        for entry in walk.entries {
            switch kind(of: entry.relative) {
            case .material, .page: markdown.append((entry, kind(of: entry.relative)))
            case .plan, .activity, .reflection, .data: break
            case .asset(let isPrivate):
                if !isPrivate || config.profile == .internal {
                    site.staticFiles.append(StaticFile(contentPath: entry.relative, absolutePath: entry.absolute))
                }
            }
        }

        let parsed = await parallelMap(markdown, jobs: jobs) { entry, kind in parse(entry, kind: kind) }
        for item in parsed {
            diagnostics += item.diagnostics
            if let m = item.material { site.materials.append(m) }
            if let p = item.page { site.pages.append(p) }
        }
        return (site, diagnostics)
    }

    struct Parsed: Sendable {
        var material: Material?
        var page: Page?
        var diagnostics: [Diagnostic]
    }

    static func parse(_ entry: Walk.Entry, kind: Kind) -> Parsed {
        let path = "content/" + entry.relative
        guard let data = FileManager.default.contents(atPath: entry.absolute) else {
            return Parsed(diagnostics: [.error("cannot read this file (check its permissions)", path: path)])
        }
        var (text, diagnostics) = TextDecoding.markdown(data, path: path)
        if text.allSatisfy(\.isWhitespace) {
            return Parsed(diagnostics: diagnostics + [.error("the file is empty; it needs front matter with at least a title (---\\ntitle: …\\n---)", path: path, line: 1, column: 1)])
        }
        let source: SourceText
        switch FrontMatter.split(text) {
        case .success(let s): source = s
        case .failure(let e): return Parsed(diagnostics: diagnostics + [.error(e.message, path: path, line: e.line, column: e.column)])
        }
        guard let yaml = source.yaml else {
            return Parsed(diagnostics: diagnostics + [.error("missing front matter: the file should start with a line ---, then `title: …`, then ---", path: path, line: 1, column: 1)])
        }
        let value: YAMLValue?
        do throws(YAMLError) {
            value = try YAML.parse(yaml, lineOffset: 1)
        } catch {
            return Parsed(diagnostics: diagnostics + [.error(error.message, path: path, line: error.line, column: error.column)])
        }
        if yaml.contains("\t") {
            // libyaml reports tab indentation obscurely; name it when that is the cause.
            if let line = yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex(where: { $0.hasPrefix("\t") }) {
                diagnostics.append(.warning("a tab character indents this line; YAML indents with spaces", path: path, line: line + 2, column: 1))
            }
        }
        let file = SourceFile(path: path, contentPath: entry.relative, body: source.body, bodyLine: source.bodyLine)
        var fields = Fields(value, path: path, origin: .init(line: 1, column: 1))
        let fileSlug = Slug.fromFileName(String(entry.relative.split(separator: "/").last ?? ""))
        var result = Parsed(diagnostics: [])
        switch kind {
        case .material: result.material = Decode.material(&fields, file: file, fileSlug: fileSlug)
        case .page: result.page = Decode.page(&fields, file: file, fileSlug: fileSlug)
        default: break
        }
        result.diagnostics = diagnostics + fields.diagnostics
        return result
    }
}
