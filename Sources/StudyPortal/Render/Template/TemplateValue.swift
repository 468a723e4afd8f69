import Foundation

/// What templates read: strings, numbers, booleans, lists and string-keyed objects, reached through
/// protocol witnesses rather than dynamic casts (the cost that made a general Mustache library too
/// slow for our page counts; see docs/benchmarks.md).
public protocol TemplateValue: Sendable {
    /// A named member of an object, or nil.
    func member(_ key: String) -> (any TemplateValue)?
    /// Whether a section on this value renders: false for nil, false, "", 0 and empty lists.
    var isTruthy: Bool { get }
    /// For lists: calls `body` with each element and returns true; other values return false.
    func forEachElement(_ body: (any TemplateValue) -> Void) -> Bool
    /// Writes the value as text, HTML-escaped when asked.
    func write(to out: inout [UInt8], escaped: Bool)
    /// Writes the named member, as `member(key)?.write(…)` does, and says whether there was one. Types
    /// implement it to write a stored member in place, without copying it out first.
    func writeMember(_ key: String, to out: inout [UInt8], escaped: Bool) -> Bool
    /// Writes the value at a dotted path (`t.hours_label`) as `writeMember` does for one name,
    /// descending through members in place rather than copying each out; says whether this value
    /// holds the path's first name (where Mustache stops looking, even when the rest is missing).
    func writePath(_ names: UnsafeBufferPointer<String>, to out: inout [UInt8], escaped: Bool) -> Bool
    /// For a value many pages share: where the text its sections render is kept, and which variant
    /// of the shared value this is (values that differ must differ in it; see `renderSection`).
    var fragments: (cache: FragmentCache, variant: UInt64)? { get }
}

extension TemplateValue {
    public var fragments: (cache: FragmentCache, variant: UInt64)? { nil }
    public func member(_ key: String) -> (any TemplateValue)? { nil }
    public func writeMember(_ key: String, to out: inout [UInt8], escaped: Bool) -> Bool {
        writeFound(member(key), to: &out, escaped: escaped)
    }
    public func forEachElement(_ body: (any TemplateValue) -> Void) -> Bool { false }
    public func writePath(_ names: UnsafeBufferPointer<String>, to out: inout [UInt8], escaped: Bool) -> Bool {
        guard let first = names.first else { return false }
        if names.count == 1 { return writeMember(first, to: &out, escaped: escaped) }
        guard let value = member(first) else { return false }
        _ = value.writePath(UnsafeBufferPointer(rebasing: names.dropFirst()), to: &out, escaped: escaped)
        return true
    }
}

extension String: TemplateValue {
    public var isTruthy: Bool { !isEmpty }
    public func write(to out: inout [UInt8], escaped: Bool) {
        escaped ? HTMLEscape.append(self, to: &out) : out.append(contentsOf: utf8)
    }
}

extension Int: TemplateValue {
    public var isTruthy: Bool { self != 0 }
    public func write(to out: inout [UInt8], escaped: Bool) { out.append(contentsOf: String(self).utf8) }
}

extension Bool: TemplateValue {
    public var isTruthy: Bool { self }
    public func write(to out: inout [UInt8], escaped: Bool) { out.append(contentsOf: (self ? "true" : "false").utf8) }
}

extension Optional: TemplateValue where Wrapped: TemplateValue {
    public func member(_ key: String) -> (any TemplateValue)? { self?.member(key) }
    public var isTruthy: Bool { self?.isTruthy ?? false }
    public func forEachElement(_ body: (any TemplateValue) -> Void) -> Bool { self?.forEachElement(body) ?? false }
    public func write(to out: inout [UInt8], escaped: Bool) { self?.write(to: &out, escaped: escaped) }
}

/// By count and index: these run unspecialised (a conditional conformance's witnesses are generic),
/// and `isEmpty` or a `for` loop's iterator asked the runtime for the metadata of the list's type
/// at every section (perf: `swift_getGenericMetadata` under `isTruthy`, 10 ms at 10,000 materials).
extension Array: TemplateValue where Element: TemplateValue {
    public var isTruthy: Bool { count != 0 }
    public func forEachElement(_ body: (any TemplateValue) -> Void) -> Bool {
        var i = 0
        while i < count {
            body(self[i])
            i += 1
        }
        return true
    }
    public func write(to out: inout [UInt8], escaped: Bool) {}
}

