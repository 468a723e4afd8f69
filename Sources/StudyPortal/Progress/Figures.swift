/// The figures SPEC §4 defines, as plain values the pages, CSV files and progress.json all show.
public enum Status: String, Sendable, Hashable, CaseIterable {
    case complete
    case onTrack = "on-track"
    case behind
}

public struct ItemState: Sendable, Hashable {
    public var due: Day
    public var done: Bool
    public var isDue: Bool
    public var overdue: Bool
}

public struct MemberProgress: Sendable, Hashable {
    public var member: String
    public var group: String
    public var items: [ItemState]
    public var hours: Double
    public var reflections: Int
    public var completion: Double
    public var status: Status

    public var itemsDone: Int { items.count { $0.done } }
    public var itemsDue: Int { items.count { $0.isDue } }
    public var itemsOverdue: Int { items.count { $0.overdue } }
    /// Short of the plan's required reflections (for the supervision list).
    public var missingReflections = 0
}

public struct GroupFigures: Sendable, Hashable {
    public var group: String
    public var members: Int
    public var complete: Int
    public var onTrack: Int
    public var behind: Int
    public var hoursTotal: Double
    public var hoursMean: Double
    public var completionMean: Double
}

public struct PlanProgress: Sendable {
    public var plan: Plan
    /// The plan's audience, by member id.
    public var members: [MemberProgress]
    /// Every group with audience members, by group id (before any public-profile withholding).
    public var groups: [GroupFigures]

    /// The member's figures, found by binary search (`members` is sorted by id): member pages ask
    /// once per plan, and a scan made that grow with members².
    public func member(_ id: String) -> MemberProgress? {
        var low = 0, high = members.count
        while low < high {
            let mid = (low + high) / 2
            if members[mid].member < id { low = mid + 1 } else { high = mid }
        }
        return low < members.count && members[low].member == id ? members[low] : nil
    }
}

public struct Attendance: Sendable, Hashable {
    public var expected: Int
    /// Member ids who attended, sorted (empty for an upcoming activity).
    public var attended: [String]
    public var upcoming: Bool
}

public struct YearFigures: Sendable, Hashable {
    public var year: Int
    public var hours: Double
    public var target: Double?
}

/// One study event of a member (SPEC §4): a record row, or an activity attended.
public struct StudyEvent: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case record(Int)
        case activity(Int)
    }

    public var date: Day
    public var hours: Double
    public var source: Source
}
