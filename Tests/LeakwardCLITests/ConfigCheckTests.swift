import Foundation
import Testing

/// The config checks of `rules/checks/` end to end, on the labelled fixture app of
/// `testdata/config/` committed into a fresh repository: exactly the planted problems, by kind,
/// path and line, in the scan report and in the plan; none of the look-alikes.
@Suite struct ConfigCheckTests {
    /// Every planted problem: kind, path relative to the app, line. Each kind at least twice.
    static let planted: Set<String> = [
        "secret-in-prompt app/api/chat/route.ts 10",
        "secret-in-prompt app/api/support/route.ts 11",
        "secret-in-prompt backend/agent.py 5",
        "secret-in-prompt backend/prompts/escalation.md 4",
        "logs-secret app/api/chat/route.ts 5",
        "logs-secret lib/auth.ts 6",
        "logs-secret backend/app.py 13",
        "logs-secret lib/oauth.ts 7",
        "logs-secret backend/auth.py 13",
        "ci-echoes-secret .github/workflows/deploy.yml 13",
        "ci-echoes-secret .github/workflows/deploy.yml 14",
        "ci-echoes-secret .gitlab-ci.yml 2",
        "ci-echoes-secret .gitlab-ci.yml 17",
        "ci-echoes-secret .circleci/config.yml 11",
        "ci-echoes-secret .circleci/config.yml 12",
        "ci-unsafe-trigger .github/workflows/pr-preview.yml 11",
        "ci-unsafe-trigger .github/workflows/pr-bench.yml 12",
        "tls-verification-off lib/http.ts 3",
        "tls-verification-off backend/client.py 5",
        "tls-verification-off scripts/deploy.sh 3",
        "http-url-in-production .env.production 1",
        "http-url-in-production .env.production 2",
        "insecure-cookie lib/session.ts 4",
        "insecure-cookie backend/settings.py 6",
        "insecure-cookie server/index.js 8",
        "cors-wildcard-credentials server/index.js 5",
        "cors-wildcard-credentials backend/app.py 9",
        "debug-in-production .env.production 6",
        "debug-in-production backend/settings.py 3",
        "debug-in-production docker-compose.prod.yml 5",
        "env-file-tracked .env.production 1",
        "env-file-tracked backend/.env 1",
        "source-map-shipped .next/static/chunks/main-1a2b.js.map 1",
        "source-map-shipped next.config.js 4",
    ]

    /// Look-alikes in tests are reported, but only at `info`: visible, never failing CI.
    static let informational: Set<String> = ["tls-verification-off backend/tests/test_client.py 5"]

    /// The fixture committed into a fresh repository (its `.gitignore` keeps `.env.local` and
    /// `.env.development` untracked, as a developer's machine has them).
    static func app() throws -> GitFixture {
        let repo = try GitFixture()
        let source = CLI.packageRoot.appendingPathComponent("testdata/config")
        let files = try FileManager.default.subpathsOfDirectory(atPath: source.path)
        for relative in files {
            var isDirectory: ObjCBool = false
            let file = source.appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            try repo.dir.write(relative, try Data(contentsOf: file))
        }
        try repo.commit("support bot")
        return repo
    }

