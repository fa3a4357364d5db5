import ArgumentParser
import Foundation
import LeakwardCore

/// Rules, config and limits: every command that scans (scan, git, ci, plan, baseline).
struct ScanOptionGroup: ParsableArguments {
    @Option(name: .customLong("rules"), help: "A directory or TOML file of rules that adds to or replaces built-in rules (repeatable).")
    var ruleDirectories: [String] = []

    @Option(help: "Project config: a .leakward.toml or a gitleaks config (default: the nearest .leakward.toml and .gitleaks.toml from the scanned path up to the repository's top).")
    var config: String?

    @Option(help: "Skip files larger than this many bytes (recorded as skipped).")
    var maxFileSize: Int = 100 * 1024 * 1024

    @Option(help: "Seconds one file or blob may take to decode and match; past it the rest of that input is skipped and reported as an error.")
    var blobTimeLimit: Double = 60

    @Option(help: ArgumentHelp("Worker threads.", valueName: "n"))
    var jobs: Int = ScanOptions.defaultWorkerCount

    /// The session settings these options (and a baseline file, for commands that take one) ask for.
    func settings(baseline: String? = nil) -> ScanSession.Settings {
        var settings = ScanSession.Settings()
        settings.ruleFiles = ruleDirectories
        settings.configPath = config
        settings.maxFileSize = maxFileSize
        settings.blobTimeLimit = blobTimeLimit
        settings.workers = jobs
        settings.baselinePath = baseline
        return settings
    }
}

/// `--baseline`: the commands whose report leaves accepted findings out (scan, git, ci).
struct BaselineOption: ParsableArguments {
    @Option(help: "Report only findings this baseline file (from `leakward baseline create`) does not list.")
    var baseline: String?
}

/// `--fail-on-error`: the commands whose exit code gates a build (scan, git, ci, plan).
struct FailOnErrorOption: ParsableArguments {
    @Flag(help: "Exit with 2 when any input could not be read or decoded (they are always listed in the report).")
    var failOnError = false
}

/// `--no-git`, `--no-ignore`, `--respect-gitignore`: the commands that scan directories and
/// would read a repository's history and git-ignored build output too (scan, plan, baseline).
struct HistoryOption: ParsableArguments {
    @Flag(name: .customLong("no-git"), help: "Do not scan the git history of a directory that is a repository.")
    var noGit = false

    @Flag(name: .customLong("no-ignore"), help: "Read every file, whatever .gitignore says (node_modules and caches included).")
    var noIgnore = false

    @Flag(name: .customLong("respect-gitignore"), help: "Honour .gitignore for build output too (by default the build output of recognised frameworks is read even when ignored).")
    var respectGitignore = false

    @Flag(help: "In the history, skip objects no ref reaches (by default commits and blobs left by force-pushes, deleted branches or dropped pull requests are scanned too).")
    var reachableOnly = false

    func validate() throws {
        if noIgnore && respectGitignore { throw ValidationError("--no-ignore and --respect-gitignore contradict each other") }
        if noGit && reachableOnly { throw ValidationError("--reachable-only is about the history, which --no-git leaves out") }
    }

    /// How the working tree applies `.gitignore`.
    var ignorePolicy: ShippedOutput.Policy {
        noIgnore ? .readEverything : respectGitignore ? .respectGitignore : .readShippedOutput
    }
}

/// The report formats `--format` takes.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, junit, csv
}

