import Foundation
import Testing

/// The ready-to-copy files in docs/ci/ must parse and their leakward command lines must block a
/// planted secret and pass a clean change, exactly as written.
@Suite struct CIExampleTests {
    static let files = ["github-actions.yml", "gitlab-ci.yml"]

    func text(_ name: String) throws -> String {
        try String(contentsOf: CLI.packageRoot.appendingPathComponent("docs/ci/\(name)"), encoding: .utf8)
    }

    /// The arguments of the `leakward ci …` line in a docs file.
    func command(in text: String) throws -> [String] {
        let line = try #require(text.split(separator: "\n").first { $0.contains("leakward ci") && !$0.contains("#") })
        let start = try #require(line.range(of: "leakward ci"))
        return line[start.lowerBound...].split(separator: " ").dropFirst().map(String.init)
    }

    @Test(arguments: files)
    func exampleParsesAsYAML(name: String) throws {
        let python = try #require(CLITools.python, "run scripts/test-setup.sh first")
        let path = CLI.packageRoot.appendingPathComponent("docs/ci/\(name)").path
        let parsed = try CLI.runTool(python, ["-c", "import sys, yaml; yaml.safe_load(open(sys.argv[1]))", path])
        #expect(parsed.status == 0, "\(parsed.stdout)")
        let text = try text(name)
        #expect(text.contains("fetch-depth: 0") || text.contains("GIT_DEPTH: 0"), "ci needs the base commit")
        if name == "github-actions.yml" {
            #expect(text.contains("uses: github/codeql-action/upload-sarif@v3"))
            #expect(text.contains("security-events: write"))
        }
    }

    @Test(arguments: files)
    func exampleCommandBlocksAPlantedSecretAndPassesACleanChange(name: String) throws {
        let arguments = try command(in: text(name))
        #expect(arguments.first == "ci")
        let repo = try GitFixture()
        let base = try repo.commit("init", files: ["README.md": "hello\n"])
        try repo.commit("clean", files: ["app.py": "print('hi')\n"])
        let environment = ["GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "GITHUB_ACTIONS": ""]
        let clean = try CLI.run(arguments, in: repo.dir.url, environment: environment)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        try repo.commit("oops", files: ["deploy/.env": "DATABASE_URL=\(Fakes.postgresURL)\n"])
        let blocked = try CLI.run(arguments, in: repo.dir.url, environment: environment)
        #expect(blocked.status == 1, "\(blocked.stdout)\(blocked.stderr)")
        let sarif = try String(contentsOf: repo.dir.url.appendingPathComponent("leakward.sarif"), encoding: .utf8)
        #expect(sarif.contains("database.url-password") && !sarif.contains(Fakes.postgresPassword))
    }
}
