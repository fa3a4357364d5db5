import ArgumentParser
import Foundation
import LeakwardCore

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan files and directories (honouring .gitignore, always reading .env files).",
        discussion: """
            A directory that is the top of a git repository is scanned with its history (--no-git: \
            only the files). Binaries are searched for printable strings, matched only with token \
            formats that have a prefix or checksum of their own.

            Many repositories: --repos FILE scans each listed work tree or bare repository (history \
            and files, paths shown under the repository's path), each with its own .leakward.toml and \
            .gitleaks.toml (a bare repository's from HEAD; --config applies to all instead); --shard I/N scans only the I-th of N \
            shards (0-based, by a stable hash of each listed path), for one process per shard on a \
            cluster; `leakward merge` joins the shards' JSON reports. See docs/scale/.

            Exit codes: 0 no findings, 1 findings, 2 usage or fatal error, 130 interrupted.
            """)

    @Argument(help: "Files or directories to scan.")
    var paths: [String] = []

    @Option(help: "Scan the repositories listed in FILE (one work tree or bare repository per line; # starts a comment).")
    var repos: String?

    @Option(help: "With --repos: scan only shard I of N, 0 <= I < N (e.g. 3/16).")
    var shard: String?

    @Flag(help: "With --repos: print the repositories of the shard, one per line, and scan nothing (to fetch them first).")
    var listShard = false

    @Flag(help: "In the history, name every ref that reaches each sighting, not only the default branch and the shortest few.")
    var allRefs = false

    @OptionGroup var scanOptions: ScanOptionGroup
    @OptionGroup var baseline: BaselineOption
    @OptionGroup var failOnError: FailOnErrorOption
    @OptionGroup var history: HistoryOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var verifyOptions: VerifyOptions

    /// `sources` with every history naming all the refs that reach a sighting (`--all-refs`).
    static func listingAllRefs(_ sources: [any Source], _ allRefs: Bool) -> [any Source] {
        guard allRefs else { return sources }
        return sources.map { source in
            guard var history = source as? GitHistorySource else { return source }
            history.listsAllRefs = true
            return history
        }
    }

    /// `I/N` as (index, count).
    static func parseShard(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count > 0, index >= 0, index < count else { return nil }
        return (index, count)
    }

    func validate() throws {
        if allRefs && history.noGit { throw ValidationError("--all-refs is about the history, which --no-git leaves out") }
        if repos != nil && !paths.isEmpty { throw ValidationError("give either PATHs or --repos, not both") }
        if (shard != nil || listShard) && repos == nil { throw ValidationError("--shard and --list-shard need --repos") }
        if let shard, Scan.parseShard(shard) == nil { throw ValidationError("--shard takes I/N with 0 <= I < N, got '\(shard)'") }
    }

    func run() throws {
        if let repos { return try scanRepositories(listedIn: repos) }
        let paths = self.paths.isEmpty ? ["."] : self.paths
        var setup = try ScanSetup(options: scanOptions, roots: paths, baseline: baseline.baseline)
        setup.showProgress(for: output)
        let sources = setup.session.sources(for: paths, includesHistory: !history.noGit, includesUnreachable: !history.reachableOnly,
                                            ignorePolicy: history.ignorePolicy)
        // A JSON report's project facts are read from what the scan listed: the tree is walked once.
        var listings: [TreeListing]? = output.format == .json ? [] : nil
        var report = try setup.run(Scan.listingAllRefs(sources, allRefs), roots: paths, output: output, listings: &listings)
        let verifications = try verifyOptions.results(for: report.findings)
        for index in report.credentials.indices { report.credentials[index].verification = verifications[report.credentials[index].secretSHA256] }
        // A JSON report carries what `plan --from` needs, so the plan never reads this tree again.
        var facts = ScanTimings()
        let project = output.format == .json ? ProjectFactsReader.onEveryCore().gather(roots: paths, findings: report.findings, listings: listings ?? []) : nil
        if project != nil { report.timings.append(facts.lap("project facts", phase: .writing)) }
        try output.write(report, project: project)
        let code = output.exitCode(for: report, failOn: setup.config.failOn, failOnError: failOnError.failOnError)
        // The process ends here, with the report written: the scan's tables (every listed file,
        // the texts kept for the project facts) are left to the exit rather than freed one by
        // one first, which was a tenth of a monorepo scan's single-threaded tail. Exited directly:
        // ArgumentParser's exit(withError:) works out the command's usage text even for a bare code.
        withExtendedLifetime((report, listings, project, sources)) { Foundation.exit(code.rawValue) }
    }

    /// Each repository obeys its own `.leakward.toml` and `.gitleaks.toml`; --config applies to all instead.
    func scanRepositories(listedIn file: String) throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError("cannot read repository list \(file)") }
        let list = RepositoryList(text: text)
        let (index, count) = shard.flatMap(Scan.parseShard) ?? (0, 1)
        let selected = list.paths(inShard: index, of: count)
        if listShard {
            for path in selected { print(path) }
            return
        }
        var setup = try ScanSetup(options: scanOptions, roots: [], baseline: baseline.baseline)
        setup.showProgress(for: output)
        let report = try setup.runRepositories(selected, includesUnreachable: !history.reachableOnly, output: output) {
            Scan.listingAllRefs($0, allRefs)
        }
        try output.write(report)
        throw output.exitCode(for: report, failOn: setup.config.failOn, failOnError: failOnError.failOnError)
    }
}
