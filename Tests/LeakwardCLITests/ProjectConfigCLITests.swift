import Foundation
import Testing

@Suite struct ProjectConfigCLITests {
    @Test func badConfigIsOneLineNamingFileLineAndKey() throws {
        let dir = try Scratch()
        try dir.write(".leakward.toml", "[allowlist]\npaths = [\"a/**\"]\npath = [\"b/**\"]\n")
        try dir.write("a.txt", "nothing\n")
        let result = try CLI.run(["scan", "."], in: dir.url)
        #expect(result.status == 2)
        #expect(result.stderr == "leakward: error: ./.leakward.toml:3: unknown key 'allowlist.path'; [allowlist] takes objects, paths, regexes, rules, unreachable\n")
    }

    @Test func failOnSetsTheExitThresholdAndExtraRulesAreRelativeToTheConfig() throws {
        let dir = try Scratch()
        try dir.write("sub/.leakward.toml", "[rules]\nextra = [\"team-rules\"]\n[allowlist]\npaths = [\"team-rules/**\"]\n[severity]\n\"github.pat\" = \"medium\"\n[ci]\nfail_on = \"high\"\n")
        try dir.write("sub/team-rules/acme.toml", """
            [[rule]]
            id = "acme.api-key"
            name = "Acme API key"
            category = "cloud"
            provider = "Acme"
            severity = "critical"
            pattern = '''(acme_[A-Za-z0-9]{24})'''
            secret_group = 1
            keywords = ["acme_"]
            min_entropy = 3.0
            examples = ['k=⟦acme_Q7mX2pL9sK4vR8tN1wZ5yB3c⟧']
            """)
        try dir.write("sub/a.py", "TOKEN = '\(Fakes.github)'\n")
        // The GitHub token is lowered to medium, below fail_on: reported, exit 0.
        let low = try CLI.run(["scan", "sub", "--format", "json"], in: dir.url)
        #expect(low.status == 0, "\(low.stderr)")
        #expect(low.stdout.contains("\"github.pat\""))
        try dir.write("sub/b.py", "k = 'acme_Q7mX2pL9sK4vR8tN1wZ5yB3c'\n")
        let high = try CLI.run(["scan", "sub", "--format", "json"], in: dir.url)
        #expect(high.status == 1, "\(high.stderr)")
        #expect(high.stdout.contains("\"acme.api-key\""))
    }
}
