import Foundation
import Testing

/// `leakward ci` as a gate a change cannot switch off: the config, gitleaks config and baseline
/// are read as they are at the range's base commit, and a change that edits them is reported.
@Suite struct GateTests {
    /// main with one clean commit (plus `base` files), then a feature branch with `feature` files.
    func repository(base: [String: String] = [:], feature: [String: String]) throws -> (repo: GitFixture, base: String) {
        let repo = try GitFixture()
        let baseCommit = try repo.commit("main", files: ["README.md": "# app\n"].merging(base) { $1 })
        try repo.git("checkout", "-q", "-b", "feature")
        try repo.commit("feature", files: feature)
        return (repo, baseCommit)
    }

    func ci(_ repo: GitFixture, _ arguments: [String], environment: [String: String] = [:]) throws -> CLI.Output {
        try CLI.run(["ci", "--no-color"] + arguments, in: repo.dir.url,
                    environment: CICommandTests.neutral.merging(["GITHUB_STEP_SUMMARY": ""]) { $1 }.merging(environment) { $1 })
    }

    var deploy: String { "#!/bin/sh\nexport GITHUB_TOKEN=\(Fakes.github)\n./deploy\n" }

    @Test func aChangeThatAllowlistsItsOwnSecretFailsTheGate() throws {
        let (repo, base) = try repository(feature: ["deploy.sh": deploy, ".leakward.toml": "[allowlist]\npaths = [\"deploy.sh\"]\n"])
        try repo.dir.write("summary.md", "")
        let result = try ci(repo, ["--since", base], environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": repo.dir.path + "/summary.md"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("github.pat") && !result.stdout.contains(Fakes.github))
        #expect(result.stderr.contains("1 new secret(s)"), "\(result.stderr)")
        #expect(!result.stderr.contains("No secrets found") && !result.stdout.contains("No secrets found"))
        #expect(result.stderr.contains("this change edits .leakward.toml (adds allowlist path \"deploy.sh\")"), "\(result.stderr)")
        #expect(result.stderr.contains("the change's edits would hide github.pat"), "\(result.stderr)")
        #expect(result.stdout.contains("::warning file=.leakward.toml,title=Leakward gate file edited::"))
        #expect(result.stdout.contains("::error file=deploy.sh,title=Leakward hidden by this change::"))
        let jobSummary = try String(contentsOf: repo.dir.url.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(jobSummary.contains("edits .leakward.toml") && jobSummary.contains("would hide"))
        #expect(!jobSummary.contains(Fakes.github))

        // Once the allowlist is on the base branch, the same change passes and the count says why.
        try repo.git("checkout", "-q", "main")
        try repo.commit("allowlist deploy.sh", files: [".leakward.toml": "[allowlist]\npaths = [\"deploy.sh\"]\n"])
        let newBase = try repo.git("rev-parse", "HEAD")
        try repo.git("checkout", "-q", "feature")
        try repo.git("rebase", "-q", "main")
        let passing = try ci(repo, ["--since", newBase])
        #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")
        #expect(passing.stderr.contains("1 path(s) allowed by allowlist paths"), "\(passing.stderr)")
        #expect(!passing.stderr.contains("this change edits"), "the config is the base's now")
    }

    @Test func aGitleaksAllowlistOrBaselineAddedByTheChangeDoesNotHideItsSecret() throws {
        let gitleaks = "[extend]\nuseDefault = true\n[allowlist]\npaths = ['''deploy\\.sh''']\n"
        let (repo, base) = try repository(feature: ["deploy.sh": deploy, ".gitleaks.toml": gitleaks])
        let result = try ci(repo, ["--since", base])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("this change edits .gitleaks.toml"), "\(result.stderr)")
        #expect(result.stderr.contains("would hide github.pat"), "\(result.stderr)")

        // A committed baseline the change adds to: its new entry does not count either.
        let (other, otherBase) = try repository(base: ["baseline.json": try emptyBaseline()], feature: ["deploy.sh": deploy])
        #expect(try CLI.run(["baseline", "create", ".", "--no-git", "--force", "-o", "baseline.json"], in: other.dir.url).status == 0)
        try other.commit("accept the token")
        let baselined = try ci(other, ["--since", otherBase, "--baseline", "baseline.json"])
        #expect(baselined.status == 1, "\(baselined.stdout)\(baselined.stderr)")
        #expect(baselined.stderr.contains("this change edits baseline.json (adds baseline entry github.pat at deploy.sh)"), "\(baselined.stderr)")
        #expect(baselined.stderr.contains("0 baselined"))
    }

    /// An empty baseline file, as `baseline create` writes it for a clean directory.
    func emptyBaseline() throws -> String {
        let scratch = try Scratch()
        try scratch.write("clean.txt", "nothing here\n")
        #expect(try CLI.run(["baseline", "create", scratch.path, "-o", scratch.path + "/b.json"]).status == 0)
        return try String(contentsOfFile: scratch.path + "/b.json", encoding: .utf8)
    }

    /// An allow comment the change adds passes the gate, but is listed for the reviewer.
    @Test func inlineAllowsAddedByTheChangeAreListed() throws {
        let script = "#!/bin/sh\nexport GITHUB_TOKEN=\(Fakes.github)  # leakward:allow\n"
        let (repo, base) = try repository(feature: ["deploy.sh": script])
        let result = try ci(repo, ["--since", base], environment: ["GITHUB_ACTIONS": "true"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stderr.contains(" 0 allowed inline or by config"), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "allowed inline (leakward:allow)").count == 2, "listed once: \(result.stderr)")
        #expect(result.stderr.contains("allowed inline (leakward:allow) in this range: github.pat"), "\(result.stderr)")
        #expect(result.stdout.contains("::warning file=deploy.sh,line=2,title=Leakward allowed inline::"), "\(result.stdout)")
        #expect(!result.stdout.contains(Fakes.github) && !result.stderr.contains(Fakes.github))
    }

    @Test func rangeFlagScansExactlyThatRange() throws {
        let repo = try GitFixture()
        let first = try repo.commit("one", files: ["a.sh": "echo clean\n"])
        let second = try repo.commit("two", files: ["b.sh": deploy])
        let third = try repo.commit("three", files: ["c.sh": "echo clean again\n"])
        let withSecret = try ci(repo, ["--range", "\(first)..\(second)"])
        #expect(withSecret.status == 1 && withSecret.stdout.contains("b.sh"), "\(withSecret.stdout)\(withSecret.stderr)")
        #expect(withSecret.stderr.contains("(--range)"))
        let after = try ci(repo, ["--range", "\(second)..\(third)"])
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
        let open = try ci(repo, ["--range", "\(first).."])
        #expect(open.status == 1, "BASE.. means BASE..HEAD")
        let bad = try ci(repo, ["--range", first])
        #expect(bad.status == 2 && bad.stderr.contains("BASE..TIP"))
    }

    @Test func aVanishedPushBeforeFallsBackToTheMergeBaseAndSaysSo() throws {
        let (repo, _) = try repository(feature: ["deploy.sh": deploy])
        let gone = String(repeating: "5e", count: 20)
        try repo.dir.write("push.json", "{\"before\": \"\(gone)\", \"repository\": {\"default_branch\": \"main\"}}")
        let result = try ci(repo, [], environment: ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": repo.dir.path + "/push.json"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("is not in this clone (force-pushed away?): from the merge base with main"), "\(result.stderr)")
        #expect(result.stdout.contains("deploy.sh"))
        #expect(!result.stderr.contains("fetch-depth"))
    }

    /// Code scanning gets one alert per place: a working-tree file and the history blob it holds
    /// are one result (with the commit), a secret removed from the tree keeps its history result.
    @Test func sarifHasOneResultPerSightingAndNoDuplicateFingerprints() throws {
        let repo = try GitFixture()
        try repo.commit("add", files: ["c.py": "token = '\(Fakes.github)'\n", "old.py": "key = \"\(Fakes.openAI)\"\n"])
        try repo.commit("remove old", removed: ["old.py"])
        let result = try CLI.run(["scan", ".", "--format", "sarif"], in: repo.dir.url)
        #expect(result.status == 1)
        let log = try CLI.json(result.stdout)
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        let fingerprints = results.compactMap { ($0["partialFingerprints"] as? [String: String])?.values.first }
        #expect(fingerprints.count == results.count && Set(fingerprints).count == fingerprints.count, "\(fingerprints)")
        let uris = results.compactMap { (($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            .flatMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String } }
        #expect(uris.sorted() == ["c.py", "old.py"], "\(uris)")
        let working = try #require(results.first { ($0["ruleId"] as? String) == "github.pat" })
        #expect(((working["properties"] as? [String: Any])?["commit"] as? [String: Any])?["id"] != nil, "the working-tree result names the commit")
    }
}
