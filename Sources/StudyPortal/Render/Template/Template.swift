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
    /// What the parser builds; `Compiler` flattens it into `ops` for rendering.
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

    /// The template flattened for rendering: a run of operations over plain integers, so stepping
    /// through it retains and releases nothing (the node tree cost a retain per node per page). A
    /// section's or block's body is the operations after it, up to its `end`.
    enum Op: Sendable {
        /// `text` bytes `start..<end`.
        case text(Int32, Int32)
        case variable(path: Int32, escaped: Bool)
        case section(path: Int32, inverted: Bool, end: Int32)
        case partial(name: Int32)
        /// The parent's name, this template's overrides (`overrides[k]`), and where its bodies end.
        case parent(name: Int32, overrides: Int32, end: Int32)
        case block(name: Int32, end: Int32)
    }

    /// The compiled template behind one reference: the renderer passes it down every section and
    /// partial, and a struct of five arrays cost five retains and releases each time.
    final class Program: @unchecked Sendable {
        let ops: [Op]
        let text: [UInt8]
        /// Every path's names, one after another in memory this object owns, read through
        /// `names(_:)` without retaining anything: perf put the hottest retain of the templates
        /// stage on a path's names array, taken and released around every variable written. Never
        /// written after `init`, hence `@unchecked Sendable`.
        private let nameStorage: UnsafeMutableBufferPointer<String>
        let paths: [(start: Int32, count: Int32, empty: Bool)]
        let names: [String]
        /// Per `parent` operation: block name → the range of operations overriding it.
        let overrides: [[String: Range<Int>]]

        init(_ c: Compiler) {
            (ops, text, names, overrides) = (c.ops, c.text, c.names, c.overrides)
            let flat = c.paths.flatMap(\.names)
            nameStorage = .allocate(capacity: flat.count)
            let initialized = nameStorage.initialize(fromContentsOf: flat)
            precondition(initialized == flat.count)   // every slot, or deinit would release garbage
            var start: Int32 = 0
            paths = c.paths.map { path in
                defer { start += Int32(path.names.count) }
                return (start, Int32(path.names.count), path.empty)
            }
        }

        deinit {
            nameStorage.deinitialize()
            nameStorage.deallocate()
        }

        /// Path `p`'s names, valid while this program lives.
        func pathNames(_ p: Int32) -> UnsafeBufferPointer<String> {
            let (start, count, _) = paths[Int(p)]
            return UnsafeBufferPointer(rebasing: UnsafeBufferPointer(nameStorage)[Int(start)..<Int(start + count)])
        }
    }

    let program: Program

    public init(_ text: String) throws(ParseError) {
        var parser = TemplateParser(Array(text.utf8))
        self.init(compiling: try parser.parse())
    }

    init(compiling nodes: [Node]) {
        var compiler = Compiler()
        compiler.emit(nodes)
        program = Program(compiler)
    }

    init(program: Program) { self.program = program }

    /// This template with each variable whose path starts with one of `roots` replaced by the text
    /// `value` gives for it (its escaped or raw value): the same operations, in the same places.
    func folding(_ roots: Set<String>, _ value: (UnsafeBufferPointer<String>, _ escaped: Bool) -> [UInt8]) -> Template {
        let p = program
        var compiler = Compiler()
        (compiler.ops, compiler.text, compiler.names, compiler.overrides) = (p.ops, p.text, p.names, p.overrides)
        compiler.paths = p.paths.indices.map { Path(names: Array(p.pathNames(Int32($0))), empty: p.paths[$0].empty) }
        for (at, op) in p.ops.enumerated() {
            guard case .variable(let path, let escaped) = op, !p.paths[Int(path)].empty,
                  let first = p.pathNames(path).first, roots.contains(first) else { continue }
            let start = Int32(compiler.text.count)
            compiler.text += value(p.pathNames(path), escaped)
            compiler.ops[at] = .text(start, Int32(compiler.text.count))
        }
        return Template(program: Program(compiler))
    }

    struct Compiler {
        var ops: [Op] = []
        var text: [UInt8] = []
        var paths: [Path] = []
        var names: [String] = []
        var overrides: [[String: Range<Int>]] = []

        mutating func name(_ s: String) -> Int32 {
            names.append(s)
            return Int32(names.count - 1)
        }

        mutating func emit(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .text(let bytes):
                    let start = Int32(text.count)
                    text += bytes
                    ops.append(.text(start, Int32(text.count)))
                case .variable(let path, let escaped):
                    paths.append(path)
                    ops.append(.variable(path: Int32(paths.count - 1), escaped: escaped))
                case .section(let path, let inverted, let children):
                    paths.append(path)
                    let at = ops.count, p = Int32(paths.count - 1)
                    ops.append(.text(0, 0))
                    emit(children)
                    ops[at] = .section(path: p, inverted: inverted, end: Int32(ops.count))
                case .partial(let partial):
                    ops.append(.partial(name: name(partial)))
                case .parent(let parent, let blocks):
                    let at = ops.count, n = name(parent)
                    ops.append(.text(0, 0))
                    var table: [String: Range<Int>] = [:]
                    for (block, body) in blocks.sorted(by: { $0.key < $1.key }) {
                        let start = ops.count
                        emit(body)
                        table[block] = start..<ops.count
                    }
                    overrides.append(table)
                    ops[at] = .parent(name: n, overrides: Int32(overrides.count - 1), end: Int32(ops.count))
                case .block(let block, let body):
                    let at = ops.count, n = name(block)
                    ops.append(.text(0, 0))
                    emit(body)
                    ops[at] = .block(name: n, end: Int32(ops.count))
                }
            }
        }
    }
}

