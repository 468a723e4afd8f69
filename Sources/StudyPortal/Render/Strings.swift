/// The interface's words in each language (`language:` in site.yml). Templates see them as `t.KEY`.
public enum Strings {
    public static func table(_ language: SiteConfig.Language) -> [String: String] {
        switch language {
        case .zhCN: return zh
        case .en: return en
        }
    }

    static let zh: [String: String] = [
        "home": "首页", "materials": "学习资料", "categories": "分类", "tags": "标签", "pages": "页面",
        "newest_materials": "最新学习资料", "all_materials": "全部学习资料", "toc": "目录",
        "reading_time": "阅读约 %d 分钟", "characters": "约 %d 字", "hours": "%@ 学时", "published": "发布于",
        "updated": "更新于", "category": "分类", "author": "作者", "source": "来源", "skip": "跳到正文",
        "previous": "上一页", "next": "下一页", "page_n_of": "第 %d 页，共 %d 页", "not_found": "页面不存在",
        "not_found_text": "您要找的页面不存在，可能已经移动或删除。", "back_home": "返回首页",
        "materials_in": "「%@」下的学习资料", "count_materials": "%d 篇", "feed": "订阅", "draft": "草稿",
        "site_nav": "网站导航", "footer_note": "本站由 studyportal 生成", "no_materials": "还没有学习资料。",
        "breadcrumb": "位置", "pagination": "分页", "read_more": "阅读全文",
        "plans": "学习计划", "activities": "学习活动", "progress": "学习进度", "overdue": "督促检查", "groups": "支部",
        "member": "成员", "members": "成员", "reflections": "心得体会", "status_complete": "已完成", "status_on-track": "正常推进",
        "status_behind": "滞后", "period": "时间", "audience": "学习对象", "all_members": "全体成员", "role_leader": "领导班子成员",
        "role_member": "党员", "target_hours": "目标学时", "required_reflections": "心得体会要求", "n_pieces": "%d 篇",
        "items": "学习任务", "item": "任务", "due": "截止日期", "done_by": "已完成", "member_count": "人数", "hours_total": "总学时",
        "hours_mean": "人均学时", "completion_mean": "平均完成率", "type": "形式", "date": "日期", "host": "主持人", "speaker": "主讲人",
        "location": "地点", "expected": "应到", "attended": "实到", "absent": "缺席", "reason": "原因", "minutes": "会议纪要",
        "upcoming": "即将开展", "recent": "近期活动", "materials_studied": "学习材料", "plan": "所属计划", "attendees": "参加人员",
        "studied_by": "已有 %d 人学习", "current_plans": "当前学习计划", "group_summary": "各支部学习进度", "hours_per_month": "%d 年各月学时",
        "status_by_group": "各支部完成情况", "withheld": "人数少于 %d 人的支部不公布数字。", "overdue_items": "逾期未完成的学习任务",
        "missing_reflections": "心得体会未达要求", "year_hours": "%d 年度学时", "target": "目标", "no_overdue": "没有逾期事项。",
        "about_item": "关于", "role": "身份", "group": "支部", "secretary": "支部书记", "hours_label": "学时", "status": "状态",
        "completion": "完成率", "attended_activities": "参加的学习活动", "study_events": "%d 年学习记录", "form": "形式",
        "content_col": "学习内容", "overdue_mark": "逾期", "done_mark": "已完成", "pending_mark": "未完成", "not_due": "未到期",
        "as_of": "数据截至 %@", "no_plans": "还没有学习计划。", "no_activities": "还没有学习活动。", "matrix": "完成情况一览",
        "overdue_members": "%d 人逾期", "missing_n": "缺 %d 篇", "record": "自学", "n_people": "%d 人", "hours_of": "%@ / %@ 学时",
        "ledger": "学习台账", "ledger_title": "%@ 年度学习台账", "col_no": "序号", "col_speaker_org": "主讲/组织者",
        "col_cumulative": "累计学时", "col_reflection": "心得", "col_note": "备注", "yes": "有", "no": "无", "total": "合计",
        "col_title": "学习内容", "col_absences": "缺席", "col_id": "编号", "col_name": "姓名", "year_total": "年度学时",
        "sign_member": "本人签字", "sign_secretary": "支部书记签字", "sign_date": "日期", "download_csv": "下载 CSV",
        "member_ledgers": "个人学习台账", "group_ledgers": "支部学习台账", "print": "打印", "members_hours": "成员学时汇总",
        "export_groups": "各支部数据（CSV）", "export_members": "成员数据（CSV）", "id": "编号",
        "search": "搜索", "search_label": "搜索全站", "search_placeholder": "输入关键词，如 终身学习", "search_button": "搜索",
        "search_count": "找到 %d 条结果", "search_none": "没有找到与“%@”相关的内容。换个词试试，或者减少关键词。",
        "search_noscript": "搜索需要浏览器启用 JavaScript。", "search_loading": "正在搜索……", "search_error": "搜索索引加载失败，请稍后再试。",
        "kind_material": "学习资料", "kind_plan": "学习计划", "kind_activity": "学习活动", "kind_page": "页面", "kind_reflection": "心得体会",
        "as_of_label": "截至", "export_note": "", "ledgers": "学习台账", "no_reflections": "还没有心得体会。", "by": "作者", "public_reflection": "作者同意公开",
    ]

