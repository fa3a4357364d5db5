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
        let renamed = try repo.commit("rename")
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
        #expect(finding.commit?["refs"] as? [String] == ["refs/heads/main"])
        #expect(finding.commit?["reach"] as? String == "default_branch")
        #expect(finding.commit?["ref_count"] as? Int == 1)

        let text = try CLI.run(["git", repo.path, "--no-color"])
        // The rename keeps the blob: the other path it sat at is named with the commit that put it there.
        #expect(text.stdout.contains("config.py:2:10 (commit \(introduced.prefix(10)) by Ada Author, 2023-11-16, history only, also at \(repo.path)/settings.py since \(renamed.prefix(10)))"), "\(text.stdout)")
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
        #expect(finding.commit?["reach"] as? String == "branch")
        #expect(finding.commit?["in_head"] as? Bool == false)
        #expect(finding.commit?["id"] as? String == introduced)

        // Limiting to main leaves it out.
        let mainOnly = try CLI.run(["git", repo.path, "--branch", "main", "--format", "json"])
        #expect(mainOnly.status == 0)
        #expect(try ReportedFinding.all(mainOnly.stdout).isEmpty)
    }

    @Test func pullRequestRefsAreSummarisedNotListed() throws {
        let repo = try GitFixture()
        let token = GitFixture.token(7)
        try repo.commit("init", files: ["README.md": "hello\n"])
        try repo.git("checkout", "-q", "-b", "pr")
        try repo.commit("pull request", files: ["pr.txt": "key = \"\(token)\"\n"])
        // Twelve pull-request refs reach the secret; the branch that made it is gone.
        for n in [1, 2, 3, 10, 11, 12, 100, 101, 102, 1000, 1001, 1002] {
            try repo.git("update-ref", "refs/pull/\(n)/head", "HEAD")
        }
        try repo.git("checkout", "-q", "main")
        try repo.git("branch", "-q", "-D", "pr")
        try repo.git("tag", "v1")

        let summary = try CLI.run(["git", repo.path, "--format", "json"])
        let finding = try #require(try ReportedFinding.all(summary.stdout).first { $0.secretSHA == Self.sha(token) })
        #expect(finding.commit?["reach"] as? String == "other_refs")
        #expect(finding.commit?["ref_count"] as? Int == 12)
        #expect(finding.commit?["refs"] as? [String] == ["refs/pull/1/head", "refs/pull/2/head", "refs/pull/3/head"])

        let all = try CLI.run(["git", repo.path, "--format", "json", "--all-refs"])
        let full = try #require(try ReportedFinding.all(all.stdout).first { $0.secretSHA == Self.sha(token) })
        #expect((full.commit?["refs"] as? [String])?.count == 12)
        #expect((full.commit?["refs"] as? [String])?.last == "refs/pull/1002/head")

        let text = try CLI.run(["git", repo.path, "--no-color"])
        #expect(text.stdout.contains("only on refs/pull/1/head, refs/pull/2/head, refs/pull/3/head and 9 more"))
    }

    /// A secret left in a file through four edits is one sighting, not four.
    @Test func versionsOfOneFileAreOneSighting() throws {
        let repo = try GitFixture()
        let token = GitFixture.token(8)
        let first = try repo.commit("add", files: ["app.cfg": "key = \"\(token)\"\nversion = 1\n"])
        var last = first
        for n in 2...4 { last = try repo.commit("edit \(n)", files: ["app.cfg": "key = \"\(token)\"\nversion = \(n)\n"]) }

        let result = try CLI.run(["git", repo.path, "--format", "json"])
        let findings = try ReportedFinding.all(result.stdout).filter { $0.secretSHA == Self.sha(token) }
        #expect(findings.count == 1)
        let commit = try #require(findings.first?.commit)
        #expect(commit["id"] as? String == first)
        #expect(commit["versions"] as? Int == 4)
        #expect(commit["last_commit"] as? String == last)
        #expect(commit["commit_count"] as? Int == 4)
        #expect(commit["in_head"] as? Bool == true)
    }

    /// A deleted branch's commit and a blob staged then reset stay in the object store: both
    /// are scanned by default, the commit marked unreachable, and `--reachable-only` skips them.
    @Test func objectsNoRefReachesAreScannedByDefault() throws {
        let repo = try GitFixture()
        let onBranch = GitFixture.token(9), staged = GitFixture.token(10)
        try repo.commit("init", files: ["README.md": "hello\n"])
        try repo.git("checkout", "-q", "-b", "gone")
        let lost = try repo.commit("leak", files: ["deploy.cfg": "key = \"\(onBranch)\"\n"])
        try repo.git("checkout", "-q", "main")
        try repo.git("branch", "-q", "-D", "gone")
        try repo.dir.write("notes.txt", "token = \"\(staged)\"\n")
        try repo.git("add", "notes.txt")
        try repo.git("reset", "-q", "notes.txt")
        try FileManager.default.removeItem(atPath: repo.path + "/notes.txt")

        let result = try CLI.run(["git", repo.path, "--format", "json"])
        #expect(result.status == 1)
        let findings = try ReportedFinding.all(result.stdout)
        let branch = try #require(findings.first { $0.secretSHA == Self.sha(onBranch) })
        #expect(branch.path == "deploy.cfg")
        #expect(branch.commit?["id"] as? String == lost)
        #expect(branch.commit?["reach"] as? String == "unreachable")
        #expect(branch.commit?["ref_count"] as? Int == 0)
        #expect(branch.commit?["refs"] as? [String] == ["unreachable:\(lost)"])
        let dangling = try #require(findings.first { $0.secretSHA == Self.sha(staged) })
        #expect(dangling.displayPath.hasPrefix("unreachable-blob:"))
        #expect(dangling.originKind == "unreachable-blob")

        let text = try CLI.run(["git", repo.path, "--no-color"])
        #expect(text.stdout.contains("reachable from no ref"))
        let plan = try CLI.run(["plan", repo.path])
        #expect(plan.stdout.contains("still serves them by commit id"))

        let reachable = try CLI.run(["git", repo.path, "--format", "json", "--reachable-only"])
        #expect(reachable.status == 0)
        #expect(try ReportedFinding.all(reachable.stdout).isEmpty)
        // `scan` of the work tree reads the same history, and takes the same option.
        let scanned = try ReportedFinding.all(try CLI.run(["scan", repo.path, "--format", "json"]).stdout)
        #expect(Set(scanned.map(\.secretSHA)) == [Self.sha(onBranch), Self.sha(staged)])
        let scannedReachable = try CLI.run(["scan", repo.path, "--format", "json", "--reachable-only"])
        #expect(scannedReachable.status == 0)
        #expect(try ReportedFinding.all(scannedReachable.stdout).isEmpty)
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
        #expect(errors.contains { ($0["path"] as? String) == repo.path + "/lost.txt" && ($0["reason"] as? String ?? "").contains("missing") })

        // A corrupt (truncated) object: recorded too.
        let keptID = try repo.git("rev-parse", "HEAD:kept.txt")
        let keptPath = repo.path + "/.git/objects/\(keptID.prefix(2))/\(keptID.dropFirst(2))"
        try FileManager.default.removeItem(atPath: keptPath)
        try Data([0x78, 0x01, 0x00]).write(to: URL(fileURLWithPath: keptPath))
        let corrupt = try CLI.run(["git", repo.path, "--format", "json"])
        #expect(corrupt.status == 0)
        let corruptErrors = try CLI.json(corrupt.stdout)["errors"] as? [[String: Any]] ?? []
        #expect(corruptErrors.contains { ($0["path"] as? String) == repo.path + "/kept.txt" && ($0["level"] as? String) == "error" })
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

@Suite struct GitDeltaScanTests {
    /// Every sighting of a scan (secret, blob, offset, line, column) and the bytes it matched.
    struct Sightings: Equatable {
        var keys: Set<String>
        var bytes: Int
        static func == (a: Sightings, b: Sightings) -> Bool { a.keys == b.keys }
        func filter(_ isIncluded: (String) -> Bool) -> Set<String> { keys.filter(isIncluded) }
    }

    static func sightings(_ repo: GitFixture, _ extra: [String]) throws -> Sightings {
        // Every version on its own: the equivalence is checked blob by blob.
        let result = try CLI.run(["git", repo.path, "--format", "json", "--each-version"] + extra)
        let report = try CLI.json(result.stdout)
        let findings = report["findings"] as? [[String: Any]] ?? []
        let keys = Set(findings.map { finding in
            let location = finding["location"] as! [String: Any]
            let steps = location["decoders"] as? [[String: Any]] ?? []
            let chain = steps.map { "\($0["decoder"] ?? "")[\($0["detail"] ?? "")]" }.joined(separator: ">")
            return "\(finding["secret_sha256"]!) \(location["blob"] ?? "-") \(location["offset"]!) \(location["line"]!):\(location["column"]!) \(chain)"
        })
        let stats = report["stats"] as? [String: Any]
        return Sightings(keys: keys, bytes: stats?["bytes_scanned"] as? Int ?? 0)
    }

    /// A history with many kinds of files, renames, a branch and secrets that come and go,
    /// packed with real deltas: the delta-aware scan and the full-blob scan agree exactly.
    @Test func deltaScanEqualsFullBlobScanOnAPackedMixedHistory() throws {
        let repo = try GitFixture()
        let tokens = (40..<48).map(GitFixture.token)
        var source = (1...300).map { "func step\($0)() -> Int { return \($0) * 2 } // ordinary code" }
        var env = ["APP_NAME=demo", "PORT=3000"]
        var manifest = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: app", "data:", "  NAME: ZGVtbw=="]
        var readme = (1...200).map { "Paragraph \($0) of documentation that rarely changes." }
        var notes = (1...200).map { "Note \($0): nothing to see." }
        func commit(_ message: String) throws {
            try repo.commit(message, files: ["src/main.swift": source.joined(separator: "\n") + "\n",
                                             ".env": env.joined(separator: "\n") + "\n",
                                             "k8s/secret.yaml": manifest.joined(separator: "\n") + "\n",
                                             "docs/README.md": readme.joined(separator: "\n") + "\n",
                                             "notes/ops.md": notes.joined(separator: "\n") + "\n"])
        }
        try commit("base")
        source[120] = "let token = \"\(tokens[0])\""
        env.append("GITHUB_TOKEN=\(tokens[1])")
        try commit("secrets")
        for round in 0..<6 {
            source[(round * 47) % 300] = "func changed\(round)() {}"
            readme.insert("New paragraph \(round).", at: (round * 31) % readme.count)
            if round == 2 { source[121] = "let other = \"\(tokens[2])\"" }
            // A line that makes a window (not the whole file) look like a CI log, there for two
            // rounds: the version holding it is a delta of the later one without it.
            if round == 1 { notes[195] = "2024-05-01T10:00:00.0000000Z deploy with \(tokens[6])" }
            if round == 3 { notes[195] = "Note 196: nothing to see." }
            if round == 3 { source[120] = "let token = ProcessInfo.processInfo.environment[\"TOKEN\"]!" }
            if round == 4 { readme[150] = "Use the deploy token \(tokens[3]) for now." }
            if round == 5 {
                let encoded = Data("ghp_\(tokens[4].dropFirst(4))".utf8).base64EncodedString()
                manifest.append("  GH: \(encoded)")
            }
            try commit("round \(round)")
        }
        try repo.git("mv", "docs/README.md", "docs/GUIDE.md")
        try repo.commit("rename (the old deploy token was \(tokens[7]))")
        try repo.git("checkout", "-q", "-b", "feature")
        source[250] = "let branchOnly = \"\(tokens[5])\""
        try repo.commit("feature", files: ["src/main.swift": source.joined(separator: "\n") + "\n"])
        try repo.git("checkout", "-q", "main")
        try repo.pack()

        let full = try Self.sightings(repo, ["--full-blobs"])
        let delta = try Self.sightings(repo, [])
        #expect(!full.keys.isEmpty)
        #expect(full.keys == delta.keys, "only in full: \(full.keys.subtracting(delta.keys)); only in delta: \(delta.keys.subtracting(full.keys))")
        #expect(delta.bytes < full.bytes)
        for token in [tokens[0], tokens[2], tokens[3], tokens[5], tokens[6], tokens[7]] {
            #expect(full.keys.contains { $0.hasPrefix(GitDeltaScanTests.sha(token)) }, "a planted token is found")
        }
    }

    static func sha(_ text: String) -> String { GitCommandTests.sha(text) }

    /// The changed-lines scan must find exactly what the full-blob scan finds: same secret,
    /// same blob, same offset, including every later version of a file that still holds it.
    @Test func changedLinesScanEqualsFullBlobScan() throws {
        let repo = try GitFixture()
        let token = GitFixture.token(20), late = GitFixture.token(21)
        var lines = (1...400).map { "let value\($0) = compute(\($0)) // some ordinary source text here" }
        try repo.commit("base", files: ["src/app.swift": lines.joined(separator: "\n") + "\n"])
        lines[200] = "let token = \"\(token)\""
        try repo.commit("oops", files: ["src/app.swift": lines.joined(separator: "\n") + "\n"])
        for edit in [10, 390, 150] {
            lines[edit] = "let changed\(edit) = 1"
            try repo.commit("edit \(edit)", files: ["src/app.swift": lines.joined(separator: "\n") + "\n"])
        }
        lines[205] = "let late = \"\(late)\""
        try repo.commit("late", files: ["src/app.swift": lines.joined(separator: "\n") + "\n"])
        lines[200] = "let token = ProcessInfo.processInfo.environment[\"TOKEN\"]"
        try repo.commit("fix", files: ["src/app.swift": lines.joined(separator: "\n") + "\n"])

        try repo.pack()
        let full = try GitDeltaScanTests.sightings(repo, ["--full-blobs"])
        let delta = try GitDeltaScanTests.sightings(repo, [])
        #expect(full == delta)
        #expect(delta.bytes < full.bytes, "the delta scan matched only part of the blobs")
        #expect(full.filter { $0.hasPrefix(GitCommandTests.sha(token)) }.count == 5, "five versions hold the first token")
        #expect(full.filter { $0.hasPrefix(GitCommandTests.sha(late)) }.count == 2)
    }
}

@Suite struct GitCommandErrorTests {
    @Test func unknownRevisionIsAUsageFailureNotACleanScan() throws {
        let repo = try GitFixture()
        try repo.commit("init", files: ["a.txt": "a\n"])
        let result = try CLI.run(["git", repo.path, "--since", "no-such-branch"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no-such-branch"))
    }

    @Test func emptyRepositoryAndUnbornStagedWork() throws {
        let repo = try GitFixture()
        #expect(try CLI.run(["git", repo.path]).status == 0)
        let token = GitFixture.token(30)
        try repo.dir.write("first.txt", "t = \"\(token)\"\n")
        try repo.git("add", "first.txt")
        let staged = try CLI.run(["git", repo.path, "--staged", "--format", "json"])
        #expect(staged.status == 1)
        #expect(try ReportedFinding.all(staged.stdout).map(\.path) == ["first.txt"])
    }
}

@Suite struct GitShallowCloneTests {
    @Test func shallowCloneIsRecordedAndItsBlobsStillScanned() throws {
        let repo = try GitFixture()
        let token = GitFixture.token(40)
        try repo.commit("one", files: ["a.txt": "a\n"])
        try repo.commit("two", files: ["k.txt": "k = \"\(token)\"\n"])
        let clone = try Scratch()
        _ = try GitFixture.run(["clone", "-q", "--depth", "1", "file://" + repo.path, clone.path + "/c"], in: clone.path)
        let result = try CLI.run(["git", clone.path + "/c", "--format", "json"])
        #expect(result.status == 1)
        #expect(try ReportedFinding.all(result.stdout).map(\.path) == ["k.txt"])
        let errors = try CLI.json(result.stdout)["errors"] as? [[String: Any]] ?? []
        #expect(errors.contains { ($0["reason"] as? String ?? "").contains("shallow clone") && ($0["level"] as? String) == "skipped" })
    }
}

@Suite struct GitSubmoduleTests {
    /// A secret committed (and removed) in a submodule's own history is found only with
    /// --recurse-submodules, shown under the submodule's path with the submodule's commit.
    @Test func recurseSubmodulesScansTheSubmoduleHistory() throws {
        let library = try GitFixture()
        let token = GitFixture.token(60)
        let leak = try library.commit("add config", files: ["config.py": "TOKEN = \"\(token)\"\n"])
        try library.commit("remove it", files: ["config.py": "TOKEN = os.environ[\"TOKEN\"]\n"])
        let app = try GitFixture()
        try app.commit("init", files: ["README.md": "app\n"])
        try app.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", library.path, "vendor/lib")
        try app.commit("add the library")

        let plain = try CLI.run(["git", app.path, "--format", "json"])
        #expect(plain.status == 0)
        let plainReport = try CLI.json(plain.stdout)
        let skipped = (plainReport["errors"] as? [[String: Any]] ?? []).filter { ($0["path"] as? String) == app.path + "/vendor/lib" }
        #expect(skipped.contains { ($0["reason"] as? String ?? "").contains("--recurse-submodules") })

        let deep = try CLI.run(["git", app.path, "--recurse-submodules", "--format", "json"])
        #expect(deep.status == 1)
        let findings = try ReportedFinding.all(deep.stdout)
        #expect(findings.map(\.path) == ["vendor/lib/config.py"])
        #expect(findings.first?.commit?["id"] as? String == leak)
        #expect(findings.first?.secretSHA == GitCommandTests.sha(token))
    }

    @Test func recurseSubmodulesRefusesPartialModes() throws {
        let app = try GitFixture()
        try app.commit("init", files: ["a.txt": "a\n"])
        #expect(try CLI.run(["git", app.path, "--staged", "--recurse-submodules"]).status == 2)
    }
}

extension GitCommandTests {
    /// `scan` names a few refs per sighting, as `git` does, and every one with `--all-refs`
    /// (for a listed repository too).
    @Test func scanNamesEveryRefOnlyWhenAsked() throws {
        let repo = try GitFixture()
        let token = GitFixture.token(61)
        try repo.commit("leak", files: ["deploy.cfg": "key = \"\(token)\"\n"])
        for n in 1...5 { try repo.git("tag", "v\(n)") }
        func refs(_ arguments: [String]) throws -> (count: Int?, names: [String]) {
            let result = try CLI.run(arguments + ["--format", "json"])
            #expect(result.status == 1, "\(result.stderr)")
            let sighting = try #require(try ReportedFinding.all(result.stdout).first { $0.secretSHA == Self.sha(token) && $0.commit != nil })
            return (sighting.commit?["ref_count"] as? Int, sighting.commit?["refs"] as? [String] ?? [])
        }
        let few = try refs(["scan", repo.path])
        #expect(few.count == 6 && few.names.count == 3 && few.names.first == "refs/heads/main")
        let all = try refs(["scan", repo.path, "--all-refs"])
        #expect(all.count == 6 && Set(all.names) == Set(["refs/heads/main"] + (1...5).map { "refs/tags/v\($0)" }))
        let scratch = try Scratch()
        try scratch.write("repos.txt", repo.path + "\n")
        #expect(try refs(["scan", "--repos", scratch.path + "/repos.txt", "--all-refs"]).names.count == 6)
        let noGit = try CLI.run(["scan", repo.path, "--no-git", "--all-refs"])
        #expect(noGit.status == 2 && noGit.stderr.contains("--all-refs is about the history"))
    }
}
