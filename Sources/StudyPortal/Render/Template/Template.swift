/// A Mustache template (https://mustache.github.io/mustache.5.html), parsed once and rendered many
/// times over `TemplateValue`s. Supported: `{{name}}` (escaped), `{{{name}}}` and `{{&name}}`,
/// dotted names and `{{.}}`, sections `{{#x}}…{{/x}}` and inverted sections `{{^x}}…{{/x}}`, comments
/// `{{! … }}`, partials `{{>name}}`, and inheritance: `{{<parent}}{{$block}}…{{/block}}{{/parent}}` with
/// `{{$block}}default{{/block}}` in the parent. `empty(x)` is true when x is missing, empty or false
/// (`{{^empty(list)}}<ul>…</ul>{{/empty(list)}}`), as in swift-mustache, which the theme first used.
/// Tags standing alone on a line take the line with them, as the Mustache spec says.
///
/// Written here because swift-mustache, which we used first, spends most of a page's time in dynamic
/// casts on `Any` contexts: about 1 ms a page, several times our whole budget (docs/benchmarks.md).
public struct Template: Sendable {
    indirect enum Node: Sendable {
        case text([UInt8])
        case variable(Path, escaped: Bool)
        case section(Path, inverted: Bool, [Node])
        case partial(String)
        case parent(String, blocks: [String: [Node]])
        case block(String, [Node])
    }

    struct Path: Sendable {
        var names: [String]
        /// `empty(x)`: the section tests emptiness instead of the value.
        var empty: Bool
    }

    public struct ParseError: Error, Sendable {
        public var message: String
        public var line: Int
        public var column: Int
    }

    let nodes: [Node]

    public init(_ text: String) throws(ParseError) {
        var parser = TemplateParser(Array(text.utf8))
        nodes = try parser.parse()
    }
}

/// Named templates that can include and extend each other.
public struct TemplateLibrary: Sendable {
    var templates: [String: Template] = [:]

    public init() {}

    public mutating func register(_ template: Template, named name: String) { templates[name] = template }

    public func has(_ name: String) -> Bool { templates[name] != nil }

    public func render(_ name: String, _ context: View) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16_384)
        guard let template = templates[name] else { return out }
        var renderer = Renderer(library: self, stack: [context])
        renderer.render(template.nodes, into: &out)
        return out
    }

    /// Partials and parents nest at most this deep, so a template that includes itself stops.
    static let maxDepth = 64

    struct Renderer {
        let library: TemplateLibrary
        var stack: [any TemplateValue]
        var blocks: [[String: [Template.Node]]] = []
        var depth = 0

        mutating func render(_ nodes: [Template.Node], into out: inout [UInt8]) {
            for node in nodes {
                switch node {
                case .text(let bytes):
                    out.append(contentsOf: bytes)
                case .variable(let path, let escaped):
                    if path.empty { (isEmpty(path) ? "true" : "false").write(to: &out, escaped: false); continue }
                    write(path.names, to: &out, escaped: escaped)
                case .section(let path, let inverted, let children):
                    if path.empty {
                        if isEmpty(path) != inverted { render(children, into: &out) }
                        continue
                    }
                    let value = lookup(path.names)
                    if inverted {
                        if !(value?.isTruthy ?? false) { render(children, into: &out) }
                        continue
                    }
                    guard let value, value.isTruthy else { continue }
                    let isList = value.forEachElement { element in
                        stack.append(element)
                        render(children, into: &out)
                        stack.removeLast()
                    }
                    if !isList {
                        stack.append(value)
                        render(children, into: &out)
                        stack.removeLast()
                    }
                case .partial(let name):
                    guard depth < TemplateLibrary.maxDepth, let template = library.templates[name] else { continue }
                    depth += 1
                    render(template.nodes, into: &out)
                    depth -= 1
                case .parent(let name, let overrides):
                    guard depth < TemplateLibrary.maxDepth, let template = library.templates[name] else { continue }
                    depth += 1
                    // The outermost override of a block wins: earlier (child) overrides stay on top.
                    var merged = overrides
                    for level in blocks { for (k, v) in level { merged[k] = v } }
                    blocks.append(merged)
                    render(template.nodes, into: &out)
                    blocks.removeLast()
                    depth -= 1
                case .block(let name, let defaults):
                    render(blocks.last?[name] ?? defaults, into: &out)
                }
            }
        }

        /// `lookup(names)?.write(…)`, with the last member written in place by its holder.
        func write(_ names: [String], to out: inout [UInt8], escaped: Bool) {
            guard let last = names.last else { stack.last?.write(to: &out, escaped: escaped); return }
            if names.count == 1 {
                var level = stack.count - 1
                while level >= 0 {
                    if stack[level].writeMember(last, to: &out, escaped: escaped) { return }
                    level -= 1
                }
                return
            }
            _ = lookup(Array(names.dropLast()))?.writeMember(last, to: &out, escaped: escaped)
        }

        func isEmpty(_ path: Template.Path) -> Bool {
            guard let value = lookup(path.names) else { return true }
            return !value.isTruthy
        }

        /// The first object on the stack (top down) holding the first name, then down the dotted path.
        func lookup(_ names: [String]) -> (any TemplateValue)? {
            guard let first = names.first else { return stack.last }
            var value: (any TemplateValue)?
            var level = stack.count - 1
            while level >= 0 {
                if let found = stack[level].member(first) { value = found; break }
                level -= 1
            }
            var k = 1
            while k < names.count, let current = value {
                value = current.member(names[k])
                k += 1
            }
            return value
        }
    }
}
