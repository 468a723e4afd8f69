import CYaml
import Yams

/// A YAML value with the position it came from, as our decoders want it.
///
/// Yams composes the tree with its `basic` resolver, so every scalar stays text exactly as written
/// (`001234` stays `001234`; `2026-01-01` is not turned into a timestamp): each field decides its
/// own type. This also skips Yams' per-scalar regex type detection.
public indirect enum YAMLValue: Sendable {
    case scalar(String, plain: Bool, Position)
    case list([YAMLValue], Position)
    case map([(key: String, keyPosition: Position, value: YAMLValue)], Position)

    public struct Position: Sendable, Hashable {
        public var line: Int
        public var column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
    }

    public var position: Position {
        switch self {
        case .scalar(_, _, let p), .list(_, let p), .map(_, let p): return p
        }
    }

    /// A plain (unquoted) empty or `~`/`null` scalar: YAML's null.
    public var isNull: Bool {
        if case .scalar(let s, let plain, _) = self, plain { return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL" }
        return false
    }

    public var kindName: String {
        switch self {
        case .scalar: return "a single value"
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }
}

public struct YAMLError: Error, Sendable {
    public var message: String
    public var line: Int
    public var column: Int
}

public enum YAML {
    /// Most values a document may hold. Front matter has tens; this bounds the walk of anything hostile.
    public static let nodeBudget = 100_000

    /// Parses one YAML document. `lineOffset` is added to every line so positions are in the file, not the block.
    ///
    /// Aliases are refused before Yams composes the tree: composing shares aliased nodes, but Yams'
    /// duplicate-key check hashes them, and an alias bomb (`a: &a [..]`, `b: &b [*a, *a ..]` …) would make
    /// that hashing — and any later walk — exponential. Front matter never needs aliases.
    public static func parse(_ text: String, lineOffset: Int = 0) throws(YAMLError) -> YAMLValue? {
        if text.containsByte(UInt8(ascii: "*")), let mark = firstAlias(in: text) {
            throw YAMLError(message: "YAML aliases (*name) are not supported here; write the value out in full",
                            line: mark.line + lineOffset, column: mark.column)
        }
        let node: Node?
        do {
            // Encoding given: Yams' default looks it up in the environment on every document.
            node = try Yams.Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8).singleRoot()
        } catch let error as YamlError {
            throw describe(error, lineOffset: lineOffset)
        } catch {
            throw YAMLError(message: "\(error)", line: 1 + lineOffset, column: 1)
        }
        guard let node else { return nil }
        var budget = nodeBudget
        return try convert(node, lineOffset: lineOffset, budget: &budget)
    }

    private static func convert(_ node: Node, lineOffset: Int, budget: inout Int) throws(YAMLError) -> YAMLValue {
        budget -= 1
        let mark = node.mark
        let pos = YAMLValue.Position(line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
        guard budget >= 0 else {
            throw YAMLError(message: "the YAML holds more than \(nodeBudget) values", line: pos.line, column: pos.column)
        }
        switch node {
        case .scalar(let scalar):
            return .scalar(scalar.string, plain: scalar.style == .plain || scalar.style == .any, pos)
        case .sequence(let seq):
            var items: [YAMLValue] = []
            items.reserveCapacity(seq.count)
            for child in seq { items.append(try convert(child, lineOffset: lineOffset, budget: &budget)) }
            return .list(items, pos)
        case .mapping(let mapping):
            var pairs: [(key: String, keyPosition: YAMLValue.Position, value: YAMLValue)] = []
            for (k, v) in mapping {
                let key = try convert(k, lineOffset: lineOffset, budget: &budget)
                guard case .scalar(let name, _, let keyPos) = key else {
                    throw YAMLError(message: "a key must be a single value, not \(key.kindName)", line: key.position.line, column: key.position.column)
                }
                pairs.append((name, keyPos, try convert(v, lineOffset: lineOffset, budget: &budget)))
            }
            return .map(pairs, pos)
        case .alias:
            throw YAMLError(message: "YAML aliases are not supported here", line: pos.line, column: pos.column)
        }
    }

    private static func describe(_ error: YamlError, lineOffset: Int) -> YAMLError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = problem
            if let context { message += " (\(context.text) at line \(context.mark.line + lineOffset))" }
            return YAMLError(message: "invalid YAML: " + message, line: mark.line + lineOffset, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return YAMLError(message: "duplicate key \(duplicates.joined(separator: ", "))",
                             line: context.mark.line + lineOffset, column: context.mark.column)
        case .reader(let problem, _, _, _):
            return YAMLError(message: "invalid YAML text: \(problem)", line: 1 + lineOffset, column: 1)
        default:
            return YAMLError(message: "invalid YAML: \(error)", line: 1 + lineOffset, column: 1)
        }
    }

    /// Where the first alias event is, if any, using the libyaml that Yams bundles (its event API is
    /// not exposed by Yams itself). Returns nil on a syntax error: Yams then reports it properly.
    static func firstAlias(in text: String) -> (line: Int, column: Int)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> (line: Int, column: Int)? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_ALIAS_EVENT {
                    return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                }
                if event.type == YAML_STREAM_END_EVENT { return nil }
            }
        }
    }
}
