/// Front matter of plans, activities and reflections into typed values (SPEC §3).
extension Decode {
    static func plan(_ f: inout Fields, file: SourceFile, slug: String) -> Plan? {
        let title = f.string("title", required: true)
        let start = f.day("start", required: true)
        let end = f.day("end", required: true)
        var audience = Audience.all
        if let raw = f.raw("audience") {
            if case .scalar(let text, _, _) = raw, text == "all" {
                audience = .all
            } else {
                audience = .groups(f.refs(in: raw, key: "audience"))
            }
        }
        var roles: [Role] = []
        let rolesPosition = f.position(of: "roles")
        for text in f.strings("roles") {
            if let role = Role(rawValue: text) { roles.append(role) } else {
                f.append(.error("unknown role `\(text)` (roles are member and leader)", path: f.path, line: rolesPosition.line, column: rolesPosition.column))
            }
        }
        let target = f.number("target_hours")
        let reflections = f.integer("reflections")
        if let r = reflections, r < 0 { f.error("`reflections` must not be negative", key: "reflections") }
        var items: [PlanItem] = []
        if let raw = f.raw("items") { items = planItems(raw, &f) }
        if let start, let end, end < start {
            f.error("the plan ends (\(end)) before it starts (\(start))", key: "end")
        }
        f.finish()
        guard let title, let start, let end else { return nil }
        return Plan(slug: slug, title: title, start: start, end: end, audience: audience, roles: roles,
                    targetHours: target, reflections: reflections, items: items, file: file)
    }

    private static func planItems(_ raw: YAMLValue, _ f: inout Fields) -> [PlanItem] {
        guard case .list(let entries, _) = raw else {
            f.error("`items` should be a list of {material: slug, due: date} or {activity: slug, due: date}", key: "items")
            return []
        }
        var items: [PlanItem] = []
        for entry in entries {
            var item = Fields(entry, path: f.path, origin: entry.position)
            let material = item.ref("material")
            let activity = item.ref("activity")
            let due = item.day("due")
            item.finish()
            for d in item.diagnostics { f.append(d) }
            switch (material, activity) {
            case (let m?, nil): items.append(PlanItem(kind: .material, ref: m, due: due))
            case (nil, let a?): items.append(PlanItem(kind: .activity, ref: a, due: due))
            default:
                f.append(.error("each item names either a material or an activity: {material: slug, due: 2026-03-31}", path: f.path, line: entry.position.line, column: entry.position.column))
            }
        }
        return items
    }

    static func activity(_ f: inout Fields, file: SourceFile, slug: String) -> Activity? {
        let title = f.string("title", required: true)
        let type = f.ref("type", required: true)
        let date = f.day("date", required: true)
        let hours = f.number("hours")
        let group = f.ref("group")
        let host = f.ref("host")
        let speaker = f.string("speaker").flatMap(nonEmpty)
        let location = f.string("location").flatMap(nonEmpty)
        var attendees = Attendees.none
        if let raw = f.raw("attendees") {
            if case .scalar(let text, _, _) = raw, text == "all" { attendees = .all } else { attendees = .list(f.refs(in: raw, key: "attendees")) }
        }
        var absent: [(member: Ref, reason: String)] = []
        if let raw = f.raw("absent") {
            if case .map(let pairs, _) = raw {
                for pair in pairs {
                    var reason = ""
                    if case .scalar(let text, _, _) = pair.value { reason = text } else if !pair.value.isNull {
                        f.append(.error("the reason for an absence should be text", path: f.path, line: pair.value.position.line, column: pair.value.position.column))
                    }
                    absent.append((Ref(pair.key, path: f.path, line: pair.keyPosition.line, column: pair.keyPosition.column), reason))
                }
            } else {
                f.error("`absent` should map a member id to a reason: {u001: 出差}", key: "absent")
            }
        }
        let materials = f.refs("materials")
        let plan = f.ref("plan")
        f.finish()
        guard let title, let type, let date else { return nil }
        return Activity(slug: slug, title: title, type: type, date: date, hours: hours, group: group, host: host,
                        speaker: speaker, location: location, attendees: attendees, absent: absent,
                        materials: materials, plan: plan, file: file)
    }

    static func reflection(_ f: inout Fields, file: SourceFile, slug: String, folder: String) -> Reflection? {
        let title = f.string("title", required: true)
        let author = f.ref("author", required: true)
        let date = f.day("date", required: true)
        let about = f.ref("about")
        let isPublic = f.bool("public") ?? false
        if let author, author.id != folder {
            f.append(.error("the author `\(author.id)` does not match the folder reflections/\(folder)/", path: f.path, line: author.line, column: author.column))
        }
        f.finish()
        guard let title, let author, let date else { return nil }
        return Reflection(slug: slug, folder: folder, title: title, author: author, date: date, about: about, isPublic: isPublic, file: file)
    }
}
