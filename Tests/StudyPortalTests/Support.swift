import Foundation
import Testing
@testable import StudyPortal

/// The repository root (the sample site lives there).
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let fixtures = repoRoot + "/Tests/StudyPortalTests/Fixtures"

/// Every file a suite makes lives under one folder that is removed when the suite ends (thousands of
/// sites, outputs and CLI logs per run would otherwise pile up in /tmp). Suites opt in with
/// `@Suite(.temporaryFiles)`; `temporaryPath` falls back to the system folder outside one.
struct TemporaryFiles: SuiteTrait, TestScoping {
    @TaskLocal static var folder: String?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let folder = NSTemporaryDirectory() + "studyportal-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await Self.$folder.withValue(folder) { try await function() }
    }
}

extension Trait where Self == TemporaryFiles {
    static var temporaryFiles: Self { TemporaryFiles() }
}

/// A fresh path (nothing there yet) in the current suite's temporary folder.
func temporaryPath(_ prefix: String) -> String {
    ((TemporaryFiles.folder ?? NSTemporaryDirectory()) as NSString).appendingPathComponent("\(prefix)-\(UUID().uuidString)")
}

/// A throwaway site: writes `files` (path → text) under a new temporary folder.
func makeSite(_ files: [String: String], config: String = "title: 测试站点\n") throws -> String {
    let root = temporaryPath("site")
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    try write(config, to: root + "/site.yml")
    for (path, text) in files { try write(text, to: root + "/" + path) }
    return root
}

func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

func read(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

func material(_ title: String, _ body: String = "正文。", extra: String = "") -> String {
    "---\ntitle: \(title)\n\(extra)---\n\(body)\n"
}

/// Builds `root` into a temporary output (or `output`) with the given tweaks.
func runBuild(_ root: String, output: String? = nil, write: Bool = true, _ tweak: (inout BuildOptions) -> Void = { _ in }) async -> (BuildReport, String) {
    var options = BuildOptions(siteRoot: root)
    options.output = output ?? temporaryPath("output")
    options.writeOutput = write
    options.environment = [:]
    tweak(&options)
    return (await build(options), options.outputPath)
}

/// Every file under a folder with its bytes, for before/after comparisons.
func snapshot(_ dir: String) -> [String: Data] {
    var out: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: dir) else { return out }
    for case let path as String in walker {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir + "/" + path, isDirectory: &isDir), !isDir.boolValue {
            out[path] = FileManager.default.contents(atPath: dir + "/" + path)
        }
    }
    return out
}

/// The studyportal executable SwiftPM built beside the test bundle.
var studyportalBinary: String {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.path != "/" {
        url.deleteLastPathComponent()
        let candidate = url.appendingPathComponent("studyportal").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return repoRoot + "/.build/debug/studyportal"
}

/// Runs the CLI; returns exit status, stdout and stderr.
func runCLI(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: studyportalBinary)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["GITHUB_ACTIONS"] = nil
    for (k, v) in environment { env[k] = v }
    process.environment = env
    // Files, not pipes: reading one pipe to its end while the process fills the other would deadlock.
    let base = temporaryPath("cli")
    defer { for suffix in [".out", ".err"] { try? FileManager.default.removeItem(atPath: base + suffix) } }
    FileManager.default.createFile(atPath: base + ".out", contents: nil)
    FileManager.default.createFile(atPath: base + ".err", contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, read(base + ".out"), read(base + ".err"))
}

/// How many entries a folder holds, "." and ".." aside, as the file system lists them (names that
/// are not UTF-8 included).
func rawEntryCount(_ dir: String) -> Int {
    guard let handle = opendir(dir) else { return -1 }
    defer { closedir(handle) }
    var count = 0
    while let entry = readdir(handle) {
        let isDot = withUnsafeBytes(of: entry.pointee.d_name) { $0[0] == 0x2E && ($0[1] == 0 || ($0[1] == 0x2E && $0[2] == 0)) }
        if !isDot { count += 1 }
    }
    return count
}
