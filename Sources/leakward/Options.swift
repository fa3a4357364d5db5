import ArgumentParser
import Foundation
import LeakwardCore

/// Options shared by every scanning command.
struct ScanOptionGroup: ParsableArguments {
    @Option(name: .customLong("rules"), help: "A directory or TOML file of rules that adds to or replaces built-in rules (repeatable).")
    var ruleDirectories: [String] = []

    @Option(help: "Project config: a .leakward.toml or a gitleaks config (default: .leakward.toml and .gitleaks.toml at the scanned root).")
    var config: String?

    @Option(help: "Skip files larger than this many bytes (recorded as skipped).")
    var maxFileSize: Int = 100 * 1024 * 1024

    @Option(help: "Seconds one file or blob may take to decode and match; past it the rest of that input is skipped and reported as an error.")
    var blobTimeLimit: Double = 60

    @Option(help: "Worker threads (default: one per core).")
    var jobs: Int = ScanOptions.defaultWorkerCount

    @Flag(help: "Exit with 2 when any input could not be read or decoded (they are always listed in the report).")
    var failOnError = false

    @Option(help: "Report only findings this baseline file (from `leakward baseline create`) does not list.")
    var baseline: String?

    @Flag(name: .customLong("no-git"), help: "Do not scan the git history of a directory that is a repository.")
    var noGit = false

    @Flag(help: "List every version of a file that holds a secret as its own sighting (default: one sighting with the count and last commit).")
    var eachVersion = false
}

