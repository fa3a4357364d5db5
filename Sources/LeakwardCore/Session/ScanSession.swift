import Foundation
import LeakwardDecoders
import LeakwardFindings
import LeakwardInputs
import LeakwardMatching
import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// The one composition root of a scan, shared by every command (scan, git, ci, plan,
/// baseline): it finds the project config (the nearest `.leakward.toml` and `.gitleaks.toml`
/// from the first root up to the top of its repository, or the file named), layers a gitleaks config over the built-in rules, loads the
/// baseline, builds the sources for directories and repositories, and runs the pipeline.
///
/// It never prints and never exits: what a person should hear comes back as `notices`, and
/// every failure is one `SessionError` with a one-line message.
public struct ScanSession: Sendable {
    /// Everything a command can say about rules, config, limits and the baseline.
    public struct Settings: Sendable {
        /// Directories or TOML files of rules added to (or replacing) the built-in ones.
        public var ruleFiles: [String] = []
        /// A `.leakward.toml` or a gitleaks config; nil: look for both from the first root upwards.
        public var configPath: String?
        public var maxFileSize = 100 * 1024 * 1024
        public var blobTimeLimit: Double = 60
        public var workers = ScanOptions.defaultWorkerCount
        /// A baseline file: its findings are left out of the report and counted.
        public var baselinePath: String?
        /// The config, gitleaks config and baseline as given, instead of read from disk
        /// (`ci`: as they are at the range's base commit, see `GateFiles`).
        public var pinnedFiles: ProjectFiles?

        public init() {}
    }

    /// Something a person should know that did not stop the session.
    public struct Notice: Sendable, Hashable, CustomStringConvertible {
        public enum Level: String, Sendable { case note, warning }
        public var level: Level
        public var text: String
        public var description: String { "\(level.rawValue): \(text)" }
    }

    public let settings: Settings
    public let config: ProjectConfig
    public let rules: RuleSet
    /// The config checks of `rules/checks/`, with the config's disabled ids and severities applied.
    public let checks: ConfigCheckSet
    /// The decoders every blob goes through.
    public let decoders: [any ContentDecoder]
    /// Which history blobs may be matched only where they changed: built once from `rules`
    /// and `decoders` (the same list the pipeline runs), handed to every history source.
    public let partialMatching: PartialMatching
    public let baseline: Baseline?
    public let notices: [Notice]
    /// The directory of the `.leakward.toml` in use: its allowlist paths are relative to it.
    public let configDirectory: String?
    /// The directory of the gitleaks config in use: its path regexes are relative to it.
    public let gitleaksDirectory: String?
    /// The built-in rules' patterns, which the tests compile: a rule with one of them is
    /// compiled the first time its keyword occurs, not before the scan (`CompiledRules`).
    let builtInPatterns: Set<String>
    /// Polled by the history's planning walk, matching and provenance: an interrupt is
    /// honoured in every phase.
    public let isCancelled: @Sendable () -> Bool
    /// Told where the scan is (from the history walk on); set it before building sources.
    public var progress: (@Sendable (ScanProgress) -> Void)?

    /// Checks the roots, reads config, rules and baseline. A root that does not exist or
    /// cannot be opened is an error: scanning nothing and reporting "no secrets" would be a
    /// false all-clear (`-` is standard input).
    public init(settings: Settings, roots: [String], isCancelled: @escaping @Sendable () -> Bool = { false }) throws(SessionError) {
        try ScanSession.checkRoots(roots)
        let (builtIn, files) = try ScanSession.startUp(settings: settings, roots: roots)
        self.settings = settings
        self.isCancelled = isCancelled
        builtInPatterns = Set(builtIn.rules.rules.map(\.pattern))
        var notices: [Notice] = []
        baseline = try files.baseline.map(ScanSession.parseBaseline)
        let configPath = files.config?.path
        let gitleaksPath = files.gitleaks?.path
        let config = try ScanSession.parseConfig(files.config)
        // `[rules] extra` paths are relative to the config file, wherever leakward runs from.
        let configDirectory = configPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? "."
        let extra = config.extraRulePaths.map { $0.hasPrefix("/") ? $0 : configDirectory + "/" + $0 }
        do {
            var ruleSet = try RuleSet.builtIn(builtIn.rules, addingFilesIn: extra + settings.ruleFiles)
            if let gitleaksPath {
                var gitleaks = try GitleaksConfig.parse(files.gitleaks?.text ?? "", path: gitleaksPath)
                notices += gitleaks.warnings.map { Notice(level: .warning, text: $0) }
                if !gitleaks.extendsDefaults && gitleaks.rules.isEmpty {
                    // Allowlists and no rule (the common `.gitleaks.toml` that only quiets known
                    // files): taken literally no rule runs and every scan reports nothing, whatever
                    // the files hold. Its allowlists are read as additions to the defaults.
                    gitleaks.extendsDefaults = true
                    notices.append(Notice(level: .note, text: "\(gitleaksPath) has no rules and does not extend the defaults: its allowlists apply to the built-in rules (with no rule at all nothing would be found)"))
                } else if !gitleaks.extendsDefaults {
                    notices.append(Notice(level: .note, text: "\(gitleaksPath) does not extend the defaults ([extend] useDefault = true): only its \(gitleaks.rules.count) rules run"))
                }
                ruleSet = try ScanSession.combine(ruleSet, with: gitleaks)
            }
            let builtInChecks = builtIn.checks
            rules = try config.apply(to: ruleSet, checks: builtInChecks)
            checks = try config.apply(to: builtInChecks)
        } catch {
            throw SessionError(describing: error, reading: "config")
        }
        self.config = config
        self.notices = notices
        decoders = Decoders.standard
        partialMatching = PartialMatching(rules: rules, decoders: decoders)
        self.configDirectory = configPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        self.gitleaksDirectory = gitleaksPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
    }

