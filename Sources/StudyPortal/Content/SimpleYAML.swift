extension YAML {
    /// The value of a front matter written in the plainest YAML — top-level `key: value` lines whose
    /// values are single-line scalars (plain, or quoted without escapes), one-line flow lists of them
    /// (`tags: [学习, 党史]`) or block lists of them (`- 学习` lines) — read directly; nil for
    /// anything else, which `parse` then gives libyaml. Almost every content file is written this way.
    ///
    /// Written here because libyaml's scanner and our walk of its events took ~5 µs a front matter,
    /// 3% of a build's CPU (17,000 files at 10,000 materials), for documents this reads in well under
    /// one. It never decides what libyaml would decide differently: whatever it does not know for
    /// certain (a comment after a value, a tab, a colon in a flow list, a key seen twice, a character
    /// YAML refuses…) makes it give up, and a test compares the two on many thousand documents.
    static func simpleDocument(_ b: UnsafeBufferPointer<UInt8>, lineOffset: Int) -> YAMLValue? {
        var reader = SimpleReader(b, lineOffset: lineOffset)
        return reader.document()
    }
}

private struct SimpleReader {
    let b: UnsafeBufferPointer<UInt8>
    let lineOffset: Int
    var pairs: [(key: String, keyPosition: YAMLValue.Position, value: YAMLValue)] = []
    var values = 0
    /// Where the last column was counted (`position`): positions on a line are asked left to right,
    /// so a line is counted once, not from its start for each value (a flow list of 100,000 items
    /// on one line would otherwise take quadratic time).
    var counted = (line: -1, index: 0, column: 1)

    init(_ b: UnsafeBufferPointer<UInt8>, lineOffset: Int) {
        self.b = b
        self.lineOffset = lineOffset
    }

    /// A key whose value is not written on its line: null, or the block list the next lines start.
    struct Open {
        var key: String
        var keyPosition: YAMLValue.Position
        /// Where the null would be: just after the colon.
        var nullPosition: YAMLValue.Position
        var items: [YAMLValue] = []
        var listPosition = YAMLValue.Position(line: 0, column: 0)
        var indent = -1
    }

    mutating func document() -> YAMLValue? {
        var open: Open?
        var start = 0, line = 0
        var mapPosition: YAMLValue.Position?
        while start < b.count {
            var end = start
            while end < b.count && b[end] != 0x0A { end += 1 }
            defer { start = end + 1; line += 1 }
            guard allowed(start, end) else { return nil }
            var first = start
            while first < end && b[first] == 0x20 { first += 1 }
            // Blank lines and comments: only between keys (inside a list, or before one, libyaml's
            // reading of what follows is not worth repeating here).
            if first == end || b[first] == 0x23 {
                if open != nil { return nil }
                continue
            }
            if b[first] == 0x2D && (first + 1 == end || b[first + 1] == 0x20) {
                // `- item`: the block list of the key above.
                guard let indent = open?.indent, indent < 0 || indent == first - start, first + 1 < end else { return nil }
                if indent < 0 {
                    let at = position(line, start, first)
                    open?.indent = first - start
                    open?.listPosition = at
                }
                var from = first + 1
                while from < end && b[from] == 0x20 { from += 1 }
                guard let item = scalar(from, trimmed(from, end), line: line, lineStart: start, flow: false) else { return nil }
                open?.items.append(item)   // in place: a copy of the list per item would be quadratic
                values += 1
                guard values <= YAML.nodeBudget else { return nil }   // libyaml's path reports it
                continue
            }
            guard first == start, let colon = keyEnd(start, end) else { return nil }
            if let done = open { close(done); open = nil }
            let key = String(decoding: UnsafeBufferPointer(rebasing: b[start..<colon]), as: UTF8.self)
            // A repeated key: libyaml's path reports it. (Compared pairwise: past 64 keys, libyaml
            // reads the document, which has a table for them.)
            guard pairs.count < 64, !pairs.contains(where: { $0.key == key }) else { return nil }
            let keyPosition = position(line, start, start)
            if mapPosition == nil { mapPosition = keyPosition }
            values += 2
            guard values <= YAML.nodeBudget else { return nil }
            var from = colon + 1
            while from < end && b[from] == 0x20 { from += 1 }
            if from == end {
                open = Open(key: key, keyPosition: keyPosition, nullPosition: position(line, start, colon + 1))
                continue
            }
            let last = trimmed(from, end)
            let value: YAMLValue?
            if b[from] == 0x5B && b[last - 1] == 0x5D { value = flowList(from, last, line: line, lineStart: start) } else {
                value = scalar(from, last, line: line, lineStart: start, flow: false)
            }
            guard let value else { return nil }
            pairs.append((key, keyPosition, value))
        }
        if let done = open { close(done) }
        guard let mapPosition else { return nil }
        return .map(pairs, mapPosition)
    }

    /// The key above, with its value: null, or the list its `- ` lines made.
    mutating func close(_ open: Open) {
        if open.indent < 0 {
            pairs.append((open.key, open.keyPosition, .scalar("", plain: true, open.nullPosition)))
        } else {
            pairs.append((open.key, open.keyPosition, .list(open.items, open.listPosition)))
        }
    }