    static let en: [String: String] = [
        "home": "Home", "materials": "Materials", "categories": "Categories", "tags": "Tags", "pages": "Pages",
        "newest_materials": "Newest materials", "all_materials": "All materials", "toc": "Contents",
        "reading_time": "%d min read", "characters": "about %d characters", "hours": "%@ study hours", "published": "Published",
        "updated": "Updated", "category": "Category", "author": "Author", "source": "Source", "skip": "Skip to content",
        "previous": "Previous", "next": "Next", "page_n_of": "Page %d of %d", "not_found": "Page not found",
        "not_found_text": "The page you are looking for does not exist. It may have been moved or removed.", "back_home": "Back to the home page",
        "materials_in": "Materials in “%@”", "count_materials": "%d", "feed": "Feed", "draft": "Draft",
        "site_nav": "Site navigation", "footer_note": "Built with studyportal", "no_materials": "No materials yet.",
        "breadcrumb": "Breadcrumb", "pagination": "Pagination", "read_more": "Read more",
        "plans": "Study plans", "activities": "Activities", "progress": "Progress", "overdue": "Supervision", "groups": "Groups",
        "member": "Member", "members": "Members", "reflections": "Reflections", "status_complete": "Complete", "status_on-track": "On track",
        "status_behind": "Behind", "period": "Period", "audience": "Audience", "all_members": "All members", "role_leader": "Leadership",
        "role_member": "Member", "target_hours": "Target hours", "required_reflections": "Reflections required", "n_pieces": "%d",
        "items": "Items", "item": "Item", "due": "Due", "done_by": "Done", "member_count": "Members", "hours_total": "Total hours",
        "hours_mean": "Mean hours", "completion_mean": "Mean completion", "type": "Type", "date": "Date", "host": "Host", "speaker": "Speaker",
        "location": "Location", "expected": "Expected", "attended": "Attended", "absent": "Absent", "reason": "Reason", "minutes": "Minutes",
        "upcoming": "Upcoming", "recent": "Recent activities", "materials_studied": "Materials", "plan": "Plan", "attendees": "Attendees",
        "studied_by": "Studied by %d", "current_plans": "Current plans", "group_summary": "Progress by group", "hours_per_month": "Study hours per month, %d",
        "status_by_group": "Status by group", "withheld": "Figures of groups with fewer than %d members are withheld.", "overdue_items": "Overdue items",
        "missing_reflections": "Reflections missing", "year_hours": "Study hours in %d", "target": "Target", "no_overdue": "Nothing is overdue.",
        "about_item": "About", "role": "Role", "group": "Group", "secretary": "Secretary", "hours_label": "Hours", "status": "Status",
        "completion": "Completion", "attended_activities": "Activities attended", "study_events": "Study record %d", "form": "Form",
        "content_col": "Content", "overdue_mark": "Overdue", "done_mark": "Done", "pending_mark": "Not done", "not_due": "Not due",
        "as_of": "Figures as of %@", "no_plans": "No study plans yet.", "no_activities": "No activities yet.", "matrix": "Completion matrix",
        "overdue_members": "%d overdue", "missing_n": "%d missing", "record": "Self-study", "n_people": "%d", "hours_of": "%@ / %@ h",
        "ledger": "Study ledger", "ledger_title": "Study ledger %@", "col_no": "No.", "col_speaker_org": "Speaker / organiser",
        "col_cumulative": "Cumulative", "col_reflection": "Reflection", "col_note": "Note", "yes": "Yes", "no": "No", "total": "Total",
        "col_title": "Content", "col_absences": "Absent", "col_id": "ID", "col_name": "Name", "year_total": "Hours this year",
        "sign_member": "Member's signature", "sign_secretary": "Secretary's signature", "sign_date": "Date", "download_csv": "Download CSV",
        "member_ledgers": "Member ledgers", "group_ledgers": "Group ledgers", "print": "Print", "members_hours": "Members' hours",
        "export_groups": "Groups (CSV)", "export_members": "Members (CSV)", "id": "ID",
        "search": "Search", "search_label": "Search the site", "search_placeholder": "Words to find, e.g. reading club", "search_button": "Search",
        "search_count": "%d results", "search_none": "Nothing matches “%@”. Try another word, or fewer words.",
        "search_noscript": "Search needs JavaScript enabled in the browser.", "search_loading": "Searching…", "search_error": "The search index could not be loaded; try again later.",
        "kind_material": "Material", "kind_plan": "Plan", "kind_activity": "Activity", "kind_page": "Page", "kind_reflection": "Reflection",
        "as_of_label": "As of", "export_note": "", "ledgers": "Ledgers", "no_reflections": "No reflections yet.", "by": "By", "public_reflection": "Published with the author's consent",
    ]

