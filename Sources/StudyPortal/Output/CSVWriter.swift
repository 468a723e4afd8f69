/// CSV for spreadsheets (SPEC §5): UTF-8 with a BOM so Excel opens Chinese text correctly, CRLF row
/// ends and RFC 4180 quoting, and no cell a spreadsheet would evaluate: one that begins with `=`, `+`,
/// `-`, `@`, tab or carriage return gets a leading `'` (OWASP's advice against CSV injection).
public enum CSVWriter {
    public static func document(_ rows: [[String]]) -> String { String(decoding: bytes(rows), as: UTF8.self) }

    /// The document's bytes, as they are written: a member's ledger has a hundred rows, and the site
    /// has thousands of ledgers (no `String` made of them only to be turned back into bytes).
    public static func bytes(_ rows: [[String]]) -> [UInt8] {
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        out.reserveCapacity(rows.reduce(3) { $0 + $1.reduce(2) { $0 + $1.utf8.count + 3 } })
        for row in rows { append(row: row, to: &out) }
        return out
    }

    /// One row, ending in CR LF.
    static func append(row: [String], to out: inout [UInt8]) {
        for (k, value) in row.enumerated() {
            if k > 0 { out.append(0x2C) }
            append(value, to: &out)
        }
        out.append(0x0D)
        out.append(0x0A)
    }

    public static func cell(_ value: String) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func append<Out: ByteAppending & ~Copyable>(_ value: String, to out: inout Out) {
        // Over the string's own storage (native strings have it): ledgers write millions of cells.
        if value.utf8.withContiguousStorageIfAvailable({ append(bytes: $0, to: &out) }) != nil { return }
        var copy = value
        copy.withUTF8 { append(bytes: $0, to: &out) }
    }

    static func append<Out: ByteAppending & ~Copyable>(bytes: UnsafeBufferPointer<UInt8>, to out: inout Out) {
        // = + - @ tab CR: a formula to a spreadsheet.
        let guarded = bytes.first.map { $0 == 0x3D || $0 == 0x2B || $0 == 0x2D || $0 == 0x40 || $0 == 0x09 || $0 == 0x0D } ?? false
        let quoted = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        if quoted { out.append(0x22) }
        if guarded { out.append(0x27) }
        if quoted {
            for b in bytes {
                if b == 0x22 { out.append(0x22) }
                out.append(b)
            }
            out.append(0x22)
        } else {
            out.append(contentsOf: bytes)
        }
    }
}
