/// Where text is written as UTF-8 bytes: a page's array, or a `ByteBuffer`. The writers of numbers,
/// dates, escaped text and CSV cells are generic over it, so one piece of code serves both.
protocol ByteAppending: ~Copyable {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteAppending where Element == UInt8 {}

extension ByteAppending where Self: ~Copyable {
    /// A literal's bytes (code writing a built-in template's markup: no array to retain and release).
    @inline(__always) mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }
}

/// Bytes written through a pointer, for the tables of member pages and ledgers: 600,000 rows of
/// ten-odd cells at 10,000 materials, each cell a few appends of a few bytes. Appended to an array,
/// every one of those paid the array's ownership and room checks and a call (perf: the rows' writing
/// was 7% of the build's CPU, a third of it in those checks); here an append is a compare and a copy.
/// The rows are then appended to the page at once (`write(to:)`).
struct ByteBuffer: ByteAppending, ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always) mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count &+= 1
    }

    @inline(__always) mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        if capacity &- count < n { grow(to: count + n) }
        guard let source = bytes.baseAddress else { return }
        let target = base + count
        if n <= 16 {
            // Cells and tags are a few bytes: copied in words here, where a call to memmove for
            // each was a quarter of the rows' writing time (perf).
            copyShort(UnsafeRawPointer(source), UnsafeMutableRawPointer(target), n)
        } else {
            target.initialize(from: source, count: n)
        }
        count &+= n
    }

    /// `n` (at most 16) bytes from `source` to `target`, by two words that overlap when `n` is not
    /// twice a word (nothing read or written outside the `n` bytes).
    @inline(__always) private func copyShort(_ source: UnsafeRawPointer, _ target: UnsafeMutableRawPointer, _ n: Int) {
        if n >= 8 {
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), toByteOffset: n - 4, as: UInt32.self)
        } else if n > 0 {
            target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
            target.storeBytes(of: source.load(fromByteOffset: n / 2, as: UInt8.self), toByteOffset: n / 2, as: UInt8.self)
            target.storeBytes(of: source.load(fromByteOffset: n - 1, as: UInt8.self), toByteOffset: n - 1, as: UInt8.self)
        }
    }

    /// Room for at least `needed` bytes in all, doubling.
    private mutating func grow(to needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: base, count: count)
        base.deallocate()
        (base, capacity) = (moved, larger)
    }

    /// The byte at `i` (below `count`).
    func byte(at i: Int) -> UInt8 {
        precondition(i >= 0 && i < count, "a byte that was written")
        return base[i]
    }

    /// Puts `byte` at `i`, moving what follows one place on.
    mutating func insert(_ byte: UInt8, at i: Int) {
        precondition(i >= 0 && i <= count, "a place in what was written")
        if count == capacity { grow(to: count + 1) }
        (base + i + 1).moveInitialize(from: base + i, count: count - i)
        base[i] = byte
        count += 1
    }

    /// Appends what was written to `out`.
    func write(to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
    }
}