/// Named templates that can include and extend each other.
public struct TemplateLibrary: Sendable {
    var templates: [String: Template] = [:]
    /// Partials written by code rather than interpreted, for the contexts the code knows (it returns
    /// false, and the template renders as usual, for any other). See `Theme.load`.
    public typealias Native = @Sendable (_ context: any TemplateValue, _ out: inout [UInt8]) -> Bool
    var natives: [String: Native] = [:]
    /// The names `folding` wrote in as text; debug builds check that no value a section puts on the
    /// stack holds one of them (it would have shadowed the page's own).
    var folded: Set<String> = []

    public init() {}

    public mutating func register(_ template: Template, named name: String) { templates[name] = template }

    public func has(_ name: String) -> Bool { templates[name] != nil }

    /// Writes partial `name` with `native` whenever it can (the template stays registered for the rest).
    public mutating func registerNative(_ native: @escaping Native, for name: String) { natives[name] = native }

    public func render(_ name: String, _ context: View) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16_384)
        guard let template = templates[name] else { return out }
        var renderer = Renderer(library: self, stack: [context])
        renderer.stack.reserveCapacity(16)
        renderer.render(template.program, 0..<template.program.ops.count, into: &out)
        return out
    }

    /// The library with every variable that reads one of `roots` (`{{t.published}}`,
    /// `{{{site.css}}}`) written in as the text it renders to over `context`: values every page
    /// shares, which each page looked up again through its stack of views (thirty-odd look-ups a
    /// page, ten for each row of a member's plan checklist). Exact as long as the page contexts hold
    /// these values as `context` does at their root and no value nearer the top of the stack has a
    /// member of those names (`Views` makes none; debug builds check every push).
    public func folding(_ roots: Set<String>, over context: View) -> TemplateLibrary {
        var copy = self
        let renderer = Renderer(library: self, stack: [context])
        copy.templates = templates.mapValues { template in
            template.folding(roots) { names, escaped in
                var out: [UInt8] = []
                _ = renderer.write(names, to: &out, escaped: escaped)
                return out
            }
        }
        copy.folded = folded.union(roots)
        return copy
    }

    /// Whether `value`, put on the stack, would shadow a folded name (`folding`).
    static func shadowsFolded(_ value: any TemplateValue, _ folded: Set<String>) -> Bool {
        folded.contains { value.member($0) != nil }
    }

    /// Partials and parents nest at most this deep, so a template that includes itself stops.
    static let maxDepth = 64

    struct Renderer {
        let library: TemplateLibrary
        var stack: [any TemplateValue]
        /// The overrides in force, one level per `parent` being rendered, outermost first: the child's
        /// program and the index of its overrides (`Program.overrides`). A block takes the first
        /// level's override of its name. (A dictionary merged from them per page cost an allocation
        /// and a hash per name for every page, each extending the layout.)
        var blocks: [(program: Template.Program, overrides: Int)] = []
        var depth = 0
        /// The lowest level of the stack a look-up reached since the innermost kept section began
        /// (`renderSection`); -1 when one found nothing or the text came from outside the stack.
        var lowest = Int.max
        /// The greatest `depth` a partial or parent was checked at (against `maxDepth`) since the
        /// innermost kept section began; -1 when none was.
        var deepest = -1

        mutating func render(_ t: Template.Program, _ range: Range<Int>, into out: inout [UInt8]) {
            var pc = range.lowerBound
            while pc < range.upperBound {
                switch t.ops[pc] {
                case .text(let start, let end):
                    t.text.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[Int(start)..<Int(end)])) }
                case .variable(let p, let escaped):
                    if t.paths[Int(p)].empty {
                        let (empty, level) = isEmpty(t.pathNames(p))
                        lowest = min(lowest, level)
                        (empty ? "true" : "false").write(to: &out, escaped: false)
                    } else {
                        lowest = min(lowest, write(t.pathNames(p), to: &out, escaped: escaped))
                    }
                case .section(let p, let inverted, let end):
                    let body = (pc + 1)..<Int(end)
                    pc = Int(end)
                    if t.paths[Int(p)].empty {
                        let (empty, level) = isEmpty(t.pathNames(p))
                        lowest = min(lowest, level)
                        if empty != inverted { render(t, body, into: &out) }
                        continue
                    }
                    let (value, level) = lookup(t.pathNames(p))
                    lowest = min(lowest, level)
                    if inverted {
                        if !(value?.isTruthy ?? false) { render(t, body, into: &out) }
                        continue
                    }
                    guard let value, value.isTruthy else { continue }
                    renderSection(t, body, over: value, iterating: true, into: &out)
                    continue
                case .partial(let n):
                    deepest = max(deepest, depth)
                    guard depth < TemplateLibrary.maxDepth else { lowest = -1; break }
                    if !library.natives.isEmpty, let native = library.natives[t.names[Int(n)]], let top = stack.last, native(top, &out) { break }
                    guard let template = library.templates[t.names[Int(n)]] else { break }
                    depth += 1
                    render(template.program, 0..<template.program.ops.count, into: &out)
                    depth -= 1
                case .parent(let n, let k, let end):
                    pc = Int(end)
                    lowest = -1   // its blocks' overrides come from outside any section
                    deepest = max(deepest, depth)
                    guard depth < TemplateLibrary.maxDepth, let template = library.templates[t.names[Int(n)]] else { continue }
                    depth += 1
                    // The outermost override of a block wins: earlier (child) levels are asked first.
                    blocks.append((t, Int(k)))
                    render(template.program, 0..<template.program.ops.count, into: &out)
                    blocks.removeLast()
                    depth -= 1
                    continue
                case .block(let n, let end):
                    lowest = -1
                    if let (template, body) = override(t.names[Int(n)]) {
                        render(template, body, into: &out)
                    } else {
                        render(t, (pc + 1)..<Int(end), into: &out)
                    }
                    pc = Int(end)
                    continue
                }
                pc += 1
            }
        }

        /// The body of a section over `value`: once for each element of a list (`iterating`), each
        /// put on the stack, or once with the value itself put there. A value shared by many pages
        /// (`TemplateValue.fragments`) — a list or an element — keeps what the body renders over it
        /// and gives it back the next time, when the body read nothing below it on the stack
        /// (`lowest`): its text then depends on the value alone, since the templates and the words
        /// folded into them are the same for every page of a build.
        ///
        /// A kept text also holds how much deeper than its section its partials went (`reach`): it is
        /// given back only where they would all stay under `maxDepth` again. Kept per section and
        /// per way of reading the value (iterated, or put on the stack whole).
        mutating func renderSection(_ t: Template.Program, _ body: Range<Int>, over value: any TemplateValue, iterating: Bool, into out: inout [UInt8]) {
            let kept = value.fragments
            let key = body.lowerBound << 1 | (iterating ? 1 : 0)
            if let (cache, variant) = kept, let (text, reach) = cache.fragment(t, key, variant, depth: depth) {
                out.append(contentsOf: text)
                if reach >= 0 { deepest = max(deepest, depth + reach) }
                return
            }
            let outer = (lowest, deepest), start = out.count, floor = stack.count
            if kept != nil { (lowest, deepest) = (Int.max, -1) }
            let isList = iterating && value.forEachElement { element in
                renderSection(t, body, over: element, iterating: false, into: &out)
            }
            if !isList {
                assert(!TemplateLibrary.shadowsFolded(value, library.folded), "a section's value holds a name folded into the templates")
                stack.append(value)
                render(t, body, into: &out)
                stack.removeLast()
            }
            if let (cache, variant) = kept {
                if lowest >= floor { cache.keep(Array(out[start...]), t, key, variant, reach: deepest < 0 ? -1 : deepest - depth) }
                (lowest, deepest) = (min(outer.0, lowest), max(outer.1, deepest))
            }
        }

        /// The override of block `name` in force: the outermost level's that has one.
        func override(_ name: String) -> (Template.Program, Range<Int>)? {
            for level in blocks {
                if let body = level.program.overrides[level.overrides][name] { return (level.program, body) }
            }
            return nil
        }

        /// `lookup(names)?.write(…)`, with the last member written in place by its holder. Returns
        /// the level of the stack the first name was found at (-1: nowhere), for `lowest`.
        func write(_ names: UnsafeBufferPointer<String>, to out: inout [UInt8], escaped: Bool) -> Int {
            guard let last = names.last else { stack.last?.write(to: &out, escaped: escaped); return stack.count - 1 }
            var level = stack.count - 1
            if names.count == 1 {
                while level >= 0 {
                    if stack[level].writeMember(last, to: &out, escaped: escaped) { return level }
                    level -= 1
                }
                return -1
            }
            while level >= 0 {
                if stack[level].writePath(names, to: &out, escaped: escaped) { return level }
                level -= 1
            }
            return -1
        }

        func isEmpty(_ names: UnsafeBufferPointer<String>) -> (Bool, level: Int) {
            let (value, level) = lookup(names)
            guard let value else { return (true, level) }
            return (!value.isTruthy, level)
        }

        /// The first object on the stack (top down) holding the first name, then down the dotted
        /// path; and the level it was found at (-1: nowhere), for `lowest`.
        func lookup(_ names: UnsafeBufferPointer<String>) -> (value: (any TemplateValue)?, level: Int) {
            guard let first = names.first else { return (stack.last, stack.count - 1) }
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
            return (value, level)
        }
    }
}
