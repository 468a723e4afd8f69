/// Heading ids and URL slugs by GitHub's rule (SPEC §6): lower-case; keep letters, marks and digits
/// of every script, `-` and `_`; spaces become `-`; drop everything else, Chinese punctuation included.
/// `## 二、存在的问题` → `二存在的问题`.
public enum HeadingID {
    public static func slug(_ text: String) -> String {
        commonSlug(text) ?? generalSlug(text)
    }

    /// The slug of a text written in ASCII, the unified ideographs and the common Chinese punctuation
    /// — nearly every heading — byte by byte, without case mapping the whole text or a Unicode property
    /// look-up per character (heading ids were a fifth of the Markdown stage's own time in perf; this
    /// took 3% off the stage's CPU); nil for any other text. A test checks it against `generalSlug`
    /// for every scalar it takes.
    static func commonSlug(_ text: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x41...0x5A: out.append(UInt8(v) + 0x20)
            case 0x30...0x39, 0x61...0x7A, 0x5F, 0x2D: out.append(UInt8(v))
            case 0x20: out.append(0x2D)
            case 0x00...0x7F: continue   // other ASCII: punctuation, symbols, controls
            case 0x3400...0x4DBF, 0x4E00...0x9FFF:
                out.append(UInt8(0xE0 | v >> 12))
                out.append(UInt8(0x80 | (v >> 6) & 0x3F))
                out.append(UInt8(0x80 | v & 0x3F))
            case _ where commonPunctuation.contains(v): continue
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Chinese punctuation headings use: none is a letter, mark, number or connector, so all are dropped.
    static let commonPunctuation: Set<UInt32> = [0x3001, 0x3002, 0x300A, 0x300B, 0x300C, 0x300D, 0x3010, 0x3011, 0x2014, 0x2018, 0x2019,
                                                 0x201C, 0x201D, 0x2026, 0xFF01, 0xFF08, 0xFF09, 0xFF0C, 0xFF1A, 0xFF1B, 0xFF1F]

    /// GitHub's rule over any text.
    static func generalSlug(_ text: String) -> String {
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
        /// Each base id handed out, with the last suffix it got, in a list searched in order while a
        /// document has few headings (hashing a Chinese id checks its normalization first: a twentieth
        /// of the Markdown stage's own time), in a table past `linearLimit`.
        private var seen: [(base: String, suffix: Int)] = []
        private var taken: [String] = []
        private var seenTable: [String: Int]?
        private var takenTable: Set<String>?
        private static let linearLimit = 32

        public init() {}

        private func suffix(of base: String) -> Int? {
            if let seenTable { return seenTable[base] }
            return seen.first { $0.base == base }?.suffix
        }

        private mutating func setSuffix(_ n: Int, of base: String) {
            if seenTable != nil { seenTable?[base] = n; return }
            if let i = seen.firstIndex(where: { $0.base == base }) { seen[i].suffix = n } else { seen.append((base, n)) }
            if seen.count > Self.linearLimit { seenTable = Dictionary(seen.map { ($0.base, $0.suffix) }, uniquingKeysWith: { $1 }) }
        }

        private func isTaken(_ id: String) -> Bool { takenTable?.contains(id) ?? taken.contains(id) }

        private mutating func take(_ id: String) {
            if takenTable != nil { takenTable?.insert(id); return }
            taken.append(id)
            if taken.count > Self.linearLimit { takenTable = Set(taken) }
        }

        public mutating func id(for text: String) -> String {
            var base = HeadingID.slug(text)
            if base.isEmpty { base = "section" }
            var candidate = base
            if let n = suffix(of: base) {
                var k = n
                repeat { k += 1; candidate = "\(base)-\(k)" } while isTaken(candidate)
                setSuffix(k, of: base)
            } else {
                setSuffix(0, of: base)
            }
            take(candidate)
            return candidate
        }
    }
}
