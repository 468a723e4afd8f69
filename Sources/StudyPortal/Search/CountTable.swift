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
    private var used: [Int] = []

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.size = size
        keys = .allocate(capacity: size)
        keys.initialize(repeating: 0, count: size)
        counts = .allocate(capacity: size)
        counts.initialize(repeating: 0, count: size)
    }

    deinit {
        keys.deallocate()
        counts.deallocate()
    }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var z = key &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: z ^ (z >> 31)) & mask
    }

    mutating func add(_ key: UInt64) {
        let mask = size - 1
        var i = Self.slot(key, mask)
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
        var i = Self.slot(key, mask)
        while true {
            let k = keys[i]
            if k == key { return counts[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    mutating func set(_ key: UInt64, _ value: Int32) {
        let mask = size - 1
        var i = Self.slot(key, mask)
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
        keys = .allocate(capacity: size)
        keys.initialize(repeating: 0, count: size)
        counts = .allocate(capacity: size)
        counts.initialize(repeating: 0, count: size)
        used = []
        used.reserveCapacity(oldUsed.count * 2)
        let mask = size - 1
        for j in oldUsed {
            var i = Self.slot(oldKeys[j], mask)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            counts[i] = oldCounts[j]
            used.append(i)
        }
        oldKeys.deallocate()
        oldCounts.deallocate()
    }
}
