import Foundation

/// The files that decide what a scan reports and lets pass (`.leakward.toml`, `.gitleaks.toml`
/// and the baseline) as text, each with the path it is known by. A session reads them from disk
/// unless a command pins them (`ci`: as they are at the range's base commit).
public struct ProjectFiles: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        /// Where the file is (or was): messages name it, and a config's directory is where its
        /// allowlist paths and `[rules] extra` start.
        public var path: String
        public var text: String

        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    public var config: File?
    public var gitleaks: File?
    public var baseline: File?

    public init(config: File? = nil, gitleaks: File? = nil, baseline: File? = nil) {
        self.config = config
        self.gitleaks = gitleaks
        self.baseline = baseline
    }
}

/// The gate's answer to a change that switches itself off. A pull request that adds a token
/// and, in the same commit, an allowlist for it must still fail: so `ci` reads the files that
/// decide what passes as they are at the range's base commit (`base`), and says what the
/// change does to them (`changes`), so a reviewer sees an allowlist being widened.
/// A file git has never held at the base or at HEAD (a baseline the CI job writes, a config
/// passed from outside the repository) is not part of the change and is read from disk.
public struct GateFiles: Sendable {
    /// One edited file: what it is and the entries the change adds to it.
    public struct Change: Sendable, Equatable {
        /// The file, relative to the repository's top.
        public var file: String
        /// One phrase per entry the change adds or loosens (`allowlist path "deploy.sh"`).
        public var added: [String]
    }

    /// What the scan obeys: each file as at the base commit (absent there: none).
    public let base: ProjectFiles
    /// The same files as the change leaves them (the work tree).
    public let head: ProjectFiles
    public let changes: [Change]

    /// Reads the gate's files for the range `baseRevision..HEAD` of `repository`. `configPath`
    /// and `baselinePath` are what the user named (nil: the top's `.leakward.toml` and
    /// `.gitleaks.toml`; no baseline).
    public static func read(repository: GitRepository, baseRevision: String, configPath: String?,
                            baselinePath: String?) throws(SessionError) -> GateFiles {
        guard let top = repository.workdir.map({ ScanSession.resolved($0) }) else {
            throw SessionError("\(repository.gitDirectory) is a bare repository: ci needs a checked-out work tree")
        }
        var base = ProjectFiles(), head = ProjectFiles()
        var changes: [Change] = []
        /// One file: its base and head texts, and whether the change edits it.
        func pin(_ path: String, role: WritableKeyPath<ProjectFiles, ProjectFiles.File?>) throws(SessionError) {
            let onDisk = (try? String(contentsOfFile: path, encoding: .utf8)).map { ProjectFiles.File(path: path, text: $0) }
            head[keyPath: role] = onDisk
            let real = ScanSession.resolved(path)
            guard real.hasPrefix(top + "/") else {
                base[keyPath: role] = onDisk
                return
            }
            let relative = String(real.dropFirst(top.count + 1))
            let atBase: [UInt8]?, atHead: [UInt8]?
            do {
                atBase = try repository.fileBytes(atPath: relative, inRevision: baseRevision)
                atHead = try repository.fileBytes(atPath: relative, inRevision: "HEAD")
            } catch {
                throw SessionError("cannot read \(relative) at \(baseRevision): \(error)")
            }
            guard atBase != nil || atHead != nil else {
                base[keyPath: role] = onDisk
                return
            }
            base[keyPath: role] = atBase.map { ProjectFiles.File(path: path, text: String(decoding: $0, as: UTF8.self)) }
            if base[keyPath: role]?.text != onDisk?.text {
                changes.append(Change(file: relative, added: GateFiles.added(from: base[keyPath: role], to: onDisk, relative: relative)))
            }
        }
        if let configPath {
            let text = (try? String(contentsOfFile: configPath, encoding: .utf8)) ?? ""
            try pin(configPath, role: GitleaksConfig.looksLikeGitleaks(text: text, path: configPath) ? \.gitleaks : \.config)
        } else {
            try pin(top + "/.leakward.toml", role: \.config)
            try pin(top + "/.gitleaks.toml", role: \.gitleaks)
        }
        if let baselinePath { try pin(baselinePath, role: \.baseline) }
        return GateFiles(base: base, head: head, changes: changes)
    }

    /// The entries `new` adds to `old` that can let a finding pass, one phrase each.
    static func added(from old: ProjectFiles.File?, to new: ProjectFiles.File?, relative: String) -> [String] {
        guard let new else { return ["removes the file"] }
        if relative.hasSuffix(".json") || (try? Baseline.parse(new.text, path: relative)) != nil {
            guard let newer = try? Baseline.parse(new.text, path: relative) else { return ["makes the baseline unreadable"] }
            let known = Set(((old.flatMap { try? Baseline.parse($0.text, path: relative) })?.entries ?? []).map(\.fingerprint))
            return newer.entries.filter { !known.contains($0.fingerprint) }
                .map { "baseline entry \(InertText.visible($0.rule)) at \(InertText.visible($0.path))" }
        }
        if GitleaksConfig.looksLikeGitleaks(text: new.text, path: relative) {
            return ["gitleaks rules or allowlists (\(old == nil ? "a new file" : "edited"))"]
        }
        guard let newer = try? ProjectConfig.parse(new.text, path: relative) else { return ["a config that does not load"] }
        let older = (old.flatMap { try? ProjectConfig.parse($0.text, path: relative) }) ?? ProjectConfig()
        var added: [String] = []
        let quoted = { (text: String) in "\"\(InertText.visible(text))\"" }
        added += newer.allowlistPaths.filter { !older.allowlistPaths.contains($0) }.map { "allowlist path \(quoted($0))" }
        added += newer.allowlistRegexes.filter { !older.allowlistRegexes.contains($0) }.map { "allowlist regex \(quoted($0))" }
        if newer.allowsUnreachable && !older.allowsUnreachable { added.append("allowlist of objects no ref reaches (unreachable = true)") }
        added += newer.allowlistObjects.filter { !older.allowlistObjects.contains($0) }.map { "allowlist object \(quoted($0))" }
        added += newer.disabledRules.filter { !older.disabledRules.contains($0) }.map { "disabled rule \(quoted($0))" }
        for (rule, patterns) in newer.ruleAllowlists.sorted(by: { $0.key < $1.key }) {
            let old = older.ruleAllowlists[rule] ?? []
            added += patterns.filter { !old.contains($0) }.map { "allowlist of rule \(quoted(rule)): \(quoted($0))" }
        }
        for (rule, severity) in newer.severityOverrides.sorted(by: { $0.key < $1.key }) where older.severityOverrides[rule] != severity {
            added.append("severity of \(quoted(rule)) set to \(severity.name)")
        }
        if newer.failOn > older.failOn { added.append("[ci] fail_on raised from \(older.failOn.name) to \(newer.failOn.name)") }
        added += newer.extraRulePaths.filter { !older.extraRulePaths.contains($0) }.map { "extra rules \(quoted($0))" }
        return added
    }

    /// The findings of `report` (made with the base's files) that a report made with the
    /// change's own files lacks: what the change's edits would hide.
    public static func hidden(in report: ScanReport, comparedWith headReport: ScanReport) -> [Finding] {
        struct Key: Hashable { var rule: String, secret: String, path: String, line: Int }
        let key = { (finding: Finding) in
            Key(rule: finding.ruleID, secret: finding.secretSHA256, path: finding.location.displayPath, line: finding.location.line)
        }
        let kept = Set(headReport.findings.map(key))
        return report.findings.filter { !kept.contains(key($0)) }
    }
}
