/// Reads the typed fields of one front-matter mapping, collecting a diagnostic for every problem
/// (wrong type, bad date, unknown key, missing required field) instead of stopping at the first.
public struct Fields {
    public let path: String
    /// The mapping's keys, first occurrences in the order written, and their values. A front matter
    /// holds a dozen keys, each asked for once or twice: compared in a row rather than hashed (the
    /// hashing was 5% of the parse stage's CPU at 10,000 materials); hashed beyond `linearLimit`.
    private var keys: [String] = []
    private var entries: [(keyPosition: YAMLValue.Position, value: YAMLValue, used: Bool)] = []
    private var index: [String: Int]?
    private static let linearLimit = 32
    private let origin: YAMLValue.Position
    public private(set) var diagnostics: [Diagnostic] = []

    /// `value` is the parsed document; anything but a mapping (or nothing) is reported.
    public init(_ value: YAMLValue?, path: String, origin: YAMLValue.Position = .init(line: 1, column: 1)) {
        self.path = path
        self.origin = origin
        switch value {
        case .map(let pairs, _):
            for pair in pairs where place(of: pair.key) == nil {
                keys.append(pair.key)
                entries.append((pair.keyPosition, pair.value, false))
                if index != nil { index?[pair.key] = keys.count - 1 } else if keys.count > Self.linearLimit {
                    index = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                }
            }
        case .none:
            break
        case .some(let other) where other.isNull:
            break
        case .some(let other):
            diagnostics.append(.error("front matter must be a mapping of `key: value` lines, found \(other.kindName)",
                                      path: path, line: other.position.line, column: other.position.column))
        }
    }

    /// Where `key` is in `keys`, as a dictionary would find it (`==`: canonical equivalence).
    private func place(of key: String) -> Int? {
        if let index { return index[key] }
        let length = key.utf8.count
        // Keys of different lengths are equal only through a non-ASCII character (é written as
        // e and a combining accent): lengths rule out the rest without comparing them.
        let ascii = key.utf8.allSatisfy { $0 < 0x80 }
        for i in keys.indices where keys[i].utf8.count == length || !ascii || !keys[i].utf8.allSatisfy({ $0 < 0x80 }) {
            if keys[i] == key { return i }
        }
        return nil
    }

    public func position(of key: String) -> YAMLValue.Position { place(of: key).map { entries[$0].keyPosition } ?? origin }

    /// Where the value of `key` is written (for messages about the value itself).
    public func valuePosition(of key: String) -> YAMLValue.Position { place(of: key).map { entries[$0].value.position } ?? origin }

    private mutating func take(_ key: String) -> YAMLValue? {
        guard let i = place(of: key) else { return nil }
        entries[i].used = true
        let value = entries[i].value
        return value.isNull ? nil : value
    }

    private mutating func problem(_ message: String, at value: YAMLValue) {
        diagnostics.append(.error(message, path: path, line: value.position.line, column: value.position.column))
    }

    public mutating func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    public mutating func missing(_ key: String) {
        diagnostics.append(.error("missing required field `\(key)`", path: path, line: origin.line, column: origin.column))
    }

    public mutating func error(_ message: String, key: String) {
        let p = position(of: key)
        diagnostics.append(.error(message, path: path, line: p.line, column: p.column))
    }

    public mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = take(key) else {
            if required { missing(key) }
            return nil
        }
        guard case .scalar(let text, _, _) = value else {
            problem("`\(key)` should be a single value, not \(value.kindName)", at: value)
            return nil
        }
        if required && text.trimmingSpaces().isEmpty { missing(key); return nil }
        return text
    }

    public mutating func day(_ key: String, required: Bool = false) -> Day? {
        guard let value = take(key) else {
            if required { missing(key) }
            return nil
        }
        guard case .scalar(let text, _, _) = value, let day = Day(iso: text.trimmingSpaces()) else {
            problem("`\(key)` should be a date written YYYY-MM-DD, like 2026-03-01", at: value)
            return nil
        }
        return day
    }

    /// The most hours one value may give (a record, a material, an activity, a type, a target): far
    /// beyond any real study, and small enough that no site's sums leave the range pages print in.
    /// `1e300` typed for `1.5` made the build trap before this bound.
    public static let maximumHours: Double = 100_000

    /// A number of hours, from 0 to `maximumHours`.
    public mutating func number(_ key: String, minimum: Double = 0) -> Double? {
        guard let value = take(key) else { return nil }
        guard case .scalar(let text, _, _) = value, let n = Double(text.trimmingSpaces()), n.isFinite else {
            problem("`\(key)` should be a number", at: value)
            return nil
        }
        guard n >= minimum else {
            problem("`\(key)` must not be negative (found \(text))", at: value)
            return nil
        }
        guard n <= Self.maximumHours else {
            problem("`\(key)` is more than \(Int(Self.maximumHours)) hours (found \(text))", at: value)
            return nil
        }
        return n
    }

    public mutating func integer(_ key: String) -> Int? {
        guard let value = take(key) else { return nil }
        guard case .scalar(let text, _, _) = value, let n = Int(text.trimmingSpaces()) else {
            problem("`\(key)` should be a whole number", at: value)
            return nil
        }
        return n
    }

    public mutating func bool(_ key: String) -> Bool? {
        guard let value = take(key) else { return nil }
        if case .scalar(let text, _, _) = value {
            switch text.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        problem("`\(key)` should be true or false", at: value)
        return nil
    }

    /// A list of text values; a single value is taken as a one-item list (`tags: 学习`).
    public mutating func strings(_ key: String) -> [String] {
        guard let value = take(key) else { return [] }
        switch value {
        case .scalar(let text, _, _):
            return [text]
        case .list(let items, _):
            var out: [String] = []
            for item in items {
                if case .scalar(let text, _, _) = item, !item.isNull { out.append(text) } else {
                    problem("each entry of `\(key)` should be a single value", at: item)
                }
            }
            return out
        case .map:
            problem("`\(key)` should be a list like [a, b]", at: value)
            return []
        }
    }

    /// The raw value, for fields with their own shape (plan items, `absent` maps).
    public mutating func raw(_ key: String) -> YAMLValue? { take(key) }

    /// Warns about every key no reader asked for, in the order written.
    public mutating func finish(knownElsewhere: Set<String> = []) {
        for (key, entry) in zip(keys, entries) where !entry.used && !knownElsewhere.contains(key) {
            let p = entry.keyPosition
            diagnostics.append(.warning("unknown field `\(key)` (ignored)", path: path, line: p.line, column: p.column))
        }
    }
}
