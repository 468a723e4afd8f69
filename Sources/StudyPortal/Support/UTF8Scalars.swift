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
