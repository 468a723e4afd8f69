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
    /// The slots taken since the last `removeAll`, in order: `used[0..<usedCount]`. Room for one
    /// more than the table holds before it grows, so `add` can write a slot number before knowing
    /// whether it is new.
    private var used: UnsafeMutablePointer<Int32>
    private var usedCount = 0

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.size = size
        shift = UInt64(64 - size.trailingZeroBitCount)
        (keys, counts, used) = Self.allocate(size)
    }

    private static func allocate(_ size: Int) -> (UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) {
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
        keys.initialize(repeating: 0, count: size)
        let counts = UnsafeMutablePointer<Int32>.allocate(capacity: size)
        counts.initialize(repeating: 0, count: size)
        let used = UnsafeMutablePointer<Int32>.allocate(capacity: size / 2 + 2)
        return (keys, counts, used)
    }

    deinit {
        keys.deallocate()
        counts.deallocate()
        used.deallocate()
    }

    /// Fibonacci hashing: one multiplication, the top bits kept (they depend on every bit of the key).
    /// A mixing function of three multiplications cost 4% of the search stage more.
    @inline(__always) private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Counts one occurrence of `key`. Whether the key is new is written, not branched on: in a
    /// document's text about a third of the pairs counted are new, in no order a branch predictor
    /// can learn, and each wrong guess cost more than the count.
    @inline(__always) mutating func add(_ key: UInt64) {
        var one = run
        _ = one.add(key)
        end(one)
    }

    /// The table's state copied out for a run of `add`s (`Run.add`), and put back by `end`: held in
    /// a local, the count of keys is not reloaded from the table after every store through its
    /// pointers (it chained each `add` to the one before through memory).
    struct Run {
        fileprivate let keys: UnsafeMutablePointer<UInt64>
        fileprivate let counts: UnsafeMutablePointer<Int32>
        fileprivate let used: UnsafeMutablePointer<Int32>
        fileprivate var usedCount: Int
        fileprivate let mask: Int
        fileprivate let shift: UInt64

        /// `CountTable.add`; true when the table must grow (`end`, then a new run) before the next.
        @inline(__always) mutating func add(_ key: UInt64) -> Bool {
            var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)   // `slot`
            var k = keys[i]
            while k != key && k != 0 {   // another key in the slot: rare in a table kept half empty
                i = (i + 1) & mask
                k = keys[i]
            }
            keys[i] = key
            counts[i] &+= 1
            used[usedCount] = Int32(truncatingIfNeeded: i)
            usedCount &+= k == 0 ? 1 : 0
            return usedCount * 2 > mask + 1
        }
    }

    var run: Run { Run(keys: keys, counts: counts, used: used, usedCount: usedCount, mask: size - 1, shift: shift) }

    /// Takes back the state of `run`.
    mutating func end(_ run: Run) {
        usedCount = run.usedCount
        if usedCount * 2 > size { grow() }
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
            used[usedCount] = Int32(truncatingIfNeeded: i)
            usedCount += 1
        }
        counts[i] = value
        if usedCount * 2 > size { grow() }
    }

    /// The keys added since the last `removeAll`, with their counts.
    func forEach(_ body: (UInt64, Int32) -> Void) {
        for n in 0..<usedCount {
            let i = Int(used[n])
            body(keys[i], counts[i])
        }
    }

    var count: Int { usedCount }

    mutating func removeAll() {
        for n in 0..<usedCount {
            let i = Int(used[n])
            keys[i] = 0
            counts[i] = 0
        }
        usedCount = 0
    }

    /// Twice the slots, every key placed again (in the order they came).
    @inline(never) private mutating func grow() {
        let (oldKeys, oldCounts, oldUsed, oldCount) = (keys, counts, used, usedCount)
        size *= 2
        shift -= 1
        (keys, counts, used) = Self.allocate(size)
        let mask = size - 1
        for n in 0..<oldCount {
            let j = Int(oldUsed[n])
            var i = slot(oldKeys[j])
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            counts[i] = oldCounts[j]
            used[n] = Int32(truncatingIfNeeded: i)
        }
        oldKeys.deallocate()
        oldCounts.deallocate()
        oldUsed.deallocate()
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
    /// The characters counted since the last `removeAll`, in order: `used[0..<usedCount]` (room for
    /// every character of the range, so `add` writes before it knows whether the character is new).
    private var used: UnsafeMutablePointer<UInt32>
    private var usedCount = 0

    init() {
        let n = Int(Self.end - Self.first)
        counts = .allocate(capacity: n)
        counts.initialize(repeating: 0, count: n)
        used = .allocate(capacity: n + 1)
    }

    deinit {
        counts.deallocate()
        used.deallocate()
    }

    /// Counts `v` and says true when it is in the table's range; false (counting nothing) otherwise.
    /// Like `CountTable.add`, a first occurrence is written down without a branch.
    @inline(__always) mutating func add(_ v: UInt32) -> Bool {
        guard v &- Self.first < Self.end - Self.first else { return false }
        var one = run
        one.addIdeograph(v)
        end(one)
        return true
    }

    /// `CountTable.Run`'s counterpart: the state for a run of unified ideographs, always in range.
    struct Run {
        fileprivate let counts: UnsafeMutablePointer<Int32>
        fileprivate let used: UnsafeMutablePointer<UInt32>
        fileprivate var usedCount: Int

        /// Counts `v`, which must be in the table's range (the unified ideographs all are).
        @inline(__always) mutating func addIdeograph(_ v: UInt32) {
            let i = Int(v &- CharCountTable.first)
            let n = counts[i]
            used[usedCount] = v
            usedCount &+= n == 0 ? 1 : 0
            counts[i] = n &+ 1
        }
    }

    var run: Run { Run(counts: counts, used: used, usedCount: usedCount) }

    mutating func end(_ run: Run) { usedCount = run.usedCount }

    var count: Int { usedCount }

    /// The characters counted since the last `removeAll`, with their counts.
    func forEach(_ body: (UInt32, Int32) -> Void) {
        for k in 0..<usedCount {
            let v = used[k]
            body(v, counts[Int(v - Self.first)])
        }
    }

    mutating func removeAll() {
        for k in 0..<usedCount { counts[Int(used[k] - Self.first)] = 0 }
        usedCount = 0
    }
}