    static func relative(_ path: String, to root: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    @Test func scanReportsExactlyThePlantedProblems() throws {
        let repo = try Self.app()
        let result = try CLI.run(["scan", repo.path, "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let report = try CLI.json(result.stdout)
        let findings = try #require(report["findings"] as? [[String: Any]])
        var found: [String] = [], info: [String] = []
        for finding in findings where finding["category"] as? String == "config" {
            let location = try #require(finding["location"] as? [String: Any])
            let key = "\(finding["kind"] as? String ?? "?") \(Self.relative(location["path"] as? String ?? "", to: repo.path)) \(location["line"] as? Int ?? 0)"
            if finding["severity"] as? String == "info" { info.append(key) } else { found.append(key) }
            #expect((finding["notes"] as? [String])?.contains { $0.hasPrefix("fix: ") } == true, "\(key) carries its fix")
        }
        #expect(found.count == Set(found).count, "one finding per planted problem: \(found.sorted())")
        #expect(Set(found) == Self.planted, "missing \(Self.planted.subtracting(found).sorted()), unexpected \(Set(found).subtracting(Self.planted).sorted())")
        #expect(Set(info) == Self.informational, "\(info)")
        // Config problems are not credentials, and no raw secret reaches the report.
        let credentials = try #require(report["credentials"] as? [[String: Any]])
        #expect(credentials.allSatisfy { $0["category"] as? String != "config" })
        #expect(!result.stdout.contains("sk-proj-c2LufYNuydk9sgEWl2agE4aE"))
        #expect(!result.stdout.contains("sk-ant-api03-vXLNaJrgBHufSBsBf"))
    }

    /// A problem fixed since (only in old versions of a file) stays out of the report, which also
    /// lets a history scan skip the checks' patterns on every blob no longer in HEAD; a
    /// working-tree file put back to such an old version is checked itself.
    @Test func fixedProblemsStayOutAndARevertedFileIsCheckedItself() throws {
        let repo = try GitFixture()
        let insecure = "import os\n\nDEBUG = False\nSESSION_COOKIE_SECURE = False\n"
        try repo.commit("settings", files: ["backend/settings.py": insecure])
        try repo.commit("fix", files: ["backend/settings.py": "import os\n\nDEBUG = False\nSESSION_COOKIE_SECURE = True\n"])
        func problems() throws -> [String] {
            let report = try CLI.json(try CLI.run(["scan", repo.path, "--format", "json"]).stdout)
            let findings = report["findings"] as? [[String: Any]] ?? []
            return findings.filter { $0["category"] as? String == "config" }.map { finding in
                let location = finding["location"] as? [String: Any] ?? [:]
                let place = location["commit"] == nil ? "file" : "history"
                return "\(finding["kind"] as? String ?? "?") \(Self.relative(location["path"] as? String ?? "", to: repo.path)) \(place)"
            }
        }
        #expect(try problems().isEmpty)
        try repo.dir.write("backend/settings.py", insecure)   // put back on disk, not committed
        #expect(try problems() == ["insecure-cookie backend/settings.py file"])
    }

    @Test func textReportListsConfigProblemsAndFailsOnThem() throws {
        let repo = try Self.app()
        let result = try CLI.run(["scan", "\(repo.path)/.github", "--no-color"])
        #expect(result.status == 1, "config problems alone fail the run")
        #expect(result.stdout.contains("No secrets found"))
        #expect(result.stdout.contains("[HIGH] ci-unsafe-trigger: Workflow with secrets checks out a pull request's code (ci.pull-request-target-checkout)"))
        #expect(result.stdout.contains("4 config problems (4 high)."), "\(result.stdout)")
    }

    @Test func planListsThePlantedProblemsAndRanksAPromptKeyWithBrowserKeys() throws {
        let repo = try Self.app()
        let result = try CLI.run(["plan", repo.path, "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let plan = try CLI.json(result.stdout)
        let problems = try #require(plan["config_problems"] as? [[String: Any]])
        for planted in Self.planted {
            let parts = planted.split(separator: " ").map(String.init)
            let matching = problems.filter { problem in
                problem["kind"] as? String == parts[0]
                    && (problem["paths"] as? [String] ?? []).contains { Self.relative($0, to: repo.path).hasPrefix(parts[1]) }
                    && (problem["line"] as? Int).map { $0 == Int(parts[2]) } ?? true
            }
            #expect(!matching.isEmpty, "plan lacks \(planted)")
        }
        // Nothing but the planted problems (and the untracked env files the fixture's own .gitignore misses: none).
        let checked = problems.compactMap { problem -> String? in
            guard let line = problem["line"] as? Int, let path = (problem["paths"] as? [String])?.first else { return nil }
            return "\(problem["kind"] as? String ?? "?") \(Self.relative(path, to: repo.path)) \(line)"
        }
        #expect(Set(checked).isSubset(of: Self.planted), "\(Set(checked).subtracting(Self.planted))")
        #expect(!checked.contains { $0.contains("test_client.py") }, "info problems stay out of the plan")

        // The key in the system message is urgent, next to the key shipped in client code.
        let items = try #require(plan["items"] as? [[String: Any]])
        func tier(_ item: [String: Any]) -> String? { (item["urgency"] as? [String: Any])?["tier"] as? String }
        let openAI = try #require(items.first { $0["rule_id"] as? String == "openai.project-key" })
        let stripe = try #require(items.first { $0["rule_id"] as? String == "stripe.secret-key" })
        #expect(tier(openAI) == "urgent" && tier(stripe) == "urgent")
        #expect(openAI["client_exposed"] as? Bool == true)
        #expect((openAI["channels"] as? [String])?.contains("llm-prompt") == true)
        let evidence = try #require(openAI["client_evidence"] as? String)
        #expect(evidence.contains("`\(repo.path)/app/api/support/route.ts` line 11 puts it into an LLM prompt"), "\(evidence)")
        // A server-only variable read into a prompt puts that credential in the same tier.
        let crm = try #require(items.first { ($0["variables"] as? [String])?.contains("CRM_API_TOKEN") == true })
        #expect(tier(crm) == "urgent")
        // The prompt problem names the credential it concerns.
        let prompt = try #require(problems.first { $0["kind"] as? String == "secret-in-prompt" && ($0["line"] as? Int) == 11 })
        #expect((prompt["credentials"] as? [String])?.contains(openAI["id"] as? String ?? "-") == true)
    }

    @Test func markdownPlanGivesThePromptEvidenceSentence() throws {
        let repo = try Self.app()
        let result = try CLI.run(["plan", repo.path])
        #expect(result.status == 1)
        let markdown = result.stdout
        #expect(markdown.contains("- **Reaches every chat user:** `\(repo.path)/app/api/support/route.ts` line 11 puts it into an LLM prompt (secret inside an llm system message), and prompt injection can make the model repeat it to any user"))
        #expect(markdown.contains("Take the key out of the LLM prompt at `\(repo.path)/app/api/support/route.ts` line 11"))
        #expect(markdown.contains("Config: Workflow with secrets checks out a pull request's code"))
        #expect(!markdown.contains("sk-proj-c2LufYNuydk9sgEWl2agE4aE"))
    }

    @Test func rulesCheckRunsTheConfigChecksExamples() throws {
        let result = try CLI.run(["rules", "check"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("config checks checked, 0 problems"))
    }
}
