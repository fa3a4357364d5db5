import Foundation
import Testing

@Suite struct GitCommandTests {
    static func sha(_ secret: String) -> String {
        // The report's secret_sha256; computed with the system tool to stay independent of the code under test.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(Data(secret.utf8))
        try? input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }

    @Test func removedSecretIsFoundWithItsFirstCommitAndIsHistoryOnly() throws {
        let repo = try GitFixture()
        let token = GitFixture.token(1)
        try repo.commit("init", files: ["README.md": "hello\n"])
        let introduced = try repo.commit("add config", files: ["config.py": "import os\nTOKEN = \"\(token)\"\n"])
        try repo.git("mv", "config.py", "settings.py")
        try repo.commit("rename")
        try repo.commit("remove", removed: ["settings.py"])

        let result = try CLI.run(["git", repo.path, "--format", "json"])
        #expect(result.status == 1)
        #expect(!result.stdout.contains(token))
        let findings = try ReportedFinding.all(result.stdout).filter { $0.secretSHA == Self.sha(token) }
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.path == "config.py")
        #expect(finding.line == 2)
        #expect(finding.commit?["id"] as? String == introduced)
        #expect(finding.commit?["in_head"] as? Bool == false)
        #expect(finding.commit?["commit_count"] as? Int == 2)
        #expect(finding.commit?["author"] as? String == "Ada Author")
        #expect(finding.commit?["date"] as? String == "2023-11-16T22:13:20Z")
        #expect((finding.commit?["refs"] as? [String])?.isEmpty == true)