/// Where and how to write the report (scan, git, ci).
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Report format.")
    var format: ReportFormat = .text

    @Option(name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    var output: String?

    @Flag(help: "Include raw secrets in the report. Never use this in CI logs.")
    var reveal = false

    @Flag(name: .customLong("no-color"), help: "No ANSI colours (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .shortAndLong, help: "List every skipped input and the scan's timings.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print nothing when there are no findings, and no progress.")
    var quiet = false

    @Flag(help: "List every version of a file that holds a secret as its own sighting (default: one sighting with the count and last commit).")
    var eachVersion = false

    func validate() throws {
        if reveal && format == .sarif {
            throw ValidationError("--reveal is not available with --format sarif: SARIF is uploaded to dashboards")
        }
    }

    /// Colour only on a terminal, and never with --no-color or NO_COLOR (when set and not empty, as no-color.org says).
    func usesColor(onTerminal: Bool) -> Bool {
        onTerminal && !noColor && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) != false
    }

    /// A live progress line on stderr: only when stderr is a terminal, never in CI or with --quiet.
    var showsProgress: Bool {
        let environment = ProcessInfo.processInfo.environment
        let isCI = !["", "0", "false"].contains(environment["CI"]?.lowercased() ?? "")
        return !quiet && isatty(STDERR_FILENO) == 1 && !isCI && environment["TERM"] != "dumb"
    }

    func writer(toTerminal: Bool, project: ProjectFacts? = nil) -> any ReportWriter {
        switch format {
        case .json: JSONReportWriter(revealsSecrets: reveal, project: project)
        case .sarif: SARIFReportWriter()
        case .junit: JUnitReportWriter()
        case .csv: CSVReportWriter(revealsSecrets: reveal)
        case .text: TextReportWriter(usesColor: usesColor(onTerminal: toTerminal), isVerbose: verbose)
        }
    }

    /// `project`: the facts `plan --from` needs, stored in a JSON report.
    func write(_ report: ScanReport, project: ProjectFacts? = nil) throws {
        if quiet && format == .text && report.findings.isEmpty && report.errors.allSatisfy({ $0.level == .skipped }) { return }
        var written = ScanTimings()
        let toTerminal = output == nil && isatty(STDOUT_FILENO) == 1
        let writer = writer(toTerminal: toTerminal, project: project)
        if let output {
            try AtomicFile.write(to: output) { file in try writer.write(report) { try file.write($0) } }
        } else {
            var out = BufferedOutput(FileHandle.standardOutput)
            try writer.write(report) { try out.write($0) }
            try out.flush()
        }
        if output != nil && showsProgress { ProgressDisplay.clear() }
        if verbose {
            var timings = report.timings
            timings.append(written.lap("report written", phase: .writing))
            FileHandle.standardError.write(Data(TimingsTable(timings).text.utf8))
        }
    }

    /// 130 when interrupted, 2 for unreadable inputs under `--fail-on-error`, 1 for findings, else 0.
    func exitCode(for report: ScanReport, failOn: Severity, failOnError: Bool = false) -> ExitCode {
        if !report.isComplete { return ExitCode(Interruption.exitCode) }
        if failOnError && report.errors.contains(where: { $0.level == .error }) { return LeakwardExit.failure }
        let fails = report.credentials.contains { $0.severity >= failOn } || report.configProblems.contains { $0.severity >= failOn }
        return fails ? LeakwardExit.findings : LeakwardExit.clean
    }
}

/// A command's door into the core's `ScanSession`, with what only a terminal program does
/// around it: notices printed to stderr, the progress line, Ctrl-C, `--verbose` timings.
struct ScanSetup {
    private(set) var session: ScanSession
    /// From the start: reading rules and config, then the session's steps (`--verbose`).
    private var timings = ScanTimings()
    /// Installed before any source is built, so an interrupt while the history is planned is
    /// honoured too (the plan, matching and provenance all poll it).
    let interruption: Interruption

    /// `pinned`: the config, gitleaks config and baseline as given instead of read from disk (ci).
    init(options: ScanOptionGroup, roots: [String], baseline: String? = nil, pinned: ProjectFiles? = nil) throws {
        let interruption = Interruption()
        self.interruption = interruption
        var settings = options.settings(baseline: baseline)
        settings.pinnedFiles = pinned
        session = try ScanSession(settings: settings, roots: roots, isCancelled: { interruption.isInterrupted })
        timings.lap("rules and config", phase: nil)
        for notice in session.notices {
            FileHandle.standardError.write(Data("leakward: \(notice.level.rawValue): \(InertText.visible(notice.text))\n".utf8))
        }
    }

    var config: ProjectConfig { session.config }

