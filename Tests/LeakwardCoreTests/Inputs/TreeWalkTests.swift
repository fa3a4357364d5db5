import Foundation
import Testing
@testable import LeakwardInputs
@testable import LeakwardModel
@testable import LeakwardSupport

/// The compiled ignore matcher (a table of gitignore cases, and the same tree judged by `git`)
/// and the parallel directory walk (the same catalog as one thread).
@Suite struct TreeWalkTests {
    static func makeTree(_ files: [String: String]) throws -> String {
        try ScratchTree.make(files, named: "walk")
    }

    /// One ignore file, one path: what gitignore(5) says.
    @Test func ignoreFileSemanticsTable() {
        let text = """
            # a comment line
            *.log
            !important.log
            /rootonly.txt
            build/
            docs/*.md
            !docs/keep.md
            **/cache/
            a/**/z.txt
            foo?.txt
            bar[0-9].txt
            baz[!a-c].txt
            \\#hash.txt
            \\!bang.txt
            trailing.txt   
            deep/nested/file.txt
            logs
            out/**
            """
        var ignore = GitIgnore()
        ignore.add(fileText: text, base: "")
        ignore.add(fileText: "!*.log\nlocal/\n/anchored.txt\n*.md\n", base: "sub")
        let cases: [(path: String, isDirectory: Bool, ignored: Bool)] = [
            ("x.log", false, true), ("a/b/x.log", false, true), ("important.log", false, false), ("a/important.log", false, false),
            ("rootonly.txt", false, true), ("a/rootonly.txt", false, false),
            ("build", true, true), ("a/build", true, true), ("build", false, false),
            ("docs/a.md", false, true), ("docs/x/a.md", false, false), ("docs/keep.md", false, false), ("a/docs/a.md", false, false),
            ("cache", true, true), ("a/b/cache", true, true), ("cache", false, false),
            ("a/z.txt", false, true), ("a/b/c/z.txt", false, true), ("b/a/z.txt", false, false),
            ("foo1.txt", false, true), ("foo.txt", false, false), ("foo/.txt", false, false),
            ("bar7.txt", false, true), ("barx.txt", false, false),
            ("bazd.txt", false, true), ("baza.txt", false, false),
            ("#hash.txt", false, true), ("!bang.txt", false, true), ("trailing.txt", false, true),
            ("deep/nested/file.txt", false, true), ("x/deep/nested/file.txt", false, false),
            ("logs", true, true), ("logs", false, true), ("a/logs", false, true),
            ("out/a", false, true), ("out/a/b", true, true), ("out", true, false),
            // The inner file decides first: it re-includes logs and adds its own lines.
            ("sub/x.log", false, false), ("sub/deeper/x.log", false, false), ("sub/local", true, true), ("sub/local", false, false),
            ("sub/anchored.txt", false, true), ("sub/a/anchored.txt", false, false), ("anchored.txt", false, false),
            ("sub/readme.md", false, true), ("readme.md", false, false), ("subx/x.log", false, true),
        ]
        for (path, isDirectory, ignored) in cases {
            #expect(ignore.isIgnored(path, isDirectory: isDirectory) == ignored, "\(path) \(isDirectory ? "(dir)" : "")")
            #expect(ignore.isIgnored(bytes: Array(path.utf8), isDirectory: isDirectory) == ignored)
        }
    }