        let text = try CLI.run(["git", repo.path, "--no-color"])
        #expect(text.stdout.contains("config.py:2:10 (commit \(introduced.prefix(10)) by Ada Author, 2023-11-16, history only)"))
    }

    @Test func secretOnlyOnAnotherBranchListsThatBranch() throws {
        let repo = try GitFixture()
        let token = GitFixture.token(2)
        try repo.commit("init", files: ["README.md": "hello\n"])
        try repo.git("checkout", "-q", "-b", "feature")
        let introduced = try repo.commit("feature work", files: ["f.txt": "key = \"\(token)\"\n"])
        try repo.git("checkout", "-q", "main")
        try repo.commit("main work", files: ["README.md": "hello again\n"])

        let findings = try ReportedFinding.all(try CLI.run(["git", repo.path, "--format", "json"]).stdout)
        let finding = try #require(findings.first { $0.secretSHA == Self.sha(token) })
        #expect(finding.commit?["refs"] as? [String] == ["refs/heads/feature"])
        #expect(finding.commit?["in_head"] as? Bool == false)
        #expect(finding.commit?["id"] as? String == introduced)

        // Limiting to main leaves it out.
        let mainOnly = try CLI.run(["git", repo.path, "--branch", "main", "--format", "json"])
        #expect(mainOnly.status == 0)
        #expect(try ReportedFinding.all(mainOnly.stdout).isEmpty)
    }

    @Test func stagedModeReportsOnlyTheStagedAddition() throws {
        let repo = try GitFixture()
        let old = GitFixture.token(3), added = GitFixture.token(4), newFile = GitFixture.token(5), unstaged = GitFixture.token(6)
        try repo.commit("init", files: ["keep.txt": "a = \"\(old)\"\n"])
        try repo.dir.write("keep.txt", "a = \"\(old)\"\nb = \"\(added)\"\n")
        try repo.dir.write("new.txt", "c = \"\(newFile)\"\n")
        try repo.git("add", "keep.txt", "new.txt")
        try repo.dir.write("later.txt", "d = \"\(unstaged)\"\n")

        let result = try CLI.run(["git", repo.path, "--staged", "--format", "json"])
        #expect(result.status == 1)
        let found = try ReportedFinding.all(result.stdout).map { "\($0.path):\($0.line) \($0.secretSHA == Self.sha(added) ? "added" : $0.secretSHA == Self.sha(newFile) ? "new" : "other")" }
        #expect(found.sorted() == ["keep.txt:2 added", "new.txt:1 new"])

        // Nothing staged: clean.
        try repo.commit("commit it")
        #expect(try CLI.run(["git", repo.path, "--staged"]).status == 0)
    }

    @Test func rangeModeReportsOnlyTheNewCommitsSecrets() throws {
        let repo = try GitFixture()
        let old = GitFixture.token(7), new = GitFixture.token(8)
        try repo.commit("old", files: ["a.txt": "x = \"\(old)\"\n"])
        let base = try repo.commit("docs", files: ["README.md": "hi\n"])
        let introduced = try repo.commit("new", files: ["a.txt": "x = \"\(old)\"\ny = \"\(new)\"\n", "b.txt": "unrelated\n"])
        try repo.commit("more", files: ["c.txt": "more\n"])

        for arguments in [["--range", "\(base)..HEAD"], ["--since", base]] {
            let result = try CLI.run(["git", repo.path, "--format", "json"] + arguments)
            let findings = try ReportedFinding.all(result.stdout)
            #expect(findings.map(\.secretSHA) == [Self.sha(new)], "\(arguments)")
            #expect(findings.first?.commit?["id"] as? String == introduced)
            #expect(findings.first?.line == 2)
        }
        let empty = try CLI.run(["git", repo.path, "--range", "HEAD~1..HEAD"])
        #expect(empty.status == 0)
    }

    @Test func missingObjectIsRecordedAndTheRestIsStillFound() throws {
        let repo = try GitFixture()
        let lost = GitFixture.token(9), kept = GitFixture.token(10)
        try repo.commit("two files", files: ["lost.txt": "a = \"\(lost)\"\n", "kept.txt": "b = \"\(kept)\"\n"])
        let lostID = try repo.git("rev-parse", "HEAD:lost.txt")
        let object = repo.path + "/.git/objects/\(lostID.prefix(2))/\(lostID.dropFirst(2))"
        try FileManager.default.removeItem(atPath: object)

        let result = try CLI.run(["git", repo.path, "--format", "json"])
        #expect(result.status == 1)
        let findings = try ReportedFinding.all(result.stdout)
        #expect(findings.map(\.secretSHA) == [Self.sha(kept)])
        let errors = try CLI.json(result.stdout)["errors"] as? [[String: Any]] ?? []
        #expect(errors.contains { ($0["path"] as? String) == "lost.txt" && ($0["reason"] as? String ?? "").contains("missing") })

        // A corrupt (truncated) object: recorded too.
        let keptID = try repo.git("rev-parse", "HEAD:kept.txt")
        let keptPath = repo.path + "/.git/objects/\(keptID.prefix(2))/\(keptID.dropFirst(2))"
        try FileManager.default.removeItem(atPath: keptPath)
        try Data([0x78, 0x01, 0x00]).write(to: URL(fileURLWithPath: keptPath))
        let corrupt = try CLI.run(["git", repo.path, "--format", "json"])
        #expect(corrupt.status == 0)
        let corruptErrors = try CLI.json(corrupt.stdout)["errors"] as? [[String: Any]] ?? []
        #expect(corruptErrors.contains { ($0["path"] as? String) == "kept.txt" && ($0["level"] as? String) == "error" })
    }

    @Test func bareRepositoryWorks() throws {
        let repo = try GitFixture()
        let token = GitFixture.token(11)
        let introduced = try repo.commit("add", files: ["k.txt": "k = \"\(token)\"\n"])
        let bare = try Scratch()
        _ = try GitFixture.run(["clone", "-q", "--bare", repo.path, bare.path + "/r.git"], in: bare.path)
        let result = try CLI.run(["git", bare.path + "/r.git", "--format", "json"])
        #expect(result.status == 1)
        let finding = try #require(try ReportedFinding.all(result.stdout).first)
        #expect(finding.commit?["id"] as? String == introduced)
        #expect(finding.commit?["in_head"] as? Bool == true)
    }

    @Test func scanOfARepositoryJoinsWorkingTreeAndHistory() throws {
        let repo = try GitFixture()
        let token = GitFixture.token(12)
        try repo.commit("add", files: ["k.txt": "k = \"\(token)\"\n"])
        let both = try ReportedFinding.all(try CLI.run(["scan", repo.path, "--format", "json"]).stdout)
        #expect(both.count == 2)
        #expect(both.filter { $0.commit != nil }.count == 1)
        #expect(Set(both.compactMap(\.blob)).count == 1, "the file and the history blob are one blob, matched once")
        let plain = try ReportedFinding.all(try CLI.run(["scan", repo.path, "--no-git", "--format", "json"]).stdout)
        #expect(plain.count == 1)
        #expect(plain.first?.commit == nil)
    }
}
