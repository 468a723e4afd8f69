#!/usr/bin/env python3
"""Independent reference implementation of SPEC §4 (progress semantics) and the
/data/progress.json shape of §5, used as a test oracle for the Swift build.

    python3 Tests/oracle/progress_oracle.py SITE_DIR [--as-of YYYY-MM-DD] [--profile public|internal]

Written from SPEC.md's words, in the plainest code, with no optimisation. It does
only the validation it needs to compute figures; it is not a checker.
Readings taken where the SPEC is open are marked "READING:".
"""
import argparse, csv, datetime, glob, io, json, os, re, sys
from fractions import Fraction
import yaml

BUILTIN_TYPE_HOURS = {  # SPEC §3: built-in activity types and their hours
    "central-group": 3, "study-day": 2, "party-day": 2, "party-lecture": 2, "lecture": 2,
    "tutoring": 2, "reading-club": 2, "seminar": 2, "online": 1, "field-visit": 4,
    "research": 4, "training": 8,
}


def fail(msg):
    sys.exit("progress_oracle: error: " + msg)


def parse_date(text):
    """YYYY-MM-DD, and (SPEC §3, CSV) YYYY/M/D, YYYY.M.D, YYYY年M月D日."""
    text = (text or "").strip()
    for pattern in (r"(\d{4})-(\d{2})-(\d{2})", r"(\d{4})/(\d{1,2})/(\d{1,2})",
                    r"(\d{4})\.(\d{1,2})\.(\d{1,2})", r"(\d{4})年(\d{1,2})月(\d{1,2})日"):
        m = re.fullmatch(pattern, text)
        if m:
            return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    fail("not a date: %r" % text)


def number(text):
    # READING: hours are decimal numbers; kept as exact Fractions so sums and means are exact
    # (no binary floating-point drift), and only the final figure is rounded.
    return Fraction(text.strip())


def rounded(x, places):
    # READING: "rounded to N decimals" = round half away from zero (half up; all values are >= 0)
    # applied to the exact value.
    scale = 10 ** places
    return float(Fraction(int(x * scale + Fraction(1, 2)), scale))


def read_text(path):
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # SPEC §3: not-UTF-8 CSV is read as GB18030
    return text.lstrip("\ufeff").replace("\r\n", "\n")


