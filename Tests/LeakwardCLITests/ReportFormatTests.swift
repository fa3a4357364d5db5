import Foundation
import Testing

@Suite struct ReportFormatTests {
    @Test func sarifFromTheBinaryIsValidAndRedacted() throws {
        let dir = try Scratch()
        try dir.write("src/sync.ts", "const t = '\(Fakes.github)';\n")
        try dir.write(".env", "DATABASE_URL=\(Fakes.postgresURL)\n")
        let result = try CLI.run(["scan", ".", "--format", "sarif"], in: dir.url)
        #expect(result.status == 1)
        for secret in [Fakes.github, Fakes.postgresPassword] { #expect(!result.stdout.contains(secret)) }
        let python = try #require(CLITools.python, "run scripts/test-setup.sh first")
        try dir.write("out.sarif", result.stdout)
        let check = try CLI.runTool(python, [CLI.packageRoot.appendingPathComponent("testdata/sarif/validate.py").path,
                                             dir.url.appendingPathComponent("out.sarif").path])
        #expect(check.status == 0, "\(check.stdout)")
        let log = try CLI.json(result.stdout)
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(results.count == 2)
    }

    @Test func junitAndCSVFromTheBinary() throws {
        let dir = try Scratch()
        try dir.write("a.py", "TOKEN = '\(Fakes.github)'\n")
        let junit = try CLI.run(["scan", ".", "--format", "junit"], in: dir.url)
        #expect(junit.status == 1 && junit.stdout.contains("<failure") && !junit.stdout.contains(Fakes.github))
        let csv = try CLI.run(["scan", ".", "--format", "csv"], in: dir.url)
        #expect(csv.stdout.hasPrefix("rule_id,") && csv.stdout.contains("github.pat,") && !csv.stdout.contains(Fakes.github))
        let bad = try CLI.run(["scan", ".", "--format", "xml"], in: dir.url)
        #expect(bad.status == 2 && bad.stderr.contains("sarif"))
        let revealSarif = try CLI.run(["scan", ".", "--format", "sarif", "--reveal"], in: dir.url)
        #expect(revealSarif.status == 2 && !revealSarif.stdout.contains(Fakes.github))
    }

    /// Each marker works on the secret's line and on the line before; two lines above does not.
    @Test(arguments: ["leakward:allow", "gitleaks:allow", "pragma: allowlist secret"])
    func inlineAllowMarkersAreHonouredAndCounted(marker: String) throws {
        let dir = try Scratch()
        try dir.write("same.py", "TOKEN = '\(Fakes.github)'  # \(marker)\n")
        try dir.write("before.py", "# \(marker)\nTOKEN = '\(Fakes.github)'\n")
        try dir.write("too-far.py", "# \(marker)\n\nTOKEN = '\(Fakes.github)'\n")
        let report = try CLI.json(try CLI.run(["scan", ".", "--format", "json"], in: dir.url).stdout)
        let findings = try #require(report["findings"] as? [[String: Any]])
        let paths = Set(findings.map { ($0["location"] as! [String: Any])["path"] as! String })
        #expect(paths == ["too-far.py"])
        // Both allowed sightings are counted (once per rule that matched them), so they stay visible.
        let suppressed = try #require((report["stats"] as? [String: Any])?["suppressed"] as? Int)
        #expect(suppressed >= 2)
        let text = try CLI.run(["scan", "same.py", "before.py", "--no-color"], in: dir.url)
        #expect(text.status == 0 && text.stdout.contains("suppressed by allow markers"))
    }
}

/// Tools that scripts/test-setup.sh installs for the tests (never installed by a test).
enum CLITools {
    static var venv: URL { CLI.packageRoot.appendingPathComponent(".build/test-tools/venv/bin") }
    static var python: String? {
        let path = venv.appendingPathComponent("python").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}

extension CLI {
    /// Runs another program (git, python, pre-commit) and captures stdout and stderr together.
    @discardableResult
    static func runTool(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                        environment: [String: String] = [:]) throws -> Output {
        let process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }
}
