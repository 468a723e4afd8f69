import Foundation

/// `site.yml`, typed (SPEC §3). Command-line flags are applied on top by `BuildOptions`.
public struct SiteConfig: Sendable {
    public enum Language: String, Sendable { case zhCN = "zh-CN", en }
    public enum Profile: String, Sendable { case `public`, `internal` }
    public enum LinkPolicy: String, Sendable { case error, warn }

    public struct ActivityType: Sendable, Hashable {
        public var name: String
        public var hours: Double
    }

    public var title = "学习园地"
    public var description = ""
    public var language = Language.zhCN
    public var baseURL = BaseURL("/")
    public var timezone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
    public var asOf: Day?
    public var profile = Profile.public
    public var defaultHours = 1.0
    public var categories: [String] = []
    public var activityTypes: [String: ActivityType] = [:]
    public var minGroupSize = 3
    public var yearlyTargetHours: [String: Double] = [:]
    public var unsafeHTML = false
    public var links = LinkPolicy.error
    /// Materials per page on `/materials/` (not in SPEC's example; Hugo's `pagination.pagerSize`).
    public var paginate = 20

    public init() {}

    static let fileName = "site.yml"

    /// Reads `site.yml` in `root`. A missing file is an error: it is what makes a folder a site.
    public static func load(root: URL) -> (SiteConfig, [Diagnostic]) {
        let url = root.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return (SiteConfig(), [.error("no site.yml here: is this the site's folder? (`studyportal init` writes a new site)", path: fileName)])
        }
        let text = TextDecoding.utf8Lossless(data) ?? String(decoding: data, as: UTF8.self)
        let value: YAMLValue?
        switch Result(catching: { () throws(YAMLError) in try YAML.parse(FrontMatter.normalise(text)) }) {
        case .success(let v): value = v
        case .failure(let e): return (SiteConfig(), [.error(e.message, path: fileName, line: e.line, column: e.column)])
        }
        var fields = Fields(value, path: fileName)
        var config = SiteConfig()
        config.read(&fields)
        fields.finish()
        return (config, fields.diagnostics)
    }

    private mutating func read(_ f: inout Fields) {
        if let v = f.string("title") { title = v }
        if let v = f.string("description") { description = v }
        if let v = f.string("language") {
            if let l = Language(rawValue: v) { language = l } else { f.error("`language` should be zh-CN or en, not \(v)", key: "language") }
        }
        if let v = f.string("base_url") {
            if let b = BaseURL.parse(v) { baseURL = b } else { f.error("`base_url` should be a path like /portal/ or an http(s) URL, not \(v)", key: "base_url") }
        }
        if let v = f.string("timezone") {
            if let z = TimeZone(identifier: v) { timezone = z } else { f.error("unknown time zone `\(v)` (e.g. Asia/Shanghai)", key: "timezone") }
        }
        asOf = f.day("as_of")
        if let v = f.string("profile") {
            if let p = Profile(rawValue: v) { profile = p } else { f.error("`profile` should be public or internal, not \(v)", key: "profile") }
        }
        if let v = f.number("default_hours") { defaultHours = v }
        categories = f.strings("categories")
        if let raw = f.raw("activity_types") { readActivityTypes(raw, &f) }
        if let v = f.integer("min_group_size") {
            if v >= 1 { minGroupSize = v } else { f.error("`min_group_size` should be at least 1", key: "min_group_size") }
        }
        if let raw = f.raw("yearly_target_hours") { readYearlyTargets(raw, &f) }
        if let v = f.bool("unsafe_html") { unsafeHTML = v }
        if let v = f.string("links") {
            if let p = LinkPolicy(rawValue: v) { links = p } else { f.error("`links` should be error or warn, not \(v)", key: "links") }
        }
        if let v = f.integer("paginate") {
            if v >= 1 { paginate = v } else { f.error("`paginate` should be at least 1", key: "paginate") }
        }
    }

    private mutating func readActivityTypes(_ raw: YAMLValue, _ f: inout Fields) {
        guard case .map(let pairs, _) = raw else { f.error("`activity_types` should map an id to {name, hours}", key: "activity_types"); return }
        for pair in pairs {
            var entry = Fields(pair.value, path: f.path, origin: pair.keyPosition)
            let name = entry.string("name", required: true) ?? pair.key
            let hours = entry.number("hours") ?? 0
            entry.finish()
            for d in entry.diagnostics { f.append(d) }
            activityTypes[pair.key] = ActivityType(name: name, hours: hours)
        }
    }

    private mutating func readYearlyTargets(_ raw: YAMLValue, _ f: inout Fields) {
        guard case .map(let pairs, _) = raw else { f.error("`yearly_target_hours` should map a role to hours", key: "yearly_target_hours"); return }
        for pair in pairs {
            guard pair.key == "member" || pair.key == "leader" else {
                f.append(.error("unknown role `\(pair.key)` (roles are member and leader)", path: f.path, line: pair.keyPosition.line, column: pair.keyPosition.column))
                continue
            }
            guard case .scalar(let text, _, _) = pair.value, let n = Double(text), n >= 0, n <= Fields.maximumHours else {
                f.append(.error("hours for `\(pair.key)` should be a number from 0 to \(Int(Fields.maximumHours))", path: f.path, line: pair.value.position.line, column: pair.value.position.column))
                continue
            }
            yearlyTargetHours[pair.key] = n
        }
    }
}

/// `base_url`: its path prefixes every link (SPEC §3); its origin, when given, makes feed URLs absolute.
public struct BaseURL: Sendable, Hashable {
    /// Scheme and host (`https://example.org`), empty for a path-only base.
    public var origin: String
    /// Always starts and ends with `/`.
    public var path: String

    public init(_ path: String) {
        self.origin = ""
        self.path = path
    }

    public static func parse(_ text: String) -> BaseURL? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("/") {
            guard !t.hasPrefix("//"), !t.contains("?"), !t.contains("#") else { return nil }
            return BaseURL(t.hasSuffix("/") ? t : t + "/")
        }
        guard let url = URL(string: t), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return nil }
        var base = BaseURL(url.path.isEmpty ? "/" : (url.path.hasSuffix("/") ? url.path : url.path + "/"))
        if !base.path.hasPrefix("/") { base.path = "/" + base.path }
        base.origin = "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
        return base
    }

    /// A site path (`materials/foo/`, no leading slash) as a link: `/portal/materials/foo/`.
    public func link(_ sitePath: String) -> String { path + sitePath }

    /// The same, absolute when an origin is known (feeds, sitemap).
    public func absolute(_ sitePath: String) -> String { origin + path + sitePath }
}
