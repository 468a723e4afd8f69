/// Numbers written as digits straight into a page or file being built (no string per number):
/// dates, hours, row numbers, the output manifest's sizes, hashes and inodes.
enum Digits {
    /// `n` in decimal, zero-padded to `width`; a negative number gets its sign.
    static func append<N: SignedInteger & FixedWidthInteger, Out: ByteAppending & ~Copyable>(_ n: N, width: Int = 1, to out: inout Out) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        append(UInt64(n.magnitude), width: width, to: &out)
    }

    /// An unsigned 64-bit number in base 10 or 16 (lower-case letters, as `String(_:radix:)` writes
    /// them), zero-padded to `width`. Right to left, dividing by a constant, which compiles to a
    /// multiplication: finding the power of ten first and dividing by it for each digit were
    /// hardware divisions, 7% of the templates stage's rendering (member pages' dates).
    static func append<Out: ByteAppending & ~Copyable>(_ n: UInt64, width: Int = 1, radix: UInt64 = 10, to out: inout Out) {
        precondition(radix == 10 || radix == 16, "base 10 or 16")
        var v = n
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { b in   // UInt64's 20 digits at most
            var i = b.count
            repeat {
                i -= 1
                let digit = UInt8(truncatingIfNeeded: radix == 16 ? v & 15 : v % 10)
                b[i] = digit < 10 ? UInt8(ascii: "0") &+ digit : UInt8(ascii: "a") &+ (digit &- 10)
                v = radix == 16 ? v >> 4 : v / 10
            } while v > 0
            let count = b.count - i
            for _ in count..<max(count, width) { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i...]))
        }
    }
}
