/// The programme's pages (SPEC §5): plans, activities, the dashboard, supervision, groups, members, reflections.
extension Views {
    func plansIndex() -> View {
        var c = common(current: Routes.plans)
        c["plans"] = programme.plans.indices.map(planSummary)
        return c
    }

    func planPage(_ i: Int) -> View {
        let plan = programme.plans[i]
        let progress = figures.plans[i]
        let counted = visibility.members(of: progress)
        var c = common(current: Routes.plan(plan.slug))
        var view = planSummary(i)
        view["roles"] = plan.roles.map { t("role_" + $0.rawValue) }.joined(separator: "、")
        view["reflections"] = plan.reflections.map { t("n_pieces", String($0)) }
        view["target"] = plan.targetHours.map(Strings.hours)
        c["plan"] = view
        c["content"] = bodies["plan:" + plan.slug]?.html ?? HTMLFragment()
        c["items"] = plan.items.enumerated().map { k, item -> View in
            var row = itemLink(item)
            let due = item.due ?? plan.end
            row["due"] = day(due)
            row["is_due"] = due <= programme.asOf
            row["done"] = t("n_people", String(counted.count { $0.items[k].done }))
            row["overdue"] = counted.count { $0.items[k].overdue }
            return row
        }
        let groups = visibility.groups(of: progress)
        c["groups"] = groups.map(groupRow)
        c["withheld"] = groups.count < progress.groups.count ? t("withheld", String(visibility.minGroupSize)) : ""
        c["chart"] = statusChart(progress)
        c["members"] = [View]()
        if visibility.showsMembers {
            c["members"] = progress.members.map { m -> View in
                var row = memberLink(m.member)
                row["group"] = lookup.groupName(m.group)
                row["hours"] = Strings.hours(m.hours)
                row["items"] = "\(m.itemsDone) / \(m.items.count)"
                row["overdue"] = m.itemsOverdue
                row["reflections"] = m.reflections
                row["status"] = statusView(m.status)
                return row
            }
        }
        return c
    }

    func activitiesIndex() -> View {
        var c = common(current: Routes.activities)
        let all = programme.activities.indices.map(activitySummary)
        c["upcoming"] = Array(all.filter { $0["upcoming"] as? Bool == true }.reversed())
        c["past"] = all.filter { $0["upcoming"] as? Bool != true }
        return c
    }

    func activityPage(_ i: Int) -> View {
        let a = programme.activities[i]
        let attendance = figures.attendance(i)
        var c = common(current: Routes.activity(a.slug))
        var view = activitySummary(i)
        view["hours"] = Strings.hours(Progress.hours(of: a, types: lookup.types))
        view["speaker"] = a.speaker
        if visibility.showsMembers, let host = a.host { view["host"] = memberLink(host.id) }
        if let plan = a.plan, let k = lookup.plans[plan.id] {
            view["plan"] = ["title": programme.plans[k].title, "url": routes.link(Routes.plan(plan.id))] as View
        }
        view["materials"] = a.materials.map { itemLink(PlanItem(kind: .material, ref: $0, due: nil)) }
        c["activity"] = view
        c["content"] = bodies["activity:" + a.slug]?.html ?? HTMLFragment()
        c["attendees"] = [View]()
        c["absences"] = [View]()
        if visibility.showsMembers && !attendance.upcoming {
            c["attendees"] = attendance.attended.map(sharedMemberLink)
            c["absences"] = a.absent.map { absence -> View in
                var row = memberLink(absence.member.id)
                row["reason"] = absence.reason
                return row
            }
        }
        return c
    }

    func progressPage() -> View {
        var c = common(current: Routes.progress)
        c["plans"] = programme.plans.indices.map { i -> View in
            var view = planSummary(i)
            let groups = visibility.groups(of: figures.plans[i])
            view["chart"] = statusChart(figures.plans[i])
            view["groups"] = groups.map(groupRow)
            view["withheld"] = groups.count < figures.plans[i].groups.count ? t("withheld", String(visibility.minGroupSize)) : ""
            return view
        }
        let year = programme.asOf.year
        var months = Array(repeating: 0.0, count: 12)
        // Summed in member order, not the dictionary's (which changes per run): the same bytes every build.
        for member in figures.index.events.keys.sorted() {
            for e in figures.index.events[member] ?? [] where e.date.year == year && e.date <= programme.asOf { months[e.date.month - 1] += e.hours }
        }
        let labels = language == .zhCN ? (1...12).map { "\($0)月" } : ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let title = t("hours_per_month", String(year))
        c["months_title"] = title
        c["months_chart"] = figures.index.events.isEmpty ? "" : Charts.monthBars(Array(zip(labels, months)).map { ($0.0, $0.1) }, title: title)
        c["groups"] = programme.groups.map { groupLink($0.id) }
        c["exports"] = programme.plans.map { plan -> View in
            view(["title": plan.title, "groups": routes.link(Routes.planExport(plan.slug, "groups")),
                  "members": visibility.showsMembers ? routes.link(Routes.planExport(plan.slug, "members")) : nil])
        }
        return c
    }

