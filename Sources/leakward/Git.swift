import ArgumentParser
import Foundation
import LeakwardCore

struct Git: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git",
        abstract: "Scan a repository's history: every blob reachable from every ref, each once, plus commit messages.",
        discussion: """
            Findings carry the commit that first introduced the secret, its author and date, whether \
            it is still in HEAD, and which refs reach it: the strongest kind (default branch, branch, \
            tag, other refs such as pull-request refs), how many, and a few names (every one with \
            --all-refs).

              leakward git                      the whole history of the repository here
              leakward git --staged             pre-commit: only lines added in the index
              leakward git --since origin/main  CI: blobs added by commits after origin/main
              leakward git --range A..B         blobs added by the commits of A..B

            Exit codes: 0 no findings, 1 findings, 2 usage or fatal error, 130 interrupted.
            """)

    @Argument(help: "The repository: a work tree, a bare repository or a linked worktree.")
    var repository: String = "."

    @Option(name: [.customLong("branch"), .customLong("ref")],
            help: "Scan only what this revision reaches (repeatable; default: every ref).")
    var refs: [String] = []

    @Flag(help: "Scan what is staged in the index against HEAD, reporting only added lines. Walks no history.")
    var staged = false

    @Option(help: "Scan only blobs introduced by commits after REV (REV..HEAD).")
    var since: String?

    @Option(help: "Scan only blobs introduced by commits in A..B.")
    var range: String?

    @Flag(help: "Match every blob's whole content, not only the lines changed since the blob it replaced (slower; same findings).")
    var fullBlobs = false

    @Flag(name: .customLong("no-commit-messages"), help: "Do not scan commit messages.")
    var noCommitMessages = false

    @Flag(help: "Skip objects no ref reaches (by default commits and blobs left by force-pushes, deleted branches or dropped pull requests are scanned too).")
    var reachableOnly = false

    @Flag(help: "Name every ref that reaches each sighting, not only the default branch and the shortest few.")
    var allRefs = false

    @Flag(help: "Also scan the history of every initialised submodule (its paths shown under the submodule's path).")
    var recurseSubmodules = false

    @OptionGroup var scanOptions: ScanOptionGroup
    @OptionGroup var baseline: BaselineOption
    @OptionGroup var failOnError: FailOnErrorOption
    @OptionGroup var output: OutputOptions

    func validate() throws {
        let modes = [staged, since != nil, range != nil, !refs.isEmpty].filter { $0 }.count
        guard modes <= 1 else { throw ValidationError("use only one of --staged, --since, --range, --branch/--ref") }
        if recurseSubmodules && (staged || since != nil || range != nil) {
            throw ValidationError("--recurse-submodules scans whole histories; it does not combine with --staged, --since or --range")
        }
        if let range, parseRange(range) == nil { throw ValidationError("--range takes A..B, got '\(range)'") }
    }

    func parseRange(_ text: String) -> (base: String, tip: String)? {
        guard let dots = text.range(of: ".."), !text.contains("...") else { return nil }
        let base = String(text[..<dots.lowerBound]), tip = String(text[dots.upperBound...])
        guard !base.isEmpty else { return nil }
        return (base, tip.isEmpty ? "HEAD" : tip)
    }

    var selection: GitHistorySource.Selection {
        if staged { return .staged }
        if let since { return .range(base: since, tip: "HEAD") }
        if let range, let parsed = parseRange(range) { return .range(base: parsed.base, tip: parsed.tip) }
        if !refs.isEmpty { return .refs(refs) }
        return .allRefs
    }

    /// Origins name the repository as typed, so shown paths open from the current directory.
    func history(_ path: String, selection: GitHistorySource.Selection, setup: ScanSetup, prefix: String) -> GitHistorySource {
        var source = setup.session.history(repositoryPath: path, root: repository, selection: selection, pathPrefix: prefix,
                                           scansCommitMessages: !noCommitMessages, readsFullBlobs: fullBlobs,
                                           followsSubmodules: recurseSubmodules, includesUnreachable: !reachableOnly)
        source.listsAllRefs = allRefs
        return source
    }

    /// Every ref of each initialised submodule (and theirs, a few levels deep), paths shown
    /// under the submodule's path; one that is not initialised is recorded as skipped.
    func submoduleSources(of repository: GitRepository, setup: ScanSetup, prefix: String, depth: Int) -> [any Source] {
        var sources: [any Source] = []
        for submodule in repository.submodules() {
            let shown = prefix + submodule.path
            guard depth < 8, let path = submodule.repositoryPath, let nested = try? GitRepository(path: path) else {
                let reason = depth < 8 ? "submodule is not initialised (git submodule update --init); not scanned"
                                       : "submodule nested more than 8 deep; not scanned"
                sources.append(IssueSource(issues: [ScanIssue(path: shown, level: .skipped, stage: .git, reason: reason)]))
                continue
            }
            sources.append(history(path, selection: .allRefs, setup: setup, prefix: shown + "/"))
            sources += submoduleSources(of: nested, setup: setup, prefix: shown + "/", depth: depth + 1)
        }
        return sources
    }

    func run() throws {
        guard let found = GitRepository.discover(containing: repository) else {
            throw CLIError("\(repository) is not a git repository")
        }
        var setup = try ScanSetup(options: scanOptions, roots: [found.workdir ?? repository], baseline: baseline.baseline)
        setup.showProgress(for: output)
        let source = history(found.workdir ?? found.gitDirectory, selection: selection, setup: setup, prefix: "")
        // A mistyped --since in CI must fail loudly, not report a clean scan of nothing.
        if let problem = source.fatalProblem { throw CLIError(problem) }
        var sources: [any Source] = [source]
        if recurseSubmodules { sources += submoduleSources(of: found, setup: setup, prefix: "", depth: 0) }
        let report = try setup.run(sources, roots: [repository], output: output)
        try output.write(report)
        let exit = output.exitCode(for: report, failOn: setup.config.failOn, failOnError: failOnError.failOnError)
        if staged && exit == LeakwardExit.findings {
            FileHandle.standardError.write(Data("""
                leakward: commit blocked: the staged changes add \(report.credentials.count) secret(s).
                Remove them from the files (and rotate any that were ever pushed or shared), then stage again.

                """.utf8))
        }
        // As `scan` does: the history plan (every listed blob with its path, the commit graph,
        // the tree summaries) is left to the exit rather than freed one by one first, which took
        // a tenth of a second of one core after a Rails history's report was written.
        withExtendedLifetime((report, sources)) { Foundation.exit(exit.rawValue) }
    }
}
