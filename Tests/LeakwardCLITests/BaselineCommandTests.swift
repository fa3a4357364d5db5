import Foundation
import Testing

@Suite struct BaselineCommandTests {
    /// A project with two secrets in two files.
    func project() throws -> Scratch {
        let dir = try Scratch()
        try dir.write("src/sync.ts", "// sync\nconst client = new Octokit({\n  auth: '\(Fakes.github)',\n});\n")
        try dir.write("config/settings.py", "import os\n\nOPENAI_API_KEY = \"\(Fakes.openAI)\"\n")
        return dir
    }

    func read(_ dir: Scratch, _ name: String = ".leakward-baseline.json") throws -> String {
        try String(contentsOf: dir.url.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func createWritesFingerprintsNeverSecrets() throws {
        let dir = try project()
        let created = try CLI.run(["baseline", "create", "."], in: dir.url)
        #expect(created.status == 0, "\(created.stderr)")
        let text = try read(dir)
        #expect(!text.contains(Fakes.github) && !text.contains(Fakes.openAI))
        let json = try CLI.json(text)
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries.map { $0["rule"] as! String }.sorted() == ["github.pat", "openai.project-key"])
        #expect(entries.map { $0["path"] as! String } == ["config/settings.py", "src/sync.ts"], "sorted by path")
        // The baseline itself scans clean, and a second create refuses to clobber it.
        let scan = try CLI.run(["scan", ".leakward-baseline.json"], in: dir.url)
        #expect(scan.status == 0, "\(scan.stdout)")
        let again = try CLI.run(["baseline", "create", "."], in: dir.url)
        #expect(again.status == 2 && again.stderr.contains("baseline update"))
    }

    @Test func survivesFiftyInsertedLinesAndMovedFiles() throws {
        let dir = try project()
        try CLI.run(["baseline", "create", "."], in: dir.url)
        let original = try read(dir)

        let padding = String(repeating: "// unrelated line\n", count: 50)
        for file in ["src/sync.ts", "config/settings.py"] {
            let url = dir.url.appendingPathComponent(file)
            try (padding + String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        }
        let shifted = try CLI.run(["baseline", "update", "."], in: dir.url)
        #expect(shifted.stdout.contains("0 added, 0 removed"))
        #expect(try read(dir) == original)

        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: dir.url.appendingPathComponent("src/sync.ts"), to: dir.url.appendingPathComponent("lib/client.ts"))
        try CLI.run(["baseline", "update", "."], in: dir.url)
        #expect(try read(dir) == original)

        let scan = try CLI.run(["scan", ".", "--baseline", ".leakward-baseline.json", "--format", "json"], in: dir.url)
        #expect(scan.status == 0)
        let stats = try #require(try CLI.json(scan.stdout)["stats"] as? [String: Any])
        #expect(stats["baselined"] as? Int == 2)
    }

    @Test func baselineReportsOnlyNewFindingsAndUpdateKeepsNotes() throws {
        let dir = try project()
        try CLI.run(["baseline", "create", "."], in: dir.url)
        // A person explains one entry.
        let withNote = try read(dir).replacingOccurrences(
            of: "\"note\":\"\",\"path\":\"src/sync.ts\"", with: "\"note\":\"revoked 2024-05, kept for the demo\",\"path\":\"src/sync.ts\"")
        try withNote.write(to: dir.url.appendingPathComponent(".leakward-baseline.json"), atomically: true, encoding: .utf8)

        try dir.write(".env", "DATABASE_URL=\(Fakes.postgresURL)\n")
        let scan = try CLI.run(["scan", ".", "--baseline", ".leakward-baseline.json", "--format", "json"], in: dir.url)
        #expect(scan.status == 1)
        let findings = try #require(try CLI.json(scan.stdout)["findings"] as? [[String: Any]])
        #expect(findings.map { $0["rule_id"] as! String } == ["database.url-password"])

        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("config/settings.py"))
        let update = try CLI.run(["baseline", "update", "."], in: dir.url)
        #expect(update.stdout.contains("1 added, 1 removed"), "\(update.stdout)")
        let entries = try #require(try CLI.json(try read(dir))["entries"] as? [[String: Any]])
        #expect(entries.map { $0["path"] as! String } == [".env", "src/sync.ts"])
        #expect(entries.last?["note"] as? String == "revoked 2024-05, kept for the demo")
    }

    @Test func missingOrForeignBaselineIsOneClearError() throws {
        let dir = try project()
        let missing = try CLI.run(["scan", ".", "--baseline", "nope.json"], in: dir.url)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("baseline create"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        try dir.write("report.json", "{\"findings\": []}")
        let foreign = try CLI.run(["scan", ".", "--baseline", "report.json"], in: dir.url)
        #expect(foreign.status == 2 && foreign.stderr.contains("not a Leakward baseline"))
    }
}