    /// 督促检查: overdue items and missing reflections, by group. Names only in the internal profile.
    func overduePage() -> View {
        var c = common(current: Routes.overdue)
        var sections: [View] = []
        for group in programme.groups {
            var plans: [View] = []
            for (i, progress) in figures.plans.enumerated() {
                let plan = programme.plans[i]
                guard visibility.groups(of: progress).contains(where: { $0.group == group.id }) else { continue }
                let members = progress.members.filter { $0.group == group.id && ($0.itemsOverdue > 0 || ($0.missingReflections > 0 && programme.asOf >= plan.end)) }
                guard !members.isEmpty else { continue }
                var view: View = ["title": plan.title, "url": routes.link(Routes.plan(plan.slug)), "count": t("overdue_members", String(members.count)),
                                           "members": [View](), "items": [View]()]
                if visibility.showsMembers {
                    view["members"] = members.map { m -> View in
                        var row = memberLink(m.member)
                        row["items"] = m.items.indices.filter { m.items[$0].overdue }.map { j -> View in
                            var link = itemLink(plan: i, item: j)
                            link["due"] = day(m.items[j].due)
                            return link
                        }
                        row["missing"] = m.missingReflections > 0 && programme.asOf >= plan.end ? t("missing_n", String(m.missingReflections)) : ""
                        return row
                    }
                } else {
                    view["items"] = plan.items.enumerated().compactMap { k, item -> View? in
                        let n = members.count { $0.items[k].overdue }
                        guard n > 0 else { return nil }
                        var link = itemLink(item)
                        link["count"] = t("n_people", String(n))
                        return link
                    }
                }
                plans.append(view)
            }
            if !plans.isEmpty { sections.append(["group": groupLink(group.id), "plans": plans]) }
        }
        c["groups"] = sections
        return c
    }

    func groupPage(_ i: Int) -> View {
        let group = programme.groups[i]
        var c = common(current: Routes.group(group.id))
        var view: View = ["name": group.name]
        if visibility.showsMembers, let s = group.secretary { view["secretary"] = memberLink(s.id) }
        c["group"] = view
        // The four states a member's item can be in, shared by every cell of the page's tables
        // (5 plans × 40 members × 40 items: 8,000 cells a group), so each is rendered once.
        let cells = [("done", "done_mark", true), ("overdue", "overdue_mark", false), ("pending", "pending_mark", false), ("not-due", "not_due", false)]
            .map { key, label, done in SharedView(["key": key, "label": t(label), "done": done]) }
        c["plans"] = figures.plans.enumerated().compactMap { k, progress -> View? in
            guard let g = visibility.groups(of: progress).first(where: { $0.group == group.id }) else { return nil }
            let plan = programme.plans[k]
            var out: View = ["title": plan.title, "url": routes.link(Routes.plan(plan.slug)), "period": period(plan.start, plan.end),
                                      "figures": groupRow(g), "rows": [View]()]
            if visibility.showsMembers && !plan.items.isEmpty {
                out["columns"] = plan.items.map { item -> View in
                    var link = itemLink(item)
                    link["due"] = day(item.due ?? plan.end)
                    return link
                }
                out["rows"] = progress.members.filter { $0.group == group.id }.map { m -> View in
                    var row = memberLink(m.member)
                    row["cells"] = m.items.map { s in cells[s.done ? 0 : s.overdue ? 1 : s.isDue ? 2 : 3] }
                    row["hours"] = Strings.hours(m.hours)
                    row["status"] = statusView(m.status)
                    return row
                }
            }
            return out
        }
        c["ledgers"] = figures.ledgerYears.map { y -> View in ["year": y, "url": routes.link(Routes.groupLedger(y, group.id))] }
        c["members"] = [View]()
        if visibility.showsMembers {
            c["members"] = programme.members.filter { $0.group.id == group.id }.map { m -> View in
                var row = memberLink(m.id)
                row["role"] = t("role_" + m.role.rawValue)
                return row
            }
        }
        return c
    }

