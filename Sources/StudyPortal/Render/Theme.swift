import Foundation
import Mustache

/// The templates and assets a site is rendered with: the built-in theme (compiled into the binary
/// from this repo's `templates/`), with each file the site's own `templates/` holds taking its place.
///
/// A template is a `.html` file outside `assets/`, named by its path without `.html`
/// (`material`, `partials/header`); everything under `assets/` is copied to `/assets/`.
public struct Theme: Sendable {
    public var library: MustacheLibrary
    /// Output path (`assets/style.css`) → bytes.
    public var assets: [(path: String, data: Data)]
    /// Where each template came from, for messages.
    public var origins: [String: String]

    public static let required = ["layout", "home", "list", "terms", "material", "page", "404"]

    public static func load(siteRoot: String) -> (Theme, [Diagnostic]) {
        var files: [String: (data: Data, origin: String)] = [:]
        for entry in EmbeddedFiles.theme {
            if let data = Data(base64Encoded: entry.data) {
                files[entry.path] = (data, "templates/\(entry.path) (built-in)")
            }
        }
        var diagnostics: [Diagnostic] = []
        let siteTemplates = siteRoot + "/templates"
        if FileManager.default.fileExists(atPath: siteTemplates) {
            let walk = Walk.files(under: siteTemplates, label: "templates/")
            diagnostics += walk.diagnostics
            diagnostics += walk.unreadable.map { .error("cannot read this file or folder", path: "templates/" + $0) }
            for entry in walk.entries {
                guard let data = FileManager.default.contents(atPath: entry.absolute) else {
                    diagnostics.append(.error("cannot read this file", path: "templates/" + entry.relative))
                    continue
                }
                files[entry.relative] = (data, "templates/" + entry.relative)
            }
        }

        var library = MustacheLibrary()
        var assets: [(String, Data)] = []
        var origins: [String: String] = [:]
        for path in files.keys.sorted() {
            guard let file = files[path] else { continue }
            if path.hasPrefix("assets/") {
                assets.append((path, file.data))
                continue
            }
            guard path.hasSuffix(".html") else { continue }
            let name = String(path.dropLast(5))
            guard let text = String(validating: file.data, as: UTF8.self) else {
                diagnostics.append(.error("the template is not valid UTF-8", path: file.origin))
                continue
            }
            do {
                library.register(try MustacheTemplate(string: text), named: name)
                origins[name] = file.origin
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(.error("template syntax: \(describe(error.error))", path: file.origin,
                                          line: error.context.lineNumber, column: error.context.columnNumber))
            } catch {
                diagnostics.append(.error("template syntax: \(error)", path: file.origin, line: 1, column: 1))
            }
        }
        for name in required where library.getTemplate(named: name) == nil && !diagnostics.contains(where: { $0.path.hasPrefix("templates/\(name).html") }) {
            diagnostics.append(.error("the theme has no `\(name).html` template", path: "templates/\(name).html"))
        }
        return (Theme(library: library, assets: assets, origins: origins), diagnostics)
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case MustacheTemplate.Error.sectionCloseNameIncorrect: return "the closing {{/…}} tag does not match the open section"
        case MustacheTemplate.Error.unfinishedName: return "a tag is not closed with }}"
        case MustacheTemplate.Error.expectedSectionEnd: return "a section {{#…}} is never closed with {{/…}}"
        case MustacheTemplate.Error.invalidSetDelimiter: return "invalid set-delimiter tag"
        case MustacheTemplate.Error.transformAppliedToInheritanceSection: return "a transform cannot apply to an inheritance section"
        case MustacheTemplate.Error.illegalTokenInsideInheritSection: return "only {{$block}} overrides may stand inside {{<parent}}"
        case MustacheTemplate.Error.textInsideInheritSection: return "text inside {{<parent}} must be in a {{$block}}"
        default: return "\(error)"
        }
    }

    /// Renders `context` with the template `name`.
    public func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}