/// Writes `value` when there is one, and says whether there was (`writeMember`'s answer).
func writeFound(_ value: (any TemplateValue)?, to out: inout [UInt8], escaped: Bool) -> Bool {
    guard let value else { return false }
    value.write(to: &out, escaped: escaped)
    return true
}

/// A view: one object of a page's context, written as a dictionary literal
/// (`["title": m.title, "url": link]`). Keys live in an array searched in order: a view holds a
/// handful of keys, and comparing short strings is several times cheaper than hashing them, which
/// made Swift's Dictionary the largest single cost of rendering. Views with many keys (the word
/// table `t`) get a hashed index. A key set twice keeps the last value.
public struct View: TemplateValue, ExpressibleByDictionaryLiteral, Sendable {
    private var keys: [String] = []
    private var values: [any TemplateValue] = []
    private var index: [String: Int]?
    /// Above this many keys, look-ups go through `index`.
    private static let linearLimit = 24

    public init() {}

    public init(dictionaryLiteral elements: (String, any TemplateValue)...) {
        // Room for the few keys code adds after the literal (a list item's date, category, hours…):
        // grown by one each, both arrays were made again. Each value goes in directly, not through
        // the optional the subscript takes (two copies of the value, 1% of a build's CPU).
        keys.reserveCapacity(elements.count + 4)
        values.reserveCapacity(elements.count + 4)
        for (key, value) in elements {
            if let i = position(key) { values[i] = value; continue }
            keys.append(key)
            values.append(value)
        }
        if keys.count > Self.linearLimit { reindex() }
    }

    public init(_ pairs: [String: any TemplateValue]) {
        for key in pairs.keys.sorted() { self[key] = pairs[key] }
    }

    private func position(_ key: String) -> Int? {
        if let index { return index[key] }
        // Lengths first (a stored number): two different keys mostly differ in length, and `==` on
        // strings whose bits differ goes the long way round (perf: 40 ms of string comparisons
        // under the views' look-ups at 10,000 materials). The views' keys are the ASCII names the
        // code gives them; only a name written as a compatibility character (K as U+212A KELVIN
        // SIGN, which `==` takes for K) would no longer find its key.
        let length = key.utf8.count
        return keys.withUnsafeBufferPointer { keys in
            for i in keys.indices where keys[i].utf8.count == length && keys[i] == key { return i }
            return nil
        }
    }

    public subscript(key: String) -> (any TemplateValue)? {
        get { position(key).map { values[$0] } }
        set {
            // The value moved out of the optional, not copied (a copy and a destroy of each value
            // set were 0.9% of a build's CPU).
            guard let value = consume newValue else {
                if let i = position(key) { remove(at: i) }
                return
            }
            if let i = position(key) {
                values[i] = consume value
                return
            }
            keys.append(key)
            values.append(consume value)
            if index != nil { index?[key] = keys.count - 1 } else if keys.count > Self.linearLimit { reindex() }
        }
    }

    private mutating func remove(at i: Int) {
        keys.remove(at: i)
        values.remove(at: i)
        if index != nil { reindex() }
    }

    private mutating func reindex() { index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) }) }

    public var isEmpty: Bool { keys.isEmpty }

    /// Room for `count` keys in all, made at once.
    public mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    public func member(_ key: String) -> (any TemplateValue)? { self[key] }
    public func writeMember(_ key: String, to out: inout [UInt8], escaped: Bool) -> Bool {
        guard let i = position(key) else { return false }
        values[i].write(to: &out, escaped: escaped)
        return true
    }
    /// Down the path in place: the view holding the path's first name (the words `t`, `site`) is
    /// not copied out, so neither retained nor released, for every `{{t.…}}` of every page.
    public func writePath(_ names: UnsafeBufferPointer<String>, to out: inout [UInt8], escaped: Bool) -> Bool {
        guard let first = names.first, let i = position(first) else { return false }
        if names.count == 1 {
            values[i].write(to: &out, escaped: escaped)
        } else {
            _ = values[i].writePath(UnsafeBufferPointer(rebasing: names.dropFirst()), to: &out, escaped: escaped)
        }
        return true
    }
    public var isTruthy: Bool { true }
    public func write(to out: inout [UInt8], escaped: Bool) {}
}

