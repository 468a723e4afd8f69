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
        let inner = indent + "  "
        switch self {
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            return "{\n" + pairs.map { inner + Self.quote($0.0) + ": " + $0.1.serialized(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.serialized(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .string(let s): return Self.quote(s)
        case .number(let d):
            guard d.isFinite else { return "null" }
            return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) + ".0" : "\(d)"
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// The same JSON on one line, without spaces: for files only a script reads.
    public func compact() -> String {
        switch self {
        case .object(let pairs): return "{" + pairs.map { Self.quote($0.0) + ":" + $0.1.compact() }.joined(separator: ",") + "}"
        case .array(let items): return "[" + items.map { $0.compact() }.joined(separator: ",") + "]"
        default: return serialized()
        }
    }

    /// A JSON string literal, over UTF-8 bytes: most strings need no escape and are copied whole.
    static func quote(_ s: String) -> String {
        var s = s
        return s.withUTF8 { bytes -> String in
            var out: [UInt8] = [0x22]
            out.reserveCapacity(bytes.count + 2)
            var start = 0, i = 0
            while i < bytes.count {
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
                out.append(contentsOf: bytes[start..<i])
                out.append(contentsOf: escape.utf8)
                i += b == 0xE2 ? 3 : 1
                start = i
            }
            out.append(contentsOf: bytes[start..<bytes.count])
            out.append(0x22)
            return String(decoding: out, as: UTF8.self)
        }
    }
}

import Foundation
