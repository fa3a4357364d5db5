import LeakwardModel
import LeakwardSupport

/// The terminal report: one block per credential, most severe first, secrets redacted.
public struct TextReportWriter: ReportWriter {
    public static let formatName = "text"
    public var usesColor: Bool
    /// List every skipped input, not only the counts.
    public var isVerbose: Bool

    public init(usesColor: Bool = false, isVerbose: Bool = false) {
        self.usesColor = usesColor
        self.isVerbose = isVerbose
    }

    public func render(_ report: ScanReport) throws -> String {
        var out = ""
        for credential in report.credentials {
            let badge = paint("[\(credential.severity.name.uppercased())]", color(for: credential.severity))
            // Every string from the scanned content goes through `InertText.visible`: a name cannot
            // colour the terminal or start a line a CI runner reads as a command.
            out += "\(badge) \(InertText.visible(credential.ruleName)) (\(InertText.visible(credential.ruleID)))\(kindSuffix(credential.kind))\n"
            out += "    secret     \(InertText.visible(credential.preview))  sha256:\(credential.secretSHA256.prefix(12))\n"
            if !credential.variables.isEmpty { out += "    variable   \(InertText.visible(credential.variables.joined(separator: ", ")))\n" }
            if credential.validation != .unchecked { out += "    validation \(credential.validation.rawValue)\n" }
            if let verification = credential.verification {
                var line = "    provider   \(verification.status.rawValue) (\(verification.host): \(InertText.visible(verification.detail)))"
                if let identity = verification.identity { line += " as \(InertText.visible(identity))" }
                out += line + "\n"
            }
            let locations = TextReportWriter.joiningHistory(credential.locations)
            for location in locations.prefix(20) {
                out += "    at         \(describe(location))\n"
            }
            if locations.count > 20 { out += "    …and \(locations.count - 20) more locations\n" }
            let notes = Set(report.findings.filter { $0.secretSHA256 == credential.secretSHA256 }.flatMap(\.notes)).sorted()
            for note in notes { out += "    note       \(InertText.visible(note))\n" }
            out += "\n"
        }
        let problems = report.configProblems
        if !problems.isEmpty {
            out += "Config problems\n"
            for problem in problems {
                let badge = paint("[\(problem.severity.name.uppercased())]", color(for: problem.severity))
                out += "\(badge) \(problem.kind.rawValue): \(InertText.visible(problem.ruleName)) (\(InertText.visible(problem.ruleID)))\n"
                out += "    at         \(describe(problem.location))\n"
                out += "    found      \(InertText.visible(problem.preview))\(problem.variable.map { "  (\(InertText.visible($0)))" } ?? "")\n"
                for note in problem.notes { out += "    note       \(InertText.visible(note))\n" }
            }
            out += "\n"
        }
        out += summary(report)
        return out
    }

    /// A working-tree file whose content is a history blob is one line: the file, with the
    /// history's commit details (the JSON report keeps both sightings).
    static func joiningHistory(_ locations: [Finding.Location]) -> [Finding.Location] {
        var history: [ObjectID: Finding.Location] = [:]
        for location in locations where location.commit != nil {
            if let blob = location.blob, history[blob] == nil { history[blob] = location }
        }
        var joined = Set<ObjectID>()
        var result: [Finding.Location] = []
        for var location in locations where location.commit == nil {
            if let blob = location.blob, let past = history[blob], past.offset == location.offset {
                location.commit = past.commit
                joined.insert(blob)
            }
            result.append(location)
        }
        return result + locations.filter { location in location.commit != nil && !(location.blob.map(joined.contains) ?? false) }
    }

