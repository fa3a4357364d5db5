import Foundation
import Testing

/// Many repositories on a cluster: each shard is its own `leakward scan --repos --shard`
/// process, and `leakward merge` of their reports equals one scan over every repository.
@Suite struct ShardMergeTests {
    /// Four repositories (one bare, two sharing a secret), a missing one, comments and blanks.
    private static func fixtures() throws -> (list: String, repos: [GitFixture], shared: String, root: Scratch) {
        let shared = GitFixture.token(21)
        var repos: [GitFixture] = []
        for n in 0..<4 {
            let repo = try GitFixture()
            try repo.commit("init \(n)", files: ["README.md": "repo \(n)\n"])
            try repo.commit("config", files: ["app.cfg": "key = \"\(GitFixture.token(30 + n))\"\n"])
            if n == 1 || n == 3 { try repo.commit("shared", files: ["shared.env": "TOKEN=\(shared)\n"]) }
            repos.append(repo)
        }
        let root = try Scratch()
        let bare = root.path + "/bare.git"
        try GitFixture.run(["clone", "-q", "--bare", repos[3].path, bare], in: root.path)
        let paths = repos.prefix(3).map(\.path) + [bare, root.path + "/missing"]
        let list = "# organisation\n\n" + paths.joined(separator: "\n") + "\n"
        try root.write("repos.txt", list)
        return (root.path + "/repos.txt", repos, shared, root)
    }