    /// Fills `%d` and `%@` placeholders in order.
    public static func format(_ pattern: String, _ args: [String]) -> String {
        // Over UTF-8 bytes: `%` and the letters after it are ASCII, and a pattern without `%` (most
        // words: `t("record")` for every ledger row) comes back as it is.
        guard pattern.containsByte(0x25) else { return pattern }
        let bytes = Array(pattern.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + args.reduce(0) { $0 + $1.utf8.count })
        var rest = args[...]
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25, i + 1 < bytes.count, bytes[i + 1] == 0x64 || bytes[i + 1] == 0x40 {   // %d, %@
                out.append(contentsOf: (rest.popFirst() ?? "").utf8)
                i += 2
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A date as a reader of the language writes it: `2026年3月1日`, `1 March 2026`.
    public static func date(_ d: Day, _ language: SiteConfig.Language) -> String {
        var out: [UInt8] = []
        appendDate(d, language, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `date` appended to a page being written: member pages and ledgers show thousands of dates.
    static func appendDate<Out: ByteAppending & ~Copyable>(_ d: Day, _ language: SiteConfig.Language, to out: inout Out) {
        switch language {
        case .zhCN:
            Digits.append(d.year, to: &out)
            out.append("年")
            Digits.append(d.month, to: &out)
            out.append("月")
            Digits.append(d.day, to: &out)
            out.append("日")
        case .en:
            Digits.append(d.day, to: &out)
            out.append(UInt8(ascii: " "))
            var month = monthNames[d.month - 1]
            month.withUTF8 { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: " "))
            Digits.append(d.year, to: &out)
        }
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    /// Hours without a needless `.0`: 2, 1.5, 0.25.
    public static func hours(_ h: Double) -> String {
        var out: [UInt8] = []
        appendHours(h, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `hours` appended to a page being written (member pages list thousands of events). Inputs are
    /// at most `Fields.maximumHours` each, so sums stay far inside an `Int` of hundredths; anything
    /// else (infinity, or a sum of 10¹⁴ maximal rows) is written as Swift prints the number, never trapping.
    static func appendHours<Out: ByteAppending & ~Copyable>(_ h: Double, to out: inout Out) {
        let scaled = (h * 100).rounded()
        guard scaled.magnitude < 0x1p63 else { var text = "\(h)"; text.withUTF8 { out.append(contentsOf: $0) }; return }
        let hundredths = Int(scaled)
        if hundredths < 0 { out.append(UInt8(ascii: "-")) }
        let whole = hundredths.magnitude / 100, fraction = Int(hundredths.magnitude % 100)
        Digits.append(Int(whole), to: &out)
        guard fraction != 0 else { return }
        out.append(UInt8(ascii: "."))
        if fraction % 10 == 0 {
            Digits.append(fraction / 10, to: &out)
        } else {
            Digits.append(fraction, width: 2, to: &out)
        }
    }
}
