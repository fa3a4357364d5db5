import Foundation
import Testing

/// Objects no ref reaches have no path an `[allowlist] paths` glob could name: `[allowlist]
/// unreachable = true` and `objects = [ids]` allow them, counted as suppressed.
@Suite struct ObjectAllowlistTests {
    /// A repository with a secret on a deleted branch, one in a blob staged then reset (no
    /// commit holds it) and one on main.
    private static func fixture() throws -> (repo: GitFixture, lost: String, dangling: String, onMain: String, lostCommit: String, mainCommit: String) {
        let repo = try GitFixture()
        let lost = GitFixture.token(41), dangling = GitFixture.token(42), onMain = GitFixture.token(43)
        try repo.commit("init", files: ["README.md": "hello\n"])
        try repo.git("checkout", "-q", "-b", "gone")
        let lostCommit = try repo.commit("leak", files: ["deploy.cfg": "key = \"\(lost)\"\n"])
        try repo.git("checkout", "-q", "main")
        try repo.git("branch", "-q", "-D", "gone")
        try repo.dir.write("notes.txt", "token = \"\(dangling)\"\n")
        try repo.git("add", "notes.txt")
        try repo.git("reset", "-q", "notes.txt")
        try FileManager.default.removeItem(atPath: repo.path + "/notes.txt")
        let mainCommit = try repo.commit("config", files: ["app.cfg": "key = \"\(onMain)\"\n"])
        return (repo, lost, dangling, onMain, lostCommit, mainCommit)
    }

    private static func scan(_ repo: GitFixture, config: String, command: String = "git") throws -> (secrets: Set<String>, suppressed: Int?, status: Int32) {
        try repo.dir.write(".leakward.toml", config)
        let result = try CLI.run([command, repo.path, "--format", "json"])
        #expect(result.status <= 1, "\(result.stderr)")
        let stats = try CLI.json(result.stdout)["stats"] as? [String: Any]
        return (Set(try ReportedFinding.all(result.stdout).map(\.secretSHA)), stats?["suppressed"] as? Int, result.status)
    }

    @Test func unreachableObjectsCanBeAllowed() throws {
        let f = try Self.fixture()
        let all = try Self.scan(f.repo, config: "")
        #expect(all.secrets == [GitCommandTests.sha(f.lost), GitCommandTests.sha(f.dangling), GitCommandTests.sha(f.onMain)])

        for command in ["git", "scan"] {
            let allowed = try Self.scan(f.repo, config: "[allowlist]\nunreachable = true\n", command: command)
            #expect(allowed.secrets == [GitCommandTests.sha(f.onMain)], "\(command)")
            #expect(allowed.suppressed == 2, "\(command)")
            #expect(allowed.status == 1)
        }
    }

    @Test func commitsAndBlobsCanBeAllowedByID() throws {
        let f = try Self.fixture()
        let dangling = try #require(try ReportedFinding.all(try CLI.run(["git", f.repo.path, "--format", "json"]).stdout)
            .first { $0.secretSHA == GitCommandTests.sha(f.dangling) })
        let blob = String(try #require(dangling.blob).prefix(12))
        let byID = try Self.scan(f.repo, config: "[allowlist]\nobjects = [\"\(f.lostCommit.prefix(10).uppercased())\", \"\(blob)\"]\n")
        #expect(byID.secrets == [GitCommandTests.sha(f.onMain)])
        #expect(byID.suppressed == 2)

        // A reachable commit's sightings too; the others stay reported.
        let main = try Self.scan(f.repo, config: "[allowlist]\nobjects = [\"\(f.mainCommit)\"]\n")
        #expect(main.secrets == [GitCommandTests.sha(f.lost), GitCommandTests.sha(f.dangling)])
    }

    @Test func aMistypedObjectIDIsAnErrorNamingTheKey() throws {
        let f = try Self.fixture()
        try f.repo.dir.write(".leakward.toml", "[allowlist]\nobjects = [\"gone\"]\n")
        let result = try CLI.run(["git", f.repo.path, "--format", "json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains(".leakward.toml:2: 'allowlist.objects': 'gone' is not a commit or blob id"), "\(result.stderr)")
    }
}
