/// A JSON value written with keys in the order given and numbers in their shortest form, so
/// `progress.json` is byte-stable across runs and platforms (Foundation's serializers order keys only
/// when asked and format doubles differently between platforms).
public indirect enum JSON: Sendable, Equatable {
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    case number(Double)
    case int(Int)
    case bool(Bool)
    case null

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    public static func optional(_ value: Double?) -> JSON { value.map(JSON.number) ?? .null }
    public static func optional(_ value: Int?) -> JSON { value.map(JSON.int) ?? .null }
    public static func optional(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }

    /// `value` rounded to `places` decimals (SPEC §5: hours to 2, completion to 4).
    public static func rounded(_ value: Double, _ places: Int) -> JSON {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return .number((value * scale).rounded() / scale)
    }

    public func serialized(indent: String = "") -> String {
        var out: [UInt8] = []
        write(to: &out, indent: Array(indent.utf8))
        return String(decoding: out, as: UTF8.self)
    }

    /// Indented, one member per line, into a byte buffer (no intermediate strings).
    func write(to out: inout [UInt8], indent: [UInt8]) {
        let inner = indent + [0x20, 0x20]
        switch self {
        case .object(let pairs):
            if pairs.isEmpty { out += [0x7B, 0x7D]; return }
            out += [0x7B, 0x0A]   // {\n
            for (k, (key, value)) in pairs.enumerated() {
                if k > 0 { out += [0x2C, 0x0A] }
                out += inner
                Self.quote(key, into: &out)
                out += [0x3A, 0x20]   // ": "
                value.write(to: &out, indent: inner)
            }
            out.append(0x0A)
            out += indent
            out.append(0x7D)
        case .array(let items):
            if items.isEmpty { out += [0x5B, 0x5D]; return }
            out += [0x5B, 0x0A]
            for (k, item) in items.enumerated() {
                if k > 0 { out += [0x2C, 0x0A] }
                out += inner
                item.write(to: &out, indent: inner)
            }
            out.append(0x0A)
            out += indent
            out.append(0x5D)
        default: writeScalar(to: &out)
        }
    }

    private func writeScalar(to out: inout [UInt8]) {
        switch self {
        case .string(let s): Self.quote(s, into: &out)
        case .number(let d):
            guard d.isFinite else { out += Array("null".utf8); return }
            out += Array((d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) + ".0" : "\(d)").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .null: out += Array("null".utf8)
        case .object, .array: write(to: &out, indent: [])
        }
    }

    /// The same JSON on one line, without spaces: for files only a script reads.
    public func compact() -> String {
        var out: [UInt8] = []
        compact(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func compact(into out: inout [UInt8]) {
        switch self {
        case .object(let pairs):
            out.append(0x7B)
            for (k, (key, value)) in pairs.enumerated() {
                if k > 0 { out.append(0x2C) }
                Self.quote(key, into: &out)
                out.append(0x3A)
                value.compact(into: &out)
            }
            out.append(0x7D)
        case .array(let items):
            out.append(0x5B)
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(0x2C) }
                item.compact(into: &out)
            }
            out.append(0x5D)
        default: writeScalar(to: &out)
        }
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        quote(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether any of the eight bytes of `w` is a control character (below 0x20), `"`, `\\`, `<` or
    /// 0xE2 (the lead of U+2028 and U+2029): the bytes `quote` must look at one by one.
    @inline(__always) static func mayNeedEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let control = (w &- 0x2020_2020_2020_2020) & ~w & highs   // a byte below 0x20 (not one of 0x80 and up)
        return control != 0 || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C)) || hasZero(w ^ (ones &* 0x3C)) || hasZero(w ^ (ones &* 0xE2))
    }

    /// A JSON string literal, over UTF-8 bytes: most strings need no escape and are copied whole.
    static func quote(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            out.append(0x22)
            var start = 0, i = 0
            while i < bytes.count {
                // Eight bytes at a time while none needs a look (no control character, quote,
                // backslash, `<` or E2 lead byte): the index's 15,000 documents and their excerpts
                // are mostly Chinese text with none of these.
                if let base = UnsafeRawPointer(bytes.baseAddress) {
                    while i + 8 <= bytes.count && !Self.mayNeedEscape(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
                }
                guard i < bytes.count else { break }
                let b = bytes[i]
                var escape: String?
                switch b {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                // `<` escaped too, so the JSON can never close a <script> it is embedded in.
                case 0x3C: escape = "\\u003c"
                case 0x00..<0x20: escape = "\\u00" + (b < 0x10 ? "0" : "") + String(b, radix: 16)
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    escape = bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"   // line and paragraph separators
                default: break
                }
                guard let escape else { i += 1; continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                out.append(contentsOf: escape.utf8)
                i += b == 0xE2 ? 3 : 1
                start = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
            out.append(0x22)
        }
    }
}

import Foundation