    public func describe(_ location: Finding.Location) -> String {
        var text = "\(InertText.visible(location.displayPath)):\(location.line):\(location.column)"
        if !location.decoders.isEmpty { text += " via " + InertText.visible(location.decoders.map(\.description).joined(separator: " → ")) }
        if let commit = location.commit {
            text += " (commit \(InertText.visible(commit.id.short)) by \(InertText.visible(commit.author)), \(InertText.visible(String(commit.date.prefix(10))))"
            text += commit.isInHEAD ? ", still in HEAD" : ", history only"
            if let versions = commit.versions, let last = commit.lastCommit {
                text += ", in \(versions) versions until \(InertText.visible(last.short))"
            }
            if let others = commit.paths?.filter({ $0.path != location.displayPath }), !others.isEmpty {
                let shown = others.prefix(3).map { "\(InertText.visible($0.path)) since \(InertText.visible(String($0.commit.prefix(10))))" }
                let more = (commit.pathCount ?? commit.paths!.count) - 1 - shown.count
                text += ", also at " + shown.joined(separator: ", ") + (more > 0 ? " and \(more) more paths" : "")
            }
            if commit.reach == .unreachable {
                text += ", reachable from no ref (still served by commit id until garbage collection)"
            } else if commit.reach != .defaultBranch, !commit.refs.isEmpty {
                text += ", only on \(InertText.visible(commit.refs.joined(separator: ", ")))"
                let more = (commit.refCount ?? commit.refs.count) - commit.refs.count
                if more > 0 { text += " and \(more) more" }
            }
            text += ")"
        } else if location.isUntracked == true {
            text += " (untracked)"
        }
        if let output = location.buildOutput {
            text += " [\(output.framework) \(output.side == .client ? "client" : "server") build output]"
        }
        return text
    }

    private func summary(_ report: ScanReport) -> String {
        var out = summaryTable(report.credentials)
        let counts = Severity.allCases.reversed().compactMap { severity -> String? in
            let n = report.credentials.filter { $0.severity == severity }.count
            return n == 0 ? nil : paint("\(n) \(severity.name)", color(for: severity))
        }
        let stats = report.stats
        let scanned = stats.filesScanned + stats.blobsScanned
        let unscanned = report.unscannedInputs
        let skippedCount = report.errors.filter { $0.level == .skipped }.count
        if report.credentials.isEmpty && unscanned > 0 {
            // Never "No secrets found" alone when part of the input was not looked at.
            out += paint(ScanIssue.unscannedPhrase(unscanned), "31") + " (listed below); "
            out += "no secrets found in the \(scanned) inputs that were (\(megabytes(stats.bytesScanned)))"
        } else if report.credentials.isEmpty {
            out += paint("No secrets found", "32") + " in \(scanned) inputs (\(megabytes(stats.bytesScanned)))"
        } else {
            out += "\(report.credentials.count) credential\(report.credentials.count == 1 ? "" : "s") "
            out += "(\(counts.joined(separator: ", "))) in \(report.findings.count - report.configProblems.count) location\(report.findings.count == 1 ? "" : "s"); "
            out += "scanned \(scanned) inputs (\(megabytes(stats.bytesScanned)))"
        }
        out += " in \(String(format1(stats.durationSeconds)))s"
        if unscanned > 0 && !report.credentials.isEmpty { out += "; " + paint(ScanIssue.unscannedPhrase(unscanned), "31") }
        if skippedCount > 0 { out += "; \(skippedCount) skipped" }
        if !report.isComplete { out += "; " + paint("interrupted, incomplete", "33") }
        out += ".\n"
        let problems = report.configProblems
        if !problems.isEmpty {
            let byLevel = Severity.allCases.reversed().compactMap { severity -> String? in
                let n = problems.filter { $0.severity == severity }.count
                return n == 0 ? nil : paint("\(n) \(severity.name)", color(for: severity))
            }
            out += "\(problems.count) config problem\(problems.count == 1 ? "" : "s") (\(byLevel.joined(separator: ", "))).\n"
        }
        if !report.credentials.isEmpty {
            out += "Not a secret? Add a `leakward:allow` comment on its line (or the line before), or allow it in .leakward.toml.\n"
        }
        if stats.suppressed > 0 { out += "\(stats.suppressed) finding(s) suppressed by allow markers or allowlists.\n" }
        if stats.allowlistedPaths > 0 { out += "\(stats.allowlistedPaths) path(s) not read: a config's allowlist paths name them.\n" }
        if stats.baselined > 0 { out += "\(stats.baselined) finding(s) already in the baseline, not reported.\n" }
        if !report.isComplete { out += paint("Scan interrupted: the results above are partial.", "33") + "\n" }
        let errors = report.errors.filter { $0.level == .error }
        let skipped = report.errors.filter { $0.level == .skipped }
        for issue in errors.prefix(isVerbose ? Int.max : 20) {
            out += paint("error", "31") + ": \(InertText.visible(issue.path)): \(issue.stage): \(InertText.visible(issue.reason))\n"
        }
        if !isVerbose && errors.count > 20 { out += "…and \(errors.count - 20) more errors (see --verbose or the JSON report)\n" }
        if !skipped.isEmpty {
            if isVerbose {
                for issue in skipped { out += "skipped: \(InertText.visible(issue.path)): \(InertText.visible(issue.reason))\n" }
            } else {
                var byReason: [String: Int] = [:]
                for issue in skipped { byReason[issue.reason, default: 0] += 1 }
                let parts = byReason.sorted { $0.key < $1.key }.map { "\($0.value) \(InertText.visible($0.key))" }
                out += "Skipped \(skipped.count) input(s): \(parts.joined(separator: "; ")) (--verbose lists them).\n"
            }
        }
        return out
    }

