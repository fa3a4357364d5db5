import Foundation
import Testing

/// Whatever path is scanned, tracked state and the project's config come from the enclosing
/// repository, not from the argument.
@Suite struct EnclosingRepositoryTests {
    @Test func aTrackedFileScannedByNameIsNotUntracked() throws {
        let repo = try GitFixture()
        try repo.commit("add", files: ["c.py": "TOKEN = '\(Fakes.github)'\n", "src/d.py": "T = '\(GitFixture.token(3))'\n"])
        try repo.dir.write("new.py", "T = '\(GitFixture.token(4))'\n")
        for (arguments, expected) in [(["scan", "c.py"], false), (["scan", "src/d.py"], false), (["scan", "new.py"], true),
                                      (["scan", repo.path + "/c.py"], false)] {
            let result = try CLI.run(arguments + ["--format", "json"], in: repo.dir.url)
            #expect(result.status == 1)
            let report = try CLI.json(result.stdout)
            let locations = (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["location"] as? [String: Any] }
            #expect(locations.count == 1)
            #expect(locations.first?["untracked"] as? Bool == expected, "\(arguments): \(locations)")
        }
        let text = try CLI.run(["scan", "c.py", "--no-color"], in: repo.dir.url)
        #expect(!text.stdout.contains("(untracked)"))
        // The plan sees it as committed, not as a local file to review.
        let plan = try CLI.json(try CLI.run(["plan", "c.py", "--format", "json"], in: repo.dir.url).stdout)
        let tiers = (plan["items"] as? [[String: Any]] ?? []).compactMap { ($0["urgency"] as? [String: Any])?["tier"] as? String }
        #expect(tiers == ["rotate"], "\(tiers)")
    }

    /// A folder scanned inside a repository: each file's tracked state is the index's, both in
    /// a folder holding tracked files and in one git tracks nothing in (then every file is
    /// untracked without a lookup per file).
    @Test func filesOfAScannedFolderKeepTheirTrackedState() throws {
        let repo = try GitFixture()
        try repo.commit("add", files: ["src/d.py": "T = '\(GitFixture.token(3))'\n"])
        try repo.dir.write("src/new.py", "T = '\(GitFixture.token(4))'\n")
        try repo.dir.write("vendor/lib/x.py", "T = '\(GitFixture.token(5))'\n")
        for (folder, expected) in [("src", ["src/d.py": false, "src/new.py": true]), ("vendor", ["vendor/lib/x.py": true])] {
            let result = try CLI.run(["scan", folder, "--no-git", "--format", "json"], in: repo.dir.url)
            let report = try CLI.json(result.stdout)
            let locations = (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["location"] as? [String: Any] }
            var found: [String: Bool] = [:]
            for location in locations {
                if let path = location["path"] as? String { found[path] = location["untracked"] as? Bool }
            }
            #expect(found == expected, "\(folder): \(locations)")
        }
    }

    /// `scan src/` obeys the ignore files above it, as git does: what `scan .` leaves out is
    /// not read either way.
    @Test func aSubdirectoryScanObeysTheParentsGitignore() throws {
        let repo = try GitFixture()
        try repo.commit("add", files: [".gitignore": "generated/\n*.local\n", "src/app.py": "print('hi')\n"])
        try repo.dir.write("src/generated/token.txt", "GITHUB_TOKEN=\(Fakes.github)\n")
        try repo.dir.write("src/notes.local", "GITHUB_TOKEN=\(Fakes.github)\n")
        #expect(try CLI.run(["scan", ".", "--no-git"], in: repo.dir.url).status == 0)
        let sub = try CLI.run(["scan", "src", "--no-git"], in: repo.dir.url)
        #expect(sub.status == 0, "\(sub.stdout)")
        let inside = try CLI.run(["scan", "."], in: repo.dir.url.appendingPathComponent("src"))
        #expect(inside.status == 0, "\(inside.stdout)")
        // Outside a repository nothing above the root applies.
        let plain = try Scratch()
        try plain.write(".gitignore", "generated/\n")
        try plain.write("src/generated/token.txt", "GITHUB_TOKEN=\(Fakes.github)\n")
        #expect(try CLI.run(["scan", "src"], in: plain.url).status == 1)
    }

    /// gitleaks path regexes are written relative to the config's directory (the repository's
    /// top): `scan src/` must match them against `src/…`, not the path below the argument.
    @Test func gitleaksPathAllowlistsMatchRepositoryPaths() throws {
        let repo = try GitFixture()
        try repo.commit("add", files: [
            ".gitleaks.toml": "[extend]\nuseDefault = true\n[allowlist]\npaths = ['''^src/fixtures/''']\n",
            "src/fixtures/a.py": "TOKEN = '\(Fakes.github)'\n",
            "src/app.py": "print('hi')\n",
        ])
        #expect(try CLI.run(["scan", ".", "--no-git"], in: repo.dir.url).status == 0)
        let sub = try CLI.run(["scan", "src", "--no-git"], in: repo.dir.url)
        #expect(sub.status == 0, "\(sub.stdout)")
        let file = try CLI.run(["scan", "src/fixtures/a.py"], in: repo.dir.url)
        #expect(file.status == 0, "\(file.stdout)")
    }

    @Test func configIsFoundUpwardToTheRepositoryTop() throws {
        let repo = try GitFixture()
        try repo.commit("add", files: [
            ".leakward.toml": "[allowlist]\npaths = [\"src/fixtures/**\"]\n",
            "src/fixtures/a.env": "GITHUB_TOKEN=\(Fakes.github)\n",
            "src/app.py": "print('hi')\n",
        ])
        #expect(try CLI.run(["scan", "."], in: repo.dir.url).status == 0)
        #expect(try CLI.run(["scan", "src"], in: repo.dir.url).status == 0)
        #expect(try CLI.run(["scan", repo.path + "/src/fixtures"]).status == 0)
        #expect(try CLI.run(["scan", "fixtures/a.env"], in: repo.dir.url.appendingPathComponent("src")).status == 0)
        #expect(try CLI.run(["scan", "."], in: repo.dir.url.appendingPathComponent("src")).status == 0)
        // Not past the repository's top: a config above it belongs to something else.
        let outer = try Scratch()
        try outer.write(".leakward.toml", "[allowlist]\npaths = [\"**\"]\n")
        try GitFixture.run(["init", "-q", "inner"], in: outer.path)
        try outer.write("inner/a.env", "GITHUB_TOKEN=\(Fakes.github)\n")
        #expect(try CLI.run(["scan", outer.path + "/inner"]).status == 1)
        // Nor past a bare repository's own directory.
        let pushed = try GitFixture()
        try pushed.commit("add", files: ["a.env": "GITHUB_TOKEN=\(Fakes.github)\n"])
        try GitFixture.run(["clone", "-q", "--bare", pushed.path, "bare.git"], in: outer.path)
        #expect(try CLI.run(["git", outer.path + "/bare.git"]).status == 1)
    }

    @Test func configErrorsNameFileLineAndKey() throws {
        let dir = try Scratch()
        try dir.write(".leakward.toml", "# project config\n[allowlist]\nregexes = [\"(unclosed\"]\n")
        try dir.write("sub/a.txt", "hello\n")
        let result = try CLI.run(["scan", dir.path + "/sub"])
        #expect(result.status == 2)
        #expect(result.stderr.contains(".leakward.toml:3:"), "\(result.stderr)")
        #expect(result.stderr.contains("allowlist.regexes"), "\(result.stderr)")
        #expect(result.stderr.contains("(unclosed"), "\(result.stderr)")
    }
}