    func memberPage(_ i: Int) -> View {
        let m = programme.members[i]
        var c = common(current: Routes.member(m.id))
        let year = Progress.year(programme.asOf.year, of: m, index: figures.index, targets: programme.config.yearlyTargetHours)
        let itemStates = (done: Pill(key: "done", label: t("done_mark")), overdue: Pill(key: "overdue", label: t("overdue_mark")),
                          pending: Pill(key: "pending", label: t("pending_mark")), notDue: Pill(key: "pending", label: t("not_due")))
        c["member"] = ["name": m.name, "id": m.id, "group": groupLink(m.group.id), "role": t("role_" + m.role.rawValue)] as View
        c["year"] = view([
            "title": t("year_hours", String(year.year)), "hours": Strings.hours(year.hours),
            "target": year.target.map(Strings.hours),
            "meter": Charts.meter(value: year.hours, target: year.target, label: t("year_hours", String(year.year))),
        ])
        c["plans"] = figures.plans.enumerated().compactMap { k, progress -> View? in
            guard let mine = progress.member(m.id) else { return nil }
            let plan = programme.plans[k]
            return view([
                "title": plan.title, "url": routes.link(Routes.plan(plan.slug)), "period": period(plan.start, plan.end),
                "hours": Strings.hours(mine.hours), "target": plan.targetHours.map(Strings.hours),
                "meter": Charts.meter(value: mine.hours, target: plan.targetHours, label: plan.title),
                "status": statusView(mine.status), "reflections": mine.reflections, "required": plan.reflections,
                "items": zip(plan.items.indices, mine.items).map { j, state in
                    let (which, pill): (UInt64, Pill) = state.done ? (0, itemStates.done) : state.overdue ? (1, itemStates.overdue)
                        : state.isDue ? (2, itemStates.pending) : (3, itemStates.notDue)
                    return MemberItemView(link: sharedItemLink(plan: k, item: j), due: day(state.due), state: pill, stateIndex: which)
                },
            ])
        }
        let events = Progress.events(of: m.id, in: programme.asOf.year, index: figures.index)
        c["events_title"] = t("study_events", String(programme.asOf.year))
        let rows = EventRows(events: events.reversed(), subjects: eventSubjects)
        c["events"] = rows
        c["event_table"] = EventTable(rows: rows, header: ["date", "form", "content_col", "hours_label"].map { strings[$0] ?? "" })
        c["activities"] = events.compactMap { e -> View? in
            if case .activity(let k) = e.source { return activitySummary(k) } else { return nil }
        }.reversed() as [View]
        c["reflections"] = (lookup.reflectionsByAuthor[m.id] ?? []).map(reflectionSummary)
        c["ledgers"] = (figures.memberLedgerYears[m.id] ?? []).map { y -> View in ["year": y, "url": routes.link(Routes.memberLedger(y, m.id))] }
        return c
    }

    func makeEventSubjects() -> EventSubjects {
        EventSubjects(language: language, recordWord: t("record"), records: programme.site.records, recordMaterial: lookup.recordMaterial, facts: lookup.recordFacts,
                      materials: programme.materials.indices.map { (programme.materials[$0].title, lookup.materialURL[$0]) },
                      activities: programme.activities.indices.map { (programme.activities[$0].title, lookup.activityURL[$0], lookup.activityForm[$0]) },
                      activityDays: programme.activities.map(\.date))
    }

    /// Reflection `i`'s summary: the one made once (`reflectionSummaries`) when there is one.
    func reflectionSummary(_ i: Int) -> View {
        if reflectionSummaries.indices.contains(i), let made = reflectionSummaries[i] { return made }
        let r = programme.reflections[i]
        var out = view(["title": r.title, "url": routes.link(Routes.reflection(r.folder, r.slug)), "date": day(r.date),
                        "author": lookup.memberName(r.author.id)])
        if let about = r.about { out["about"] = aboutLink(about.id) }
        return out
    }

    func aboutLink(_ slug: String) -> View {
        if lookup.materials[slug] != nil { return itemLink(PlanItem(kind: .material, ref: Ref(slug, path: "", line: 0), due: nil)) }
        return itemLink(PlanItem(kind: .activity, ref: Ref(slug, path: "", line: 0), due: nil))
    }

    func reflectionsIndex() -> View {
        var c = common(current: Routes.reflections)
        c["reflections"] = programme.reflections.indices.filter { visibility.shows(programme.reflections[$0]) }.map(reflectionSummary)
        return c
    }

    func reflectionPage(_ i: Int) -> View {
        let r = programme.reflections[i]
        var c = common(current: Routes.reflection(r.folder, r.slug))
        var view = reflectionSummary(i)
        view["author"] = memberLink(r.author.id)
        view["author_id"] = r.author.id
        view["public"] = r.isPublic && !visibility.showsMembers
        c["reflection"] = view
        c["content"] = bodies["reflection:\(r.folder)/\(r.slug)"]?.html ?? HTMLFragment()
        return c
    }

    /// The home page's programme panels: current plans, upcoming and recent activities, groups.
    func homeProgramme(_ c: inout View) {
        let asOf = programme.asOf
        var current = programme.plans.indices.filter { programme.plans[$0].start <= asOf && asOf <= programme.plans[$0].end }
        if current.isEmpty, let latest = programme.plans.indices.first { current = [latest] }
        c["current_plans"] = current.map(planSummary)
        let summaries = programme.activities.indices.map(activitySummary)
        c["upcoming"] = Array(summaries.filter { $0["upcoming"] as? Bool == true }.reversed().prefix(4))
        c["recent"] = Array(summaries.filter { $0["upcoming"] as? Bool != true }.prefix(4))
        c["group_summary"] = [View]()
        // The group summary follows the current plan with the widest audience (the annual plan, usually).
        if let first = current.max(by: { (figures.plans[$0].members.count, $1) < (figures.plans[$1].members.count, $0) }) {
            c["group_summary_plan"] = programme.plans[first].title
            c["group_summary"] = visibility.groups(of: figures.plans[first]).map(groupRow)
        }
    }
}
