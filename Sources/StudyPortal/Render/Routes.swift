import Foundation

/// Every URL the portal has, in one place, so links, the sitemap and link checking agree.
/// A "site path" is where a page lives in the output, unencoded, with no leading slash, ending in `/`
/// for pages: `materials/终身学习/`. Links percent-encode it (`link`, `absolute`).
public struct Routes: Sendable {
    public let base: BaseURL

    public init(base: BaseURL) { self.base = base }

    public static let home = ""
    public static let materials = "materials/"
    public static func material(_ slug: String) -> String { "materials/\(slug)/" }
    public static func materialsPage(_ n: Int) -> String { n <= 1 ? materials : "materials/page/\(n)/" }
    public static func page(_ slug: String) -> String { "\(slug)/" }
    public static let categories = "categories/"
    public static let tags = "tags/"
    public static func category(_ slug: String) -> String { "categories/\(slug)/" }
    public static func tag(_ slug: String) -> String { "tags/\(slug)/" }
    public static let plans = "plans/"
    public static func plan(_ slug: String) -> String { "plans/\(slug)/" }
    public static let activities = "activities/"
    public static func activity(_ slug: String) -> String { "activities/\(slug)/" }
    public static let progress = "progress/"
    public static let overdue = "progress/overdue/"
    public static func group(_ id: String) -> String { "groups/\(id)/" }
    public static func member(_ id: String) -> String { "members/\(id)/" }
    public static let reflections = "reflections/"
    public static func reflection(_ member: String, _ slug: String) -> String { "reflections/\(member)/\(slug)/" }
    public static let progressJSON = "data/progress.json"
    public static let search = "search/"
    public static let searchIndex = "search/index.json"
    public static let ledgers = "ledgers/"
    public static func ledgers(_ year: Int) -> String { "ledgers/\(year)/" }
    public static func memberLedger(_ year: Int, _ id: String) -> String { "ledgers/\(year)/members/\(id)/" }
    public static func groupLedger(_ year: Int, _ id: String) -> String { "ledgers/\(year)/groups/\(id)/" }
    public static func planExport(_ slug: String, _ table: String) -> String { "progress/\(slug)-\(table).csv" }
    public static let feed = "feed.xml"
    public static let sitemap = "sitemap.xml"
    public static let notFound = "404.html"

    public func link(_ sitePath: String) -> String { base.link(Routes.path(sitePath)) }

    public func absolute(_ sitePath: String) -> String { Routes.asciiURL(base.absolute(Routes.path(sitePath))) }

    /// The file a site path is written to: `materials/foo/` → `materials/foo/index.html`.
    public static func file(for sitePath: String) -> String {
        sitePath.isEmpty || sitePath.utf8.last == UInt8(ascii: "/") ? sitePath + "index.html" : sitePath
    }

    /// Percent-encodes what may not stand in a URL path segment, keeping non-ASCII letters (an IRI,
    /// which browsers and HTML5 accept) so Chinese slugs stay readable.
    /// Nothing to encode: ASCII letters, digits, -._~ (and `/` between segments), and non-ASCII letters.
    static func isPlain(_ s: String, slash: Bool = true) -> Bool {
        s.utf8.allSatisfy { $0 > 0x7F || ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A)
            || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F || $0 == 0x7E || (slash && $0 == 0x2F) }
    }

    public static func segment(_ s: String) -> String {
        if isPlain(s, slash: false) { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if scalar.value > 0x7F || allowed.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { out += percent(byte) }
            }
        }
        return out
    }

    static func percent(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
    }

    /// Percent-encodes every segment of a site path.
    public static func path(_ contentPath: String) -> String {
        if isPlain(contentPath) { return contentPath }
        return contentPath.split(separator: "/", omittingEmptySubsequences: false).map { segment(String($0)) }.joined(separator: "/")
    }

    /// Fully ASCII (for the sitemap and feed, where IRIs are not allowed).
    public static func asciiURL(_ url: String) -> String {
        if url.utf8.allSatisfy({ $0 <= 0x7F }) { return url }   // most URLs: the sitemap has one per page
        var out = ""
        for scalar in url.unicodeScalars {
            if scalar.value > 0x7F {
                for byte in String(scalar).utf8 { out += percent(byte) }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@")
}
