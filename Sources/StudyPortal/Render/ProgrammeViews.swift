/// View models of the study programme's pages: plans, activities, progress, groups, members, reflections.
extension Views {
    var figures: Figures { programmeFigures }

    func statusNames() -> [Status: String] {
        Dictionary(uniqueKeysWithValues: Status.allCases.map { ($0, t("status_" + $0.rawValue)) })
    }

    func period(_ a: Day, _ b: Day) -> String { Strings.date(a, language) + " — " + Strings.date(b, language) }
    func percent(_ x: Double) -> String { String(Int((x * 100).rounded())) + "%" }

    func memberLink(_ id: String) -> View {
        var out: View = ["name": lookup.memberName(id)]
        if visibility.showsMembers, lookup.members[id] != nil { out["url"] = routes.link(Routes.member(id)) }
        return out
    }

    /// `memberLink(id)` as all the pages share it (`memberLinks`).
    func sharedMemberLink(_ id: String) -> SharedView { memberLinks[id] ?? SharedView(memberLink(id)) }

    func groupLink(_ id: String) -> View {
        var out: View = ["name": lookup.groupName(id)]
        if lookup.groups[id] != nil { out["url"] = routes.link(Routes.group(id)) }
        return out
    }

    /// Item `j` of plan `k` as a link (made once per render: `planItemLinks`).
    func itemLink(plan k: Int, item j: Int) -> View { sharedItemLink(plan: k, item: j).view }

    /// The link every page shows for item `j` of plan `k`, itself: member pages' checklists are
    /// rendered once per variant of each item (`MemberItemView.fragments`).
    func sharedItemLink(plan k: Int, item j: Int) -> SharedView {
        planItemLinks.indices.contains(k) && planItemLinks[k].indices.contains(j) ? planItemLinks[k][j] : SharedView(itemLink(programme.plans[k].items[j]))
    }

    /// A plan item as a link with its title.
    func itemLink(_ item: PlanItem) -> View {
        switch item.kind {
        case .material:
            let m = lookup.materials[item.ref.id]
            var out: View = ["title": m.map { programme.materials[$0].title } ?? item.ref.id, "kind": t("materials_studied")]
            if let m, programme.isPublished(programme.materials[m]) { out["url"] = routes.link(Routes.material(item.ref.id)) }
            return out
        case .activity:
            let title = lookup.activities[item.ref.id].map { programme.activities[$0].title }
            return ["title": title ?? item.ref.id, "url": routes.link(Routes.activity(item.ref.id)), "kind": t("activities")]
        }
    }

    func audienceText(_ p: Plan) -> String {
        let roles = p.roles.map { t("role_" + $0.rawValue) }.joined(separator: "、")
        switch p.audience {
        case .all: return roles.isEmpty ? t("all_members") : roles
        case .groups(let gs):
            let groups = gs.map { lookup.groupName($0.id) }.joined(separator: "、")
            return roles.isEmpty ? groups : groups + "（" + roles + "）"
        }
    }

    func groupRow(_ g: GroupFigures) -> View {
        var row = groupLink(g.group)
        row["members"] = g.members
        row["complete"] = g.complete
        row["on_track"] = g.onTrack
        row["behind"] = g.behind
        row["hours_total"] = Strings.hours(g.hoursTotal)
        row["hours_mean"] = Strings.hours(g.hoursMean)
        row["completion"] = percent(g.completionMean)
        row["meter"] = Charts.meter(value: g.completionMean, target: 1, label: percent(g.completionMean))
        return row
    }

    func statusChart(_ progress: PlanProgress) -> String {
        let rows = visibility.groups(of: progress).map { g in
            Charts.Row(label: lookup.groupName(g.group), counts: [(.complete, g.complete), (.onTrack, g.onTrack), (.behind, g.behind)])
        }
        return rows.isEmpty ? "" : Charts.statusBars(rows, statusNames: statusNames(), title: progress.plan.title + " · " + t("status_by_group"))
    }

    /// A plan as lists and the home page show it.
    func planSummary(_ i: Int) -> View {
        let plan = programme.plans[i]
        let members = visibility.members(of: figures.plans[i])
        let mean = members.isEmpty ? 0 : members.reduce(0) { $0 + $1.completion } / Double(members.count)
        return view([
            "title": plan.title, "url": routes.link(Routes.plan(plan.slug)), "period": period(plan.start, plan.end),
            "items": plan.items.count, "audience": audienceText(plan), "members": members.count,
            "complete": members.count { $0.status == .complete }, "on_track": members.count { $0.status == .onTrack },
            "behind": members.count { $0.status == .behind }, "completion": percent(mean),
            "meter": Charts.meter(value: mean, target: 1, label: percent(mean)),
            "target": plan.targetHours.map(Strings.hours),
        ])
    }

    func activitySummary(_ i: Int) -> View {
        if activitySummaries.indices.contains(i) { return activitySummaries[i] }
        let a = programme.activities[i]
        let attendance = figures.attendance(i)
        var out = view([
            "title": a.title, "url": routes.link(Routes.activity(a.slug)), "date": day(a.date),
            "type": lookup.typeName(a.type.id), "expected": attendance.expected, "attended": attendance.attended.count,
            "upcoming": attendance.upcoming, "location": a.location,
        ])
        out["group"] = a.group.map { groupLink($0.id) } ?? ["name": t("all_members")]
        return out
    }

    func statusView(_ s: Status) -> Pill { Pill(key: s.rawValue, label: t("status_" + s.rawValue)) }
}
