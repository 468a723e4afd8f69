import Foundation
import Synchronization

/// What a `build` or `check` run is asked to do: the site and the command-line flags (SPEC §2),
/// each of which overrides the same setting in site.yml.
public struct BuildOptions: Sendable {
    public var siteRoot: String
    public var output: String?
    public var baseURL: String?
    public var profile: SiteConfig.Profile?
    public var asOf: Day?
    public var drafts = false
    public var strict = false
    /// `check`: validate everything, write nothing.
    public var writeOutput = true
    public var jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    public var now = Date()
    /// False: the site's values are not freed when `build` returns but left for the process's exit
    /// to reclaim, as compilers do (clang's -disable-free). For a command that exits next: freeing
    /// millions of strings and arrays took ~90 ms on one core at 10,000 materials. Tests and `serve`,
    /// which go on running, keep the default.
    public var releasesMemory = true
    /// How long the output's folders must have gone unchanged before the next build may take their
    /// entries from the manifest (`OutputWriter.settlingSeconds`; tests shorten it).
    var settlingSeconds = OutputWriter.settlingSeconds

    public init(siteRoot: String) { self.siteRoot = siteRoot }

    public var outputPath: String { output ?? (siteRoot as NSString).appendingPathComponent("output") }
}

public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic] = []
    /// Per stage, in order: wall and CPU seconds.
    public var timings: [StageTiming] = []
    public var asOf: Day?
    public var profile: SiteConfig.Profile?
    public var pageCount = 0
    public var fileCount = 0
    public var wrote = false

    /// SPEC §2: 1 when there are errors, or warnings under `--strict`.
    public func failed(strict: Bool) -> Bool {
        diagnostics.hasErrors || (strict && diagnostics.warningCount > 0)
    }
}

/// The whole build, top to bottom: load → resolve → compute → render → write. Each stage adds its
/// diagnostics; any error stops the run before anything is written, so the published output is never
/// half replaced.
public func build(_ options: BuildOptions) async -> BuildReport {
    let rendered = await renderSite(options)
    defer { if !options.releasesMemory { Leftovers.keep(rendered) } }
    var report = rendered.report
    guard let files = rendered.files, let work = rendered.work, !report.failed(strict: options.strict) else { return report }
    var clock = Clock()
    do {
        try await OutputWriter.commit(files, in: work, jobs: options.jobs)
        report.wrote = true
    } catch {
        report.diagnostics.append(.error(error.message, path: options.outputPath))
    }
    report.timings.append(clock.stage("write"))
    return report
}

/// What builds that exit next leave unfreed (`BuildOptions.releasesMemory`): kept here, where the
/// process's exit reclaims them, rather than leaked outright, so a test can still let them go.
enum Leftovers {
    private static let kept = Mutex<[RenderedSite]>([])

    static func keep(_ site: RenderedSite) { kept.withLock { $0.append(site) } }

    /// Frees what was kept (tests: a leak checker watches their process).
    static func release() { kept.withLock { $0.removeAll() } }
}

/// What `renderSite` gives: the report, and the site's files (nil when there were errors).
public struct RenderedSite: Sendable {
    public var report: BuildReport
    public var files: [OutputFile]?
    var session: Renderer.Session?
    /// Where the pages were written as they were rendered (`build`; nil for `check` and `serve`).
    var work: OutputWriter.WorkFolder?
}

