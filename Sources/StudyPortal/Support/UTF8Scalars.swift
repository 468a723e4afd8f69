/// Unicode scalar values decoded from valid UTF-8 by hand: the loops that read every character the
/// site publishes (search terms, text metrics) spent much of their time in `String.unicodeScalars`'
/// general decoder. A function that advances an index, not one that takes a closure: the closure
/// form was not inlined, and made both loops slower than the standard decoder (measured).
enum UTF8Scalars {
    /// The scalar value starting at `i` (which it moves past it). `bytes` should be valid UTF-8 — a
    /// Swift string's bytes, or cmark's copy of them — so a lead byte is followed by its continuation
    /// bytes; a byte that cannot lead a sequence, or a lead whose sequence the buffer cuts off, reads
    /// as one U+FFFD (and never past the buffer).
    @inline(__always) static func next(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> UInt32 {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 {
            i += 1
            return b0
        }
        guard b0 >= 0xC0, b0 < 0xF8, i + (b0 < 0xE0 ? 1 : b0 < 0xF0 ? 2 : 3) < bytes.count else {
            i += 1
            return 0xFFFD
        }
        if b0 < 0xE0 {
            defer { i += 2 }
            return (b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
        } else if b0 < 0xF0 {
            defer { i += 3 }
            return (b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
        } else {
            defer { i += 4 }
            return (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
        }
    }
}

/// Whether bytes are valid UTF-8 (RFC 3629: no overlong forms, surrogates or values past U+10FFFF),
/// as `String(validating:)` decides, without making a string. Written here because the standard
/// library validates only while it makes a `String`, which copies: a content file's body is kept as
/// the bytes it was read into (`SourceFile`), and the standard validator read the 65 MB of a
/// 10,000-material site at half this one's speed (mostly three-byte Chinese characters, which take
/// the second branch below). A test compares the two on random and edge-case bytes.
enum UTF8Validation {
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        @inline(__always) func continuation(_ k: Int) -> Bool { base[k] & 0xC0 == 0x80 }
        var i = 0
        while i < n {
            let b = base[i]
            if b < 0x80 {
                i += 1
                // The rest of an ASCII run, eight bytes at a time.
                while i + 8 <= n && UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            } else if b &- 0xE1 < 0x0F && b != 0xED {
                // E1–EC, EE–EF: any two continuation bytes (all of U+1000–CFFF and U+E000–FFFF).
                guard i + 2 < n, continuation(i + 1), continuation(i + 2) else { return false }
                i += 3
            } else if b &- 0xC2 < 0x1E {
                // C2–DF (C0 and C1 only start overlong forms).
                guard i + 1 < n, continuation(i + 1) else { return false }
                i += 2
            } else if b == 0xE0 || b == 0xED {
                // E0 A0–BF (not overlong), ED 80–9F (not a surrogate).
                guard i + 2 < n, b == 0xE0 ? base[i + 1] &- 0xA0 < 0x20 : base[i + 1] &- 0x80 < 0x20, continuation(i + 2) else { return false }
                i += 3
            } else if b &- 0xF0 < 5 {
                // F0 90–BF (not overlong), F1–F3 any, F4 80–8F (not past U+10FFFF).
                guard i + 3 < n else { return false }
                let c = base[i + 1]
                guard b == 0xF0 ? c &- 0x90 < 0x30 : b == 0xF4 ? c &- 0x80 < 0x10 : c & 0xC0 == 0x80,
                      continuation(i + 2), continuation(i + 3) else { return false }
                i += 4
            } else {
                return false   // a continuation byte with no lead, C0, C1 or F5–FF
            }
        }
        return true
    }
}