    /// The progress line, made before the sources when a command asks (`showProgress`), so
    /// it is on screen within a second and shows the history walk too.
    private(set) var progress: (display: ProgressDisplay, throttle: ProgressThrottle)?

    mutating func showProgress(for output: OutputOptions) {
        guard output.showsProgress, progress == nil else { return }
        let display = ProgressDisplay(usesColor: output.usesColor(onTerminal: true))
        display.show(ScanProgress(phase: .listing))
        let throttle = ProgressThrottle(interval: 0.1) { display.show($0) }
        progress = (display, throttle)
        session.progress = { @Sendable in throttle.report($0) }
    }

    /// Runs the scan with the progress line and verbose timings the output options ask for
    /// (none without them: plan, baseline), and builds the report with baselined findings left
    /// out; versions of one file are grouped unless `--each-version` (or no report is written).
    func run(_ sources: [any Source], roots: [String], output: OutputOptions? = nil) throws -> ScanReport {
        var listings: [TreeListing]?
        return try run(sources, roots: roots, output: output, listings: &listings)
    }

    /// The same, handing back what the working-tree walks listed when `listings` is not nil.
    func run(_ sources: [any Source], roots: [String], output: OutputOptions? = nil, listings: inout [TreeListing]?) throws -> ScanReport {
        let report = try session.run(sources, roots: roots, version: LeakwardVersion.current,
                                     groupsVersions: output.map { !$0.eachVersion } ?? false, listings: &listings)
        return finished(report, output: output)
    }

    /// `--repos`: each repository in turn, with the session its own `.leakward.toml` and
    /// `.gitleaks.toml` make (this one when it has none, and for every one under `--config`),
    /// and the reports joined as `merge` joins shards' (so shards merged equal one scan). Only
    /// one repository's history plan is in memory at a time. A repository whose own config
    /// does not load is a recorded error and is not scanned; the others are.
    /// `adjusted` sees each repository's sources before they run (`--all-refs`).
    func runRepositories(_ paths: [String], includesUnreachable: Bool, output: OutputOptions,
                         adjusted: ([any Source]) -> [any Source] = { $0 }) throws -> ScanReport {
        let groupsVersions = !output.eachVersion
        var parts: [ScanReport] = []
        var steps = ScanTimings()
        for path in paths {
            if interruption.isInterrupted { break }
            var session = self.session
            let sources: [any Source]
            do {
                if let own = try self.session.repositorySession(for: path) {
                    session = own
                    for notice in own.notices {
                        FileHandle.standardError.write(Data("leakward: \(notice.level.rawValue): \(InertText.visible(notice.text))\n".utf8))
                    }
                }
                sources = adjusted(session.repositorySources(for: path, includesUnreachable: includesUnreachable))
            } catch {
                sources = [IssueSource(issues: [ScanIssue(path: path, level: .error, stage: .repos,
                                                          reason: "\(error.description); the repository was not scanned")])]
            }
            let part = try session.run(sources, roots: [path], version: LeakwardVersion.current, groupsVersions: groupsVersions)
            parts.append(part)
            steps.append(part.timings)
        }
        var report = ScanReport.merging(parts, version: LeakwardVersion.current, groupsVersions: groupsVersions)
        // Interrupted between repositories: the ones after it were not scanned.
        if interruption.isInterrupted || parts.count < paths.count { report.isComplete = false }
        report.timings = steps
        return finished(report, output: output)
    }

    /// The progress line cleared (or saying the report is being written); the setup's steps
    /// put before the scan's, for the verbose timings printed once the report is written.
    private func finished(_ report: ScanReport, output: OutputOptions?) -> ScanReport {
        if let line = progress {
            // A report written to a file: the line says so until it is written (OutputOptions.write clears it).
            if output?.output != nil { line.display.show(ScanProgress(phase: .writing)) } else { line.display.finish() }
        }
        var report = report
        report.timings.prepend(timings)
        report.timings.workers = session.settings.workers
        return report
    }
}

/// A fatal error shown as one line, exiting with 2.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