/// Where and how to write the report.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Report format: text, json, sarif, junit or csv (default: text).")
    var format: String = "text"

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

    static let formats = ["text", "json", "sarif", "junit", "csv"]

    func validate() throws {
        guard Self.formats.contains(format) else {
            throw ValidationError("unknown format '\(format)'; use one of \(Self.formats.joined(separator: ", "))")
        }
        if reveal && format == "sarif" {
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

    func writer(toTerminal: Bool) -> any ReportWriter {
        switch format {
        case "json": JSONReportWriter(revealsSecrets: reveal)
        case "sarif": SARIFReportWriter()
        case "junit": JUnitReportWriter()
        case "csv": CSVReportWriter(revealsSecrets: reveal)
        default: TextReportWriter(usesColor: usesColor(onTerminal: toTerminal), isVerbose: verbose)
        }
    }

    func write(_ report: ScanReport) throws {
        if quiet && format == "text" && report.findings.isEmpty && report.errors.allSatisfy({ $0.level == .skipped }) { return }
        let toTerminal = output == nil && isatty(STDOUT_FILENO) == 1
        let writer = writer(toTerminal: toTerminal)
        if let output {
            try AtomicFile.write(to: output) { file in try writer.write(report) { try file.write($0) } }
        } else {
            var out = BufferedOutput(FileHandle.standardOutput)
            try writer.write(report) { try out.write($0) }
            try out.flush()
        }
        if output != nil && showsProgress { ProgressDisplay.clear() }
    }

    /// 130 when interrupted, 2 for unreadable inputs under `--fail-on-error`, 1 for findings, else 0.
    func exitCode(for report: ScanReport, failOn: Severity, failOnError: Bool = false) -> ExitCode {
        if !report.isComplete { return ExitCode(Interruption.exitCode) }
        if failOnError && report.errors.contains(where: { $0.level == .error }) { return LeakwardExit.failure }
        return report.credentials.contains { $0.severity >= failOn } ? LeakwardExit.findings : LeakwardExit.clean
    }
}

/// Loads rules and config into a ready pipeline.
struct ScanSetup {
    let config: ProjectConfig
    let rules: RuleSet
    let options: ScanOptionGroup
    /// Accepted findings (`--baseline`), left out of the report and counted.
    let baseline: Baseline?
    private let started = Date()
    /// Installed before any source is built, so an interrupt while the history is planned is
    /// honoured too (the plan, matching and provenance all poll it).
    let interruption = Interruption()

    init(options: ScanOptionGroup, roots: [String]) throws {
        try ScanSetup.checkRoots(roots)
        self.options = options
        baseline = try options.baseline.map(ScanSetup.loadBaseline)
        // --config names either a .leakward.toml or a gitleaks config; without it, both are
        // looked for at the scanned root.
        var configPath = ScanSetup.rootFile(".leakward.toml", roots: roots)
        var gitleaksPath = ScanSetup.rootFile(".gitleaks.toml", roots: roots)
        if let given = options.config {
            guard let text = try? String(contentsOfFile: given, encoding: .utf8) else {
                throw CLIError("cannot read config \(given)")
            }
            if GitleaksConfig.looksLikeGitleaks(text: text, path: given) { gitleaksPath = given } else { configPath = given }
        }
        var config = ProjectConfig()
        if let configPath {
            do {
                config = try ProjectConfig.parse(String(contentsOfFile: configPath, encoding: .utf8), path: configPath)
            } catch let error as RuleError {
                throw CLIError(error.description)
            } catch let error as ProjectConfig.ConfigError {
                throw CLIError(error.description)
            } catch {
                throw CLIError("cannot read config \(configPath): \(error.localizedDescription)")
            }
        }
        self.config = config
        // `[rules] extra` paths are relative to the config file, wherever leakward runs from.
        let configDirectory = configPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? "."
        let extra = config.extraRulePaths.map { $0.hasPrefix("/") ? $0 : configDirectory + "/" + $0 }
        do {
            var ruleSet = try RuleSet.builtIn(addingFilesIn: extra + options.ruleDirectories)
            if let gitleaksPath {
                let gitleaks = try GitleaksConfig.parse(String(contentsOfFile: gitleaksPath, encoding: .utf8), path: gitleaksPath)
                for warning in gitleaks.warnings { FileHandle.standardError.write(Data("leakward: warning: \(InertText.visible(warning))\n".utf8)) }
                ruleSet = try ScanSetup.combine(ruleSet, with: gitleaks, path: gitleaksPath)
            }
            rules = try config.apply(to: ruleSet)
        } catch let error as RuleError {
            throw CLIError(error.description)
        } catch let error as ProjectConfig.ConfigError {
            throw CLIError(error.description)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot read config: \(error.localizedDescription)")
        }
    }

    /// Leakward's rules with a gitleaks config layered on: its rules added (alone, when it does
    /// not extend the defaults, as gitleaks itself would run them), its global allowlists attached.
    static func combine(_ ruleSet: RuleSet, with gitleaks: GitleaksConfig, path: String) throws -> RuleSet {
        var base = ruleSet
        if gitleaks.extendsDefaults {
            base = base.removing(ids: Set(gitleaks.disabledBuiltInRules))
        } else {
            let builtInIDs = Set(try RuleSet.builtIn().rules.map(\.id))
            base = base.removing(ids: builtInIDs)
            FileHandle.standardError.write(Data("leakward: note: \(path) does not extend the defaults ([extend] useDefault = true): only its \(gitleaks.rules.count) rules run\n".utf8))
        }
        var rules = try base.merging(gitleaks.rules).rules
        for index in rules.indices {
            for (targets, allowlist) in gitleaks.globalAllowlists where targets?.contains(rules[index].id) ?? true {
                rules[index].allowlists.append(allowlist)
            }
        }
        return try RuleSet(rules: rules)
    }

    /// The progress line, made before the sources when a command asks (`showProgress`), so
    /// it is on screen within a second and shows the history walk too.
    private(set) var progress: (display: ProgressDisplay, throttle: ProgressThrottle)?

    mutating func showProgress(for output: OutputOptions) {
        guard output.showsProgress, progress == nil else { return }
        let display = ProgressDisplay(usesColor: output.usesColor(onTerminal: true))
        display.show(ScanProgress(phase: .listing))
        progress = (display, ProgressThrottle(interval: 0.1) { display.show($0) })
    }

    var progressReport: (@Sendable (ScanProgress) -> Void)? {
        guard let throttle = progress?.throttle else { return nil }
        return { @Sendable in throttle.report($0) }
    }

    var isCancelled: @Sendable () -> Bool {
        let interruption = self.interruption
        return { interruption.isInterrupted }
    }

    /// Keywords that make a history blob be matched whole (see `DeltaMask`); nil: match every blob whole.
    var longMatchKeywords: [String]? { rules.longMatchKeywords(beyond: GitHistorySource.partialMatchMargin) }

    /// The sources for `paths`: every command that scans (scan, plan, ci) builds them here, so
    /// they all see the same inputs.
    /// A path that is the top of a repository also brings its history (unless `--no-git`).
    func sources(for paths: [String]) -> [any Source] {
        paths.flatMap { path -> [any Source] in
            let tree = WorkingTreeSource(root: path, maxFileSize: options.maxFileSize, excludedGlobs: config.allowlistPaths)
            guard !options.noGit else { return [tree] }
            guard let history = GitHistorySource.forRoot(path, excludedGlobs: config.allowlistPaths,
                                                         longMatchKeywords: longMatchKeywords,
                                                         workers: options.jobs, isCancelled: isCancelled,
                                                         progress: progressReport) else {
                return [tree] + (GitHistorySource.damagedRepository(at: path).map { [IssueSource(issues: [$0])] } ?? [])
            }
            return [history, tree]
        }
    }

    /// The sources of one repository of a `--repos` list: its history, paths shown under the
    /// repository's path as listed (so repositories never share a path), and for a work tree
    /// its files. A line that names no repository is a recorded error; the others are scanned.
    func repositorySources(for path: String) -> [any Source] {
        // Origins name each repository as listed, so its paths are shown under it.
        guard let found = GitRepository.discover(containing: path),
              let history = GitHistorySource.forRoot(path, excludedGlobs: config.allowlistPaths, longMatchKeywords: longMatchKeywords,
                                                     workers: options.jobs, isCancelled: isCancelled,
                                                     progress: progressReport) else {
            return [IssueSource(issues: [ScanIssue(path: path, level: .error, stage: "repos",
                                                   reason: "not the top of a git work tree or a bare repository; not scanned")])]
        }
        guard found.workdir != nil else { return [history] }
        return [history, WorkingTreeSource(root: path, maxFileSize: options.maxFileSize, excludedGlobs: config.allowlistPaths)]
    }

    /// `name` (`.leakward.toml`, `.gitleaks.toml`) at the root of the first scanned directory,
    /// as gitleaks looks in its source.
    static func rootFile(_ name: String, roots: [String]) -> String? {
        var isDirectory: ObjCBool = false
        guard let root = roots.first, FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory),
              isDirectory.boolValue else { return nil }
        let candidate = root.hasSuffix("/") ? root + name : root + "/" + name
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// A root that does not exist or cannot be opened is a usage error: scanning nothing and
    /// reporting "no secrets" would be a false all-clear. `-` is standard input.
    static func checkRoots(_ roots: [String]) throws {
        for root in roots where root != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
                throw CLIError("\(root) does not exist (nothing was scanned)")
            }
            let readable = isDirectory.boolValue ? (try? FileManager.default.contentsOfDirectory(atPath: root)) != nil
                                                 : FileManager.default.isReadableFile(atPath: root)
            guard readable else { throw CLIError("\(root) cannot be opened (nothing was scanned)") }
        }
    }

    static func loadBaseline(_ path: String) throws -> Baseline {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError("cannot read baseline \(path); create it with `leakward baseline create -o \(path)`")
        }
        do {
            return try Baseline.parse(text, path: path)
        } catch let error as Baseline.FormatError {
            throw CLIError(error.description)
        }
    }

    /// Runs the scan with the progress line and verbose timings the output options ask for,
    /// and builds the report with baselined findings left out.
    func run(_ sources: [any Source], roots: [String], output: OutputOptions) throws -> ScanReport {
        var setup = self
        setup.showProgress(for: output)
        let ready = Date()
        let outcome = try setup.pipeline().run(sources)
        if let line = setup.progress {
            // A report written to a file: the line says so until it is written (OutputOptions.write clears it).
            if output.output != nil { line.display.show(ScanProgress(phase: .writing)) } else { line.display.finish() }
        }
        var findings = outcome.findings
        var stats = outcome.stats
        if let baseline {
            (findings, stats.baselined) = baseline.filter(findings)
        }
        if output.verbose {
            let setup = ready.timeIntervalSince(started), scan = Date().timeIntervalSince(ready)
            let rate = Double(stats.bytesScanned) / 1_048_576 / max(scan, 0.001)
            FileHandle.standardError.write(Data((
                "timings: rules and config \(String(format: "%.2f", setup))s, scan \(String(format: "%.2f", scan))s "
                + "(\(stats.filesScanned + stats.blobsScanned) inputs, \(String(format: "%.1f", rate)) MB/s, \(options.jobs) workers)\n").utf8))
        }
        return ScanReport(version: LeakwardVersion.current, isComplete: outcome.isComplete, roots: roots,
                          findings: findings, stats: stats, errors: outcome.issues, groupsVersions: !options.eachVersion)
    }

    func pipeline() throws -> ScanPipeline {
        var scan = ScanOptions(workerCount: options.jobs, maxFileSize: options.maxFileSize, decoders: Decoders.standard)
        scan.allowlistRegexes = config.allowlistRegexes
        scan.blobTimeLimit = options.blobTimeLimit
        scan.isCancelled = isCancelled
        scan.progress = progressReport
        do {
            return try ScanPipeline(rules: CompiledRules(rules), options: scan)
        } catch let error as RuleError {
            throw CLIError(error.description)
        }
    }
}

/// A fatal error shown as one line, exiting with 2.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
