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

    @Option(help: "Worker threads (default: one per core).")
    var jobs: Int = ScanOptions.defaultWorkerCount
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

    func exitCode(for report: ScanReport, failOn: Severity) -> ExitCode {
        report.credentials.contains { $0.severity >= failOn } ? LeakwardExit.findings : LeakwardExit.clean
    }
}

/// Loads rules and config into a ready pipeline.
struct ScanSetup {
    let config: ProjectConfig
    let rules: RuleSet
    let options: ScanOptionGroup

    init(options: ScanOptionGroup, roots: [String]) throws {
        self.options = options
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
            } catch {
                throw CLIError("cannot read config \(configPath): \(error.localizedDescription)")
            }
        }
        self.config = config
        do {
            var ruleSet = try RuleSet.builtIn(addingFilesIn: config.extraRulePaths + options.ruleDirectories)
            if let gitleaksPath {
                let gitleaks = try GitleaksConfig.parse(String(contentsOfFile: gitleaksPath, encoding: .utf8), path: gitleaksPath)
                for warning in gitleaks.warnings { FileHandle.standardError.write(Data("leakward: warning: \(warning)\n".utf8)) }
                ruleSet = try ScanSetup.combine(ruleSet, with: gitleaks, path: gitleaksPath)
            }
            rules = try config.apply(to: ruleSet)
        } catch let error as RuleError {
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

    /// The sources for `paths`: every command that scans (scan, plan, ci) builds them here, so
    /// they all see the same inputs.
    func sources(for paths: [String]) -> [any Source] {
        paths.map { WorkingTreeSource(root: $0, maxFileSize: options.maxFileSize, excludedGlobs: config.allowlistPaths) }
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

    func pipeline() throws -> ScanPipeline {
        var scan = ScanOptions(workerCount: options.jobs, maxFileSize: options.maxFileSize, decoders: Decoders.standard)
        scan.allowlistRegexes = config.allowlistRegexes
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