def front_matter(path):
    """YAML between a first line '---' and the next line '---'. BaseLoader keeps every scalar
    a string, so ids like 001234 and dates stay text exactly as written."""
    lines = read_text(path).split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if lines[0].strip() != "---" or end is None:
        fail("%s: no front matter" % path)
    return yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader) or {}


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def load_site(site, as_of_flag, profile_flag):
    config_path = os.path.join(site, "site.yml")
    config = yaml.load(read_text(config_path), Loader=yaml.BaseLoader) or {} if os.path.exists(config_path) else {}
    # as-of: flag, else site.yml as_of, else SOURCE_DATE_EPOCH's date, else today (site timezone)
    if as_of_flag:
        as_of = parse_date(as_of_flag)
    elif config.get("as_of"):
        as_of = parse_date(config["as_of"])
    else:
        from zoneinfo import ZoneInfo
        tz = ZoneInfo(config.get("timezone") or "Asia/Shanghai")
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        now = datetime.datetime.fromtimestamp(int(epoch), tz) if epoch else datetime.datetime.now(tz)
        as_of = now.date()
    profile = profile_flag or config.get("profile") or "public"
    # READING: site.yml without default_hours credits 1 hour (the value the SPEC's example shows).
    default_hours = number(config.get("default_hours") or "1")
    min_group_size = int(config.get("min_group_size") or "3")
    type_hours = {k: Fraction(v) for k, v in BUILTIN_TYPE_HOURS.items()}
    for type_id, entry in (config.get("activity_types") or {}).items():
        # an entry replaces the built-in entry whole: without hours it credits 0
        hours = entry.get("hours") if isinstance(entry, dict) else None
        type_hours[type_id] = number(hours) if hours else Fraction(0)
    return as_of, profile, default_hours, min_group_size, type_hours


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--as-of")
    ap.add_argument("--profile", choices=["public", "internal"])
    args = ap.parse_args()
    content = os.path.join(args.site, "content")
    A, profile, default_hours, min_group_size, type_hours = load_site(args.site, args.as_of, args.profile)

    # --- roster -------------------------------------------------------------
    members = []  # dicts: id, group, role, joined, left
    members_csv = os.path.join(content, "people", "members.csv")
    if os.path.exists(members_csv):
        for row in csv.DictReader(io.StringIO(read_text(members_csv))):
            members.append({  # an empty role means member
                "id": row["id"], "group": row.get("group") or None, "role": row.get("role") or "member",
                "joined": parse_date(row["joined"]) if row.get("joined") else None,
                "left": parse_date(row["left"]) if row.get("left") else None})

    def is_member_on(m, day):
        return (m["joined"] is None or m["joined"] <= day) and (m["left"] is None or m["left"] >= day)

    # --- materials (drafts included: they still exist for figures) ---------
    material_hours = {}  # slug -> Fraction or None
    for path in sorted(glob.glob(os.path.join(content, "materials", "**", "*.md"), recursive=True)):
        fm = front_matter(path)
        slug = fm.get("slug") or stem(path)
        material_hours[slug] = number(fm["hours"]) if fm.get("hours") else None

    # --- records: one study event per row --------------------------------
    records = []  # dicts: date, member, material, hours
    for path in sorted(glob.glob(os.path.join(content, "records", "*.csv"))):
        for row in csv.DictReader(io.StringIO(read_text(path))):
            material = row.get("material") or None
            if row.get("hours"):
                hours = number(row["hours"])
            elif material not in material_hours:
                fail("%s: no hours and no known material in row %r" % (path, row))
            else:  # a record's hours: its hours, else its material's hours, else default_hours
                hours = material_hours[material] if material_hours[material] is not None else default_hours
            records.append({"date": parse_date(row["date"]), "member": row["member"],
                            "material": material, "hours": hours})

    # --- activities --------------------------------------------------------
    activities = []
    for path in sorted(glob.glob(os.path.join(content, "activities", "*.md"))):
        fm = front_matter(path)
        if fm["type"] not in type_hours:
            fail("%s: unknown activity type %r" % (path, fm["type"]))
        # an activity's hours: its hours, else its type's hours (0 for a configured type without hours)
        hours = number(fm["hours"]) if fm.get("hours") else type_hours[fm["type"]]
        absent = fm.get("absent")
        activities.append({
            "id": stem(path), "date": parse_date(fm["date"]), "type": fm["type"],
            "group": fm.get("group") or None, "hours": hours,
            "attendees": fm.get("attendees"),  # "all", a list of ids, or None (nobody)
            "absent": list(absent.keys()) if isinstance(absent, dict) else [],
        })

    def attended(m, x):
        if x["date"] > A:
            return False  # upcoming: nobody has attended it yet
        if isinstance(x["attendees"], list):
            return m["id"] in x["attendees"]  # taken as written: no membership/absent filter
        if x["attendees"] == "all":
            in_group = x["group"] is None or m["group"] == x["group"]
            return in_group and is_member_on(m, x["date"]) and m["id"] not in x["absent"]
        return False  # no attendees: nobody attended

    # --- reflections -------------------------------------------------------
    # READING: a reflection belongs to the member named by its `author` front matter.
    reflections = [{"author": fm["author"], "date": parse_date(fm["date"])} for fm in
                   map(front_matter, sorted(glob.glob(os.path.join(content, "reflections", "*", "*.md"))))]

    # --- plans -------------------------------------------------------------
    plans_out = []
    for path in sorted(glob.glob(os.path.join(content, "plans", "*.md"))):
        fm = front_matter(path)
        start, end = parse_date(fm["start"]), parse_date(fm["end"])
        audience = fm.get("audience") or "all"
        if isinstance(audience, str) and audience != "all":
            audience = [audience]  # READING: a single group id written without brackets
        roles = fm.get("roles") or []
        target = number(fm["target_hours"]) if fm.get("target_hours") else None
        required = int(fm["reflections"]) if fm.get("reflections") else None
        items = []
        for item in fm.get("items") or []:
            kind = "material" if "material" in item else "activity"
            # an item's due date is its due, else P.end
            due = parse_date(item["due"]) if item.get("due") else end
            items.append({"kind": kind, "ref": item[kind], "due": due})
        window_end = min(end, A)

        def counted(day):
            return start <= day <= window_end

        def in_audience(m):
            if audience != "all" and m["group"] not in audience or roles and m["role"] not in roles:
                return False  # and m was a member during the period:
            return (m["joined"] is None or m["joined"] <= end) and (m["left"] is None or m["left"] >= start)

        member_rows = []
        for m in sorted(filter(in_audience, members), key=lambda m: m["id"]):
            my_records = [r for r in records if r["member"] == m["id"] and counted(r["date"])]
            my_activities = [x for x in activities if attended(m, x) and counted(x["date"])]
            hours = sum((r["hours"] for r in my_records), Fraction(0)) + \
                sum((x["hours"] for x in my_activities), Fraction(0))
            done = due = overdue = 0
            for item in items:
                if item["kind"] == "material":
                    is_done = any(r["material"] == item["ref"] for r in my_records)
                else:  # attended and dated in the counted window
                    is_done = any(x["id"] == item["ref"] for x in my_activities)
                is_due = item["due"] <= A
                done += is_done
                due += is_due
                overdue += is_due and not is_done
            n_reflections = len([r for r in reflections if r["author"] == m["id"] and counted(r["date"])])
            completion = Fraction(done, len(items)) if items else Fraction(1)
            if done == len(items) and (target is None or hours >= target) and \
                    (required is None or n_reflections >= required):
                status = "complete"
            elif overdue > 0 or A > end:
                status = "behind"
            else:
                status = "on-track"
            member_rows.append({"m": m, "done": done, "due": due, "overdue": overdue, "hours": hours,
                                "reflections": n_reflections, "completion": completion, "status": status})

        # READING: an audience member with an empty group is in no group's figures.
        groups_out = []
        for gid in sorted({row["m"]["group"] for row in member_rows if row["m"]["group"] is not None}):
            rows = [row for row in member_rows if row["m"]["group"] == gid]
            if profile == "public" and len(rows) < min_group_size:
                continue  # withheld (§7)
            total = sum((row["hours"] for row in rows), Fraction(0))
            # READING: means are total / audience member count of the group, from unrounded figures.
            groups_out.append({
                "id": gid, "members": len(rows),
                "complete": len([r for r in rows if r["status"] == "complete"]),
                "on_track": len([r for r in rows if r["status"] == "on-track"]),
                "behind": len([r for r in rows if r["status"] == "behind"]),
                "hours_total": rounded(total, 2),
                "hours_mean": rounded(total / len(rows), 2),
                "completion_mean": rounded(sum((r["completion"] for r in rows), Fraction(0)) / len(rows), 4),
            })

        plan = {
            "id": stem(path), "title": fm["title"], "start": start.isoformat(), "end": end.isoformat(),
            "target_hours": None if target is None else (int(target) if target.denominator == 1 else float(target)),
            "reflections": required,
            # READING: items keep the plan's order (they have no id to sort by).
            "items": [{"kind": i["kind"], "ref": i["ref"], "due": i["due"].isoformat()} for i in items],
            "groups": groups_out,
        }
        if profile == "internal":
            plan["members"] = [{
                "id": r["m"]["id"], "group": r["m"]["group"], "items_done": r["done"],
                "items_due": r["due"], "items_overdue": r["overdue"], "hours": rounded(r["hours"], 2),
                "reflections": r["reflections"], "completion": rounded(r["completion"], 4),
                "status": r["status"],
            } for r in member_rows]
        plans_out.append(plan)

    activities_out = []
    for x in sorted(activities, key=lambda x: x["id"]):
        expected = [m for m in members if (x["group"] is None or m["group"] == x["group"])
                    and is_member_on(m, x["date"])]
        activities_out.append({
            "id": x["id"], "date": x["date"].isoformat(), "type": x["type"], "group": x["group"],
            "expected": len(expected), "attended": len([m for m in members if attended(m, x)]),
        })

    # READING: "sorted by id" = by Unicode code points (Python's str order); ids here are ASCII.
    plans_out.sort(key=lambda p: p["id"])
    result = {"as_of": A.isoformat(), "profile": profile, "plans": plans_out, "activities": activities_out}
    print(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
