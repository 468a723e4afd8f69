/// A small open-addressing table from non-zero 64-bit keys to counts (or other small values), reused
/// document after document.
///
/// Written by hand because the index builder counts tens of millions of term occurrences, and Swift's
/// Dictionary hashes each key with SipHash (seeded per process), which was most of the search stage's
/// time; terms here are already integers, so a multiplicative mix is enough. Its slots are raw memory
/// it owns (it cannot be copied, so nothing shares them): arrays checked for a second owner on every
/// write, which cost ~5% of the counting.
struct CountTable: ~Copyable {
    private var keys: UnsafeMutablePointer<UInt64>
    private var counts: UnsafeMutablePointer<Int32>
    private var size: Int
    /// 64 − log2(size): the shift that leaves a slot number.
    private var shift: UInt64
    private var used: [Int] = []

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.size = size
        shift = UInt64(64 - size.trailingZeroBitCount)
        keys = .allocate(capacity: size)
        keys.initialize(repeating: 0, count: size)
        counts = .allocate(capacity: size)
        counts.initialize(repeating: 0, count: size)
    }

    deinit {
        keys.deallocate()
        counts.deallocate()
    }

    /// Fibonacci hashing: one multiplication, the top bits kept (they depend on every bit of the key).
    /// A mixing function of three multiplications cost 4% of the search stage more.
    @inline(__always) private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    mutating func add(_ key: UInt64) {
        let mask = size - 1
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { counts[i] += 1; return }
            if k == 0 {
                keys[i] = key
                counts[i] = 1
                used.append(i)
                if used.count * 2 > size { grow() }
                return
            }
            i = (i + 1) & mask
        }
    }

    /// The value stored for `key` (by `set`), or nil.
    func value(_ key: UInt64) -> Int32? {
        let mask = size - 1
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return counts[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    mutating func set(_ key: UInt64, _ value: Int32) {
        let mask = size - 1
        var i = slot(key)
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == 0 {
            keys[i] = key
            used.append(i)
        }
        counts[i] = value
        if used.count * 2 > size { grow() }
    }

    /// The keys added since the last `removeAll`, with their counts.
    func forEach(_ body: (UInt64, Int32) -> Void) {
        for i in used { body(keys[i], counts[i]) }
    }

    var count: Int { used.count }

    mutating func removeAll() {
        for i in used { keys[i] = 0; counts[i] = 0 }
        used.removeAll(keepingCapacity: true)
    }

    /// Twice the slots, every key placed again.
    private mutating func grow() {
        let (oldKeys, oldCounts, oldUsed) = (keys, counts, used)
        size *= 2
        shift -= 1
        keys = .allocate(capacity: size)
        keys.initialize(repeating: 0, count: size)
        counts = .allocate(capacity: size)
        counts.initialize(repeating: 0, count: size)
        used = []
        used.reserveCapacity(oldUsed.count * 2)
        let mask = size - 1
        for j in oldUsed {
            var i = slot(oldKeys[j])
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            counts[i] = oldCounts[j]
            used.append(i)
        }
        oldKeys.deallocate()
        oldCounts.deallocate()
    }
}

/// Counts of single characters of the CJK blocks most text is written in (U+3040–U+9FFF: kana,
/// Extension A, the unified ideographs), by code point: half of all the keys the index builder
/// counts are single characters, and a slot found by subtraction costs less than one found by hashing
/// and probing (−7% of the search stage). 112 KiB per index chunk (a few dozen on a large site),
/// zeroed once, then cleared document after document by what was touched.
struct CharCountTable: ~Copyable {
    static let first: UInt32 = 0x3040
    static let end: UInt32 = 0xA000
    private var counts: UnsafeMutablePointer<Int32>
    private var used: [UInt32] = []

    init() {
        let n = Int(Self.end - Self.first)
        counts = .allocate(capacity: n)
        counts.initialize(repeating: 0, count: n)
    }

    deinit { counts.deallocate() }

    /// Counts `v` and says true when it is in the table's range; false (counting nothing) otherwise.
    @inline(__always) mutating func add(_ v: UInt32) -> Bool {
        let i = v &- Self.first
        guard i < Self.end - Self.first else { return false }
        if counts[Int(i)] == 0 { used.append(v) }
        counts[Int(i)] += 1
        return true
    }

    /// The characters counted since the last `removeAll`, with their counts.
    func forEach(_ body: (UInt32, Int32) -> Void) {
        for v in used { body(v, counts[Int(v - Self.first)]) }
    }

    mutating func removeAll() {
        for v in used { counts[Int(v - Self.first)] = 0 }
        used.removeAll(keepingCapacity: true)
    }
}
