import Foundation

/// A calendar date with no time and no zone: what `date:` in front matter and CSV means.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Year, month and day in one integer (`year << 9 | month << 5 | day`), ordered as the dates
    /// are: four bytes where three `Int`s took twenty-four. 200,000 records and their events hold
    /// one each, and a template reads a date through a value small enough to carry without a box
    /// of its own (`DayView`).
    private let packed: UInt32

    public var year: Int { Int(packed >> 9) }
    public var month: Int { Int(packed >> 5 & 0xF) }
    public var day: Int { Int(packed & 0x1F) }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Day.daysIn(month: month, year: year)).contains(day) else { return nil }
        packed = UInt32(year) << 9 | UInt32(month) << 5 | UInt32(day)
    }

    /// Strict ISO form `YYYY-MM-DD`, as front matter requires.
    public init?(iso text: String) {
        // Fast path over the bytes, in place (an array of them was made for each of 200,000 records):
        // exactly DDDD-DD-DD.
        switch text.utf8.withContiguousStorageIfAvailable(Self.isoFields) ?? .otherForm {
        case .day(let y, let m, let d):
            self.init(year: y, month: m, day: d)
            return
        case .invalid:
            return nil
        case .otherForm:
            break
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) }) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    private enum ISOFields { case day(Int, Int, Int), invalid, otherForm }

    /// `DDDD-DD-DD` read from its ten bytes: the fields, `invalid` when one is not digits, or
    /// `otherForm` for any other shape (which the general reading takes).
    private static func isoFields(_ u: UnsafeBufferPointer<UInt8>) -> ISOFields {
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return .otherForm }
        func digits(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r { guard u[i] >= 0x30 && u[i] <= 0x39 else { return nil }; n = n * 10 + Int(u[i] - 0x30) }
            return n
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return .invalid }
        return .day(y, m, d)
    }

    /// The forms spreadsheets write (SPEC §3): `2026-03-01`, `2026/3/1`, `2026.3.1`, `2026年3月1日`.
    public init?(spreadsheet text: String) {
        if let iso = Day(iso: text) { self = iso; return }
        let t = text.trimmingSpaces()
        if let iso = Day(iso: t) { self = iso; return }
        var body = t
        if body.hasSuffix("日") { body.removeLast() }
        let separators: Set<Character> = ["-", "/", ".", "年", "月"]
        let parts = body.split(omittingEmptySubsequences: false) { separators.contains($0) }
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        // One separator style per date: 年/月/日 together, or a single ASCII separator repeated.
        if t.contains("年") {
            guard t.contains("月"), t.hasSuffix("日") else { return nil }
        }
        self.init(year: y, month: m, day: d)
    }

    /// `2026-03-01`, built from digits (ledgers and feeds format hundreds of thousands of dates;
    /// String(format:) went through Foundation's formatter on every call).
    public var description: String {
        // Ten ASCII bytes fit a small string: made in place, without the two allocations of an array
        // turned into a string (ledger rows, search documents and CSV files ask for 600,000 dates).
        if (0...9999).contains(year) {
            return String(unsafeUninitializedCapacity: 10) { writeISO(into: $0); return 10 }
        }
        var out: [UInt8] = []
        out.reserveCapacity(10)
        appendISO(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `2026-03-01` appended to a page being written (no string made per date).
    public func appendISO(to out: inout [UInt8]) { appendISO(into: &out) }

    /// `appendISO(to:)` into any byte output.
    func appendISO<Out: ByteAppending & ~Copyable>(into out: inout Out) {
        if (0...9999).contains(year) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { b in
                writeISO(into: b)
                out.append(contentsOf: UnsafeBufferPointer(b))
            }
            return
        }
        Digits.append(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Digits.append(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        Digits.append(day, width: 2, to: &out)
    }

    /// The ten bytes of `YYYY-MM-DD` into `b` (ten bytes or more), for a year of at most four digits.
    private func writeISO(into b: UnsafeMutableBufferPointer<UInt8>) {
        let digits = (year / 1000, year / 100 % 10, year / 10 % 10, year % 10, month / 10, month % 10, day / 10, day % 10)
        let zero = UInt8(ascii: "0"), dash = UInt8(ascii: "-")
        (b[0], b[1], b[2], b[3]) = (zero + UInt8(digits.0), zero + UInt8(digits.1), zero + UInt8(digits.2), zero + UInt8(digits.3))
        (b[4], b[5], b[6], b[7], b[8], b[9]) = (dash, zero + UInt8(digits.4), zero + UInt8(digits.5), dash, zero + UInt8(digits.6), zero + UInt8(digits.7))
    }

    public static func < (a: Day, b: Day) -> Bool { a.packed < b.packed }

    /// The date in 32 bits, different for different dates (a key for caches).
    var bits: UInt32 { packed }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The calendar day of an instant in a time zone.
    public init(_ date: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        // Components of a Gregorian calendar date are always present and valid (a year past the
        // packed field's 2²³ is not a date anyone builds a site for: it is held at the largest).
        let year = UInt32(clamping: min(max(c.year ?? 1970, 1), 1 << 23 - 1))
        packed = year << 9 | UInt32(clamping: c.month ?? 1) << 5 | UInt32(clamping: c.day ?? 1)
    }

    /// Midnight of this day in a zone, for feeds that need an instant.
    public func rfc3339(in zone: TimeZone) -> String {
        let seconds = zone.secondsFromGMT(for: Date(timeIntervalSince1970: 0))
        let sign = seconds < 0 ? "-" : "+"
        let h = abs(seconds) / 3600, m = (abs(seconds) % 3600) / 60
        return "\(description)T00:00:00\(sign)\(String(format: "%02d:%02d", h, m))"
    }
}
