/// Heading ids and URL slugs by GitHub's rule (SPEC §6): lower-case; keep letters, marks and digits
/// of every script, `-` and `_`; spaces become `-`; drop everything else, Chinese punctuation included.
/// `## 二、存在的问题` → `二存在的问题`.
public enum HeadingID {
    public static func slug(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.lowercased().unicodeScalars {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
                out.unicodeScalars.append(scalar)
            case .connectorPunctuation:
                out.unicodeScalars.append(scalar)
            default:
                if scalar == "-" { out.unicodeScalars.append(scalar) } else if scalar == " " { out.unicodeScalars.append("-") }
            }
        }
        return out
    }

    /// Hands out ids for one document's headings: a repeated id gets `-1`, `-2` … like GitHub.
    public struct Allocator {
        private var seen: [String: Int] = [:]
        private var taken: Set<String> = []

        public init() {}

        public mutating func id(for text: String) -> String {
            var base = HeadingID.slug(text)
            if base.isEmpty { base = "section" }
            var candidate = base
            if let n = seen[base] {
                var k = n
                repeat { k += 1; candidate = "\(base)-\(k)" } while taken.contains(candidate)
                seen[base] = k
            } else {
                seen[base] = 0
            }
            taken.insert(candidate)
            return candidate
        }
    }
}
