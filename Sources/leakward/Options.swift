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

    @Flag(help: "Exit with 2 when any input could not be read or decoded (they are always listed in the report).")
    var failOnError = false

    @Flag(name: .customLong("no-git"), help: "Do not scan the git history of a directory that is a repository.")
    var noGit = false
}

/// Where and how to write the report.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Report format: text or json (default: text).")
    var format: String = "text"

    @Option(name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    var output: String?

    @Flag(help: "Include raw secrets in the report. Never use this in CI logs.")
    var reveal = false

    @Flag(name: .customLong("no-color"), help: "No ANSI colours (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .shortAndLong, help: "List every skipped input.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print nothing when there are no findings.")
    var quiet = false

    func validate() throws {
        guard ["text", "json"].contains(format) else {
            throw ValidationError("unknown format '\(format)'; use text or json")
        }
    }

    func writer(toTerminal: Bool) -> any ReportWriter {
        switch format {
        case "json": JSONReportWriter(revealsSecrets: reveal)
        default: TextReportWriter(usesColor: toTerminal && !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil,
                                  isVerbose: verbose)
        }
    }

    func write(_ report: ScanReport) throws {
        if quiet && report.findings.isEmpty && report.errors.allSatisfy({ $0.level == .skipped }) { return }
        let toTerminal = output == nil && isatty(STDOUT_FILENO) == 1
        let text = try writer(toTerminal: toTerminal).render(report)
        if let output {
            try AtomicFile.write(text, to: output)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
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

    init(options: ScanOptionGroup, roots: [String]) throws {
        self.options = options
        let configPath = options.config ?? ScanSetup.defaultConfig(roots: roots)
        var config = ProjectConfig()
        if let configPath {
            do {
                config = try ProjectConfig.parse(String(contentsOfFile: configPath, encoding: .utf8), path: configPath)
            } catch let error as RuleError {
                throw CLIError(error.description)
            } catch {
                throw CLIError("cannot read config \(configPath): \(error.localizedDescription)")
            }
        }
        self.config = config
        do {
            rules = try config.apply(to: RuleSet.builtIn(addingFilesIn: config.extraRulePaths + options.ruleDirectories))
        } catch let error as RuleError {
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

    func pipeline() throws -> ScanPipeline {
        var scan = ScanOptions(workerCount: options.jobs, maxFileSize: options.maxFileSize, decoders: Decoders.standard)
        scan.allowlistRegexes = config.allowlistRegexes
        let interruption = Interruption()
        scan.isCancelled = { interruption.isInterrupted }
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