    /// Where a credential is most exposed, for the summary table.
    enum Channel: String, CaseIterable {
        case committed = "committed (in HEAD)"
        case staged = "staged"
        case historyOnly = "git history only"
        case untracked = "untracked files"
        case files = "files"

        init(_ location: Finding.Location) {
            if let commit = location.commit {
                self = commit.isInHEAD ? .committed : .historyOnly
            } else if let untracked = location.isUntracked {
                self = untracked ? .untracked : .committed
            } else if location.blob != nil {
                self = .staged
            } else {
                self = .files
            }
        }
    }

    /// Credentials by severity (columns) and channel (rows), each counted once where it is most
    /// exposed. Only rows that have credentials are shown.
    func summaryTable(_ credentials: [Credential]) -> String {
        guard credentials.count > 1 else { return "" }
        var counts: [Channel: [Severity: Int]] = [:]
        for credential in credentials {
            let channel = credential.locations.map(Channel.init).min { Channel.allCases.firstIndex(of: $0)! < Channel.allCases.firstIndex(of: $1)! } ?? .files
            counts[channel, default: [:]][credential.severity, default: 0] += 1
        }
        let severities = Array(Severity.allCases.reversed())
        let width = Channel.allCases.map(\.rawValue.count).max()!
        var out = "".padding(toLength: width, withPad: " ", startingAt: 0)
        for severity in severities { out += "  " + paint(severity.name.leftPadded(8), color(for: severity)) }
        out += "\n"
        for channel in Channel.allCases {
            guard let row = counts[channel] else { continue }
            out += channel.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            for severity in severities {
                let n = row[severity] ?? 0
                out += "  " + (n == 0 ? paint("0".leftPadded(8), "2") : paint(String(n).leftPadded(8), color(for: severity)))
            }
            out += "\n"
        }
        return out + "\n"
    }

    private func kindSuffix(_ kind: FindingKind) -> String {
        switch kind {
        case .secret: ""
        case .weakSecret: " — weak secret"
        case .testKey: " — test key"
        case .publicByDesign: " — public by design"
        case .hardcodedFallback: " — hard-coded fallback of an environment variable"
        case .passwordHash: " — password hash (crackable offline: change the password)"
        default: " — \(kind.rawValue)"
        }
    }

    private func color(for severity: Severity) -> String {
        switch severity {
        case .critical: "1;31"
        case .high: "31"
        case .medium: "33"
        case .low: "36"
        case .info: "2"
        }
    }

    private func paint(_ text: String, _ code: String) -> String {
        usesColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func megabytes(_ bytes: Int) -> String {
        bytes >= 1_048_576 ? "\(format1(Double(bytes) / 1_048_576)) MB" : "\(format1(Double(bytes) / 1024)) KB"
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

func format1(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}
