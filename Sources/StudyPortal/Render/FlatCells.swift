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
        @inline(__always) func copy(_ c: Int, to out: inout [UInt8]) {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[starts[c]..<starts[c + 1]]))
        }
    }
}
