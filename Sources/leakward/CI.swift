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
            The range comes from, in order: --range BASE..TIP or --since REV; GitHub Actions (the \
            pull request's base commit from GITHUB_EVENT_PATH, else origin/$GITHUB_BASE_REF, else the \
            push's `before`); GitLab CI (CI_MERGE_REQUEST_DIFF_BASE_SHA, else CI_COMMIT_BEFORE_SHA). \
            Without any, the whole history of HEAD is scanned. A push's `before` that is gone \
            (force-pushed away) is replaced by the merge base with the default branch, and the \
            summary says so. The clone needs the base commit: use fetch-depth: 0 (GitHub) or \
            GIT_DEPTH: 0 (GitLab).

            The change cannot switch its own gate off: .leakward.toml, .gitleaks.toml and a \
            committed --baseline are read as they are at the base commit. A change that edits them \
            is reported (the entries it adds and the findings they would hide); land such an edit \
            on the base branch first. Findings listed in the base's baseline and findings below its \
            [ci] fail_on do not fail the run.

            Exit codes: 0 no new findings, 1 new findings, 2 usage or fatal error (including a \
            range that cannot be resolved), 130 interrupted.
            """)

    @Argument(help: "The repository.")
    var repository: String = "."

    @Option(help: "Scan commits after REV (REV..HEAD), whatever the CI environment says.")
    var since: String?

    @Option(help: "Scan the commits of BASE..TIP (BASE.. means BASE..HEAD), whatever the CI environment says.")
    var range: String?

    @Option(help: "Also write a SARIF report to this file (for code-scanning upload).")
    var sarif: String?

    @OptionGroup var scanOptions: ScanOptionGroup
    @OptionGroup var baseline: BaselineOption
    @OptionGroup var failOnError: FailOnErrorOption
    @OptionGroup var output: OutputOptions

    /// The commit range to scan and where it came from, for the summary.
    struct Range: Equatable {
        var base: String?
        var tip = "HEAD"
        var origin: String
        /// A push's `before`: it may have been force-pushed away, and then the merge base with
        /// the default branch stands in for it.
        var isPush = false
        /// The default branch the CI event names (`repository.default_branch`), if any.
        var defaultBranch: String?
    }

    /// Works out the range from flags and the CI environment (pure, so tests can feed it).
    static func range(since: String?, range: String? = nil, environment: [String: String],
                      readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }) -> Range {
        if let range, let split = range.range(of: "..") {
            let tip = String(range[split.upperBound...])
            return Range(base: String(range[..<split.lowerBound]), tip: tip.isEmpty ? "HEAD" : tip, origin: "--range")
        }
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
                let repository = event?["repository"] as? [String: Any]
                return Range(base: before, origin: "GitHub push", isPush: true,
                             defaultBranch: repository?["default_branch"] as? String)
            }
        }
        if environment["GITLAB_CI"] == "true" {
            for key in ["CI_MERGE_REQUEST_DIFF_BASE_SHA", "CI_MERGE_REQUEST_TARGET_BRANCH_SHA", "CI_COMMIT_BEFORE_SHA"] {
                if let sha = environment[key], !sha.isEmpty, !zeros(sha) {
                    let isPush = key == "CI_COMMIT_BEFORE_SHA"
                    return Range(base: sha, origin: isPush ? "GitLab push" : "GitLab merge request base", isPush: isPush,
                                 defaultBranch: environment["CI_DEFAULT_BRANCH"].flatMap { $0.isEmpty ? nil : $0 })
                }
            }
        }
        return Range(base: nil, origin: "no range from the CI environment: all of HEAD's history")
    }

    /// A push whose `before` commit is gone (force-pushed away, so no clone holds it): the
    /// merge base of the tip with the default branch stands in, and the summary says so. When
    /// the push was to the default branch itself, that base is the tip and the whole history
    /// of the tip is scanned instead; never an empty range.
    static func fallback(for range: Range, in repository: GitRepository) -> Range? {
        guard range.isPush, let before = range.base, !repository.resolves(before) else { return nil }
        let candidates = (range.defaultBranch.map { ["origin/\($0)", $0] } ?? []) + ["origin/HEAD", "origin/main", "origin/master", "main", "master"]
        var fallback = range
        fallback.isPush = false
        let gone = "the push's before commit \(before.prefix(12)) is not in this clone (force-pushed away?)"
        for branch in candidates where repository.resolves(branch) {
            guard let base = repository.mergeBase(branch, range.tip) else { continue }
            if base == repository.commitID(range.tip) {
                fallback.base = nil
                fallback.origin = "\(range.origin); \(gone); the tip is on \(branch): all of its history"
            } else {
                fallback.base = base
                fallback.origin = "\(range.origin); \(gone): from the merge base with \(branch)"
            }
            return fallback
        }
        fallback.base = nil
        fallback.origin = "\(range.origin); \(gone) and no default branch to start from: all of the tip's history"
        return fallback
    }

    func validate() throws {
        if since != nil && range != nil { throw ValidationError("--since and --range both name the range; give one") }
        if let range, !range.contains("..") || range.hasPrefix("..") || range.contains("...") {
            throw ValidationError("--range takes BASE..TIP (or BASE.. for BASE..HEAD), e.g. --range origin/main..HEAD")
        }
    }

    func run() throws {
        guard let found = GitRepository.discover(containing: repository) else {
            throw CLIError("\(repository) is not a git repository; run leakward ci in the checked-out repository")
        }
        var range = Self.range(since: since, range: self.range, environment: ProcessInfo.processInfo.environment)
        if let fallback = Self.fallback(for: range, in: found) { range = fallback }
        let shownRange = range.base.map { "\($0.prefix(12))..\(range.tip)" } ?? range.tip
        let hint = range.isPush ? "the push's before commit may have been force-pushed away, and no default branch was found to start from"
            : "if this is a shallow clone, fetch the history (fetch-depth: 0 on GitHub, GIT_DEPTH: 0 on GitLab) or pass --since REV"
        for revision in [range.base, range.tip].compactMap({ $0 }) where !found.resolves(revision) {
            throw CLIError("cannot scan \(shownRange): '\(InertText.visible(revision))' names no commit in this clone; \(hint)")
        }
        // The config, gitleaks config and baseline that decide what passes are the base's: a change
        // cannot allowlist its own secret. What it does to them is reported below.
        let gate = try range.base.map { base in
            do {
                return try GateFiles.read(repository: found, baseRevision: base, configPath: scanOptions.config, baselinePath: baseline.baseline)
            } catch {
                throw CLIError("\(error)")
            }
        }
        let selection: GitHistorySource.Selection = range.base.map { .range(base: $0, tip: range.tip) } ?? .refs([range.tip])
        let top = found.workdir ?? repository
        var setup = try ScanSetup(options: scanOptions, roots: [top], baseline: baseline.baseline, pinned: gate?.base)
        setup.showProgress(for: output)
        let source = setup.session.history(repositoryPath: found.workdir ?? found.gitDirectory, root: repository,
                                           selection: selection)
        let report = try setup.run([source], roots: [repository], output: output)
        if let planning = report.errors.first(where: { $0.level == .error && $0.stage == .git }) {
            throw CLIError("cannot scan \(shownRange): \(planning.reason); \(hint)")
        }
        let review = gate.map { reviewChanges($0, report: report, top: top, selection: selection, setup: setup) }
            ?? GateReview(allowedInline: report.allowedInline)
        if let sarif { try AtomicFile.write(SARIFReportWriter().render(report), to: sarif) }
        try output.write(report)
        let failOn = setup.config.failOn
        let failing = report.credentials.filter { $0.severity >= failOn }
        let failingConfig = report.configProblems.filter { $0.severity >= failOn }
        // Annotations go to stdout, so only when stdout is not carrying a machine-readable report.
        if ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true" && (output.output != nil || output.format == .text) {
            Self.annotate(report, failOn: failOn)
            Self.annotate(review)
        }
        var summary = "leakward ci: \(shownRange) (\(range.origin)): "
        summary += failing.isEmpty ? "no new secrets" : "\(failing.count) new secret(s) at or above \(failOn.name)"
        let quieter = report.credentials.count - failing.count
        if quieter > 0 { summary += ", \(quieter) below \(failOn.name)" }
        if report.unscannedInputs > 0 { summary += "; \(ScanIssue.unscannedPhrase(report.unscannedInputs)) (see the report)" }
        if !report.isComplete { summary += "; interrupted, incomplete" }
        if !failingConfig.isEmpty { summary += "; \(failingConfig.count) config problem(s) at or above \(failOn.name)" }
        let stats = report.stats
        summary += "; \(stats.blobsScanned) blob(s) scanned, \(stats.baselined) baselined, \(stats.suppressed) allowed inline or by config"
        if stats.allowlistedPaths > 0 { summary += ", \(stats.allowlistedPaths) path(s) allowed by allowlist paths (not read)" }
        summary += "."
        let lines = [summary] + review.lines
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        if let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
            Self.appendJobSummary(lines, failing: failing, to: path)
        }
        if !report.isComplete { throw ExitCode(Interruption.exitCode) }
        if failOnError.failOnError && report.unscannedInputs > 0 { throw LeakwardExit.failure }
        throw failing.isEmpty && failingConfig.isEmpty ? LeakwardExit.clean : LeakwardExit.findings
    }

    /// What the change does to the gate's own files, for the summary and the annotations.
    struct GateReview {
        var changes: [GateFiles.Change] = []
        /// Findings the change's own files would hide (found with the base's files).
        var hidden: [Finding] = []
        /// Why the hidden findings could not be worked out (the change's config does not load).
        var problem: String?
        /// Findings the range's own `leakward:allow` comments allow: allowed, but a reviewer
        /// should see each one.
        var allowedInline: [Finding] = []
        /// How many allows are listed one by one; the rest are counted.
        static let listedAllows = 20

        /// One line per edited file and per hidden finding, inert.
        var lines: [String] {
            var lines: [String] = []
            for change in changes {
                let adds = change.added.isEmpty ? "no allowlist or baseline entry added" : "adds " + change.added.joined(separator: ", ")
                lines.append("leakward ci: this change edits \(InertText.visible(change.file)) (\(adds)); "
                             + "the gate reads it as it is at the base commit")
            }
            if let problem { lines.append("leakward ci: the change's own config does not load (\(InertText.visible(problem)))") }
            for finding in hidden {
                lines.append("leakward ci: the change's edits would hide \(InertText.visible(finding.ruleID)) "
                             + "\(InertText.visible(finding.preview)) at \(InertText.visible(finding.location.displayPath)):\(finding.location.line)")
            }
            for finding in allowedInline.prefix(GateReview.listedAllows) {
                lines.append("leakward ci: allowed inline (leakward:allow) in this range: \(InertText.visible(finding.ruleID)) "
                             + "\(InertText.visible(finding.preview)) at \(InertText.visible(finding.location.displayPath)):\(finding.location.line)")
            }
            if allowedInline.count > GateReview.listedAllows {
                lines.append("leakward ci: and \(allowedInline.count - GateReview.listedAllows) more allowed inline in this range")
            }
            return lines
        }
    }

    /// When the change edits the gate's files, scans the range again with the change's own files
    /// and lists what they would hide.
    func reviewChanges(_ gate: GateFiles, report: ScanReport, top: String, selection: GitHistorySource.Selection,
                       setup: ScanSetup) -> GateReview {
        var review = GateReview(changes: gate.changes, allowedInline: report.allowedInline)
        guard !gate.changes.isEmpty else { return review }
        do {
            var settings = scanOptions.settings(baseline: baseline.baseline)
            settings.pinnedFiles = gate.head
            let interruption = setup.interruption
            let session = try ScanSession(settings: settings, roots: [top], isCancelled: { interruption.isInterrupted })
            let source = session.history(repositoryPath: top, root: repository, selection: selection)
            let headReport = try session.run([source], roots: [repository], version: LeakwardVersion.current)
            review.hidden = GateFiles.hidden(in: report, comparedWith: headReport)
        } catch {
            review.problem = "\(error)"
        }
        return review
    }

    /// A Markdown table on the GitHub Actions run page (redacted, like every output).
    static func appendJobSummary(_ lines: [String], failing: [Credential], to path: String) {
        var text = "### Leakward\n\n" + lines.map(InertText.markdown).joined(separator: "\n\n") + "\n\n"
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

    /// A warning on each gate file the change edits, and an error on each finding its edits
    /// would hide (found with the base's files, so also reported above).
    static func annotate(_ review: GateReview) {
        for change in review.changes {
            let adds = change.added.isEmpty ? "no allowlist or baseline entry added" : "adds " + change.added.joined(separator: ", ")
            print("::warning file=\(escape(InertText.visible(change.file), property: true)),title=Leakward gate file edited::"
                  + escape("This change edits \(InertText.visible(change.file)) (\(adds)). The gate reads it as it is at the base commit; land it separately to apply it.", property: false))
        }
        for finding in review.allowedInline {
            let location = finding.location
            let place = location.members.isEmpty && location.decoders.isEmpty ? ",line=\(location.line)" : ""
            print("::warning file=\(escape(InertText.visible(location.origin.displayPath), property: true))\(place),title=Leakward allowed inline::"
                  + escape("\(InertText.visible(finding.ruleID)) \(InertText.visible(finding.preview)) is allowed by a leakward:allow comment in this range; make sure it is not a real secret.", property: false))
        }
        for finding in review.hidden {
            print("::error file=\(escape(InertText.visible(finding.location.origin.displayPath), property: true)),title=Leakward hidden by this change::"
                  + escape("\(InertText.visible(finding.ruleID)) \(InertText.visible(finding.preview)) would be hidden by this change's own allowlist or baseline edits.", property: false))
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
