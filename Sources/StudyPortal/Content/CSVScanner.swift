/// RFC 4180 rows over UTF-8 bytes: cells separated by commas, rows by CRLF, LF or CR; a cell that
/// begins with `"` runs to the next lone `"`, and `""` inside it is one `"`.
///
/// Written here rather than taken from CSV.swift (which the project used before) for two reasons,
/// both measured: CSV.swift builds every cell one Unicode scalar at a time (0.33 s of CPU for the
/// 200,000 records of the 10,000-material benchmark, ~25 MB/s; this reads them in ~30 ms), and after
/// a quote that is never closed it silently reads the rest of the file into one cell, where a
/// secretary needs to be told which line opened it.
struct CSVScanner {
    struct Row {
        /// The 1-based line the row starts on.
        var line: Int
        var cells: [String]
    }

    /// Something wrong with the quoting, where it is.
    struct Problem: Equatable {
        enum Kind: Equatable {
            /// The file ends inside a quoted cell (opened at the problem's line and column).
            case unclosedQuote
            /// Text follows a closing quote before the next comma or line end; it is kept.
            case textAfterQuote
        }
        var kind: Kind
        var line: Int
        var column: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var at = 0
    private var line = 1
    /// Where the current line begins, for columns.
    private var lineStart = 0
    /// The last row's number of cells: room for as many is made in the next (rows of a file have
    /// the same cells, and grown one cell at a time each row's array was made four times over).
    private var width = 1
    private(set) var problems: [Problem] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    /// The next row, or nil at the end of the file. An empty line is a row of one empty cell.
    mutating func next() -> Row? {
        guard at < bytes.count else { return nil }
        let row = line
        var cells: [String] = []
        cells.reserveCapacity(width)
        while true {
            cells.append(bytes[at...].first == Self.quote ? quotedCell() : plainCell())
            guard at < bytes.count, bytes[at] == Self.comma else { break }
            at += 1
        }
        endLine()
        width = cells.count
        return Row(line: row, cells: cells)
    }

    /// Up to the next comma, line end or the end of the file (a `"` inside is kept as it is).
    private mutating func plainCell() -> String {
        let start = at
        while at < bytes.count {
            let b = bytes[at]
            if b == Self.comma || b == Self.cr || b == Self.lf { break }
            at += 1
        }
        return text(start..<at)
    }

    private mutating func quotedCell() -> String {
        let openLine = line, openColumn = column()
        at += 1
        var cell: [UInt8] = []
        var start = at
        while true {
            guard at < bytes.count else {
                problems.append(Problem(kind: .unclosedQuote, line: openLine, column: openColumn))
                cell += bytes[start..<at]
                return String(decoding: cell, as: UTF8.self)
            }
            let b = bytes[at]
            if b == Self.quote {
                cell += bytes[start..<at]
                at += 1
                guard at < bytes.count, bytes[at] == Self.quote else { break }
                start = at   // `""`: the second quote starts the next run
                at += 1
            } else if b == Self.cr || b == Self.lf {
                at += 1
                if b == Self.cr, at < bytes.count, bytes[at] == Self.lf { at += 1 }
                line += 1
                lineStart = at
            } else {
                at += 1
            }
        }
        if at < bytes.count, bytes[at] != Self.comma, bytes[at] != Self.cr, bytes[at] != Self.lf {
            problems.append(Problem(kind: .textAfterQuote, line: line, column: column()))
            let rest = at
            _ = plainCell()
            cell += bytes[rest..<at]
        }
        return String(decoding: cell, as: UTF8.self)
    }

    /// Past the line end that closes a row (CRLF, LF or CR), if any.
    private mutating func endLine() {
        guard at < bytes.count else { return }
        let b = bytes[at]
        at += 1
        if b == Self.cr, at < bytes.count, bytes[at] == Self.lf { at += 1 }
        line += 1
        lineStart = at
    }

    /// 1-based, in characters (as editors count them), of the byte at `at`.
    private func column() -> Int {
        text(lineStart..<at).count + 1
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