    /// The built-in rules and checks (they depend on no file, parsed once) and the project's
    /// files, on two cores at once: finding the files sets libgit2 up (about 3 ms: it reads the
    /// system's CA certificates) and looks for the top of the repository, while the rule files
    /// are parsed (about 4 ms). Both are done when this returns, so nothing of the session's
    /// start runs on after it (a session that fails at once must exit cleanly). A rule error
    /// comes first, as when they ran one after the other.
    static func startUp(settings: Settings, roots: [String]) throws(SessionError)
        -> (builtIn: (rules: RuleSet, checks: ConfigCheckSet), files: ProjectFiles) {
        typealias Parts = (builtIn: Result<(rules: RuleSet, checks: ConfigCheckSet), SessionError>?,
                           files: Result<ProjectFiles, SessionError>?)
        let parts = Parallel.run(pieces: 2, workers: settings.pinnedFiles == nil ? 2 : 1, start: { Parts(nil, nil) }, piece: { parts, piece in
            if piece == 0 {
                parts.builtIn = Result { () throws(SessionError) in
                    do {
                        return (try RuleSet.builtIn(), try ConfigCheckSet.builtIn())
                    } catch {
                        throw SessionError(describing: error, reading: "config")
                    }
                }
            } else {
                parts.files = Result { () throws(SessionError) in
                    if let pinned = settings.pinnedFiles { return pinned }
                    return try ScanSession.readFiles(settings: settings, roots: roots)
                }
            }
        }, finish: { $0 })
        let builtIn = try parts.lazy.compactMap(\.builtIn).first!.get()
        let files = try parts.lazy.compactMap(\.files).first!.get()
        return (builtIn, files)
    }

