/// Parses Mustache text into template nodes, reporting errors with their line and column.
struct TemplateParser {
    struct Tag {
        enum Kind { case variable, raw, section, inverted, close, partial, parent, block, comment }
        var kind: Kind
        var name: String
        /// Byte offsets of `{{` and just past `}}`.
        var start: Int
        var end: Int
    }

    enum Piece {
        case text(Int, Int)
        case tag(Tag)
    }

    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func parse() throws(Template.ParseError) -> [Template.Node] {
        let pieces = try standalone(tokenize())
        var index = 0
        let nodes = try build(pieces, &index, closing: nil)
        return nodes
    }

    func position(_ offset: Int) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        let column = String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).count + 1
        return (line, column)
    }

    func error(_ message: String, at offset: Int) -> Template.ParseError {
        let p = position(offset)
        return Template.ParseError(message: message, line: p.line, column: p.column)
    }

    func tokenize() throws(Template.ParseError) -> [Piece] {
        var pieces: [Piece] = []
        var i = 0, textStart = 0
        let n = bytes.count
        while i + 1 < n {
            guard bytes[i] == 0x7B, bytes[i + 1] == 0x7B else { i += 1; continue }   // "{{"
            if textStart < i { pieces.append(.text(textStart, i)) }
            let start = i
            var kind = Tag.Kind.variable
            var j = i + 2
            var closer: [UInt8] = [0x7D, 0x7D]
            if j < n {
                switch bytes[j] {
                case 0x7B: kind = .raw; closer = [0x7D, 0x7D, 0x7D]; j += 1           // {{{
                case 0x26: kind = .raw; j += 1                                      // {{&
                case 0x23: kind = .section; j += 1                                  // {{#
                case 0x5E: kind = .inverted; j += 1                                 // {{^
                case 0x2F: kind = .close; j += 1                                    // {{/
                case 0x3E: kind = .partial; j += 1                                  // {{>
                case 0x3C: kind = .parent; j += 1                                   // {{<
                case 0x24: kind = .block; j += 1                                    // {{$
                case 0x21: kind = .comment; j += 1                                  // {{!
                case 0x3D, 0x25: throw error("set-delimiter and pragma tags are not supported", at: start)
                default: break
                }
            }
            guard let close = find(closer, from: j) else { throw error("a tag opened here is not closed with \(String(decoding: closer, as: UTF8.self))", at: start) }
            // A comment's text is not kept (the theme's comments are long, and trimming went through NSString).
            let name = kind == .comment ? "" : Self.trimmingSpaces(String(decoding: bytes[j..<close], as: UTF8.self)[...])
            if kind != .comment && name.isEmpty { throw error("a tag needs a name", at: start) }
            if kind != .comment && name.contains(where: { $0 == "{" || $0 == "}" || $0.isNewline }) { throw error("a tag name cannot contain braces or line breaks", at: start) }
            i = close + closer.count
            pieces.append(.tag(Tag(kind: kind, name: name, start: start, end: i)))
            textStart = i
        }
        if textStart < n { pieces.append(.text(textStart, n)) }
        return pieces
    }

    /// `text` without the tabs and space separators (Unicode's Zs, and U+200B, which Foundation's set
    /// keeps from older Unicode) it begins or ends with, as `trimmingCharacters(in: .whitespaces)`
    /// gives it, but without a trip through NSString: parsing the theme's templates is part of every
    /// build's start.
    static func trimmingSpaces(_ text: Substring) -> String {
        let scalars = text.unicodeScalars
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == "\t" || s == "\u{200B}" || s.properties.generalCategory == .spaceSeparator }
        var lo = scalars.startIndex, hi = scalars.endIndex
        while lo < hi, isSpace(scalars[lo]) { lo = scalars.index(after: lo) }
        while hi > lo, isSpace(scalars[scalars.index(before: hi)]) { hi = scalars.index(before: hi) }
        return String(scalars[lo..<hi])
    }

    func find(_ needle: [UInt8], from: Int) -> Int? {
        var k = from
        while k + needle.count <= bytes.count {
            if bytes[k] == needle[0] && bytes[k..<(k + needle.count)].elementsEqual(needle) { return k }
            k += 1
        }
        return nil
    }

    /// A section, inverted, close, partial, parent, block or comment tag alone on its line takes the
    /// line's indentation and line break with it (Mustache spec "standalone" rule).
    func standalone(_ pieces: [Piece]) -> [Piece] {
        var out = pieces
        func isBlank(_ a: Int, _ b: Int) -> Bool { (a..<b).allSatisfy { bytes[$0] == 0x20 || bytes[$0] == 0x09 } }
        for (k, piece) in pieces.enumerated() {
            guard case .tag(let tag) = piece, tag.kind != .variable && tag.kind != .raw else { continue }
            // Before: start of file or a line break, then only blanks.
            var before = tag.start
            while before > 0 && (bytes[before - 1] == 0x20 || bytes[before - 1] == 0x09) { before -= 1 }
            guard before == 0 || bytes[before - 1] == 0x0A else { continue }
            if k > 0, case .tag = out[k - 1], before != tag.start { continue }
            // After: only blanks, then a line break or the end.
            var after = tag.end
            while after < bytes.count && (bytes[after] == 0x20 || bytes[after] == 0x09) { after += 1 }
            if after < bytes.count && bytes[after] == 0x0D { after += 1 }
            guard after == bytes.count || bytes[after] == 0x0A else { continue }
            if after < bytes.count { after += 1 }
            // The neighbouring text must hold nothing but those blanks on this line.
            if k > 0, case .text(let a, let b) = out[k - 1], b == tag.start {
                guard isBlank(max(a, before), b) else { continue }
                out[k - 1] = .text(a, max(a, before))
            } else if before != tag.start { continue }
            if k + 1 < out.count, case .text(let a, let b) = out[k + 1], a == tag.end {
                out[k + 1] = .text(min(after, b), b)
            } else if after != tag.end { continue }
        }
        return out
    }

    func build(_ pieces: [Piece], _ index: inout Int, closing: Tag?) throws(Template.ParseError) -> [Template.Node] {
        var nodes: [Template.Node] = []
        while index < pieces.count {
            let piece = pieces[index]
            index += 1
            switch piece {
            case .text(let a, let b):
                if a < b { nodes.append(.text(Array(bytes[a..<b]))) }
            case .tag(let tag):
                switch tag.kind {
                case .comment: continue
                case .variable: nodes.append(.variable(try path(tag), escaped: true))
                case .raw: nodes.append(.variable(try path(tag), escaped: false))
                case .partial: nodes.append(.partial(tag.name))
                case .section, .inverted:
                    let children = try build(pieces, &index, closing: tag)
                    nodes.append(.section(try path(tag), inverted: tag.kind == .inverted, children))
                case .block:
                    nodes.append(.block(tag.name, try build(pieces, &index, closing: tag)))
                case .parent:
                    let children = try build(pieces, &index, closing: tag)
                    var blocks: [String: [Template.Node]] = [:]
                    for child in children {
                        switch child {
                        case .block(let name, let content): blocks[name] = content
                        case .text(let t) where t.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }): continue
                        default: throw error("only {{$block}} overrides may stand inside {{<\(tag.name)}}", at: tag.start)
                        }
                    }
                    nodes.append(.parent(tag.name, blocks: blocks))
                case .close:
                    guard let open = closing else { throw error("{{/\(tag.name)}} closes nothing", at: tag.start) }
                    guard open.name == tag.name else { throw error("{{/\(tag.name)}} does not match the open {{\(sigil(open))\(open.name)}}", at: tag.start) }
                    return nodes
                }
            }
        }
        if let open = closing { throw error("{{\(sigil(open))\(open.name)}} is never closed with {{/\(open.name)}}", at: open.start) }
        return nodes
    }

    func sigil(_ tag: Tag) -> String {
        switch tag.kind {
        case .section: return "#"
        case .inverted: return "^"
        case .block: return "$"
        case .parent: return "<"
        default: return ""
        }
    }

    func path(_ tag: Tag) throws(Template.ParseError) -> Template.Path {
        var name = tag.name
        var empty = false
        if name.hasSuffix(")"), let open = name.firstIndex(of: "(") {
            let transform = String(name[..<open])
            guard transform == "empty" else { throw error("unknown transform `\(transform)(…)` (only empty(…) is supported)", at: tag.start) }
            name = Self.trimmingSpaces(name[name.index(after: open)..<name.index(before: name.endIndex)])
            empty = true
        }
        if name == "." { return Template.Path(names: [], empty: empty) }
        return Template.Path(names: name.split(separator: ".").map(String.init), empty: empty)
    }
}
