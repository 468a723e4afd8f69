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
    ]

    /// Fills `%d` and `%@` placeholders in order.
    public static func format(_ pattern: String, _ args: [String]) -> String {
        var out = ""
        var rest = args[...]
        var i = pattern.startIndex
        while i < pattern.endIndex {
            let c = pattern[i]
            let next = pattern.index(after: i)
            if c == "%", next < pattern.endIndex, pattern[next] == "d" || pattern[next] == "@" {
                out += rest.popFirst() ?? ""
                i = pattern.index(after: next)
            } else {
                out.append(c)
                i = next
            }
        }
        return out
    }

    /// A date as a reader of the language writes it: `2026年3月1日`, `1 March 2026`.
    public static func date(_ d: Day, _ language: SiteConfig.Language) -> String {
        switch language {
        case .zhCN: return "\(d.year)年\(d.month)月\(d.day)日"
        case .en:
            let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                          "September", "October", "November", "December"]
            return "\(d.day) \(months[d.month - 1]) \(d.year)"
        }
    }

    /// Hours without a needless `.0`: 2, 1.5, 0.25.
    public static func hours(_ h: Double) -> String {
        let rounded = (h * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var s = String(format: "%.2f", rounded)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}
