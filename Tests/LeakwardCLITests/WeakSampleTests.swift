import Foundation
import Testing

/// Issue 13, "where it sits": a weak sample secret in a test, fixture, example, template or
/// doc is visible at `info` with the reason, and fails no CI at default settings.
@Suite struct WeakSampleTests {
    static func findings(_ dir: Scratch) throws -> (status: Int32, findings: [[String: Any]]) {
        let result = try CLI.run(["scan", dir.path, "--no-git", "--format", "json"])
        return (result.status, try CLI.json(result.stdout)["findings"] as? [[String: Any]] ?? [])
    }

    @Test func aWeakSecretInATestIsInfoWithItsReasonAndFailsNoCI() throws {
        let dir = try Scratch()
        try dir.write("tests/auth.test.ts", "import { sign } from \"jsonwebtoken\";\nconst JWT_SECRET = \"test-secret\";\n")
        let (status, found) = try Self.findings(dir)
        #expect(status == 0)
        let weak = found.filter { $0["kind"] as? String == "weak-secret" }
        #expect(weak.count == 1, "\(found)")
        #expect(weak.first?["severity"] as? String == "info")
        #expect((weak.first?["location"] as? [String: Any])?["line"] as? Int == 2)
        let notes = weak.first?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.hasPrefix("weak: ") }, "\(notes)")
        #expect(notes.contains { $0.hasPrefix("in a test file") }, "\(notes)")
        // The text report shows it, with the reason, under a passing exit code.
        let text = try CLI.run(["scan", dir.path, "--no-git"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("[INFO]") && text.stdout.contains("in a test file"), "\(text.stdout)")
        // A project that asks for info to fail CI (`[ci] fail_on = "info"`) gets that.
        try dir.write(".leakward.toml", "[ci]\nfail_on = \"info\"\n")
        #expect(try CLI.run(["scan", dir.path, "--no-git"]).status == 1)
    }

    @Test func weakSamplesInDocsAndTemplatesAreInfoButNotInProductionCode() throws {
        let dir = try Scratch()
        try dir.write("docs/setup.md", "Session signing: `JWT_SECRET=secret` works locally.\n")
        try dir.write(".env.example", "SESSION_SECRET=\"keyboard cat\"\n")
        let (status, found) = try Self.findings(dir)
        #expect(status == 0, "\(found)")
        let weak = found.filter { $0["kind"] as? String == "weak-secret" }
        #expect(Set(weak.compactMap { ($0["location"] as? [String: Any])?["path"] as? String }.map { URL(fileURLWithPath: $0).lastPathComponent })
                == ["setup.md", ".env.example"], "\(found)")
        #expect(weak.allSatisfy { $0["severity"] as? String == "info" })
        // The same weak value configuring the server fails CI.
        try dir.write("src/server.js", "app.use(session({ secret: \"keyboard cat\" }));\n")
        #expect(try Self.findings(dir).status == 1)
    }
}
