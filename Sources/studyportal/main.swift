import ArgumentParser
import CAllocator
import Foundation
import StudyPortal

/// The `studyportal` command: argument parsing only; the library does the work.
struct StudyPortalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studyportal",
        abstract: "Build a study portal (学习园地) from Markdown, CSV and YAML.",
        subcommands: [Build.self, Check.self, Serve.self, Init.self, New.self]
    )
}

struct SiteOptions: ParsableArguments {
    @Argument(help: "The site's folder (holding site.yml).")
    var site: String = "."

    @Option(help: "The date progress is computed for (YYYY-MM-DD).")
    var asOf: String?

    @Option(help: "public or internal (SPEC §7).")
    var profile: String?

    @Option(help: "Overrides base_url in site.yml.")
    var baseURL: String?

    @Flag(help: "Give draft materials and pages their pages.")
    var drafts = false

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Flag(help: "Print only problems.")
    var quiet = false

    @Flag(help: "Print per-stage timings (wall and CPU time).")
    var verbose = false

    @Option(help: "How many threads to use (default: one per core).")
    var jobs: Int?

    func validate() throws {
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("--as-of should be a date YYYY-MM-DD, not \(asOf)") }
        if let profile, SiteConfig.Profile(rawValue: profile) == nil { throw ValidationError("--profile should be public or internal, not \(profile)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs should be at least 1") }
    }

    /// `exitsNext`: the command ends when the build does, so the build's memory is left to the exit —
    /// unless LeakSanitizer is linked in (`make sanitize`), which would report what the exit
    /// reclaims: it cannot follow Swift references kept in enum payloads' spare bits.
    func buildOptions(writeOutput: Bool, output: String?, exitsNext: Bool = false) -> BuildOptions {
        var options = BuildOptions(siteRoot: site)
        options.releasesMemory = !exitsNext || LeakSanitizer.linked
        options.output = output
        options.asOf = asOf.flatMap { Day(iso: $0) }
        options.profile = profile.flatMap { SiteConfig.Profile(rawValue: $0) }
        options.baseURL = baseURL
        options.drafts = drafts
        options.strict = strict
        options.writeOutput = writeOutput
        if let jobs { options.jobs = jobs }
        return options
    }
}

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into SITE/output/ (or --output).")

    @OptionGroup var site: SiteOptions

    @Option(help: "Where to write the site (default: SITE/output).")
    var output: String?

    func run() async throws {
        let report = await StudyPortal.build(site.buildOptions(writeOutput: true, output: output, exitsNext: true))
        throw ExitCode(Console.finish(report, site))
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate everything build validates; write nothing.")

    @OptionGroup var site: SiteOptions

    func run() async throws {
        let report = await StudyPortal.build(site.buildOptions(writeOutput: false, output: nil, exitsNext: true))
        throw ExitCode(Console.finish(report, site))
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build into memory and serve on 127.0.0.1, rebuilding and reloading the browser when a file changes.")

    @OptionGroup var site: SiteOptions

    @Option(help: "The port to listen on (127.0.0.1 only).")
    var port: UInt16 = 8000

    func run() async throws {
        let server = PreviewServer(options: site.buildOptions(writeOutput: false, output: nil), port: port)
        // Ctrl-C and SIGTERM stop the server cleanly.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: .main) }
        for source in sources {
            source.setEventHandler {
                FileHandle.standardError.write(Data("\nstopping\n".utf8))
                Task {
                    await server.stop()
                    Foundation.exit(0)
                }
            }
            source.resume()
        }
        let quiet = site.quiet
        let log: @Sendable (String) -> Void = { line in if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) } }
        let base = site.baseURL.flatMap(BaseURL.parse)?.path ?? SiteConfig.load(root: URL(fileURLWithPath: site.site)).0.baseURL.path
        log("serving \(site.site) at http://127.0.0.1:\(port)\(base) (Ctrl-C stops)")
        do {
            try await server.run(log: log)
            withExtendedLifetime(sources) {}
        } catch where server.isStopping {
            return
        } catch {
            FileHandle.standardError.write(Data("error: cannot listen on 127.0.0.1:\(port) (\(error.localizedDescription)); is the port taken? Try --port \(port &+ 1)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a new, working site into DIR.")

    @Argument(help: "The folder for the new site.")
    var dir: String

    @Flag(help: "Write into a folder that is not empty.")
    var force = false

    func run() throws {
        do {
            let written = try Scaffold.initSite(at: dir, force: force)
            print("wrote a new site in \(dir) (\(written.count) files). Next:\n  cd \(dir)\n  studyportal build\n  python3 -m http.server -d output -b 127.0.0.1 8000    # then open http://127.0.0.1:8000/")
        } catch {
            FileHandle.standardError.write(Data("\(dir): error: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a material, plan, activity or reflection with the right front matter.")

    @Argument(help: "material, plan, activity or reflection.")
    var kind: String

    @Argument(help: "The title; the file name (slug) is made from it.")
    var title: String

    @Option(help: "The site's folder.")
    var site: String = "."

    @Option(help: "The date to write (YYYY-MM-DD; default: today in the site's time zone).")
    var date: String?

    @Option(help: "A reflection's author (member id).")
    var author: String?

    func validate() throws {
        guard Scaffold.Kind(rawValue: kind) != nil else { throw ValidationError("KIND should be material, plan, activity or reflection, not \(kind)") }
        if let date, Day(iso: date) == nil { throw ValidationError("--date should be a date YYYY-MM-DD, not \(date)") }
        if kind == "reflection" && author == nil { throw ValidationError("a reflection needs --author MEMBER-ID") }
    }

    func run() throws {
        guard let kind = Scaffold.Kind(rawValue: kind) else { throw ExitCode(2) }
        let (config, _) = SiteConfig.load(root: URL(fileURLWithPath: site))
        let day = date.flatMap { Day(iso: $0) } ?? Day(Date(), in: config.timezone)
        do {
            let path = try Scaffold.newFile(kind, title: title, site: site, date: day, author: author)
            print("created \(path)")
        } catch {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

enum Console {
    /// Prints the diagnostics and a summary; returns the exit code (SPEC §2).
    static func finish(_ report: BuildReport, _ options: SiteOptions) -> Int32 {
        let github = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true"
        var err = ""
        for d in sortedForDisplay(report.diagnostics) {
            err += d.description + "\n"
            if github { err += d.githubAnnotation + "\n" }
        }
        let failed = report.failed(strict: options.strict)
        let errors = report.diagnostics.errorCount, warnings = report.diagnostics.warningCount
        if errors + warnings > 0 {
            err += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            if options.strict && errors == 0 && warnings > 0 { err += " (--strict: warnings fail the build)" }
            err += "\n"
        }
        FileHandle.standardError.write(Data(err.utf8))
        if !options.quiet {
            var out = ""
            if let asOf = report.asOf, let profile = report.profile {
                out += "as of \(asOf), profile \(profile.rawValue)\n"
            }
            if options.verbose {
                for t in report.timings {
                    out += "  " + t.stage.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + String(format: "%8.1f ms   cpu %8.1f ms\n", t.seconds * 1000, t.cpuSeconds * 1000)
                }
            }
            if !failed {
                out += report.wrote ? "built \(report.pageCount) pages, \(report.fileCount) files\n" : "checked \(report.pageCount) pages: no problems\n"
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
        return failed ? 1 : 0
    }
}

/// Calls the async `run()`; on an existential, plain `run()` would pick the synchronous default.
func runAsync<C: AsyncParsableCommand>(_ command: inout C) async throws { try await command.run() }

studyportal_tune_allocator()   // mimalloc, in release builds (Package.swift)

// Bad command lines exit 2 (SPEC §2), not ArgumentParser's default 64.
do {
    var command = try StudyPortalCommand.parseAsRoot()
    if var async = command as? any AsyncParsableCommand {
        try await runAsync(&async)
    } else {
        try command.run()
    }
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    let code = StudyPortalCommand.exitCode(for: error)
    if code == .success {
        print(StudyPortalCommand.fullMessage(for: error))
        exit(0)
    }
    FileHandle.standardError.write(Data((StudyPortalCommand.fullMessage(for: error) + "\n").utf8))
    exit(2)
}

enum LeakSanitizer {
    /// Whether this binary was built with LeakSanitizer (AddressSanitizer brings it): its entry
    /// points are then among the program's symbols. (A static, made on first use: a global of
    /// main.swift would be read before the top-level code above reached its initialiser.)
    static let linked: Bool = {
        guard let program = dlopen(nil, RTLD_NOW) else { return false }
        return dlsym(program, "__lsan_do_leak_check") != nil
    }()
}
