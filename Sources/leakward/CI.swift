import ArgumentParser
import Foundation
import LeakwardCore

/// `leakward ci`: the pull-request gate. Scans only what the change adds (the range the CI
/// system provides), fails only on new findings, and prints a short summary.
struct CI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ci",
        abstract: "Pull-request gate: scan the commits the CI run adds; exit 1 only on new findings.",
        discussion: """
            The range comes from, in order: --since REV; GitHub Actions (the pull request's base \
            commit from GITHUB_EVENT_PATH, else origin/$GITHUB_BASE_REF, else the push's `before`); \
            GitLab CI (CI_MERGE_REQUEST_DIFF_BASE_SHA, else CI_COMMIT_BEFORE_SHA). Without any, the \
            whole history of HEAD is scanned. Findings listed in --baseline and findings below \
            [ci] fail_on in .leakward.toml do not fail the run. The clone needs the base commit: \
            use fetch-depth: 0 (GitHub) or GIT_DEPTH: 0 (GitLab).
            Exit codes: 0 no new findings, 1 new findings, 2 usage or fatal error (including a range \
            that cannot be resolved).
            """)

    @Argument(help: "The repository (default: here).")
    var repository: String = "."

    @Option(help: "Scan commits after REV (REV..HEAD), whatever the CI environment says.")
    var since: String?

    @Option(help: "Also write a SARIF report to this file (for code-scanning upload).")
    var sarif: String?

    @OptionGroup var scanOptions: ScanOptionGroup
    @OptionGroup var baseline: BaselineOption
    @OptionGroup var failOnError: FailOnErrorOption
    @OptionGroup var output: OutputOptions

    /// The commit range to scan and where it came from, for the summary.
    struct Range: Equatable {
        var base: String?
        var origin: String
    }

    /// Works out the range from flags and the CI environment (pure, so tests can feed it).
    static func range(since: String?, environment: [String: String], readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }) -> Range {
        if let since { return Range(base: since, origin: "--since") }
        let zeros = { (sha: String) in sha.allSatisfy { $0 == "0" } }
        if environment["GITHUB_ACTIONS"] == "true" {
            let event = environment["GITHUB_EVENT_PATH"].flatMap(readFile)
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            if let pull = event?["pull_request"] as? [String: Any], let base = pull["base"] as? [String: Any],
               let sha = base["sha"] as? String, !sha.isEmpty {
                return Range(base: sha, origin: "GitHub pull request base")
            }
            if let ref = environment["GITHUB_BASE_REF"], !ref.isEmpty {
                return Range(base: "origin/\(ref)", origin: "GitHub pull request target branch")
            }
            if let before = event?["before"] as? String, !before.isEmpty, !zeros(before) {
                return Range(base: before, origin: "GitHub push")
            }
        }
        if environment["GITLAB_CI"] == "true" {
            for key in ["CI_MERGE_REQUEST_DIFF_BASE_SHA", "CI_MERGE_REQUEST_TARGET_BRANCH_SHA", "CI_COMMIT_BEFORE_SHA"] {
                if let sha = environment[key], !sha.isEmpty, !zeros(sha) {
                    return Range(base: sha, origin: key == "CI_COMMIT_BEFORE_SHA" ? "GitLab push" : "GitLab merge request base")
                }
            }
        }
        return Range(base: nil, origin: "no range from the CI environment: all of HEAD's history")
    }

    func run() throws {
        guard let found = GitRepository.discover(containing: repository) else {
            throw CLIError("\(repository) is not a git repository; run leakward ci in the checked-out repository")
        }
        let range = Self.range(since: since, environment: ProcessInfo.processInfo.environment)
        let selection: GitHistorySource.Selection = range.base.map { .range(base: $0, tip: "HEAD") } ?? .refs(["HEAD"])
        var setup = try ScanSetup(options: scanOptions, roots: [found.workdir ?? repository], baseline: baseline.baseline)
        setup.showProgress(for: output)
        let source = setup.session.history(repositoryPath: found.workdir ?? found.gitDirectory, root: repository,
                                           selection: selection)
        let report = try setup.run([source], roots: [repository], output: output)
        if let planning = report.errors.first(where: { $0.level == .error && $0.stage == .git }) {
            throw CLIError("cannot scan \(range.base.map { "\($0)..HEAD" } ?? "HEAD"): \(planning.reason). "
                           + "If this is a shallow clone, fetch the history (fetch-depth: 0 on GitHub, GIT_DEPTH: 0 on GitLab) or pass --since REV")
        }
        if let sarif { try AtomicFile.write(SARIFReportWriter().render(report), to: sarif) }
        try output.write(report)
        let failOn = setup.config.failOn
        let failing = report.credentials.filter { $0.severity >= failOn }
        let failingConfig = report.configProblems.filter { $0.severity >= failOn }
        // Annotations go to stdout, so only when stdout is not carrying a machine-readable report.
        if ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true" && (output.output != nil || output.format == .text) {
            Self.annotate(report, failOn: failOn)
        }
        var summary = "leakward ci: \(range.base.map { "\($0.prefix(12))..HEAD" } ?? "HEAD") (\(range.origin)): "
        summary += failing.isEmpty ? "no new secrets" : "\(failing.count) new secret(s) at or above \(failOn.name)"
        let quieter = report.credentials.count - failing.count
        if quieter > 0 { summary += ", \(quieter) below \(failOn.name)" }
        if report.unscannedInputs > 0 { summary += "; \(ScanIssue.unscannedPhrase(report.unscannedInputs)) (see the report)" }
        if !report.isComplete { summary += "; interrupted, incomplete" }
        if !failingConfig.isEmpty { summary += "; \(failingConfig.count) config problem(s) at or above \(failOn.name)" }
        summary += "; \(report.stats.blobsScanned) blob(s) scanned, \(report.stats.baselined) baselined, \(report.stats.suppressed) allowed inline or by config."
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        if let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
            Self.appendJobSummary(summary, failing: failing, to: path)
        }
        if !report.isComplete { throw ExitCode(Interruption.exitCode) }
        if failOnError.failOnError && report.unscannedInputs > 0 { throw LeakwardExit.failure }
        throw failing.isEmpty && failingConfig.isEmpty ? LeakwardExit.clean : LeakwardExit.findings
    }

    /// A Markdown table on the GitHub Actions run page (redacted, like every output).
    static func appendJobSummary(_ summary: String, failing: [Credential], to path: String) {
        var text = "### Leakward\n\n\(summary)\n\n"
        if !failing.isEmpty {
            text += "| severity | rule | secret | where |\n|---|---|---|---|\n"
            for credential in failing {
                // Every cell from the scanned content is escaped for a Markdown table.
                let place = credential.locations.first.map { InertText.codeSpan("\($0.displayPath):\($0.line)") } ?? ""
                text += "| \(credential.severity.name) | \(InertText.markdown(credential.ruleName)) (\(InertText.codeSpan(credential.ruleID))) "
                text += "| \(InertText.codeSpan(credential.preview)) | \(place) |\n"
            }
            text += "\nRotate each credential, then remove it. Not a secret? Add a `leakward:allow` comment on its line.\n"
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try? handle.close()
    }

    /// GitHub Actions workflow commands: an error annotation on each line that adds a secret.
    static func annotate(_ report: ScanReport, failOn: Severity) {
        for finding in report.findings where finding.severity >= failOn {
            let location = finding.location
            let message = "\(InertText.visible(finding.ruleName)): \(InertText.visible(finding.preview)) (\(InertText.visible(finding.ruleID))). Rotate it, then remove it; if it is not a secret, add a leakward:allow comment."
            // An archive member or decoded text is annotated on its container file, at no line
            // (the line counts in decoded text); a commit message has no file at all.
            let file = escape(InertText.visible(location.origin.displayPath), property: true)
            var place = ""
            switch location.origin {
            case .commitMessage, .unreachableBlob: place = ""
            case .file, .history: place = location.members.isEmpty && location.decoders.isEmpty ? "file=\(file),line=\(location.line)," : "file=\(file),"
            }
            print("::error \(place)title=Leakward \(escape(InertText.visible(finding.ruleID), property: true))::\(escape(message, property: false))")
        }
    }

    /// The escaping GitHub's workflow commands expect.
    static func escape(_ text: String, property: Bool) -> String {
        var out = text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
        if property { out = out.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C") }
        return out
    }
}
