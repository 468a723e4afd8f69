/// `/data/progress.json` (SPEC §5): every progress figure, machine-readable, in the shape the SPEC gives.
enum ProgressJSON {
    static func document(_ p: Programme, _ figures: Figures, _ visibility: Visibility) -> JSON {
        let plans = zip(p.plans, figures.plans).sorted { $0.0.slug < $1.0.slug }.map { plan, progress -> JSON in
            var fields: [(String, JSON)] = [
                ("id", .string(plan.slug)), ("title", .string(plan.title)),
                ("start", .string(plan.start.description)), ("end", .string(plan.end.description)),
                ("target_hours", .optional(plan.targetHours)), ("reflections", .optional(plan.reflections)),
                ("items", .array(plan.items.map { item in
                    .object([("kind", .string(item.kind.rawValue)), ("ref", .string(item.ref.id)), ("due", .string((item.due ?? plan.end).description))])
                })),
                ("groups", .array(visibility.groups(of: progress).map(group))),
            ]
            if visibility.showsMembers {
                fields.append(("members", .array(progress.members.map(member))))
            }
            return .object(fields)
        }
        let activities = p.activities.indices.sorted { p.activities[$0].slug < p.activities[$1].slug }.map { i -> JSON in
            let a = p.activities[i]
            let attendance = figures.attendance(i)
            return .object([
                ("id", .string(a.slug)), ("date", .string(a.date.description)), ("type", .string(a.type.id)),
                ("group", .optional(a.group?.id)), ("expected", .int(attendance.expected)), ("attended", .int(attendance.attended.count)),
            ])
        }
        return .object([
            ("as_of", .string(p.asOf.description)),
            ("profile", .string(p.config.profile.rawValue)),
            ("plans", .array(plans)),
            ("activities", .array(activities)),
        ])
    }

    static func group(_ g: GroupFigures) -> JSON {
        .object([
            ("id", .string(g.group)), ("members", .int(g.members)), ("complete", .int(g.complete)),
            ("on_track", .int(g.onTrack)), ("behind", .int(g.behind)), ("hours_total", .rounded(g.hoursTotal, 2)),
            ("hours_mean", .rounded(g.hoursMean, 2)), ("completion_mean", .rounded(g.completionMean, 4)),
        ])
    }

    static func member(_ m: MemberProgress) -> JSON {
        .object([
            ("id", .string(m.member)), ("group", .string(m.group)), ("items_done", .int(m.itemsDone)),
            ("items_due", .int(m.itemsDue)), ("items_overdue", .int(m.itemsOverdue)), ("hours", .rounded(m.hours, 2)),
            ("reflections", .int(m.reflections)), ("completion", .rounded(m.completion, 4)), ("status", .string(m.status.rawValue)),
        ])
    }
}
