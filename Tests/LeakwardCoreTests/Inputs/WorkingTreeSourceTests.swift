import Foundation
import Testing
@testable import LeakwardInputs
@testable import LeakwardModel

/// The working-tree walk on its own: what it lists, under which origin, and what it skips.
@Suite struct WorkingTreeSourceTests {
    /// A plain directory (no repository) with nested `.gitignore` files, an ignored `.env` and
    /// ignored build leftovers.
    static func tree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("leakward-tree-\(UUID().uuidString)").path
        let files = [
            ".gitignore": ".env\nignored/\n*.tmp\n",
            "a.txt": "a\n",
            ".env": "KEY=value\n",
            "b.tmp": "temporary\n",
            "ignored/x.txt": "x\n",
            "sub/.gitignore": "local.txt\n",
            "sub/local.txt": "local\n",
            "sub/keep.txt": "keep\n",
            "sub/deeper/c.txt": "c\n",
        ]
        for (path, text) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    static func listed(_ source: WorkingTreeSource) throws -> [String] {
        var catalog = BlobCatalog()
        try source.enumerate(into: &catalog)
        return catalog.entries.map(\.ref.origin.path).sorted()
    }

    @Test func honoursNestedGitignoresButAlwaysReadsEnvFiles() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let listed = try Self.listed(WorkingTreeSource(root: root))
        #expect(listed == [".env", ".gitignore", "a.txt", "sub/.gitignore", "sub/deeper/c.txt", "sub/keep.txt"])
        let everything = try Self.listed(WorkingTreeSource(root: root, policy: .readEverything))
        #expect(everything.contains("ignored/x.txt") && everything.contains("b.tmp") && everything.contains("sub/local.txt"))
    }

    @Test func originsAreTheRootAsTypedPlusARelativePath() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let source = WorkingTreeSource(root: root + "//")
        #expect(source.root == root)
        var catalog = BlobCatalog()
        try source.enumerate(into: &catalog)
        let keep = try #require(catalog.entries.first { $0.ref.origin.path == "sub/keep.txt" })
        #expect(keep.ref.origin == .file(root: root, path: "sub/keep.txt"))
        var reader = try source.makeReader()
        #expect(try reader.read(keep.ref, limit: 1 << 20).bytes == Array("keep\n".utf8))
    }

    @Test func excludedGlobsAreRelativeToTheConfigsDirectory() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let listed = try Self.listed(WorkingTreeSource(root: root, excludedGlobs: ["sub/deeper/"]))
        #expect(!listed.contains("sub/deeper/c.txt") && listed.contains("sub/keep.txt"))
        // The root is `sub/` of the config's directory: globs still name paths from there.
        let below = try Self.listed(WorkingTreeSource(root: root + "/sub", excludedGlobs: ["sub/keep.txt"], excludedBase: "sub/"))
        #expect(!below.contains("keep.txt") && below.contains("deeper/c.txt"))
    }

    @Test func aFileRootIsListedAsItselfAndAMissingRootIsAnIssue() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var catalog = BlobCatalog()
        try WorkingTreeSource(root: root + "/sub/keep.txt").enumerate(into: &catalog)
        #expect(catalog.entries.count == 1)
        #expect(catalog.entries.first?.ref.origin == Origin.namedFile(root + "/sub/keep.txt"))
        var missing = BlobCatalog()
        try WorkingTreeSource(root: root + "/nope").enumerate(into: &missing)
        #expect(missing.entries.isEmpty)
        #expect(missing.issues.first?.level == .error)
    }
}
