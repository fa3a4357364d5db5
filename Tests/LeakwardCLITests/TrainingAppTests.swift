import Foundation
import Testing

/// A project whose README declares it a deliberately vulnerable training application: its
/// planted secrets are lessons (info, with the reason); its CI files, top-level env files and
/// checksum-proven tokens keep their severity (`rules/context/training.toml`).
@Suite struct TrainingAppTests {
    static let declaring = "# Vulnerable Notes App\n\nA deliberately vulnerable web application for security training. Do not deploy it.\n"
    static let plain = "# Notes App\n\nTake notes in the browser.\n"
    /// A planted AWS-shaped secret (built here: no such literal in the repository).
    static let planted = "aws_secret_access_key = \"" + "PStuwaK9x2" + "Qm4Rj7Lp0Vb" + "3Nc8Zy5Hd1Tg6Ws4EfR" + "\"\n"
    /// A CI token a maintainer pasted: `vulncheck_` and 64 hex, built here.
    static let ciToken = "vulncheck_" + String(repeating: "3f9a6c1e", count: 8)

    private struct Seen { var severity: String; var notes: [String] }

    private static func findings(_ stdout: String) throws -> [String: Seen] {
        let report = try CLI.json(stdout)
        var seen: [String: Seen] = [:]
        for finding in report["findings"] as? [[String: Any]] ?? [] {
            let origin = (finding["location"] as! [String: Any])["origin"] as! [String: Any]
            let path = origin["path"] as? String ?? ""
            seen[path] = Seen(severity: finding["severity"] as! String, notes: finding["notes"] as? [String] ?? [])
        }
        return seen
    }

    private func write(_ dir: Scratch, readme: String) throws {
        try dir.write("README.md", readme)
        try dir.write("app/secret.py", Self.planted)
        try dir.write("app/tokens.py", "GITHUB_TOKEN = \"\(GitFixture.token(7))\"\n")
        try dir.write(".github/workflows/scan.yml", "jobs:\n  scan:\n    env:\n      VULNCHECK_API_TOKEN: \(Self.ciToken)\n")
    }

    @Test func aDeclaredTrainingAppsLessonsAreInfoButItsCIKeepsItsSeverity() throws {
        let dir = try Scratch()
        try write(dir, readme: Self.declaring)
        let result = try CLI.run(["scan", dir.path, "--no-git", "--format", "json"])
        let seen = try Self.findings(result.stdout)
        let lesson = try #require(seen["app/secret.py"])
        #expect(lesson.severity == "info")
        #expect(lesson.notes.contains { $0.contains("deliberately vulnerable training application") && $0.contains("deliberately vulnerable web") },
                "\(lesson.notes)")
        // A checksum-valid token and a workflow's token are not lessons.
        #expect(seen["app/tokens.py"].map { $0.severity != "info" } == true, "\(seen.keys.sorted())")
        #expect(seen[".github/workflows/scan.yml"].map { $0.severity != "info" } == true, "\(seen.keys.sorted())")
        #expect(result.status == 1)

        // The text report says why.
        let text = try CLI.run(["scan", dir.path, "--no-git", "--no-color"])
        #expect(text.stdout.contains("deliberately vulnerable training application"))
    }

    /// A starter or demo project (its README's title says so) sets its session secret to a typed
    /// default for every clone to replace: a weak-configuration finding at info. A random short
    /// secret there, its top-level `.env`, and the same typed default in any other project fail CI.
    @Test func aStartersTypedSessionSecretIsInfoButARandomOneFails() throws {
        let random = "Kd84LP2Wqz" + "Rm7XvB3nTa9"
        func scan(readme: String) throws -> [String: Seen] {
            let dir = try Scratch()
            try dir.write("README.md", readme)
            try dir.write("app.js", "app.use(session({ secret: 'Bob vs Alice' }));\n")
            try dir.write("config/express.js", "app.use(session({ secret: '\(random)' }));\n")
            // The production env file at the top is the developer's own: kept.
            try dir.write(".env", "NODE_ENV=production\nSESSION_SECRET=MEAN\n")
            return try Self.findings(try CLI.run(["scan", dir.path, "--no-git", "--format", "json"]).stdout)
        }
        let starter = try scan(readme: "# Nodejs Express Mongoose Demo\n\nA boilerplate app.\n")
        let typed = try #require(starter["app.js"])
        #expect(typed.severity == "info")
        #expect(typed.notes.contains { $0.contains("starter or template project") && $0.contains("demo") }, "\(typed.notes)")
        #expect(starter["config/express.js"].map { $0.severity != "info" } == true, "\(starter)")
        #expect(starter[".env"].map { $0.severity != "info" } == true, "\(starter)")
        let ordinary = try scan(readme: Self.plain)
        #expect(ordinary["app.js"].map { $0.severity != "info" } == true, "\(ordinary)")
    }

    @Test func theSameFilesInAnOrdinaryProjectFailCI() throws {
        let dir = try Scratch()
        try write(dir, readme: Self.plain)
        let seen = try Self.findings(try CLI.run(["scan", dir.path, "--no-git", "--format", "json"]).stdout)
        let secret = try #require(seen["app/secret.py"])
        #expect(secret.severity != "info")
        #expect(!secret.notes.contains { $0.contains("training application") })
    }

    @Test func aTrainingAppWithOnlyLessonsPassesCI() throws {
        let dir = try Scratch()
        try dir.write("README.md", "## Vulnerable Flask Application\n\n> A ZAP test.\n")
        try dir.write("app/secret.py", Self.planted)
        let result = try CLI.run(["scan", dir.path, "--no-git", "--format", "json"])
        #expect(try Self.findings(result.stdout)["app/secret.py"]?.severity == "info")
        #expect(result.status == 0)
    }

    /// History: HEAD's README says what the project is, so a secret planted before the README
    /// said so is a lesson too; the workflow's token in history keeps its severity.
    @Test func historyIsJudgedByTheREADMEOfHEAD() throws {
        let repo = try GitFixture()
        try repo.commit("planted for a scanner test", files: ["README.md": Self.plain, "app/secret.py": Self.planted])
        try repo.commit("ci", files: [".github/workflows/scan.yml": "jobs:\n  scan:\n    env:\n      VULNCHECK_API_TOKEN: \(Self.ciToken)\n"])
        try repo.commit("say what it is", files: ["README.md": Self.declaring], removed: ["app/secret.py", ".github/workflows/scan.yml"])
        let result = try CLI.run(["git", repo.path, "--format", "json"])
        let seen = try Self.findings(result.stdout)
        #expect(seen["app/secret.py"]?.severity == "info", "\(seen.keys.sorted())")
        #expect(seen["app/secret.py"]?.notes.contains { $0.contains("training application") } == true)
        #expect(seen[".github/workflows/scan.yml"].map { $0.severity != "info" } == true, "\(seen.keys.sorted())")
        #expect(result.status == 1)

        // Before the README said so, the same history fails CI for the planted secret.
        let ordinary = try GitFixture()
        try ordinary.commit("planted", files: ["README.md": Self.plain, "app/secret.py": Self.planted])
        let plainSeen = try Self.findings(try CLI.run(["git", ordinary.path, "--format", "json"]).stdout)
        #expect(plainSeen["app/secret.py"].map { $0.severity != "info" } == true)
    }
}
