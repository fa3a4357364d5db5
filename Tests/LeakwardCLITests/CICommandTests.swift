import Foundation
import Testing

@Suite struct CICommandTests {
    /// main holds an old secret; a feature branch adds commits on top.
    func repository(feature files: [String: String]) throws -> (repo: GitFixture, base: String) {
        let repo = try GitFixture()
        let base = try repo.commit("main", files: ["legacy/settings.py": "OPENAI_API_KEY = \"\(Fakes.openAI)\"\n"])
        try repo.git("checkout", "-q", "-b", "feature")
        try repo.commit("feature", files: files)
        return (repo, base)
    }

    /// No CI variables leak in from the machine running the tests.
    static let neutral = ["GITHUB_ACTIONS": "", "GITLAB_CI": "", "GITHUB_EVENT_PATH": "", "GITHUB_BASE_REF": "",
                          "CI_MERGE_REQUEST_DIFF_BASE_SHA": "", "CI_COMMIT_BEFORE_SHA": ""]

    func ci(_ repo: GitFixture, _ arguments: [String] = [], environment: [String: String] = [:]) throws -> CLI.Output {
        try CLI.run(["ci", "--no-color"] + arguments, in: repo.dir.url, environment: Self.neutral.merging(environment) { $1 })
    }

    @Test func githubPullRequestScansOnlyTheNewCommits() throws {
        let (repo, base) = try repository(feature: ["src/sync.ts": "const t = '\(Fakes.github)';\n"])
        try repo.dir.write("event.json", "{\"pull_request\": {\"base\": {\"sha\": \"\(base)\"}, \"number\": 7}}")
        try repo.dir.write("summary.md", "")
        let result = try ci(repo, environment: ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": repo.dir.path + "/event.json",
                                                "GITHUB_STEP_SUMMARY": repo.dir.path + "/summary.md"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("github.pat") && !result.stdout.contains("openai"), "the old secret on main is not this PR's")
        #expect(result.stdout.contains("::error file=src/sync.ts,line=1,title=Leakward github.pat::"))
        #expect(!result.stdout.contains(Fakes.github))
        #expect(result.stderr.contains("leakward ci: \(base.prefix(12))..HEAD (GitHub pull request base): 1 new secret(s)"))
        let jobSummary = try String(contentsOf: repo.dir.url.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(jobSummary.contains("| critical | GitHub") && jobSummary.contains("`src/sync.ts:1`"))
        #expect(!jobSummary.contains(Fakes.github))
    }

    @Test func gitlabMergeRequestAndCleanChangesPass() throws {
        let (repo, base) = try repository(feature: ["src/app.py": "print('clean')\n"])
        let result = try ci(repo, environment: ["GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("GitLab merge request base") && result.stderr.contains("no new secrets"))
        // A push on GitHub: the event's `before` is the base; a new branch (all zeros) has none.
        try repo.dir.write("push.json", "{\"before\": \"\(base)\"}")
        let push = try ci(repo, environment: ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": repo.dir.path + "/push.json"])
        #expect(push.status == 0 && push.stderr.contains("(GitHub push)"), "\(push.stderr)")
        try repo.dir.write("new-branch.json", "{\"before\": \"\(String(repeating: "0", count: 40))\"}")
        let newBranch = try ci(repo, environment: ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": repo.dir.path + "/new-branch.json"])
        #expect(newBranch.status == 1 && newBranch.stderr.contains("all of HEAD's history"))
        // Without a range, all of HEAD's history is scanned, old secret included.
        let everything = try ci(repo)
        #expect(everything.status == 1 && everything.stdout.contains("openai.project-key"))
    }

    @Test func baselineFailOnAndSarifOutput() throws {
        let (repo, base) = try repository(feature: [".env": "DATABASE_URL=\(Fakes.postgresURL)\n"])
        let sarif = repo.dir.path + "/out.sarif"
        let failing = try ci(repo, ["--since", base, "--sarif", sarif])
        #expect(failing.status == 1)
        let log = try CLI.json(try String(contentsOfFile: sarif, encoding: .utf8))
        #expect((log["version"] as? String) == "2.1.0")
        #expect(!(try String(contentsOfFile: sarif, encoding: .utf8)).contains(Fakes.postgresPassword))

        #expect(try CLI.run(["baseline", "create", ".", "--no-git", "-o", "baseline.json"], in: repo.dir.url).status == 0)
        let baselined = try ci(repo, ["--since", base, "--baseline", "baseline.json"])
        #expect(baselined.status == 0, "\(baselined.stdout)")
        // The secret and the committed `.env` (a config problem) are both in the baseline.
        #expect(baselined.stderr.contains("2 baselined"))

        // Severity overrides reach config checks too.
        try repo.dir.write(".leakward.toml", "[severity]\n\"database.url-password\" = \"medium\"\n\"project.env-file-tracked\" = \"medium\"\n[ci]\nfail_on = \"high\"\n")
        let belowThreshold = try ci(repo, ["--since", base])
        #expect(belowThreshold.status == 0)
        #expect(belowThreshold.stderr.contains("1 below high"))
    }

    @Test func unresolvableBaseIsAFatalErrorThatSaysWhatToDo() throws {
        let (repo, _) = try repository(feature: ["a.py": "print(1)\n"])
        let result = try ci(repo, environment: ["GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": String(repeating: "ab", count: 20)])
        #expect(result.status == 2)
        #expect(result.stderr.contains("fetch-depth: 0"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