    /// The report without what differs between runs (durations), every array sorted by its
    /// elements' canonical JSON (the order shards finish in is not the order one scan lists
    /// things in), as canonical JSON: two reports compare equal byte for byte only when every
    /// finding, credential, location, error and counter is the same.
    private static func comparable(_ text: String) throws -> String {
        var report = try CLI.json(text)
        var stats = report["stats"] as? [String: Any] ?? [:]
        stats["duration_seconds"] = nil
        report["stats"] = stats
        func canonical(_ value: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]), as: UTF8.self)
        }
        func sorted(_ value: Any) throws -> Any {
            if let object = value as? [String: Any] { return try object.mapValues(sorted) }
            if let array = value as? [Any] { return try array.map(sorted).map { ($0, try canonical($0)) }.sorted { $0.1 < $1.1 }.map(\.0) }
            return value
        }
        let data = try JSONSerialization.data(withJSONObject: try sorted(report), options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: [2, 3]) func mergedShardsEqualOneScan(shards: Int) throws {
        let fixture = try Self.fixtures()
        let (list, shared, root) = (fixture.list, fixture.shared, fixture.root)
        let one = try CLI.run(["scan", "--repos", list, "--format", "json"])
        #expect(one.status == 1)
        let whole = try CLI.json(one.stdout)
        // One credential for the secret two repositories share, with every location: the work
        // tree's history and file, and the bare repository's history.
        let credentials = whole["credentials"] as? [[String: Any]] ?? []
        let sharedCredential = try #require(credentials.first { $0["secret_sha256"] as? String == GitCommandTests.sha(shared) })
        let paths = (sharedCredential["locations"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(paths.count == 3)
        #expect(paths.contains { $0.hasPrefix(root.path + "/bare.git/") })
        #expect((whole["errors"] as? [[String: Any]])?.contains { ($0["path"] as? String)?.hasSuffix("/missing") == true } == true)

        var parts: [String] = []
        for index in 0..<shards {
            let file = root.path + "/shard-\(index).json"
            let shard = try CLI.run(["scan", "--repos", list, "--shard", "\(index)/\(shards)", "--format", "json", "-o", file])
            #expect(shard.status <= 1, "\(shard.stderr)")
            parts.append(file)
        }
        let merged = root.path + "/merged.json"
        let merge = try CLI.run(["merge"] + parts + ["-o", merged])
        #expect(merge.status == 1, "\(merge.stderr)")
        let mergedText = try String(contentsOfFile: merged, encoding: .utf8)
        #expect(try Self.comparable(mergedText) == (try Self.comparable(one.stdout)))

        // The plan reads the merged report.
        let plan = try CLI.run(["plan", "--from", merged])
        #expect(plan.status <= 1, "\(plan.stderr)")
        #expect(plan.stdout.contains("sha256:\(GitCommandTests.sha(shared).prefix(12))"))
        withExtendedLifetime(fixture) {}
    }

    @Test func badShardAndUnreadableReportAreClearErrors() throws {
        let fixture = try Self.fixtures()
        let (list, root) = (fixture.list, fixture.root)
        let bad = try CLI.run(["scan", "--repos", list, "--shard", "3/3"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--shard takes I/N"))
        try root.write("broken.json", "{ not json")
        let merge = try CLI.run(["merge", root.path + "/broken.json"])
        #expect(merge.status == 2)
        #expect(merge.stderr.contains("cannot read report"))
        withExtendedLifetime(fixture) {}
    }
}

extension ShardMergeTests {
    /// Every listed line is in exactly one shard, and --list-shard prints it there.
    @Test func listShardSplitsTheListWithoutOverlap() throws {
        let fixture = try Self.fixtures()
        let list = fixture.list
        var seen: [String] = []
        for index in 0..<3 {
            let listed = try CLI.run(["scan", "--repos", list, "--shard", "\(index)/3", "--list-shard"])
            #expect(listed.status == 0)
            seen += listed.stdout.split(separator: "\n").map(String.init)
        }
        let lines = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n")
            .map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        #expect(seen.sorted() == lines.sorted())
        withExtendedLifetime(fixture) {}
    }
}

extension ShardMergeTests {
    /// Each listed repository obeys its own `.leakward.toml` (a bare one's from HEAD), as
    /// `leakward scan REPO` would; one whose config does not load is an error and the rest are
    /// scanned; `--config` applies one config to every repository instead.
    @Test func eachRepositoryObeysItsOwnConfig() throws {
        let allowedHere = GitFixture.token(51), elsewhere = GitFixture.token(52), kept = GitFixture.token(53), broken = GitFixture.token(54)
        let own = try GitFixture()
        try own.commit("init", files: [".leakward.toml": "[allowlist]\npaths = [\"app.cfg\"]\n",
                                       "app.cfg": "key = \"\(allowedHere)\"\n", "other.cfg": "key = \"\(kept)\"\n"])
        let plain = try GitFixture()
        try plain.commit("init", files: ["app.cfg": "key = \"\(elsewhere)\"\n"])
        let misconfigured = try GitFixture()
        try misconfigured.commit("init", files: [".leakward.toml": "[allowlist]\npath = [\"app.cfg\"]\n",
                                                 "app.cfg": "key = \"\(broken)\"\n"])
        let root = try Scratch()
        let bare = root.path + "/own.git"
        try GitFixture.run(["clone", "-q", "--bare", own.path, bare], in: root.path)
        try root.write("repos.txt", [own.path, plain.path, bare, misconfigured.path].joined(separator: "\n") + "\n")

        let result = try CLI.run(["scan", "--repos", root.path + "/repos.txt", "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let findings = try ReportedFinding.all(result.stdout)
        let places = Set(findings.map { "\($0.displayPath) \($0.secretSHA)" })
        #expect(!findings.contains { $0.secretSHA == GitCommandTests.sha(allowedHere) }, "\(places)")
        #expect(findings.contains { $0.secretSHA == GitCommandTests.sha(kept) && $0.displayPath.hasPrefix(bare + "/") })
        #expect(findings.contains { $0.secretSHA == GitCommandTests.sha(kept) && $0.displayPath.hasPrefix(own.path + "/") })
        #expect(findings.contains { $0.secretSHA == GitCommandTests.sha(elsewhere) && $0.path == "app.cfg" })
        #expect(!findings.contains { $0.secretSHA == GitCommandTests.sha(broken) })
        let report = try CLI.json(result.stdout)
        let errors = report["errors"] as? [[String: Any]] ?? []
        #expect(errors.contains { ($0["reason"] as? String)?.contains(".leakward.toml:2: unknown key 'allowlist.path'") == true
                                  && ($0["path"] as? String) == misconfigured.path }, "\(errors)")
        #expect((report["stats"] as? [String: Any])?["allowlisted_paths"] as? Int ?? 0 >= 3)

        // One config named for all: the repositories' own are not read.
        try root.write("all.toml", "[allowlist]\nregexes = ['^nothing$']\n")
        let named = try ReportedFinding.all(try CLI.run(["scan", "--repos", root.path + "/repos.txt", "--config", root.path + "/all.toml",
                                                         "--format", "json"]).stdout)
        #expect(named.contains { $0.secretSHA == GitCommandTests.sha(allowedHere) })
        #expect(named.contains { $0.secretSHA == GitCommandTests.sha(broken) })
        withExtendedLifetime((own, plain, misconfigured, root)) {}
    }
}
