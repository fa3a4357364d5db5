import Foundation
import Testing

/// Issue 4 end to end: the binary on a built app (bundles with .gz/.br twins, source maps, CI
/// logs, k8s/Docker/npm configs, env files, a release tarball) and on malformed and hostile
/// archives. testdata/artifacts/make-fixtures.py made both, with `expected-findings.txt`.
@Suite struct ArtifactTests {
    static let artifacts = CLI.packageRoot.appendingPathComponent("testdata/artifacts")

    /// `rule_id path:line:column chain` for each finding, paths relative to testdata/artifacts.
    static func sightings(_ output: String, config: Bool = false) throws -> [String] {
        let findings = try #require(try CLI.json(output)["findings"] as? [[String: Any]])
        return findings.filter { ($0["category"] as? String == "config") == config }.map { finding in
            let location = finding["location"] as! [String: Any]
            let chain = (location["decoders"] as? [[String: Any]] ?? []).map { step in
                (step["detail"] as? String).map { "\(step["decoder"]!)[\($0)]" } ?? "\(step["decoder"]!)"
            }.joined(separator: " → ")
            let path = (location["path"] as! String).replacingOccurrences(of: artifacts.path + "/", with: "")
            return "\(finding["rule_id"]!) \(path):\(location["line"]!):\(location["column"]!) \(chain)"
                .trimmingCharacters(in: .whitespaces)
        }.sorted()
    }

    /// The planted secrets of one fixture folder; `*` columns match any column.
    static func expected(in folder: String) throws -> [String] {
        let text = try String(contentsOf: artifacts.appendingPathComponent("expected-findings.txt"), encoding: .utf8)
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
            .filter { $0.split(separator: " ")[1].hasPrefix(folder + "/") }.sorted()
    }

    static func matches(_ actual: [String], _ expected: [String]) -> Bool {
        guard actual.count == expected.count else { return false }
        return zip(actual, expected).allSatisfy { a, e in
            guard e.contains(":*") else { return a == e }
            let parts = e.components(separatedBy: ":*")
            guard a.hasPrefix(parts[0] + ":"), a.hasSuffix(parts[1]) else { return false }
            let column = a.dropFirst(parts[0].count + 1).dropLast(parts[1].count)
            return !column.isEmpty && column.allSatisfy(\.isNumber)
        }
    }

