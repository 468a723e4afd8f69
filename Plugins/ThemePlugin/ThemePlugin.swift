import Foundation
import PackagePlugin

/// Compiles the default theme (`templates/`) and the starter site (`starter/`) into the StudyPortal
/// module, so the `studyportal` binary needs no files beside it. Every file is a declared input, so
/// editing one re-runs the embedder on the next build.
@main
struct ThemePlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folders = ["theme": "templates", "starter": "starter"]
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        var inputs: [URL] = []
        var arguments = [output.path]
        for (name, folder) in folders.sorted(by: { $0.key < $1.key }) {
            let dir = context.package.directoryURL.appending(path: folder)
            arguments.append("\(name)=\(dir.path)")
            if let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) {
                for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    inputs.append(url)
                }
            }
        }
        inputs.sort { $0.path < $1.path }
        return [
            .buildCommand(
                displayName: "Embedding the default theme and the starter site",
                executable: try context.tool(named: "EmbedTheme").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