    /// A general glob's required run of literal bytes (`IgnoreFile.longestLiteral`) only ever
    /// rejects paths the glob matcher rejects too: `**/` may match nothing, slash included; a
    /// class is no literal; an escape turns the test off.
    @Test func requiredLiteralOnlyRejectsWhatTheMatcherRejects() {
        #expect(IgnoreFile.longestLiteral(Array("**/eslintcache/*".utf8)) == Array("eslintcache/".utf8))
        #expect(IgnoreFile.longestLiteral(Array("**/.wrangler/*".utf8)) == Array(".wrangler/".utf8))
        #expect(IgnoreFile.longestLiteral(Array("a/**/zz.txt".utf8)) == Array("zz.txt".utf8))
        #expect(IgnoreFile.longestLiteral(Array("x[abcdefgh]y*".utf8)) == Array("x".utf8))
        #expect(IgnoreFile.longestLiteral(Array("ab[cdefgh".utf8)) == Array("ab".utf8))
        #expect(IgnoreFile.longestLiteral(Array("\\*literal*".utf8)).isEmpty)
        let globs = ["**/eslintcache/*", "**/.wrangler/*", "a/**/z.txt", "a***/b", "**b", "x[ab]y*", "[!a-c]q*", "*[]]*", "ab[cd",
                     "packages/**/*.junit.xml", "*.sublime-*", "**/triage_report.md", "a/**", "*?x?*", "**/", "[a-"]
        let paths = ["eslintcache/x", "a/eslintcache/y", "eslintcache", "x/.wrangler/state", ".wrangler/a", "a/z.txt", "a/b/z.txt", "z.txt",
                     "a/b", "ab", "b", "xay1", "xcy", "dq", "aq", "]", "a]b", "ab[cd", "abc", "packages/p/r.junit.xml", "packages/r.junit.xml",
                     "f.sublime-project", "triage_report.md", "d/triage_report.md", "a/", "a/q", "xx", "axb", "", "[a-"]
        for glob in globs {
            let bytes = Array(glob.utf8), literal = IgnoreFile.longestLiteral(bytes)
            for path in paths where GitIgnore.glob(bytes[...], matches: Array(path.utf8)[...]) {
                #expect(literal.isEmpty || path.utf8.count >= literal.count
                        && (0...(path.utf8.count - literal.count)).contains { Array(Array(path.utf8)[$0..<($0 + literal.count)]) == literal },
                        "\(glob) matches \(path) but \(String(decoding: literal, as: UTF8.self)) is not in it")
            }
        }
        // And through a whole ignore file, as the walk asks.
        var ignore = GitIgnore()
        ignore.add(fileText: "**/eslintcache/*\n/**/.wrangler/*\npackages/**/*.junit.xml\n", base: "")
        #expect(ignore.isIgnored("a/eslintcache/x", isDirectory: false))
        #expect(ignore.isIgnored("eslintcache/x", isDirectory: false))
        #expect(!ignore.isIgnored("a/eslintcachex/x", isDirectory: false))
        #expect(ignore.isIgnored("p/.wrangler/state", isDirectory: true))
        #expect(ignore.isIgnored("packages/a/b/r.junit.xml", isDirectory: false))
        #expect(!ignore.isIgnored("packages/a/b/r.junit.xm", isDirectory: false))
    }

    /// A tree with nested ignore files and `.git/info/exclude`: the walk (ignore files honoured,
    /// no build output read) lists exactly the files `git ls-files --others --exclude-standard` does.
    @Test func walkAgreesWithGit() throws {
        var files: [String: String] = [
            ".gitignore": "*.log\n!important.log\n/rootonly.txt\nbuild/\ndocs/*.md\n!docs/keep.md\n**/cache/\na/**/z.txt\nfoo?.txt\n"
                + "bar[0-9].txt\n\\#hash.txt\ntrailing.txt   \ndeep/nested/file.txt\nlogs\nout/**\n!out/keep.txt\nnode_modules\n",
            "sub/.gitignore": "!*.log\nlocal/\n/anchored.txt\n*.md\n",
            "sub/inner/.gitignore": "!readme.md\nkeep-me/\n!keep-me/\n",
            "packages/app/.gitignore": "dist\n*.tgz\n!keep.tgz\n/generated/\n",
        ]
        let names = ["x.log", "important.log", "rootonly.txt", "foo1.txt", "foo.txt", "bar7.txt", "barx.txt", "#hash.txt",
                     "trailing.txt", "readme.md", "anchored.txt", "z.txt", "plain.txt", "a.tgz", "keep.tgz", "excluded.txt"]
        let directories = ["", "a", "a/b", "a/b/c", "b/a", "build", "x/build", "docs", "docs/x", "cache", "y/cache", "deep/nested",
                           "x/deep/nested", "logs", "out", "out/deeper", "sub", "sub/local", "sub/deeper", "sub/inner", "sub/inner/keep-me",
                           "packages/app", "packages/app/dist", "packages/app/src", "packages/app/generated", "packages/app/x/generated",
                           "node_modules/pkg", "subx"]
        for directory in directories {
            for name in names { files[directory.isEmpty ? name : directory + "/" + name] = "text\n" }
        }
        files["docs/keep.md"] = "k\n"
        files["out/keep.txt"] = "k\n"
        files["logs/inside.txt"] = "l\n"
        let root = try Self.makeTree(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try git(["init", "-q"], in: root)
        try "excluded.txt\n".write(toFile: root + "/.git/info/exclude", atomically: true, encoding: .utf8)
        let expected = try git(["ls-files", "--others", "--exclude-standard", "-z"], in: root)
            .split(separator: "\0").map(String.init).sorted()
        var catalog = BlobCatalog()
        try WorkingTreeSource(root: root, policy: .respectGitignore).enumerate(into: &catalog)
        let listed = catalog.entries.map(\.ref.origin.path).sorted()
        #expect(listed.count > 100)
        #expect(listed == expected, "only the walk: \(Set(listed).subtracting(expected).sorted()); only git: \(Set(expected).subtracting(listed).sorted())")
    }

    /// The user's own ignore file (`core.excludesFile`) applies below `info/exclude` and the
    /// `.gitignore` files, as git applies it: to a scan of the top and of a folder inside.
    @Test func userExcludesFileIsHonouredAsGitHonoursIt() throws {
        let files = [".gitignore": "!keep.secretlog\n", "a.secretlog": "x\n", "keep.secretlog": "k\n", "b.txt": "b\n",
                     "sub/c.secretlog": "c\n", "sub/d.txt": "d\n", "sub/keep.secretlog": "k\n", ".env.secretlog": "KEY=v\n"]
        let root = try Self.makeTree(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let excludes = root + ".excludes"
        defer { try? FileManager.default.removeItem(atPath: excludes) }
        try "*.secretlog\n".write(toFile: excludes, atomically: true, encoding: .utf8)
        try git(["init", "-q"], in: root)
        try git(["config", "core.excludesFile", excludes], in: root)
        let expected = try git(["ls-files", "--others", "--exclude-standard", "-z"], in: root)
            .split(separator: "\0").map(String.init).sorted()
        #expect(expected == [".gitignore", "b.txt", "keep.secretlog", "sub/d.txt", "sub/keep.secretlog"])
        func walk(_ directory: String) throws -> [String] {
            var catalog = BlobCatalog()
            try WorkingTreeSource(root: directory).enumerate(into: &catalog)
            return catalog.entries.map(\.ref.origin.path).sorted()
        }
        // `.env` files are read even when ignored.
        #expect(try walk(root) == (expected + [".env.secretlog"]).sorted())
        #expect(try walk(root + "/sub") == ["d.txt", "keep.secretlog"])
    }

    /// A directory's entries as the walk reads them (`getdents64` on Linux, a record at a
    /// time) are the names and types `readdir` gives: a directory larger than one read's
    /// buffer, names of every length up to 255 bytes, non-ASCII and dot names, "." and ".." out.
    @Test func directoryEntriesAreWhatReaddirLists() throws {
        var files: [String: String] = [".hidden": "x", "..double": "x", "é-accent.txt": "x", String(repeating: "n", count: 255): "x"]
        for index in 0..<1500 { files["f\(index)-" + String(repeating: "a", count: index % 200)] = "x" }
        files["sub/inner.txt"] = "x"
        let root = try Self.makeTree(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #if os(Linux)
        #expect(DirectoryEntries.getdents64 != nil)
        #endif
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(fd) }
        var listed: [String: UInt8] = [:]
        DirectoryEntries.read(fd) { name, type in
            #expect(listed.updateValue(type, forKey: name) == nil, "\(name) listed twice")
        }
        var expected: [String: UInt8] = [:]
        let dir = try #require(opendir(root))
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { expected[name] = entry.pointee.d_type }
        }
        #expect(listed.count == files.count)
        #expect(listed == expected)
        #expect(listed["sub"] == UInt8(DT_DIR))
    }

    /// Directories listed on several threads give the catalog of the one-thread walk: the same
    /// entries, origins and build-output marks in the same order, the same issues and counts.
    @Test func parallelWalkEqualsTheOneThreadWalk() throws {
        var files: [String: String] = [
            ".gitignore": "ignored/\n*.tmp\n.next/\n.env\n",
            ".env": "KEY=value\n",
            "package.json": #"{"dependencies": {"next": "14.0.0"}}"#,
            ".next/static/chunks/main.js": "x\n",
            ".next/cache/a.js": "x\n",
            "ignored/a.txt": "x\n",
            "skip/by-config.txt": "x\n",
        ]
        for package in 0..<12 {
            files["packages/p\(package)/.gitignore"] = "local-\(package)/\n*.gen\n"
            for directory in 0..<6 {
                for file in 0..<5 {
                    files["packages/p\(package)/d\(directory)/f\(file).txt"] = "\(package) \(directory) \(file)\n"
                    files["packages/p\(package)/d\(directory)/f\(file).gen"] = "g\n"
                }
                files["packages/p\(package)/local-\(package)/d\(directory).txt"] = "l\n"
                files["packages/p\(package)/d\(directory)/deeper/more/x.tmp"] = "t\n"
                files["packages/p\(package)/d\(directory)/deeper/more/y.txt"] = "y\n"
            }
        }
        let root = try Self.makeTree(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        symlink("/etc/hostname", root + "/outside-link")
        func walk(workers: Int) throws -> (entries: [String], issues: [ScanIssue], allowlisted: Int) {
            var catalog = BlobCatalog()
            try WorkingTreeSource(root: root, excludedGlobs: ["skip/"], workers: workers).enumerate(into: &catalog)
            let entries = catalog.entries.map { entry in
                "\(entry.ref.origin.path) \(entry.ref.display) \(entry.size) \(entry.output.map { "\($0.side) \($0.framework)" } ?? "-")"
            }
            return (entries, catalog.issues, catalog.allowlistedPaths)
        }
        let one = try walk(workers: 1)
        #expect(one.entries.count > 400)
        #expect(one.entries.contains { $0.hasPrefix(".next/static/chunks/main.js ") && $0.hasSuffix("client Next.js") })
        #expect(one.entries.contains { $0.hasPrefix(".env ") })
        #expect(!one.entries.contains { $0.contains(".gen ") || $0.contains(".tmp ") || $0.contains("local-") || $0.hasPrefix("ignored/") })
        #expect(one.allowlisted == 1)
        #expect(one.issues.count == 1)
        for workers in [2, 3, 8] {
            let many = try walk(workers: workers)
            #expect(many.entries == one.entries)
            #expect(many.issues == one.issues)
            #expect(many.allowlisted == one.allowlisted)
        }
    }

    @discardableResult
    private func git(_ arguments: [String], in directory: String) throws -> String {
        let process = Process()
        process.standardInput = FileHandle.nullDevice
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // git reads the same user and system config as the walk (libgit2 in this process),
        // so an excludes file configured there counts on both sides.
        process.environment = ProcessInfo.processInfo.environment
        let out = Pipe()
        process.standardOutput = out
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments): \(String(decoding: message, as: UTF8.self))")
        return String(decoding: data, as: UTF8.self)
    }
}