    @Test func builtAppGivesEveryPlantedSecretWithItsChainAndNothingElse() throws {
        let result = try CLI.run(["scan", Self.artifacts.appendingPathComponent("app").path, "--format", "json", "--reveal"])
        #expect(result.status == 1)
        // --reveal is only here to prove the decoys' values are absent; reports redact by default.
        let actual = try Self.sightings(result.stdout)
        let expected = try Self.expected(in: "app")
        #expect(expected.count >= 15)
        #expect(Self.matches(actual, expected), "\nactual:\n\(actual.joined(separator: "\n"))\nexpected:\n\(expected.joined(separator: "\n"))")
        // The config problems of the built app: its committed env file and its shipped source map.
        #expect(try Self.sightings(result.stdout, config: true) == [
            "project.env-file-tracked app/.env.production:1:1",
            "project.source-map-shipped app/.next/static/chunks/pages/_app-5e2b8c1d.js.map:1:1",
        ])
        let report = try CLI.json(result.stdout)
        #expect((report["errors"] as? [[String: Any]] ?? []).isEmpty, "\(report["errors"] ?? "")")
        // The template file's finding says the file is meant to be committed; the variable names arrive.
        let findings = (report["findings"] as! [[String: Any]]).filter { $0["category"] as? String != "config" }
        let template = findings.first { (($0["location"] as! [String: Any])["path"] as! String).hasSuffix(".env.example") }
        #expect((template?["notes"] as? [String] ?? []).contains { $0.contains("template") })
        #expect(template?["variable"] as? String == "GITHUB_TOKEN")
        let env = findings.first { (($0["location"] as! [String: Any])["path"] as! String).hasSuffix(".env.production") }
        #expect(env?["variable"] as? String == "ANTHROPIC_API_KEY")
        let k8s = findings.first { (($0["location"] as! [String: Any])["path"] as! String).hasSuffix("k8s/secret.yaml") }
        #expect(k8s?["variable"] as? String == "SLACK_BOT_TOKEN")
    }

    @Test func textReportShowsDecodeChainsAndRedacts() throws {
        let result = try CLI.run(["scan", Self.artifacts.appendingPathComponent("app").path, "--no-color"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("_app-5e2b8c1d.js.br:1:"))
        #expect(result.stdout.contains("via brotli"))
        #expect(result.stdout.contains("_app-5e2b8c1d.js.map!src/lib/openai.ts:12:12 via sourcesContent[src/lib/openai.ts]"))
        #expect(result.stdout.contains("orders-sdk-1.4.2.tgz!package/dist/server.js:3:22 via gzip → tar[package/dist/server.js]"))
        let revealed = try CLI.json(try CLI.run(["scan", Self.artifacts.appendingPathComponent("app").path, "--format", "json", "--reveal"]).stdout)
        for finding in revealed["findings"] as! [[String: Any]] {
            #expect(!result.stdout.contains(finding["secret"] as! String))
        }
    }

    @Test func malformedInputsGiveClearErrorsAndKeepWhatWasReadable() throws {
        let result = try CLI.run(["scan", Self.artifacts.appendingPathComponent("malformed").path, "--format", "json"])
        #expect(result.status == 1)
        let actual = try Self.sightings(result.stdout)
        let expected = try Self.expected(in: "malformed")
        #expect(Self.matches(actual, expected), "\nactual:\n\(actual.joined(separator: "\n"))\nexpected:\n\(expected.joined(separator: "\n"))")
        let errors = try #require(try CLI.json(result.stdout)["errors"] as? [[String: Any]]).map { issue in
            let path = (issue["path"] as! String).replacingOccurrences(of: Self.artifacts.path + "/", with: "")
            return "\(path) | \(issue["stage"]!) | \(issue["reason"]!)"
        }
        let wanted = [
            ("malformed/truncated.js.gz | gzip |", "truncated"),
            ("malformed/corrupt.js.br | brotli |", "damaged"),
            ("malformed/evil.zip!../../outside/evil.js | zip |", "leaves the archive"),
            ("malformed/evil.zip!huge.bin | zip |", "past the end"),
            ("malformed/evil.zip!liar.txt | zip |", "beyond its declared"),
            ("malformed/bad-header.tar | tar |", "bad tar header"),
            ("malformed/bomb-42k.zip!", "ratio limit"),
        ]
        for (prefix, reason) in wanted {
            #expect(errors.contains { $0.hasPrefix(prefix) && $0.contains(reason) }, "no \(prefix) … \(reason) in \(errors)")
        }
        // A bomb is one error, not one per member.
        #expect(errors.filter { $0.hasPrefix("malformed/bomb-42k.zip") }.count == 1, "\(errors)")
        let text = try CLI.run(["scan", Self.artifacts.appendingPathComponent("malformed").path, "--no-color"])
        #expect(text.stdout.contains("error: ") && text.stdout.contains("bad-header.tar: tar: bad tar header at byte 1024"))
    }

    @Test func zipBombInTheWorkingTreeIsBoundedAndTheScanFinishes() throws {
        let dir = try Scratch()
        try dir.write("backup/site.zip", Data(contentsOf: Self.artifacts.appendingPathComponent("malformed/bomb-42k.zip")))
        try dir.write("src/ok.js", "export const n = 1;\n")
        let result = try CLI.run(["scan", dir.path, "--format", "json"])
        #expect(result.status == 1)
        let stats = try #require(try CLI.json(result.stdout)["stats"] as? [String: Any])
        #expect(stats["files_scanned"] as? Int == 2)
        #expect((stats["errors"] as? Int ?? 0) >= 1)
    }

    /// `make run`'s demo lays out a built bundle, its twins, a source map and CI logs: the scan
    /// shows each decode chain.
    @Test func demoShowsEachDecodeChain() throws {
        let dir = try Scratch()
        let process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [CLI.packageRoot.appendingPathComponent("testdata/demo/make-demo.sh").path, dir.path]
        process.currentDirectoryURL = CLI.packageRoot
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let result = try CLI.run(["scan", dir.url.appendingPathComponent("app").path, "--no-color"])
        #expect(result.status == 1)
        var chains = ["app-page-8f3c2a.js.gz:1:53496 via gzip", "app-page-8f3c2a.js.map!src/lib/github.ts:2:23 via sourcesContent[src/lib/github.ts]",
                      "build-1187.log:8:58 via ci-log", "logs_1187.zip!deploy/3_Run deploy.txt:7:63 via zip[deploy/3_Run deploy.txt]"]
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/brotli") { chains.append("app-page-8f3c2a.js.br:1:53496 via brotli") }
        for chain in chains { #expect(result.stdout.contains(chain), "missing \(chain)") }
    }

    /// The script is the source of truth for the binary fixtures: it must run here and give
    /// the committed files back byte for byte (brotli twins only when the CLI is installed).
    @Test func fixtureScriptRegeneratesTheCommittedFixtures() throws {
        let dir = try Scratch()
        let process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.artifacts.appendingPathComponent("make-fixtures.py").path, dir.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let committed = FileManager.default.enumerator(atPath: Self.artifacts.path)!.allObjects as! [String]
        let hasBrotli = FileManager.default.isExecutableFile(atPath: "/usr/bin/brotli")
        for file in committed where !file.hasSuffix(".py") {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: Self.artifacts.appendingPathComponent(file).path, isDirectory: &isDirectory)
            if isDirectory.boolValue || (file.hasSuffix(".br") && !hasBrotli) { continue }
            let old = try Data(contentsOf: Self.artifacts.appendingPathComponent(file))
            let new = try? Data(contentsOf: dir.url.appendingPathComponent(file))
            #expect(old == new, "\(file) differs from what make-fixtures.py makes")
        }
    }
}
