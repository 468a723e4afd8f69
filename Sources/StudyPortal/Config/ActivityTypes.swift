/// Built-in activity types (SPEC §3): id, Chinese and English name, default hours. An entry in
/// site.yml's `activity_types` replaces the built-in entry of the same id whole.
public enum ActivityTypes {
    static let builtIn: [(id: String, zh: String, en: String, hours: Double)] = [
        ("central-group", "中心组学习", "Central group study", 3),
        ("study-day", "学习日", "Study day", 2),
        ("party-day", "主题党日", "Party day", 2),
        ("party-lecture", "党课", "Party lecture", 2),
        ("lecture", "专题讲座", "Lecture", 2),
        ("tutoring", "辅导报告", "Tutoring report", 2),
        ("reading-club", "读书会", "Reading club", 2),
        ("seminar", "研讨会", "Seminar", 2),
        ("online", "网上学习", "Online study", 1),
        ("field-visit", "实地考察", "Field visit", 4),
        ("research", "课题调研", "Research", 4),
        ("training", "集中培训", "Training", 8),
    ]

    /// Every known type for a site: the built-in ones in the site's language, then site.yml's entries.
    public static func table(_ config: SiteConfig) -> [String: SiteConfig.ActivityType] {
        var table: [String: SiteConfig.ActivityType] = [:]
        for t in builtIn { table[t.id] = .init(name: config.language == .en ? t.en : t.zh, hours: t.hours) }
        for (id, t) in config.activityTypes { table[id] = t }
        return table
    }

    /// The known id closest to `id` by edit distance, for "did you mean" messages.
    public static func nearest(_ id: String, among ids: some Sequence<String>) -> String? {
        ids.map { ($0, editDistance(id, $0)) }.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = a[i - 1] == b[j - 1] ? previous : 1 + min(previous, row[j], row[j - 1])
                previous = current
            }
        }
        return row[b.count]
    }
}
