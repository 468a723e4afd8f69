/// Slugs name output folders, so they must never climb out of one (SPEC §3): any Unicode letters,
/// but no `/`, `\`, control characters, leading dot or `..`.
public enum Slug {
    /// Why `slug` is unusable, or nil when it is fine.
    public static func problem(_ slug: String) -> String? {
        if slug.isEmpty { return "a slug must not be empty" }
        if slug.contains("/") || slug.contains("\\") { return "a slug must not contain / or \\ (found `\(slug)`)" }
        if slug.hasPrefix(".") { return "a slug must not start with a dot (found `\(slug)`)" }
        if slug.contains("..") { return "a slug must not contain .. (found `\(slug)`)" }
        if slug.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format && $0 != "\u{200D}" }) {
            return "a slug must not contain control characters"
        }
        if slug.trimmingSpaces() != slug { return "a slug must not begin or end with a space (found `\(slug)`)" }
        return nil
    }

    /// A slug from a file name: the name without `.md`.
    public static func fromFileName(_ name: String) -> String {
        name.hasSuffix(".md") ? String(name.dropLast(3)) : name
    }
}
