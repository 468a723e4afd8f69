/// An id written in a file, with where it was written, so a dangling one can be reported there.
public struct Ref: Sendable, Hashable {
    public var id: String
    public var path: String
    public var line: Int
    public var column: Int

    public init(_ id: String, path: String, line: Int, column: Int = 1) {
        self.id = id
        self.path = path
        self.line = line
        self.column = column
    }
}

extension Fields {
    /// A single id, kept with its position.
    mutating func ref(_ key: String, required: Bool = false) -> Ref? {
        let p = valuePosition(of: key)
        guard let id = string(key, required: required)?.trimmingSpaces(), !id.isEmpty else { return nil }
        return Ref(id, path: path, line: p.line, column: p.column)
    }

    /// A list of ids (or one id), each kept with its own position.
    mutating func refs(_ key: String) -> [Ref] {
        guard let value = raw(key) else { return [] }
        return refs(in: value, key: key)
    }

    /// The ids of an already-taken value (`audience`, `attendees` once `all` is ruled out).
    mutating func refs(in value: YAMLValue, key: String) -> [Ref] {
        switch value {
        case .scalar(let text, _, let p):
            return [Ref(text, path: path, line: p.line, column: p.column)]
        case .list(let items, _):
            return items.compactMap { item in
                guard case .scalar(let text, _, let p) = item, !item.isNull else {
                    append(.error("each entry of `\(key)` should be a single id", path: path, line: item.position.line, column: item.position.column))
                    return nil
                }
                return Ref(text, path: path, line: p.line, column: p.column)
            }
        case .map(_, let p):
            append(.error("`\(key)` should be a list of ids like [a, b]", path: path, line: p.line, column: p.column))
            return []
        }
    }
}
