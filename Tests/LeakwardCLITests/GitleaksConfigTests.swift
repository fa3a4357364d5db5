import Foundation
import Testing

/// A team's gitleaks config works unchanged: custom rules, secretGroup, path restrictions,
/// per-rule and global allowlists, `[extend] useDefault` and `disabledRules`.
@Suite struct GitleaksConfigTests {
    static func findings(_ stdout: String) throws -> [String] {
        let findings = try #require(try CLI.json(stdout)["findings"] as? [[String: Any]])
        // Config checks (a tracked `.env`) are not gitleaks rules: left out here.
        return findings.filter { $0["category"] as? String != "config" }.map { finding in
            let location = finding["location"] as! [String: Any]
            let path = (location["path"] as! String).replacingOccurrences(of: "testdata/gitleaks/repo/", with: "")
            return "\(finding["rule_id"]!) \(path):\(location["line"]!)"
        }.sorted()
    }

    @Test func teamConfigWithCustomRulesAndAllowlists() throws {
        let result = try CLI.run(["scan", "testdata/gitleaks/repo", "--config", "testdata/gitleaks/gitleaks.toml", "--format", "json"],
                                 in: CLI.packageRoot)
        #expect(result.status == 1)
        #expect(try Self.findings(result.stdout) == [
            "gitleaks.acme-cookie-key .env:3",          // path restriction: .env yes, src/app.js no
            "gitleaks.acme-internal-api-key .env:1",    // the test-mode key on line 2 is allow-listed by the rule
            "gitleaks.acme-internal-api-key src/app.js:3",  // line 1 carries the global line allowlist's marker
            "gitleaks.corp-jira-pat config/jira.yaml:2",    // named group; fixtures/ and the 'example' stopword allowed
            "openai.project-key .env:4",                // useDefault keeps Leakward's catalogue
        ])  // generic-api-key is disabled: INTERNAL_API_TOKEN stays quiet; vendor/ is globally allowed
        #expect(result.stderr.contains("rule 'corp-jira-pat': unsupported key 'skipReport' ignored"))
        #expect(result.stderr.contains("rule 'legacy-keystore': path-only rules (no 'regex') are not supported"))
        let stats = try #require(try CLI.json(result.stdout)["stats"] as? [String: Any])
        #expect((stats["suppressed"] as? Int ?? 0) >= 3)
    }

    @Test func configWithoutExtendRunsOnlyItsRules() throws {
        let result = try CLI.run(["scan", "testdata/gitleaks/repo", "--config", "testdata/gitleaks/standalone.toml", "--format", "json"],
                                 in: CLI.packageRoot)
        let found = try Self.findings(result.stdout)
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.hasPrefix("gitleaks.acme-internal-api-key ") }, "\(found)")
        #expect(result.stderr.contains("does not extend the defaults"))
    }

    @Test func gitleaksTomlAtTheRootIsPickedUp() throws {
        let dir = try Scratch()
        try dir.write(".gitleaks.toml", """
            [extend]
            useDefault = true
            [[rules]]
            id = "zeta-token"
            regex = '''zeta_[0-9a-f]{24}'''
            keywords = ["zeta_"]
            """)
        try dir.write("app.cfg", "zeta = zeta_9f3a1c7e5b2d8f4a6c0e1b3d\n")
        let result = try CLI.run(["scan", dir.path, "--format", "json"])
        #expect(result.status == 1)
        #expect(try Self.findings(result.stdout).contains { $0.hasPrefix("gitleaks.zeta-token ") })
    }

    @Test func leakwardConfigIsNotMistakenForGitleaks() throws {
        let dir = try Scratch()
        try dir.write("leak.toml", "[rules]\ndisabled = [\"github.pat\"]\n")
        try dir.write("a.txt", "GITHUB_TOKEN=\(Fakes.github)\n")
        let result = try CLI.run(["scan", dir.path, "--config", dir.path + "/leak.toml", "--format", "json"])
        #expect(!result.stdout.contains("github.pat"), "\(result.stdout)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }
}
