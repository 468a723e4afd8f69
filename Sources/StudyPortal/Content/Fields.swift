/// Reads the typed fields of one front-matter mapping, collecting a diagnostic for every problem
/// (wrong type, bad date, unknown key, missing required field) instead of stopping at the first.
public struct Fields {
    public let path: String
    private var entries: [String: (keyPosition: YAMLValue.Position, value: YAMLValue)] = [:]
    private var order: [String] = []
    private var used: Set<String> = []
    private let origin: YAMLValue.Position
    public private(set) var diagnostics: [Diagnostic] = []

    /// `value` is the parsed document; anything but a mapping (or nothing) is reported.
    public init(_ value: YAMLValue?, path: String, origin: YAMLValue.Position = .init(line: 1, column: 1)) {
        self.path = path
        self.origin = origin
        switch value {
        case .map(let pairs, _):
            for pair in pairs where entries[pair.key] == nil {
                entries[pair.key] = (pair.keyPosition, pair.value)
                order.append(pair.key)
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

    public func position(of key: String) -> YAMLValue.Position { entries[key]?.keyPosition ?? origin }

    /// Where the value of `key` is written (for messages about the value itself).
    public func valuePosition(of key: String) -> YAMLValue.Position { entries[key]?.value.position ?? origin }

    private mutating func take(_ key: String) -> YAMLValue? {
        used.insert(key)
        guard let value = entries[key]?.value, !value.isNull else { return nil }
        return value
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
        for key in order where !used.contains(key) && !knownElsewhere.contains(key) {
            let p = entries[key]?.keyPosition ?? origin
            diagnostics.append(.warning("unknown field `\(key)` (ignored)", path: path, line: p.line, column: p.column))
        }
    }
}