/// A view every page shares (the site, the words `t`, the links), held by reference: the renderer
/// copies a value out of its holder before it reads it (`{{t.published}}` copied the word table's
/// view, three references to retain and release, some forty times a page), and a reference is one.
///
/// Sections over one keep what they render (`fragments`): a material's entry in the lists, written
/// once and copied into the next list that shows it.
public final class SharedView: TemplateValue, Sendable {
    public let view: View
    let cache = FragmentCache()

    public init(_ view: View) { self.view = view }

    public var fragments: (cache: FragmentCache, variant: UInt64)? { (cache, 0) }

    public func member(_ key: String) -> (any TemplateValue)? { view.member(key) }
    public var isTruthy: Bool { view.isTruthy }
    public func write(to out: inout [UInt8], escaped: Bool) { view.write(to: &out, escaped: escaped) }
    public func writeMember(_ key: String, to out: inout [UInt8], escaped: Bool) -> Bool {
        view.writeMember(key, to: &out, escaped: escaped)
    }
    public func writePath(_ names: UnsafeBufferPointer<String>, to out: inout [UInt8], escaped: Bool) -> Bool {
        view.writePath(names, to: &out, escaped: escaped)
    }
}

/// The text sections rendered over a shared value (`TemplateLibrary.Renderer.renderSection`), by
/// template, section and variant. Pages render on all cores, hence the lock; a section renders
/// a handful of variants at most, hence a list.
///
/// `entries` is read and written only under `lock`, hence `@unchecked Sendable`. An `NSLock` (a
/// pthread mutex) rather than `Synchronization.Mutex`: ThreadSanitizer does not see the latter's
/// locking on Linux and reported the accesses it guards as races.
public final class FragmentCache: @unchecked Sendable {
    private struct Entry {
        let program: Template.Program
        let start: Int
        let variant: UInt64
        let bytes: [UInt8]
        /// How much deeper than the section its partials were checked (-1: none).
        let reach: Int
    }
    private var entries: [Entry] = []
    private let lock = NSLock()

    /// The text kept for this section and variant, if its partials stay under `maxDepth` from `depth`.
    func fragment(_ program: Template.Program, _ start: Int, _ variant: UInt64, depth: Int) -> (bytes: [UInt8], reach: Int)? {
        lock.lock()
        defer { lock.unlock() }
        for entry in entries where entry.program === program && entry.start == start && entry.variant == variant
            && (entry.reach < 0 || depth + entry.reach < TemplateLibrary.maxDepth) { return (entry.bytes, entry.reach) }
        return nil
    }

    /// How many texts are kept (tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    func keep(_ bytes: [UInt8], _ program: Template.Program, _ start: Int, _ variant: UInt64, reach: Int) {
        lock.lock()
        defer { lock.unlock() }
        guard !entries.contains(where: { $0.program === program && $0.start == start && $0.variant == variant && $0.reach == reach }) else { return }
        entries.append(Entry(program: program, start: start, variant: variant, bytes: bytes, reach: reach))
    }
}

/// Escaping for HTML text and attribute values, over UTF-8 bytes.
public enum HTMLEscape {
    public static func append(_ s: String, to out: inout [UInt8]) {
        append(s, into: &out)
    }

    /// `append(_:to:)` into any byte output.
    static func append<Out: ByteAppending & ~Copyable>(_ s: String, into out: inout Out) {
        // Over the string's own UTF-8 storage: runs without a special character are copied whole.
        if s.utf8.withContiguousStorageIfAvailable({ append(bytes: $0, to: &out) }) != nil { return }
        var copy = s
        copy.withUTF8 { append(bytes: $0, to: &out) }
    }

    static func append(bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { append(bytes: $0, to: &out) }
    }

    private static func append<Out: ByteAppending & ~Copyable>(bytes: UnsafeBufferPointer<UInt8>, to out: inout Out) {
        var start = 0
        for i in 0..<bytes.count {
            let entity: StaticString
            switch bytes[i] {
            case 0x26: entity = "&amp;"
            case 0x3C: entity = "&lt;"
            case 0x3E: entity = "&gt;"
            case 0x22: entity = "&quot;"
            case 0x27: entity = "&#39;"
            default: continue
            }
            if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
            out.append(entity)
            start = i + 1
        }
        if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
    }
}