    static func checkRoots(_ roots: [String]) throws(SessionError) {
        for root in roots where root != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
                throw SessionError("\(root) does not exist (nothing was scanned)")
            }
            let readable = isDirectory.boolValue ? (try? FileManager.default.contentsOfDirectory(atPath: root)) != nil
                                                 : FileManager.default.isReadableFile(atPath: root)
            guard readable else { throw SessionError("\(root) cannot be opened (nothing was scanned)") }
        }
    }

    /// The files a session obeys, read from disk. A named config is either a .leakward.toml or
    /// a gitleaks config; without one, both are looked for from the scanned path upwards to the
    /// top of its repository, so `scan src/` obeys the project's config as `scan .` does.
    static func readFiles(settings: Settings, roots: [String]) throws(SessionError) -> ProjectFiles {
        func read(_ path: String, what: String) throws(SessionError) -> ProjectFiles.File {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SessionError(what == "baseline" ? "cannot read baseline \(path); create it with `leakward baseline create -o \(path)`"
                                                      : "cannot read \(what) \(path)")
            }
            return ProjectFiles.File(path: path, text: text)
        }
        var files = ProjectFiles()
        files.config = try ScanSession.discoverFile(".leakward.toml", roots: roots).map { path throws(SessionError) in try read(path, what: "config") }
        files.gitleaks = try ScanSession.discoverFile(".gitleaks.toml", roots: roots).map { path throws(SessionError) in try read(path, what: "config") }
        if let given = settings.configPath {
            let file = try read(given, what: "config")
            if GitleaksConfig.looksLikeGitleaks(text: file.text, path: given) { files.gitleaks = file } else { files.config = file }
        }
        files.baseline = try settings.baselinePath.map { path throws(SessionError) in try read(path, what: "baseline") }
        return files
    }

    /// A project config, or the defaults when there is none.
    static func parseConfig(_ file: ProjectFiles.File?) throws(SessionError) -> ProjectConfig {
        guard let file else { return ProjectConfig() }
        do {
            return try ProjectConfig.parse(file.text, path: file.path)
        } catch {
            throw SessionError(describing: error, reading: "config \(file.path)")
        }
    }

    /// Leakward's rules with a gitleaks config layered on: its rules added (alone, when it does
    /// not extend the defaults, as gitleaks itself would run them), its global allowlists attached.
    public static func combine(_ ruleSet: RuleSet, with gitleaks: GitleaksConfig) throws -> RuleSet {
        var base = ruleSet
        if gitleaks.extendsDefaults {
            base = base.removing(ids: Set(gitleaks.disabledBuiltInRules))
        } else {
            base = base.removing(ids: Set(try RuleSet.builtIn().rules.map(\.id)))
        }
        var rules = try base.merging(gitleaks.rules).rules
        for index in rules.indices {
            for (targets, allowlist) in gitleaks.globalAllowlists where targets?.contains(rules[index].id) ?? true {
                rules[index].allowlists.append(allowlist)
            }
        }
        return try RuleSet(rules: rules)
    }

    /// `name` (`.leakward.toml`, `.gitleaks.toml`) in the first scanned directory (a file's own
    /// directory) or the nearest directory above it, up to the top of the enclosing repository,
    /// or up to `/` outside one.
    static func discoverFile(_ name: String, roots: [String]) -> String? {
        guard let root = roots.first, root != "-" else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else { return nil }
        let start = isDirectory.boolValue ? root : URL(fileURLWithPath: root).deletingLastPathComponent().path
        let atRoot = start.hasSuffix("/") ? start + name : start + "/" + name
        if FileManager.default.fileExists(atPath: atRoot) { return atRoot }
        // A bare repository's top is its own directory (a config above it belongs to something
        // else, as above a work tree's top).
        let top = GitRepository.discover(containing: start).map { resolved($0.workdir ?? $0.gitDirectory) }
        var directory = resolved(start)
        while directory != top && directory != "/" {
            directory = URL(fileURLWithPath: directory).deletingLastPathComponent().path
            let candidate = (directory == "/" ? "" : directory) + "/" + name
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// `path` absolute, symbolic links resolved, no trailing slash.
    public static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Where `root`'s directory sits under the config's directory ("src/", or "" when it is not
    /// under it): the config's allowlist paths are matched from there.
    public func excludedBase(of root: String) -> String { ScanSession.place(of: root, under: configDirectory) }

    private func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Where `root`'s directory sits under `directory` ("src/", or "" when it is not under it).
    static func place(of root: String, under directory: String?) -> String {
        guard let directory, root != "-" else { return "" }
        let base = ScanSession.resolved(directory)
        var isDirectory: ObjCBool = false
        let isFolder = FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) && isDirectory.boolValue
        let own = isFolder ? root : URL(fileURLWithPath: root).deletingLastPathComponent().path
        let real = ScanSession.resolved(own)
        guard real.hasPrefix(base + "/") else { return "" }
        return String(real.dropFirst(base.count + 1)) + "/"
    }

    public static func loadBaseline(_ path: String) throws(SessionError) -> Baseline {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SessionError("cannot read baseline \(path); create it with `leakward baseline create -o \(path)`")
        }
        return try parseBaseline(ProjectFiles.File(path: path, text: text))
    }

    static func parseBaseline(_ file: ProjectFiles.File) throws(SessionError) -> Baseline {
        do {
            return try Baseline.parse(file.text, path: file.path)
        } catch {
            throw SessionError(describing: error, reading: "baseline \(file.path)")
        }
    }

    // MARK: - Sources


    /// The sources for directories and files: each path's working tree (`ignorePolicy`: how
    /// `.gitignore` applies, build output read by default) and, when the path is the top of a
    /// repository and `includesHistory`, its history (with the objects no ref reaches unless
    /// `includesUnreachable` is false).
    public func sources(for paths: [String], includesHistory: Bool = true, includesUnreachable: Bool = true,
                        ignorePolicy: ShippedOutput.Policy = .readShippedOutput) -> [any Source] {
        paths.flatMap { path -> [any Source] in
            var tree = WorkingTreeSource(root: path, maxFileSize: settings.maxFileSize, excludedGlobs: config.allowlistPaths,
                                         excludedBase: excludedBase(of: path), policy: ignorePolicy, workers: settings.workers)
            // File sizes are for the progress line only: without one, no stat per file.
            tree.measuresSizes = progress != nil
            guard includesHistory else { return [tree] }
            guard let history = GitHistorySource.forRoot(path, excludedGlobs: config.allowlistPaths,
                                                         partialMatching: partialMatching, includesUnreachable: includesUnreachable,
                                                         workers: settings.workers, isCancelled: isCancelled, progress: progress) else {
                return [tree] + (GitHistorySource.damagedRepository(at: path).map { [IssueSource(issues: [$0])] } ?? [])
            }
            return [history, tree]
        }
    }

    /// The sources of one repository of a `--repos` list: its history (origins name the
    /// repository as listed, so repositories never share a path) and, for a work tree, its
    /// files. A line that names no repository is a recorded error; the others are scanned.
    public func repositorySources(for path: String, includesUnreachable: Bool = true) -> [any Source] {
        guard let found = GitRepository.discover(containing: path),
              let history = GitHistorySource.forRoot(path, excludedGlobs: config.allowlistPaths, partialMatching: partialMatching,
                                                     includesUnreachable: includesUnreachable, workers: settings.workers,
                                                     isCancelled: isCancelled, progress: progress) else {
            return [IssueSource(issues: [ScanIssue(path: path, level: .error, stage: .repos,
                                                   reason: "not the top of a git work tree or a bare repository; not scanned")])]
        }
        guard found.workdir != nil else { return [history] }
        return [history, WorkingTreeSource(root: path, maxFileSize: settings.maxFileSize, excludedGlobs: config.allowlistPaths,
                                           workers: settings.workers)]
    }

    /// The session a repository of a `--repos` list obeys, as `leakward scan REPO` would: its
    /// own `.leakward.toml` and `.gitleaks.toml` (a work tree's at its top, a bare
    /// repository's from HEAD's tree, where a mirror keeps them), with this session's rules
    /// files, limits and baseline. Nil when it has none (this session serves), when a
    /// `--config` applies to every repository, or when `path` names no repository (its
    /// sources record that). A config of its own that does not load is an error.
    public func repositorySession(for path: String) throws(SessionError) -> ScanSession? {
        guard settings.configPath == nil, settings.pinnedFiles == nil, let found = GitRepository.discover(containing: path) else { return nil }
        var files = try ScanSession.readFiles(settings: settings, roots: [])   // the baseline
        if let top = found.workdir {
            guard ScanSession.resolved(top) == ScanSession.resolved(path) else { return nil }
            let own = try ScanSession.readFiles(settings: settings, roots: [path])
            files.config = own.config
            files.gitleaks = own.gitleaks
        } else {
            let shown = path.hasSuffix("/") ? path : path + "/"
            for (name, role) in [(".leakward.toml", \ProjectFiles.config), (".gitleaks.toml", \ProjectFiles.gitleaks)] {
                guard let bytes = (try? found.fileBytes(atPath: name, inRevision: "HEAD")) ?? nil else { continue }
                files[keyPath: role] = ProjectFiles.File(path: shown + name, text: String(decoding: bytes, as: UTF8.self))
            }
        }
        guard files.config != nil || files.gitleaks != nil else { return nil }
        var settings = self.settings
        settings.pinnedFiles = files
        var session = try ScanSession(settings: settings, roots: [path], isCancelled: isCancelled)
        session.progress = progress
        return session
    }

    /// A repository's history: `repositoryPath` is what libgit2 opens, `root` what origins name
    /// (the repository as the user typed it; a superproject's, with `pathPrefix`, for a submodule).
    public func history(repositoryPath: String, root: String, selection: GitSelection = .allRefs, pathPrefix: String = "",
                        scansCommitMessages: Bool = true, readsFullBlobs: Bool = false,
                        followsSubmodules: Bool = false, includesUnreachable: Bool = true) -> GitHistorySource {
        GitHistorySource(repositoryPath: repositoryPath, selection: selection, excludedGlobs: config.allowlistPaths,
                         scansCommitMessages: scansCommitMessages, partialMatching: readsFullBlobs ? .off : partialMatching,
                         root: root, pathPrefix: pathPrefix,
                         followsSubmodules: followsSubmodules, includesUnreachable: includesUnreachable,
                         workers: settings.workers, isCancelled: isCancelled, progress: progress)
    }

    // MARK: - Running

    /// The pipeline these rules and limits make, for sources under `roots`.
    public func pipeline(roots: [String] = []) throws(SessionError) -> ScanPipeline {
        var options = ScanOptions(workerCount: settings.workers, maxFileSize: settings.maxFileSize, decoders: decoders)
        options.allowlistRegexes = config.allowlistRegexes
        if gitleaksDirectory != nil {
            for root in roots {
                let base = ScanSession.place(of: root, under: gitleaksDirectory)
                // Keyed by the root findings' origins name: a file's own directory for a file.
                if !base.isEmpty { options.allowlistBases[isFile(root) ? Origin.namedFile(root).root : root] = base }
            }
        }
        options.blobTimeLimit = settings.blobTimeLimit
        options.isCancelled = isCancelled
        options.progress = progress
        do {
            options.checks = try CompiledChecks(checks)
            // The rules' keyword automaton is built once, with the checks' keywords folded in.
            return try ScanPipeline(rules: CompiledRules(rules, sideKeywords: options.checks.keywordList, compilingOnFirstUse: builtInPatterns),
                                    options: options)
        } catch {
            throw SessionError(describing: error, reading: "rules")
        }
    }

    /// Scans `sources` and builds the report, leaving baselined findings out (and counted);
    /// `groupsVersions`: one sighting for a secret kept in many versions of one file.
    public func run(_ sources: [any Source], roots: [String], version: String, groupsVersions: Bool = true) throws(SessionError) -> ScanReport {
        var listings: [TreeListing]?
        return try run(sources, roots: roots, version: version, groupsVersions: groupsVersions, listings: &listings)
    }

    /// The same, handing back what working-tree sources listed when `listings` is not nil
    /// (the project facts of a JSON report are read from it instead of a second walk).
    public func run(_ sources: [any Source], roots: [String], version: String, groupsVersions: Bool = true,
                    listings: inout [TreeListing]?) throws(SessionError) -> ScanReport {
        // The sources planned before this (a history's walk): their steps come first.
        var timings = ScanTimings()
        var steps = ScanTimings()
        for source in sources { steps.append(source.timings) }
        var pipeline = try pipeline(roots: roots)
        timings.lap("compile rules", phase: nil)
        pipeline.options.keepsTreeListings = listings != nil
        let outcome = pipeline.run(sources)
        timings.append(outcome.timings)
        timings.restart()
        if listings != nil { listings = outcome.treeListings }
        var stats = outcome.stats
        // Objects a config allows by id or as unreachable: known only once provenance ran.
        var (findings, allowed) = ObjectAllowlist(config).filter(outcome.findings)
        stats.suppressed += allowed
        if let baseline { (findings, stats.baselined) = baseline.filter(findings) }
        // A Rails master key and the credentials file beside it: one credential that says what it opens.
        var pairing = RailsKeyPairing()
        findings = pairing.pair(findings)
        // A project whose README declares it a deliberately vulnerable training app: its lessons at info.
        var trainingApps = TrainingApps(rules: rules)
        findings = trainingApps.judge(findings)
        // A password hash of a well-known default (`admin`) in a file of defaults: a published default.
        findings = DefaultPasswordCheck(workers: settings.workers).judge(findings)
        // A JWT that had expired long before it was committed (or scanned) authenticates nothing.
        let expiredTokens = ExpiredTokens.bundled, now = Date()
        // A generated signing secret in the current version of an env template is its own sample.
        findings = TemplateSigningKeys.judged(findings.map { expiredTokens.judged($0, now: now) })
        var report = ScanReport(version: version, isComplete: outcome.isComplete, roots: roots,
                                findings: findings, stats: stats, errors: outcome.issues, groupsVersions: groupsVersions)
        report.allowedInline = outcome.allowedInline
        report.rootPaths = roots.map { $0 == "-" ? $0 : URL(fileURLWithPath: $0).standardizedFileURL.path }
        timings.lap("report assembled", phase: .writing, note: "\(report.credentials.count) credentials")
        steps.append(timings)
        report.timings = steps
        return report
    }
}

/// Why a session could not start or run: one line for a person.
public struct SessionError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }

    /// The one mapping of rule, config, baseline and file errors to a message.
    public init(describing error: any Error, reading what: String) {
        switch error {
        case let error as SessionError: self = error
        case let error as RuleError: description = error.description
        case let error as ProjectConfig.ConfigError: description = error.description
        case let error as Baseline.FormatError: description = error.description
        default: description = "cannot read \(what): \(error.localizedDescription)"
        }
    }
}
