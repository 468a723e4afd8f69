import CYaml

/// A YAML value with the position it came from, as our decoders want it.
///
/// Every scalar stays text exactly as written (`001234` stays `001234`; `2026-01-01` is not turned
/// into a timestamp): each field decides its own type (`YAML.parse`).
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
    /// libyaml's events (the libyaml Yams bundles) are walked straight into `YAMLValue`s: every scalar
    /// stays text exactly as written (`001234` stays `001234`; `2026-01-01` is not turned into a
    /// timestamp), and each field decides its own type. Going through Yams' `Parser` built a tree of
    /// its nodes first (tags, resolver, anchors, a duplicate-key check hashing them) that this walk
    /// then copied: 210 ms of the 10,000-material build's CPU, libyaml's own share of it ~25 ms.
    /// The walk reports what Yams reported, in the order it did — a test holds the two side by side
    /// on thousands of documents: an alias first (composing shares aliased nodes, and an alias bomb
    /// `a: &a [..]`, `b: &b [*a, *a ..]` … would make any later walk exponential; front matter never
    /// needs aliases), then the first syntax error, duplicate key or second document, then a key
    /// that is not a single value, or more than `nodeBudget` values.
    ///
    /// Front matter in the plainest YAML is read without libyaml (`simpleDocument`).
    public static func parse(_ text: String, lineOffset: Int = 0) throws(YAMLError) -> YAMLValue? {
        var text = text
        return try text.withUTF8 { bytes -> Result<YAMLValue?, YAMLError> in
            if let simple = simpleDocument(bytes, lineOffset: lineOffset) { return .success(simple) }
            var walk = EventWalk(lineOffset: lineOffset)
            return walk.document(bytes)
        }.get()
    }

    /// `parse` through libyaml always (tests compare `simpleDocument` with it).
    static func parseWithLibYAML(_ text: String, lineOffset: Int = 0) throws(YAMLError) -> YAMLValue? {
        var text = text, walk = EventWalk(lineOffset: lineOffset)
        return try text.withUTF8 { walk.document($0) }.get()
    }

    /// One document's events made into a value, with an explicit stack (no recursion a deeply nested
    /// document could exhaust).
    private struct EventWalk {
        let lineOffset: Int
        /// A list or mapping being read: its values so far, and for a mapping, a key waiting for its value.
        struct Frame {
            var isMap: Bool
            var position: YAMLValue.Position
            var items: [YAMLValue] = []
            var pairs: [(key: String, keyPosition: YAMLValue.Position, value: YAMLValue)] = []
            /// Every single-value key so far, also past the budget (for the duplicate check).
            var keys: [(id: KeyID, position: YAMLValue.Position)] = []
            var key: (name: String, position: YAMLValue.Position)?
            var awaitingValue = false
        }
        var stack: [Frame] = []
        var root: YAMLValue?
        var budget = YAML.nodeBudget
        /// Errors found while composing (a duplicate key, a second document), reported unless an
        /// alias or an earlier syntax error comes first.
        var composeError: YAMLError?
        /// Errors Yams' tree would have shown only once composed (reported last).
        var valueError: YAMLError?

        init(lineOffset: Int) { self.lineOffset = lineOffset }

        func position(_ mark: yaml_mark_t) -> YAMLValue.Position {
            YAMLValue.Position(line: Int(mark.line) + 1 + lineOffset, column: Int(mark.column) + 1)
        }

        mutating func document(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<YAMLValue?, YAMLError> {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return .success(nil) }
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return .failure(YAMLError(message: "invalid YAML: out of memory", line: 1 + lineOffset, column: 1)) }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, base, bytes.count)
            var documents = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(composeError ?? syntaxError(parser)) }
                defer { yaml_event_delete(&event) }
                let start = position(event.start_mark)
                switch event.type {
                case YAML_ALIAS_EVENT:
                    return .failure(YAMLError(message: "YAML aliases (*name) are not supported here; write the value out in full",
                                              line: start.line, column: start.column))
                case YAML_STREAM_END_EVENT:
                    if let error = composeError ?? valueError { return .failure(error) }
                    return .success(root)
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents == 2 && composeError == nil {
                        composeError = YAMLError(message: "invalid YAML: but found another document (expected a single document in the stream at line \(1 + lineOffset))",
                                                 line: start.line, column: start.column)
                    }
                // Past the first document (or a reported error), only aliases and syntax errors are looked for.
                case _ where documents > 1 || composeError != nil:
                    continue
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let text = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
                    let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE || scalar.style == YAML_ANY_SCALAR_STYLE
                    count(start)
                    add(.scalar(text, plain: plain, start), tag: scalar.tag.map { String(cString: $0) })
                case YAML_SEQUENCE_START_EVENT:
                    count(start)
                    stack.append(Frame(isMap: false, position: start))
                case YAML_MAPPING_START_EVENT:
                    count(start)
                    stack.append(Frame(isMap: true, position: start))
                case YAML_SEQUENCE_END_EVENT:
                    guard let frame = stack.popLast() else { continue }
                    add(.list(frame.items, frame.position), tag: nil)
                case YAML_MAPPING_END_EVENT:
                    guard let frame = stack.popLast() else { continue }
                    checkDuplicates(frame)
                    add(.map(frame.pairs, frame.position), tag: nil)
                default:
                    continue
                }
            }
        }

        /// One more value; past the budget, the first value too many is the error.
        mutating func count(_ at: YAMLValue.Position) {
            budget -= 1
            if budget == -1 && valueError == nil {
                valueError = YAMLError(message: "the YAML holds more than \(YAML.nodeBudget) values", line: at.line, column: at.column)
            }
        }

        /// A finished value, into the list or mapping around it (or as the document).
        mutating func add(_ value: YAMLValue, tag: String?) {
            guard var frame = stack.popLast() else { root = value; return }
            defer { stack.append(frame) }
            if !frame.isMap {
                if budget >= 0 { frame.items.append(value) }
                return
            }
            if frame.awaitingValue {
                if budget >= 0, let key = frame.key { frame.pairs.append((key.name, key.position, value)) }
                frame.awaitingValue = false
                frame.key = nil
                return
            }
            frame.awaitingValue = true
            guard case .scalar(let name, _, let at) = value else {
                if valueError == nil {
                    valueError = YAMLError(message: "a key must be a single value, not \(value.kindName)", line: value.position.line, column: value.position.column)
                }
                return
            }
            frame.key = (name, at)
            frame.keys.append((KeyID(name: name, tag: tag == "tag:yaml.org,2002:str" || tag == "!" ? nil : tag), at))
        }

        /// A key as Yams compares keys: its text and its tag (nil for none or `!!str`).
        struct KeyID: Hashable {
            var name: String
            var tag: String?
        }

        /// Yams' rule: keys equal in text and tag; the message lists each repeated key once (by
        /// text, sorted), at the first occurrence of the first.
        mutating func checkDuplicates(_ frame: Frame) {
            guard frame.isMap, frame.keys.count > 1 else { return }
            var first: [KeyID: YAMLValue.Position] = [:], repeated: [KeyID: YAMLValue.Position] = [:]
            if frame.keys.count <= 32 {
                // A front matter's dozen keys compared pairwise: hashing each into two tables was a
                // tenth of the walk's time, for mappings that almost never repeat a key.
                for j in frame.keys.indices {
                    if let i = frame.keys[..<j].firstIndex(where: { $0.id == frame.keys[j].id }) { repeated[frame.keys[j].id] = frame.keys[i].position }
                }
            } else {
                for (id, at) in frame.keys {
                    if let earlier = first[id] { repeated[id] = earlier } else { first[id] = at }
                }
            }
            let sorted = repeated.sorted { ($0.key.name, $0.value.line, $0.value.column) < ($1.key.name, $1.value.line, $1.value.column) }
            guard let (_, at) = sorted.first else { return }
            composeError = YAMLError(message: "duplicate key \(sorted.map(\.key.name).joined(separator: ", "))", line: at.line, column: at.column)
        }

        func syntaxError(_ parser: yaml_parser_t) -> YAMLError {
            let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
            switch parser.error {
            case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
                var message = problem
                if let context = parser.context {
                    message += " (\(String(cString: context)) at line \(Int(parser.context_mark.line) + 1 + lineOffset))"
                }
                let at = position(parser.problem_mark)
                return YAMLError(message: "invalid YAML: " + message, line: at.line, column: at.column)
            case YAML_READER_ERROR:
                return YAMLError(message: "invalid YAML text: \(problem)", line: 1 + lineOffset, column: 1)
            default:
                return YAMLError(message: "invalid YAML: \(problem)", line: 1 + lineOffset, column: 1)
            }
        }
    }
}
