/// `content/people/members.csv` and `groups.csv` (SPEC §3).
public enum Role: String, Sendable, Hashable, CaseIterable {
    case member, leader
}

public struct Member: Sendable, Hashable {
    public var id: String
    public var name: String
    public var group: Ref
    public var role: Role
    public var joined: Day?
    public var left: Day?
    public var line: Int

    /// SPEC §4: a member on day D when joined is empty or ≤ D, and left is empty or ≥ D.
    public func isMember(on day: Day) -> Bool {
        (joined.map { $0 <= day } ?? true) && (left.map { $0 >= day } ?? true)
    }
}

public struct Group: Sendable, Hashable {
    public var id: String
    public var name: String
    public var secretary: Ref?
    public var line: Int
}

enum PeopleLoader {
    static let membersPath = "content/people/members.csv"
    static let groupsPath = "content/people/groups.csv"

    static func members(_ table: CSVTable) -> ([Member], [Diagnostic]) {
        var out: [Member] = []
        var diagnostics: [Diagnostic] = []
        for row in table.rows {
            guard let id = id(row, "member", table.path, &diagnostics) else { continue }
            let roleText = row["role"]
            guard let role = roleText.isEmpty ? .member : Role(rawValue: roleText) else {
                diagnostics.append(.error("unknown role `\(roleText)` (roles are member and leader)", path: table.path, line: row.line, column: 1))
                continue
            }
            let joined = date(row, "joined", table.path, &diagnostics)
            let left = date(row, "left", table.path, &diagnostics)
            if let joined, let left, left < joined {
                diagnostics.append(.error("member \(id) left (\(left)) before joining (\(joined))", path: table.path, line: row.line, column: 1))
            }
            out.append(Member(id: id, name: row["name"], group: Ref(row["group"], path: table.path, line: row.line),
                              role: role, joined: joined, left: left, line: row.line))
        }
        return (out, diagnostics)
    }

    static func groups(_ table: CSVTable) -> ([Group], [Diagnostic]) {
        var out: [Group] = []
        var diagnostics: [Diagnostic] = []
        for row in table.rows {
            guard let id = id(row, "group", table.path, &diagnostics) else { continue }
            let secretary = row["secretary"]
            out.append(Group(id: id, name: row["name"].isEmpty ? id : row["name"],
                             secretary: secretary.isEmpty ? nil : Ref(secretary, path: table.path, line: row.line), line: row.line))
        }
        return (out, diagnostics)
    }

    /// The row's id, or nil (reported) when it is empty or unusable: ids name folders of the output
    /// (/members/<id>/, /groups/<id>/), so they follow the slug rules.
    static func id(_ row: CSVTable.Row, _ what: String, _ path: String, _ diagnostics: inout [Diagnostic]) -> String? {
        let id = row["id"]
        if id.isEmpty {
            diagnostics.append(.error("a \(what) needs an id", path: path, line: row.line, column: 1))
            return nil
        }
        if let problem = Slug.problem(id) {
            diagnostics.append(.error("unusable \(what) id: \(problem.replacingOccurrences(of: "slug", with: "id"))", path: path, line: row.line, column: 1))
            return nil
        }
        return id
    }

    /// A spreadsheet date in `column`, or nil when empty; a bad one is reported.
    static func date(_ row: CSVTable.Row, _ column: String, _ path: String, _ diagnostics: inout [Diagnostic]) -> Day? {
        let text = row[column]
        guard !text.isEmpty else { return nil }
        guard let day = Day(spreadsheet: text) else {
            diagnostics.append(.error("`\(column)` should be a date like 2026-03-01 or 2026/3/1, not `\(text)`", path: path, line: row.line, column: 1))
            return nil
        }
        return day
    }
}
