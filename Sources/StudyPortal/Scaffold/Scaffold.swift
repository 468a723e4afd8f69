import Foundation

/// `studyportal init` and `studyportal new`: writing a new site, and a new content file with the
/// front matter its kind needs (SPEC §2). The starter site and the theme are embedded in the binary.
public enum Scaffold {
    public struct Failure: Error, Sendable {
        public var message: String
    }

    /// Writes the starter site, the built-in templates, the workflows and a .gitignore into `dir`.
    /// Refuses a folder that holds anything unless `force`. Returns the paths written, relative to `dir`.
    public static func initSite(at dir: String, force: Bool) throws(Failure) -> [String] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else { throw Failure(message: "\(dir) exists and is not a folder") }
            let names = (try? fm.contentsOfDirectory(atPath: dir)) ?? []
            if !names.isEmpty && !force { throw Failure(message: "\(dir) is not empty; use --force to write the new site into it anyway") }
        }
        var files: [(String, Data)] = []
        for entry in EmbeddedFiles.starter {
            guard let data = Data(base64Encoded: entry.data) else { continue }
            // Hidden files are stored as `dot-NAME` (the embedder skips dot files): .gitignore, .github/.
            let path = entry.path.split(separator: "/").map { $0.hasPrefix("dot-") ? "." + $0.dropFirst(4) : String($0) }.joined(separator: "/")
            files.append((path, data))
        }
        for entry in EmbeddedFiles.theme {
            if let data = Data(base64Encoded: entry.data) { files.append(("templates/" + entry.path, data)) }
        }
        files.append(("output/.gitkeep", Data()))
        for (path, data) in files {
            let target = dir + "/" + path
            do {
                try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try data.write(to: URL(fileURLWithPath: target))
            } catch {
                throw Failure(message: "cannot write \(target): \(error.localizedDescription)")
            }
        }
        return files.map(\.0)
    }

    public enum Kind: String, Sendable, CaseIterable {
        case material, plan, activity, reflection
    }

    /// A slug from a title: letters of every script kept (GitHub's heading rule), spaces as `-`,
    /// everything unsafe in a path dropped.
    public static func slug(for title: String) -> String {
        let slug = HeadingID.slug(title)
        return Slug.problem(slug) == nil ? slug : "untitled"
    }

    /// Creates `content/<kind>s/<slug>.md` (reflections: `content/reflections/<author>/<slug>.md`).
    /// Returns its path relative to the site; never overwrites.
    public static func newFile(_ kind: Kind, title: String, site: String, date: Day, author: String?) throws(Failure) -> String {
        let slug = slug(for: title)
        let folder: String
        switch kind {
        case .material: folder = "content/materials"
        case .plan: folder = "content/plans"
        case .activity: folder = "content/activities"
        case .reflection:
            guard let author, Slug.problem(author) == nil else { throw Failure(message: "a reflection needs its author's member id: --author ID") }
            folder = "content/reflections/\(author)"
        }
        let relative = "\(folder)/\(slug).md"
        let target = site + "/" + relative
        guard !FileManager.default.fileExists(atPath: target) else { throw Failure(message: "\(relative) already exists; choose another title") }
        let text = frontMatter(kind, title: title, date: date, author: author) 
        do {
            try FileManager.default.createDirectory(atPath: site + "/" + folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: target), options: .withoutOverwriting)
        } catch {
            throw Failure(message: "cannot write \(relative): \(error.localizedDescription)")
        }
        return relative
    }

    static func frontMatter(_ kind: Kind, title: String, date: Day, author: String?) -> String {
        let quoted = "\"" + title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        switch kind {
        case .material:
            return "---\ntitle: \(quoted)\ndate: \(date)\ncategory: \ntags: []\nhours: 1\n# summary: 一两句话的摘要（不写则取正文第一段）\n---\n## 一、\n\n正文……\n"
        case .plan:
            let end = Day(year: date.year, month: 12, day: 31).map(\.description) ?? date.description
            return "---\ntitle: \(quoted)\nstart: \(date)\nend: \(end)\naudience: all\ntarget_hours: 32\nreflections: 1\n# 学习任务：{material: 资料的文件名（不含 .md）, due: 截止日期} 或 {activity: 活动的文件名}\nitems: []\n---\n计划说明……\n"
        case .activity:
            return "---\ntitle: \(quoted)\ntype: lecture\ndate: \(date)\n# group: g1\n# host: 主持人的成员编号\nspeaker: \nlocation: \nattendees: all\n# absent: {成员编号: 缺席原因}\nmaterials: []\n---\n## 会议议程\n\n## 主要内容\n\n## 讨论发言要点\n"
        case .reflection:
            return "---\ntitle: \(quoted)\nauthor: \(author ?? "")\ndate: \(date)\n# about: 所学资料或活动的文件名\npublic: false\n---\n正文……\n"
        }
    }
}
