import Foundation
@testable import StudyPortal

/// Checks every internal `href`/`src` in a built site: the file exists, and a `#fragment` names an
/// `id` on that page. Returns the broken ones as "page: link".
func brokenLinks(in output: String, basePath: String) -> [String] {
    let files = snapshot(output)
    var idsByFile: [String: Set<String>] = [:]
    let idPattern = /\sid="([^"]*)"/
    let linkPattern = /\s(?:href|src)="([^"]*)"/
    func ids(_ file: String) -> Set<String> {
        if let cached = idsByFile[file] { return cached }
        let html = String(decoding: files[file] ?? Data(), as: UTF8.self)
        let found = Set(html.matches(of: idPattern).map { unescape(String($0.1)) })
        idsByFile[file] = found
        return found
    }
    var broken: [String] = []
    for (file, data) in files.sorted(by: { $0.key < $1.key }) where file.hasSuffix(".html") {
        let html = String(decoding: data, as: UTF8.self)
        for match in html.matches(of: linkPattern) {
            let link = unescape(String(match.1))
            if link.hasPrefix("http:") || link.hasPrefix("https:") || link.hasPrefix("mailto:") { continue }
            var target: String
            var fragment: String?
            let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let path = String(parts[0]).split(separator: "?").first.map(String.init) ?? ""
            if parts.count > 1 { fragment = String(parts[1]).removingPercentEncoding }
            if path.isEmpty {
                target = file
            } else {
                guard path.hasPrefix(basePath) else { broken.append("\(file): \(link) (outside \(basePath))"); continue }
                target = String(path.dropFirst(basePath.count)).removingPercentEncoding ?? ""
                if target.isEmpty || target.hasSuffix("/") { target += "index.html" }
            }
            guard files[target] != nil else { broken.append("\(file): \(link)"); continue }
            if let fragment, !fragment.isEmpty, !ids(target).contains(fragment) { broken.append("\(file): \(link) (no id)") }
        }
    }
    return broken
}

private func unescape(_ s: String) -> String {
    s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
        .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
}
