/// What member pages' event tables and member ledgers show of each record besides its date, hours
/// and material: its kind, as a place in a short list, and whether it has a note. Their rows read
/// these, side by side in memory, rather than the records themselves: a `Record` is 168 bytes, and a
/// member's rows visit theirs in date order all over the array, a cache miss each. (The ledgers'
/// material comes from `ProgressIndex.recordMaterial` the same way: with one of the three still
/// reading the record, the miss only moved to it.)
struct RecordFacts: Sendable {
    /// The distinct kinds, in the order they first appear.
    let kinds: [String]
    /// Per record: its kind's place in `kinds`, or -1 when it has none.
    let kind: [Int32]
    /// Per record: whether its note is not empty.
    let noted: [Bool]

    init(_ records: [Record]) {
        var kinds: [String] = [], places: [String: Int32] = [:]
        var kind = [Int32](repeating: -1, count: records.count), noted = [Bool](repeating: false, count: records.count)
        // Records of one kind come in runs (a sheet per month or per form): the last kind is
        // compared before any hashing.
        var last: (text: String, place: Int32)?
        for i in records.indices {
            noted[i] = !records[i].note.isEmpty
            guard let text = records[i].kind else { continue }
            if let last, last.text == text { kind[i] = last.place; continue }
            let place = places[text] ?? {
                kinds.append(text)
                places[text] = Int32(kinds.count - 1)
                return Int32(kinds.count - 1)
            }()
            kind[i] = place
            last = (text, place)
        }
        (self.kinds, self.kind, self.noted) = (kinds, kind, noted)
    }
}
