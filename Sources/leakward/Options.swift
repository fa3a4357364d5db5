import ArgumentParser
import Foundation
import LeakwardCore

/// Options shared by every scanning command.
struct ScanOptionGroup: ParsableArguments {
    @Option(name: .customLong("rules"), help: "A directory or TOML file of rules that adds to or replaces built-in rules (repeatable).")
    var ruleDirectories: [String] = []

    @Option(help: "Project config file (default: .leakward.toml in the current directory, if present).")
    var config: String?

    @Option(help: "Skip files larger than this many bytes (recorded as skipped).")
    var maxFileSize: Int = 100 * 1024 * 1024

    @Option(help: "Worker threads (default: one per core).")
    var jobs: Int = ScanOptions.defaultWorkerCount

    @Option(help: "Report only findings this baseline file (from `leakward baseline create`) does not list.")
    var baseline: String?

    @Flag(name: .customLong("no-git"), help: "Do not scan the git history of a directory that is a repository.")
    var noGit = false
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
        let text = try writer(toTerminal: toTerminal).render(report)
        if let output {
            try AtomicFile.write(text, to: output)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    func exitCode(for report: ScanReport, failOn: Severity) -> ExitCode {
        report.credentials.contains { $0.severity >= failOn } ? LeakwardExit.findings : LeakwardExit.clean
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

    init(options: ScanOptionGroup, roots: [String]) throws {
        self.options = options
        baseline = try options.baseline.map(ScanSetup.loadBaseline)
        let configPath = options.config ?? ScanSetup.defaultConfig(roots: roots)
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
            rules = try config.apply(to: RuleSet.builtIn(addingFilesIn: extra + options.ruleDirectories))
        } catch let error as RuleError {
            throw CLIError(error.description)
        } catch let error as ProjectConfig.ConfigError {
            throw CLIError(error.description)
        }
    }

    /// The sources for `paths`: every command that scans (scan, plan, ci) builds them here, so
    /// they all see the same inputs.
    /// A path that is the top of a repository also brings its history (unless `--no-git`).
    func sources(for paths: [String]) -> [any Source] {
        paths.flatMap { path -> [any Source] in
            let tree = WorkingTreeSource(root: path, maxFileSize: options.maxFileSize, excludedGlobs: config.allowlistPaths)
            guard !options.noGit, let history = GitHistorySource.forRoot(path, excludedGlobs: config.allowlistPaths) else { return [tree] }
            return [history, tree]
        }
    }

    /// `.leakward.toml` at the root of the first scanned directory, as gitleaks looks in its source.
    static func defaultConfig(roots: [String]) -> String? {
        var isDirectory: ObjCBool = false
        guard let root = roots.first, FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory),
              isDirectory.boolValue else { return nil }
        let candidate = root.hasSuffix("/") ? root + ".leakward.toml" : root + "/.leakward.toml"
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
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
        let progress = output.showsProgress ? ProgressDisplay(usesColor: output.usesColor(onTerminal: true)) : nil
        let ready = Date()
        let outcome = try pipeline(progress: progress).run(sources)
        progress?.finish()
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
                          findings: findings, stats: stats, errors: outcome.issues)
    }

    func pipeline(progress: ProgressDisplay? = nil) throws -> ScanPipeline {
        var scan = ScanOptions(workerCount: options.jobs, maxFileSize: options.maxFileSize, decoders: Decoders.standard)
        scan.allowlistRegexes = config.allowlistRegexes
        if let progress {
            let throttle = ProgressThrottle(interval: 0.1) { progress.show($0) }
            scan.progress = { throttle.report($0) }
        }
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
