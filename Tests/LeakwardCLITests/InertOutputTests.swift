import Foundation
import Testing

/// Names from the scanned repository (paths, authors, commit summaries) are inert in every
/// output: no ANSI escape reaches the terminal, no output line can start a CI workflow command,
/// and Markdown cannot turn them into links.
@Suite struct InertOutputTests {
    static let evilName = "evil\n::error title=INJECTED::pwned\n\u{1B}[31mred\n##vso[task.setvariable variable=x]y\u{202E}.sh"
    static let evilAuthor = "Mal [click](http://evil.example) *x* \u{1B}[2J"

    /// A repository whose names carry workflow commands, escapes and Markdown.
    static func plantedRepository() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.commit("base", files: ["README.md": "hello\n"])
        try repo.dir.write(evilName, "TOKEN='\(Fakes.github)'\n")
        try repo.dir.write("a`b<img src=x onerror=alert(1)>`c.env", "GITHUB_TOKEN=\(GitFixture.token(7))\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "--author", "\(evilAuthor) <m@example.com>", "-m", "add\n::error::from the summary \u{1B}[31m")
        return repo
    }

    /// Lines a CI runner would take as a command, other than Leakward's own annotations.
    static func commandLines(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" }).compactMap { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("::error file=") && !trimmed.contains("\u{1B}") { return nil }
            return trimmed.hasPrefix("::") || trimmed.hasPrefix("##vso[") || trimmed.hasPrefix("##[") ? String(line) : nil
        }
    }

    @Test func everyFormatTheAnnotationsAndThePlanAreInert() throws {
        let repo = try Self.plantedRepository()
        var outputs: [(String, String)] = []
        for format in ["text", "json", "sarif", "junit", "csv"] {
            let result = try CLI.run(["scan", repo.path, "--format", format, "--no-color"])
            #expect(result.status == 1, "\(format): \(result.stderr)")
            outputs.append(("scan \(format)", result.stdout + result.stderr))
        }
        let summary = repo.dir.url.appendingPathComponent("../\(UUID().uuidString)-summary.md").standardized.path
        _ = FileManager.default.createFile(atPath: summary, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: summary) }
        let ci = try CLI.run(["ci", repo.path, "--since", "HEAD~1"],
                             environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary, "GITHUB_EVENT_PATH": "",
                                           "GITHUB_BASE_REF": "", "GITLAB_CI": ""])
        #expect(ci.status == 1, "\(ci.stderr)")
        #expect(ci.stdout.contains("::error file="), "annotations are still written")
        outputs.append(("ci", ci.stdout + ci.stderr))
        let jobSummary = try String(contentsOfFile: summary, encoding: .utf8)
        outputs.append(("job summary", jobSummary))
        for format in ["markdown", "json", "html"] {
            let plan = try CLI.run(["plan", repo.path, "--format", format])
            #expect(plan.status == 1)
            outputs.append(("plan \(format)", plan.stdout + plan.stderr))
        }
        for (name, text) in outputs {
            #expect(!text.contains("\u{1B}"), "\(name) carries an escape character")
            // JSON and SARIF carry names through their encoders (a reader decodes them).
            if !name.contains("json") && !name.contains("sarif") {
                #expect(!text.contains("\u{202E}"), "\(name) carries a bidirectional override")
            }
            #expect(Self.commandLines(text).isEmpty, "\(name) has command lines: \(Self.commandLines(text))")
        }
        // Markdown outputs: the author's link and the file name's tag stay text.
        let markdown = try #require(outputs.first { $0.0 == "plan markdown" }?.1)
        #expect(markdown.contains("\\[click\\]"), "\(markdown)")
        for text in [markdown, jobSummary] {
            #expect(!text.contains("[click](http"))
            // The backticks in the file name cannot close the code span around it.
            #expect(!text.contains("`a`b<img"))
        }
        // The text report shows the escapes visibly.
        let report = try #require(outputs.first { $0.0 == "scan text" }?.1)
        #expect(report.contains("evil\\n::error title=INJECTED::pwned\\n\\e[31mred"))
    }

    /// A config-supplied rule (gitleaks) whose description holds a newline and a command.
    @Test func ruleNamesFromAConfigAreInert() throws {
        let dir = try Scratch()
        try dir.write(".gitleaks.toml", """
            [extend]
            useDefault = true
            [[rules]]
            id = "custom-thing"
            description = "Custom\\n::error::from the config\\u001b[31m"
            regex = '''CUSTOM_[A-Z0-9]{24}'''
            keywords = ["custom_"]
            """)
        try dir.write("a.txt", "value = CUSTOM_Q7MX2PL9SK4VR8TN1WZ5YB3C\n")
        for format in ["text", "csv", "junit"] {
            let result = try CLI.run(["scan", dir.path, "--format", format, "--no-color"])
            #expect(result.status == 1, "\(format): \(result.stdout) \(result.stderr)")
            #expect(Self.commandLines(result.stdout + result.stderr).isEmpty, "\(format): \(result.stdout)")
            #expect(!result.stdout.contains("\u{1B}"))
        }
    }
}