    /// Where a key line's key ends (at its colon, followed by a space or the end of the line): keys
    /// of ASCII letters, digits, `_` and `-` (not first), or nil.
    func keyEnd(_ start: Int, _ end: Int) -> Int? {
        var i = start
        while i < end {
            let c = b[i]
            if c == 0x3A { return i > start && (i + 1 == end || b[i + 1] == 0x20) ? i : nil }
            let letter = (c | 0x20) &- 0x61 < 26 || c &- 0x30 < 10 || c == 0x5F
            guard letter || (c == 0x2D && i > start) else { return nil }
            i += 1
        }
        return nil
    }

    /// Where the text of `start..<end` ends without its trailing spaces (never before `start + 1`
    /// when it starts with a non-space).
    func trimmed(_ start: Int, _ end: Int) -> Int {
        var last = end
        while last > start && b[last - 1] == 0x20 { last -= 1 }
        return last
    }

    /// `[a, b, c]` of plain or quoted scalars, all on its line; nil for anything else.
    mutating func flowList(_ open: Int, _ close: Int, line: Int, lineStart: Int) -> YAMLValue? {
        var items: [YAMLValue] = []
        var from = open + 1
        while from < close - 1 && b[from] == 0x20 { from += 1 }
        if from < close - 1 {
            var i = open + 1
            while i < close {
                var comma = i
                while comma < close - 1 && b[comma] != 0x2C { comma += 1 }
                var first = i
                while first < comma && b[first] == 0x20 { first += 1 }
                guard first < comma, let item = scalar(first, trimmed(first, comma), line: line, lineStart: lineStart, flow: true) else { return nil }
                items.append(item)
                values += 1
                guard values <= YAML.nodeBudget else { return nil }
                i = comma + 1
            }
        }
        return .list(items, position(line, lineStart, open))
    }

    /// The scalar `start..<end` (a non-space at each end): quoted without escapes or quotes inside,
    /// or plain with nothing YAML could read otherwise; nil when unsure.
    mutating func scalar(_ start: Int, _ end: Int, line: Int, lineStart: Int, flow: Bool) -> YAMLValue? {
        guard start < end else { return nil }
        let at = position(line, lineStart, start)
        let c = b[start]
        if c == 0x22 || c == 0x27 {
            guard end - start >= 2, b[end - 1] == c else { return nil }
            for i in (start + 1)..<(end - 1) where b[i] == c || b[i] == 0x5C { return nil }
            return .scalar(text(start + 1, end - 1), plain: false, at)
        }
        // Indicators: - ? : , [ ] { } # & * ! | > ' " % @ ` (a `-` followed by a character that is
        // not a space or a flow indicator starts a plain scalar: `-3`).
        switch c {
        case 0x2D:
            guard start + 1 < end else { return nil }
            switch b[start + 1] {
            case 0x20, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D: return nil
            default: break
            }
        case 0x3F, 0x3A, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x23, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x25, 0x40, 0x60: return nil
        default: break
        }
        for i in start..<end {
            switch b[i] {
            case 0x3A: if flow || i + 1 == end || b[i + 1] == 0x20 { return nil }   // `: ` starts a mapping
            case 0x23: if flow || b[i - 1] == 0x20 { return nil }                    // ` #` starts a comment
            case 0x2C, 0x5B, 0x5D, 0x7B, 0x7D: if flow { return nil }
            default: break
            }
        }
        return .scalar(text(start, end), plain: true, at)
    }

    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
    }

    /// Line `line` (from 0), at byte `i` of the line starting at `lineStart`: libyaml counts columns
    /// in characters.
    mutating func position(_ line: Int, _ lineStart: Int, _ i: Int) -> YAMLValue.Position {
        if counted.line != line || counted.index > i { counted = (line, lineStart, 1) }
        for k in counted.index..<i where b[k] & 0xC0 != 0x80 { counted.column += 1 }
        counted.index = i
        return YAMLValue.Position(line: line + 1 + lineOffset, column: counted.column)
    }

    /// Whether every character of the line is one YAML reads as printable here: no control
    /// character (a tab or carriage return included), no C1 control, no byte order mark, no line or
    /// paragraph separator (line breaks to YAML 1.1), no U+FFFE or U+FFFF. (The text is valid UTF-8.)
    func allowed(_ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end {
            let c = b[i]
            if c < 0x80 {
                if c < 0x20 || c == 0x7F { return false }
                i += 1
                continue
            }
            if c == 0xC2 && i + 1 < end && b[i + 1] < 0xA0 { return false }
            if c == 0xE2 && i + 2 < end && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9) { return false }
            if c == 0xEF && i + 2 < end && ((b[i + 1] == 0xBB && b[i + 2] == 0xBF) || (b[i + 1] == 0xBF && b[i + 2] >= 0xBE)) { return false }
            i += 1
        }
        return true
    }
}
