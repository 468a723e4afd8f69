/// Byte strings laid end to end and found by number: table cells made once per render (escaped for
/// HTML, quoted for CSV) and copied into thousands of pages. Copying from one buffer retains
/// nothing; the strings they came from, copied into a row per page, were retained and released
/// every time, by both cores at once.
struct FlatCells: Sendable {
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]

    /// Adds the next cell, written by `write`.
    mutating func add(_ write: (inout [UInt8]) -> Void) {
        write(&bytes)
        starts.append(bytes.count)
    }

    /// Calls `body` with a reader of the cells (one look at the arrays for a whole table).
    func reading<R>(_ body: (Reader) -> R) -> R {
        bytes.withUnsafeBufferPointer { bytes in starts.withUnsafeBufferPointer { starts in body(Reader(bytes: bytes, starts: starts)) } }
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let starts: UnsafeBufferPointer<Int>

        /// Appends cell `c`.
        @inline(__always) func copy<Out: ByteAppending & ~Copyable>(_ c: Int, to out: inout Out) {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[starts[c]..<starts[c + 1]]))
        }
    }
}

/// Which cell of a `FlatCells` holds the text for a day, for the days records and activities fall
/// on: tables of events show a few hundred days over and over (200,000 rows at 10,000 materials),
/// and wrote each date out every time. By `Day.bits` from the first day, for a span of a few years
/// (`bits` leave 512 a year); days outside it, or a wider span, have no cell.
struct DayCells: Sendable {
    private let first: UInt32
    private let cell: [Int32]

    /// Calls `add` for each distinct day in order; the cell it adds is `next`, then the one after.
    init(_ days: some Sequence<Day>, next: Int, add: (Day) -> Void) {
        let (low, high) = days.reduce((UInt32.max, UInt32.min)) { (min($0.0, $1.bits), max($0.1, $1.bits)) }
        guard low <= high && high - low < 1 << 14 else { (first, cell) = (0, []); return }
        var cell = [Int32](repeating: -1, count: Int(high - low) + 1)
        var next = Int32(next)
        for day in days where cell[Int(day.bits - low)] < 0 {
            add(day)
            cell[Int(day.bits - low)] = next
            next += 1
        }
        (first, self.cell) = (low, cell)
    }

    /// The day's cell, if it has one.
    @inline(__always) func callAsFunction(_ day: Day) -> Int? {
        let k = Int(day.bits &- first)
        return k >= 0 && k < cell.count && cell[k] >= 0 ? Int(cell[k]) : nil
    }
}
