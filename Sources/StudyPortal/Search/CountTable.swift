/// A small open-addressing table from non-zero 64-bit keys to counts (or other small values), reused
/// document after document.
///
/// Written by hand because the index builder counts tens of millions of term occurrences, and Swift's
/// Dictionary hashes each key with SipHash (seeded per process), which was most of the search stage's
/// time; terms here are already integers, so a multiplicative mix is enough.
struct CountTable {
    private(set) var keys: [UInt64]
    private(set) var counts: [Int32]
    private var used: [Int] = []
    private var mask: Int

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        counts = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var z = key &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: z ^ (z >> 31)) & mask
    }

    mutating func add(_ key: UInt64) {
        var i = Self.slot(key, mask)
        while true {
            let k = keys[i]
            if k == key { counts[i] += 1; return }
            if k == 0 {
                keys[i] = key
                counts[i] = 1
                used.append(i)
                if used.count * 2 > keys.count { grow() }
                return
            }
            i = (i + 1) & mask
        }
    }

    /// The value stored for `key` (by `set`), or nil.
    func value(_ key: UInt64) -> Int32? {
        var i = Self.slot(key, mask)
        while true {
            let k = keys[i]
            if k == key { return counts[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    mutating func set(_ key: UInt64, _ value: Int32) {
        var i = Self.slot(key, mask)
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == 0 {
            keys[i] = key
            used.append(i)
        }
        counts[i] = value
        if used.count * 2 > keys.count { grow() }
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

    private mutating func grow() {
        let old = used.map { (keys[$0], counts[$0]) }
        self = CountTable(capacity: keys.count)
        for (k, c) in old {
            var i = Self.slot(k, mask)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = k
            counts[i] = c
            used.append(i)
        }
    }
}
