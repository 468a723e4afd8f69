import Foundation

/// The templates and assets a site is rendered with: the built-in theme (compiled into the binary
/// from this repo's `templates/`), with each file the site's own `templates/` holds taking its place.
///
/// A template is a `.html` file outside `assets/`, named by its path without `.html`
/// (`material`, `partials/header`); everything under `assets/` is copied to `/assets/`.
public struct Theme: Sendable {
    public var library: TemplateLibrary
    /// Output path (`assets/style.css`) → bytes.
    public var assets: [(path: String, data: Data)]

    public static let required = ["layout", "home", "list", "terms", "material", "page", "404"]
    /// Built-in partials also written by code, for the contexts the code knows: the tables of
    /// thousands of ledgers and member pages, a hundred rows each.
    static let natives: [(name: String, write: TemplateLibrary.Native)] = [
        ("partials/ledger-table", Views.TableView.writeBuiltInPartial),
        ("partials/event-table", EventTable.writeBuiltInPartial),
    ]

    public static func load(siteRoot: String) -> (Theme, [Diagnostic]) {
        var files: [String: (data: Data, origin: String)] = [:]
        for entry in EmbeddedFiles.theme {
            if let data = Data(base64Encoded: entry.data) {
                files[entry.path] = (data, "templates/\(entry.path) (built-in)")
            }
        }
        let builtIn = Self.natives.map { files[$0.name + ".html"]?.data }
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

        var library = TemplateLibrary()
        var assets: [(String, Data)] = []
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
            do throws(Template.ParseError) {
                library.register(try Template(text), named: name)
            } catch {
                diagnostics.append(.error("template syntax: \(error.message)", path: file.origin, line: error.line, column: error.column))
            }
        }
        // Those partials are written by code also when the site holds an unchanged copy (`init`
        // copies every template); a site's own version is interpreted like any template.
        for (native, original) in zip(Self.natives, builtIn) where original != nil && files[native.name + ".html"]?.data == original {
            library.registerNative(native.write, for: native.name)
        }
        for name in required where !library.has(name) && !diagnostics.contains(where: { $0.path.hasPrefix("templates/\(name).html") }) {
            diagnostics.append(.error("the theme has no `\(name).html` template", path: "templates/\(name).html"))
        }
        return (Theme(library: library, assets: assets), diagnostics)
    }

    /// This theme with the values every page shares written into its templates
    /// (`TemplateLibrary.folding`): the site (`site`), the words (`t`) and the links (`links`), as a
    /// page's root view `context` holds them.
    func foldingShared(over context: View) -> Theme {
        Theme(library: library.folding(Views.sharedRoots, over: context), assets: assets)
    }

    /// Renders `context` with the template `name`.
    public func render(_ name: String, _ context: View) -> [UInt8] {
        library.render(name, context)
    }
}