/// Load → resolve → compute → render, in memory. `build` writes the files; `serve` serves them.
public func renderSite(_ options: BuildOptions) async -> RenderedSite {
    var report = BuildReport()
    var clock = Clock()
    let root = options.siteRoot

    // Load.
    var (config, configProblems) = SiteConfig.load(root: URL(fileURLWithPath: root))
    report.diagnostics += configProblems
    if let base = options.baseURL {
        if let parsed = BaseURL.parse(base) { config.baseURL = parsed } else {
            report.diagnostics.append(.error("--base-url should be a path like /portal/ or an http(s) URL, not \(base)", path: "<command line>"))
        }
    }
    if let profile = options.profile { config.profile = profile }
    let asOf = options.asOf ?? config.asOf ?? sourceDateEpoch(options.environment, config.timezone) ?? Day(options.now, in: config.timezone)
    report.asOf = asOf
    report.profile = config.profile
    if options.writeOutput, let problem = OutputWriter.problem(output: options.outputPath, siteRoot: root) {
        report.diagnostics.append(.error(problem, path: options.output == nil ? "output" : options.outputPath))
    }
    // The work folder (the output before last) is walked while the content loads: at 10,000
    // materials its 50,000 entries take a few hundred milliseconds, mostly in the kernel.
    let preparing = options.writeOutput && !report.diagnostics.hasErrors ? prepareWorkFolder(options.outputPath, settling: options.settlingSeconds) : nil
    let (theme, themeProblems) = Theme.load(siteRoot: root)
    report.diagnostics += themeProblems
    let files = await Loader.read(root: root, config: config, jobs: options.jobs)
    report.timings.append(clock.stage("load"))
    // The files' bytes go when parsing is done (`consume`), not at the end of this function: their
    // 100 MB at 10,000 materials are then reused by what the render makes, which otherwise faulted
    // in fresh pages (peak memory −16%).
    let (site, loadProblems) = await Loader.parse(consume files, jobs: options.jobs)
    report.diagnostics += loadProblems
    report.timings.append(clock.stage("parse"))

    // Resolve.
    let (programme, resolveProblems) = await Resolve.programme(site, includeDrafts: options.drafts, asOf: asOf)
    report.diagnostics += resolveProblems
    report.timings.append(clock.stage("resolve"))
    if report.diagnostics.hasErrors {
        _ = await preparing?.value   // never left running behind a finished build
        return RenderedSite(report: report)
    }

    // Compute. The figures are one core's work: they are computed beside the render's name and link
    // tables, then beside the Markdown, which needs of them only the ledgers' addresses (the render
    // awaits them there, on every path: nothing returns between here and the render). The stage's
    // time is the tables'; the rest of the figures' is the Markdown's. Under `--jobs 1` (`serve`'s
    // background rebuild) they are computed first, on this core, leaving the other one free.
    let figures: Task<Figures, Never>
    if options.jobs > 1 {
        figures = Task { Figures.compute(programme) }
    } else {
        let computed = Figures.compute(programme)
        figures = Task { computed }
    }
    let tables = Renderer.tables(programme)
    report.timings.append(clock.stage("progress"))

    // Render, writing pages into the work folder as they are made (nothing is swapped in before `build` commits).
    var work: OutputWriter.WorkFolder?
    switch await preparing?.value {
    case .success(let folder): work = folder
    case .failure(let error): report.diagnostics.append(.error(error.message, path: options.outputPath))
    case nil: break
    }
    let rendered = await Renderer.render(programme, figures: figures, tables: tables, theme: theme, jobs: options.jobs, into: work)
    report.diagnostics += rendered.diagnostics
    report.timings += rendered.timings
    report.fileCount = rendered.files.count
    report.pageCount = rendered.files.count { $0.path.hasASCIISuffix(".html") }
    if report.diagnostics.hasErrors { return RenderedSite(report: report) }
    return RenderedSite(report: report, files: rendered.files, session: rendered.session, work: work)
}

/// `OutputWriter.prepare` in a task of its own.
func prepareWorkFolder(_ output: String, settling: Double = OutputWriter.settlingSeconds) -> Task<Result<OutputWriter.WorkFolder, OutputWriter.Failure>, Never> {
    Task { Result { () throws(OutputWriter.Failure) in try OutputWriter.prepare(output: output, settling: settling) } }
}

/// `SOURCE_DATE_EPOCH` (reproducible builds): seconds since 1970, read as a day in the site's zone.
func sourceDateEpoch(_ environment: [String: String], _ zone: TimeZone) -> Day? {
    guard let text = environment["SOURCE_DATE_EPOCH"], let seconds = Double(text) else { return nil }
    return Day(Date(timeIntervalSince1970: seconds), in: zone)
}
