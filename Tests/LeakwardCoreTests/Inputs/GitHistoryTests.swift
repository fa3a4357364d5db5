import Foundation
import Synchronization
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardPlan
@testable import LeakwardReporting
@testable import LeakwardRules
@testable import LeakwardSupport
@testable import LeakwardVerification

/// A throwaway repository made with the `git` CLI (fixture only; the code under test reads it through libgit2).
private final class Repo {
    let path: String
    private var clock = 1_600_000_000

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("leakward-git-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        let process = Process()
        // Never the test runner's stdin: `git repack` hands it to pack-objects as revisions.
        process.standardInput = FileHandle.nullDevice
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in ["GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T",
                             "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_AUTHOR_DATE": "@\(clock) +0000",
                             "GIT_COMMITTER_DATE": "@\(clock) +0000", "GIT_CONFIG_NOSYSTEM": "1", "HOME": path] {
            env[key] = value
        }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Packs every object with fresh deltas (chains up to `depth`) and drops the loose copies.
    /// (`git pack-objects` fed explicitly: `git repack` under the test runner picked up stray
    /// input from other tests' processes as revisions.)
    func pack(depth: Int = 50) throws {
        let script = "git rev-list --objects --all | git pack-objects -q --delta-base-offset --window=10 --depth=\(depth) .git/objects/pack/pack >/dev/null && git prune-packed"
        let process = Process()
        process.standardInput = FileHandle.nullDevice
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "packing")
    }

    @discardableResult
    func commit(_ message: String, files: [String: String] = [:]) throws -> String {
        clock += 3600
        for (name, text) in files {
            let url = URL(fileURLWithPath: path + "/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try git("rev-parse", "HEAD")
    }
}

@Suite struct GitHistorySourceTests {
    static func catalog(_ source: GitHistorySource) throws -> BlobCatalog {
        var catalog = BlobCatalog()
        try source.enumerate(into: &catalog)
        return catalog
    }

    @Test func eachUniqueBlobIsListedOnceWithCommitMessages() throws {
        let repo = try Repo()
        try repo.commit("one", files: ["a.txt": "same\n", "dir/b.txt": "same\n", "c.txt": "c1\n"])
        try repo.commit("two", files: ["c.txt": "c2\n"])
        try repo.git("checkout", "-q", "-b", "side")
        try repo.commit("three", files: ["d.txt": "same\n", "e.txt": "side only\n"])
        try repo.git("tag", "v1")
        let catalog = try Self.catalog(GitHistorySource(repositoryPath: repo.path))
        let blobs = catalog.entries.filter { $0.ref.origin.kind == .history }
        #expect(blobs.count == 4, "same, c1, c2, side only: \(blobs.map(\.ref.display))")
        #expect(Set(blobs.map(\.ref)).count == blobs.count)
        #expect(blobs.first { $0.ref.origin == .history(root: repo.path, path: "a.txt") } != nil, "the first path seen names the blob")
        #expect(catalog.entries.filter { $0.ref.origin.kind == .commitMessage }.count == 3)

        let mainOnly = try Self.catalog(GitHistorySource(repositoryPath: repo.path, selection: .refs(["main"]),
                                                        scansCommitMessages: false))
        #expect(mainOnly.entries.count == 3)
    }

    @Test func readerReturnsBlobBytesAndCommitMessages() throws {
        let repo = try Repo()
        let id = try repo.commit("subject line\n\nbody text", files: ["a.txt": "alpha\n"])
        let source = GitHistorySource(repositoryPath: repo.path)
        var reader = try source.makeReader()
        let blobID = try repo.git("rev-parse", "HEAD:a.txt")
        #expect(try reader.read(.gitBlob(id: ObjectID(hex: blobID)!, origin: .history(root: ".", path: "a.txt")), limit: 1000).bytes == Array("alpha\n".utf8))
        let message = try reader.read(.gitBlob(id: ObjectID(hex: id)!, origin: .commitMessage(root: ".", commit: ObjectID(hex: id)!)), limit: 1000).bytes
        #expect(String(decoding: message, as: UTF8.self).contains("body text"))
        #expect(throws: ReadError.self) { try reader.read(.gitBlob(id: ObjectID(hex: blobID)!, origin: .history(root: ".", path: "a.txt")), limit: 3) }
    }

    @Test func submodulesAndLFSPointersAreRecordedNotSilentlySkipped() throws {
        let repo = try Repo()
        try repo.commit("lfs", files: ["big.bin": "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n"])
        try repo.git("update-index", "--add", "--cacheinfo", "160000,1111111111111111111111111111111111111111,vendor/lib")
        try repo.git("commit", "-q", "-m", "submodule")
        let source = GitHistorySource(repositoryPath: repo.path)
        let catalog = try Self.catalog(source)
        #expect(catalog.issues.contains { $0.path == repo.path + "/vendor/lib" && $0.reason.contains("submodule") })
        let lfs = try #require(catalog.entries.first { $0.ref.origin.path == "big.bin" })
        var reader = try source.makeReader()
        #expect {
            try reader.read(lfs.ref, limit: 1 << 20)
        } throws: { error in
            if case ReadError.skipped(_, let reason) = error { return reason.contains("LFS") }
            return false
        }
    }

    @Test func unopenableRepositoryIsOneRecordedError() throws {
        let catalog = try Self.catalog(GitHistorySource(repositoryPath: "/nonexistent/leakward-repo"))
        #expect(catalog.entries.isEmpty)
        #expect(catalog.issues.count == 1)
        #expect(catalog.issues.first?.level == .error)
    }
}

@Suite struct GitProvenanceTests {
    @Test func renamesKeepTheFirstCommitAndCountsEveryCommitHoldingTheBlob() throws {
        let repo = try Repo()
        try repo.commit("init", files: ["README": "r\n"])
        let first = try repo.commit("add", files: ["old/name.txt": "payload\n"])
        try repo.git("mv", "old/name.txt", "new.txt")
        try repo.commit("rename")
        try repo.commit("unrelated", files: ["README": "r2\n"])
        let blob = try repo.git("rev-parse", "HEAD:new.txt")

        let source = GitHistorySource(repositoryPath: repo.path)
        var findings = [Finding(ruleID: "r", ruleName: "r", category: .generic, provider: "p", severity: .high, kind: .secret,
                                validation: .unchecked, secret: SecretValue(Array("payload".utf8)),
                                location: .init(origin: .history(root: repo.path, path: "new.txt"), line: 1, column: 1, offset: 0,
                                                blob: ObjectID(hex: blob)!))]
        var issues: [ScanIssue] = []
        source.attribute(&findings, issues: &issues)
        let commit = try #require(findings[0].location.commit)
        #expect(commit.id.description == first)
        #expect(findings[0].location.origin == .history(root: repo.path, path: "old/name.txt"))
        #expect(commit.commitCount == 3)
        #expect(commit.isInHEAD)
        #expect(commit.summary == "add")
        #expect(issues.isEmpty)
    }

    /// A history with renames, moves, a side branch and files coming back, for comparing a
    /// walk in many small segments on several workers with the one-thread walk.
    private func branchyHistory(packed: Bool) throws -> Repo {
        let repo = try Repo()
        for i in 0..<14 {
            var files = ["src/a\(i % 4).txt": "version \(i)\n", "docs/readme.md": "docs \(i / 3)\n"]
            // `deep.txt` sorts before the directory `deep` in a tree (git compares `deep/`).
            if i % 5 == 0 { files["lib/deep/x\(i).c"] = "int x = \(i);\n"; files["lib/deep.txt"] = "deep \(i)\n" }
            try repo.commit("c\(i)", files: files)
            if i == 6 {
                try repo.git("checkout", "-q", "-b", "side")
                try repo.commit("side", files: ["side/only.txt": "side\n", "side/copy.txt": "version 3\n"])
                try repo.git("checkout", "-q", "main")
            }
            if i == 9 { try repo.git("mv", "lib", "vendor") }
        }
        try repo.git("merge", "-q", "--no-edit", "side")
        try repo.commit("after", files: ["src/a0.txt": "version 0\n"])
        if packed { try repo.pack(depth: 5) }
        return repo
    }

    /// Messages kept from the commit table are what libgit2 reads, byte for byte, for every
    /// commit of a packed history (the readers then read no commit again).
    @Test func keptCommitMessagesAreTheMessagesLibgit2Reads() throws {
        let repo = try branchyHistory(packed: false)
        try repo.commit("subject\n\nbody with\n\nblank lines  \n\n\n")
        try repo.pack(depth: 5)
        let repository = try GitRepository(path: repo.path)
        let source = GitHistorySource(repositoryPath: repo.path)
        let nodes = source.plan.graph.nodes
        #expect(nodes.count > 12)
        #expect(source.plan.messages.messages.count == nodes.count)
        var reader = try source.makeReader()
        for (n, node) in nodes.enumerated() {
            let libgit2 = try repository.commitDetails(node.id).message
            #expect(source.plan.messages.messages.message(ofNode: n).map(Array.init) == libgit2)
            let read = try reader.read(.gitBlob(id: node.id, origin: .commitMessage(root: ".", commit: node.id)), limit: 1 << 20)
            #expect(read.bytes == libgit2)
        }
        // After the headers' first blank line, up to any NUL; nothing without a blank line.
        for (raw, message) in [("tree x\n\nhello\n", "hello\n"), ("tree x\n\nab\u{0}cd", "ab"), ("tree x\nno blank\n", ""),
                               ("tree x\n\n", ""), ("\n\n\nx", "\nx"), ("", "")] {
            let bytes = Array(raw.utf8)
            let range = bytes.withUnsafeBufferPointer { CommitMessages.messageRange($0) }
            #expect(Array(bytes[range]) == Array(message.utf8), "\(raw.debugDescription)")
        }
        // Let go once findings are attributed: provenance does not hold them.
        var findings: [Finding] = [], issues: [ScanIssue] = [], timings = ScanTimings()
        source.attribute(&findings, issues: &issues, timings: &timings)
        #expect(source.plan.messages.messages.count == 0)
    }

    /// More paths than are listed per blob, met across many commits: reading the commits in
    /// segments on workers lists the same first paths, first commits and count.
    @Test func pathsPastTheCapAreCountedTheSameInSegments() throws {
        let repo = try Repo()
        for k in 0..<9 {
            var files: [String: String] = [:]
            for j in 0..<8 { files["d\(k)/f\(j).txt"] = "same secret\n" }
            if k == 4 { try repo.git("rm", "-rq", "d0") }
            if k == 6 { files["d0/f0.txt"] = "same secret\n" }
            try repo.commit("c\(k)", files: files)
        }
        let repository = try GitRepository(path: repo.path)
        let graph = CommitGraph(repository: repository, tips: try repository.references().commits)
        var inventory = BlobInventory()
        for (index, node) in graph.nodes.enumerated() { inventory.add(tree: node.tree, commit: index, in: repository) }
        let targets = inventory.items.map(\.id).sorted()
        let path = repo.path
        let one = GitProvenance.compute(repository: repository, graph: graph, targets: targets, trees: inventory.trees)
        let many = GitProvenance.compute(repository: repository, graph: graph, targets: targets, trees: inventory.trees,
                                         workers: 3, segmentLength: 1, open: { try? GitRepository(path: path) })
        func paths(_ origins: [ObjectID: GitProvenance.Origin]) -> [String] {
            origins.map { "\($0.key) \(($0.value.commit.paths ?? []).map { "\($0.path)@\($0.commit) \($0.isInHEAD)" }) \($0.value.commit.pathCount ?? 0)" }.sorted()
        }
        let shared = try #require(one.values.first { ($0.commit.pathCount ?? 0) > 0 })
        #expect(shared.commit.pathCount == 72)
        #expect(shared.commit.paths?.count == GitProvenance.maxPathsPerBlob)
        #expect(paths(many) == paths(one))
    }

    /// Provenance follows trees through the walk's summaries (their subtrees' slots and names,
    /// the targets directly in them with their names) instead of reading them: the paths equal
    /// those found by reading every tree, with a directory renamed but unchanged (same subtree,
    /// new name), blobs at the root and in subdirectories, a side branch, on one worker and in
    /// segments on three.
    @Test func rootTreesFollowedThroughSummariesListTheSamePaths() throws {
        let repo = try branchyHistory(packed: true)
        try repo.commit("root files", files: ["top.txt": "version 2\n", "vendor/again.txt": "version 1\n"])
        try repo.git("mv", "vendor", "lib2")
        try repo.commit("rename back")
        let repository = try GitRepository(path: repo.path)
        let graph = CommitGraph(repository: repository, tips: try repository.references().commits)
        var inventory = BlobInventory()
        for (index, node) in graph.nodes.enumerated() { inventory.add(tree: node.tree, commit: index, in: repository) }
        // Every tree's names are its subtrees' names, in tree order.
        #expect(inventory.trees.count > 30)
        for slot in 0..<Int32(inventory.trees.count) {
            var names: [String] = []
            try repository.forEachEntry(ofTree: inventory.trees.id(at: slot)) { name, _, kind in
                if kind == .tree { names.append(String(decoding: name, as: UTF8.self)) }
            }
            #expect(inventory.trees.subtreeNames(at: slot) == names)
            #expect(inventory.trees.subtrees(at: slot).count == names.count)
        }
        let targets = inventory.items.map(\.id).sorted()
        func paths(_ origins: [ObjectID: GitProvenance.Origin]) -> [String] {
            origins.map { "\($0.key) \($0.value.path ?? "") \(($0.value.commit.paths ?? []).map { "\($0.path)@\($0.commit) \($0.isInHEAD)" })" }.sorted()
        }
        let summarised = GitProvenance.compute(repository: repository, graph: graph, targets: targets, trees: inventory.trees)
        let read = GitProvenance.compute(repository: repository, graph: graph, targets: targets)
        let path = repo.path
        let segmented = GitProvenance.compute(repository: repository, graph: graph, targets: targets, trees: inventory.trees,
                                              workers: 3, segmentLength: 1, open: { try? GitRepository(path: path) })
        #expect(summarised.count == targets.count)
        #expect(paths(summarised) == paths(read))
        #expect(paths(segmented) == paths(read))
        #expect(paths(summarised).contains { $0.contains("lib2/again.txt@") && $0.contains("vendor/again.txt@") })
    }

    /// Values sit in slots without an Optional (an empty slot is its zero key): a missing id
    /// is nil, never the placeholder, through growth and replacement; slots stay 24 bytes.
    @Test func objectIDMapTellsMissingFromStoredAcrossGrowth() {
        var map = ObjectIDMap<Int32>(capacity: 2)
        var arrays = ObjectIDMap<[Int32]>(capacity: 2)
        func id(_ n: UInt64) -> ObjectID { ObjectID(high: n &* 0x9E37_79B9_7F4A_7C15, middle: n, low: UInt32(truncatingIfNeeded: n)) }
        for n in 1...5000 as ClosedRange<UInt64> {
            let isNew = map.insert(id(n), Int32(n % 7))
            #expect(isNew)
            arrays[id(n)] = n % 3 == 0 ? [] : [Int32(n)]
        }
        let again = map.insert(id(3), 99)
        #expect(!again)
        #expect(map[id(3)] == 3)
        map[id(3)] = 42
        #expect(map.count == 5000)
        for n in 1...5000 as ClosedRange<UInt64> {
            #expect(map[id(n)] == (n == 3 ? 42 : Int32(n % 7)))
            #expect(arrays[id(n)] == (n % 3 == 0 ? [] : [Int32(n)]))
        }
        for n in 5001...5100 as ClosedRange<UInt64> {
            #expect(map[id(n)] == nil)
            #expect(arrays[id(n)] == nil)
        }
        var seen = 0
        map.forEach { _, _ in seen += 1 }
        #expect(seen == 5000)
        #expect(ObjectIDMap<Int32>.slotStride == 24)
    }

    @Test func recentObjectsAgreeWithADictionaryThroughInsertsAndRemovals() {
        var recent = RecentObjects()
        var model: [Int: [UInt8]] = [:]
        var order: [Int] = []
        var generator = SystemRandomNumberGenerator()
        // Keys as a pack reader makes them (pack << 40 | offset), crowded into few offsets so
        // probe runs grow long and wrap around the table's end.
        for step in 0..<20_000 {
            let key = Int.random(in: 0..<3, using: &generator) << 40 | Int.random(in: 12..<600, using: &generator)
            if model[key] == nil, Int.random(in: 0..<3, using: &generator) > 0 {
                recent.insert(key, ([UInt8(step & 0xFF)], .blob))
                model[key] = [UInt8(step & 0xFF)]
                order.append(key)
            } else if let oldest = order.first {   // oldest out, as the reader evicts
                order.removeFirst()
                #expect(recent.remove(oldest)?.bytes == model.removeValue(forKey: oldest))
            }
            #expect(recent.count == model.count)
            if step % 97 == 0 {
                for probe in 12..<600 { #expect(recent[probe]?.bytes == model[probe], "\(probe)") }
                for (k, v) in model { #expect(recent[k]?.bytes == v && recent.contains(k)) }
            }
        }
        #expect(recent.remove(1 << 41 | 5) == nil)
    }

    @Test func packKindsResolvedInOnePassEqualAWalkDownEveryChain() {
        typealias Entry = PackFile.Entry
        func entry(_ kind: PackObjectKind, base: Int32 = -1) -> Entry {
            Entry(offset: 0, size: 0, position: 0, base: base, headerLength: 0, kind: kind)
        }
        // Offset deltas on earlier entries, reference deltas on later ones (a chain of them),
        // one on a base outside the pack, and a damaged cycle.
        let entries = [entry(.tree), entry(.offsetDelta, base: 0), entry(.referenceDelta, base: 4), entry(.offsetDelta, base: 2),
                       entry(.referenceDelta, base: 5), entry(.blob), entry(.referenceDelta, base: -1), entry(.offsetDelta, base: 6),
                       entry(.referenceDelta, base: 9), entry(.referenceDelta, base: 8), entry(.commit), entry(.offsetDelta, base: 1)]
        func walked(_ i: Int) -> UInt8 {
            var j = i, steps = 0
            while entries[j].kind.isDelta {
                guard entries[j].base >= 0, steps <= entries.count else { return PackFile.unresolvedKind }
                j = Int(entries[j].base)
                steps += 1
            }
            return entries[j].kind.rawValue
        }
        let kinds = PackFile.resolvedKinds(entries)
        #expect(kinds == entries.indices.map(walked))
        #expect(kinds == [2, 2, 3, 3, 3, 3, 255, 255, 255, 255, 1, 2])
    }

    @Test func commitTableReadsEveryPackedCommitAsLibgit2Does() throws {
        let repo = try branchyHistory(packed: true)
        let repository = try GitRepository(path: repo.path)
        let store = PackStore(objectsDirectory: repository.objectsDirectory)
        let table = CommitTable.reading(store, workers: 3)
        let ids = store.objectIDs(ofKind: .commit).ids
        #expect(ids.count > 12)
        #expect(table.count == ids.count)
        for id in ids {
            let ours = try #require(table.record(id))
            let theirs = try repository.commit(id)   // no table set: libgit2
            #expect(ours.tree == theirs.tree && ours.parents == theirs.parents && ours.time == theirs.time)
        }
        // Header forms beyond the plain one are left to libgit2.
        let tree = String(repeating: "ab", count: 20), parent = String(repeating: "0F", count: 20)
        let plain = "tree \(tree)\nparent \(parent)\nauthor A <a@x> 1 +0000\nauthor B <b@x> 2 +0000\n"
            + "committer C <c@x> 1700000000 -0130\ngpgsig -----BEGIN\n x\n\nmessage\n"
        let parsed = try #require(CommitTable.parse(Array(plain.utf8)))
        #expect(parsed.tree == ObjectID(hex: tree) && parsed.parents == [ObjectID(hex: parent)!] && parsed.time == 1_700_000_000)
        for odd in ["tree \(tree)\ncommitter C <c@x> 1 +0000\n",                      // no author
                    "tree \(tree)\nauthor A <a@x> 1 +0000\ncommitter C <c@x> -5 +0000\n",   // negative time
                    "tree \(tree)\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1 +00\n",      // short zone
                    "tree \(tree)\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1 +0000",       // no end of line
                    "tree \(tree.dropLast())\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1 +0000\n"] {
            #expect(CommitTable.parse(Array(odd.utf8)) == nil, "\(odd)")
        }
    }

    @Test func packHeadersReadInPiecesEqualTheOneThreadReading() throws {
        let repo = try branchyHistory(packed: true)
        let directory = try GitRepository(path: repo.path).objectsDirectory + "/pack"
        let stem = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".idx") }).dropLast(4)
        let paths = (pack: "\(directory)/\(stem).pack", index: "\(directory)/\(stem).idx")
        let one = try PackFile(packPath: paths.pack, indexPath: paths.index)
        let pieces = try PackFile(packPath: paths.pack, indexPath: paths.index, workers: 3, parallelFrom: 1)
        func rows(_ file: PackFile) -> [String] {
            file.entries.map { "\($0.offset) \($0.size) \($0.position) \($0.base) \($0.headerLength) \($0.kind)" }
        }
        #expect(one.entries.count > 12)
        #expect(one.entries.contains { $0.base >= 0 })   // deltas, so base searches ran
        #expect(rows(pieces) == rows(one))
        #expect(pieces.isBase == one.isBase)
        // The radix sort agrees with a comparison sort, offsets past 32 bits included.
        var generator = SystemRandomNumberGenerator()
        let offsets = (0..<5000).map { _ in Int.random(in: 12..<(1 << 40), using: &generator) } + [12, 1 << 39, 70_000]
        #expect(PackFile.byOffset(offsets) == offsets.indices.sorted { (offsets[$0], $0) < (offsets[$1], $1) })
    }

    @Test(arguments: [false, true])
    func walkInSegmentsOnWorkersEqualsTheOneThreadWalk(packed: Bool) throws {
        let repo = try branchyHistory(packed: packed)
        let repository = try GitRepository(path: repo.path)
        let store = PackStore(objectsDirectory: repository.objectsDirectory)
        repository.packReader = try? PackReader(store: store)
        let graph = CommitGraph(repository: repository, tips: try repository.references().commits)
        let trees = graph.nodes.map(\.tree)
        #expect(trees.count > 12)

        var serial = BlobInventory()
        for (index, tree) in trees.enumerated() { serial.add(tree: tree, commit: index, in: repository) }
        let path = repo.path
        let parallel = BlobInventory.walking(trees, workers: 3, in: repository, segmentLength: 2) {
            let handle = try? GitRepository(path: path)
            handle?.packReader = try? PackReader(store: store)
            return handle
        }
        #expect(parallel.items.map { "\($0.id) \($0.path) \($0.commit)" } == serial.items.map { "\($0.id) \($0.path) \($0.commit)" })
        #expect(parallel.trees.count == serial.trees.count)
        // Trees read through libgit2 are never compared with their directory's last version
        // (no raw bytes): the walk that skips repeated entries lists the same blobs.
        let plainRepository = try GitRepository(path: repo.path)
        var plain = BlobInventory()
        for (index, tree) in trees.enumerated() { plain.add(tree: tree, commit: index, in: plainRepository) }
        #expect(plain.items.map { "\($0.id) \($0.path) \($0.commit)" } == serial.items.map { "\($0.id) \($0.path) \($0.commit)" })
        #expect(plain.trees.count == serial.trees.count)
        #expect(parallel.issues.isEmpty && serial.issues.isEmpty)
        // In two stages (as the commits no ref reaches are walked: after the rest is merged,
        // against it read-only), wherever the stages split: the same blobs, commits and trees.
        for split in [0, 1, trees.count / 3, trees.count - 1, trees.count] {
            let staged = BlobInventory.walking(trees, workers: 3, in: repository, segmentLength: 2, laterStage: split) {
                let handle = try? GitRepository(path: path)
                handle?.packReader = try? PackReader(store: store)
                return handle
            }
            #expect(staged.items.map { "\($0.id) \($0.path) \($0.commit)" } == serial.items.map { "\($0.id) \($0.path) \($0.commit)" })
            #expect(staged.trees.count == serial.trees.count)
            #expect(staged.issues.isEmpty)
            // Provenance follows the merged summaries: the same origins and paths.
            let fromStaged = GitProvenance.compute(repository: repository, graph: graph, targets: serial.items.map(\.id).sorted(),
                                                   trees: staged.trees)
            let fromSerial = GitProvenance.compute(repository: repository, graph: graph, targets: serial.items.map(\.id).sorted(),
                                                   trees: serial.trees)
            #expect(fromStaged.map { "\($0.key) \($0.value.commit.id) \($0.value.path ?? "-") \(($0.value.commit.paths ?? []).map(\.path))" }.sorted()
                    == fromSerial.map { "\($0.key) \($0.value.commit.id) \($0.value.path ?? "-") \(($0.value.commit.paths ?? []).map(\.path))" }.sorted())
        }

        // Provenance in segments on workers: the same origins as on one thread.
        let targets = serial.items.map(\.id).sorted()
        let one = GitProvenance.compute(repository: repository, graph: graph, targets: targets, trees: serial.trees)
        let many = GitProvenance.compute(repository: repository, graph: graph, targets: targets, trees: serial.trees,
                                         workers: 3, segmentLength: 2, open: {
            let handle = try? GitRepository(path: path)
            handle?.packReader = try? PackReader(store: store)
            return handle
        })
        func shown(_ origins: [ObjectID: GitProvenance.Origin]) -> [String] {
            origins.map { "\($0.key) \($0.value.commit.id) \($0.value.path ?? "-") \($0.value.commit.commitCount) \($0.value.commit.isInHEAD) \($0.value.commit.refs)" }.sorted()
        }
        #expect(one.count == targets.count)
        #expect(shown(many) == shown(one))
        // Targets a few at a time (bounded memory on big histories): the same origins and paths.
        let batched = GitProvenance.compute(repository: repository, graph: graph, targets: targets, trees: serial.trees,
                                            targetsPerBatch: 2)
        #expect(targets.count > 2)
        #expect(shown(batched) == shown(one))
        func paths(_ origins: [ObjectID: GitProvenance.Origin]) -> [String] {
            origins.map { "\($0.key) \(($0.value.commit.paths ?? []).map { "\($0.path)@\($0.commit) \($0.date) \($0.isInHEAD)" }) \($0.value.commit.pathCount ?? 0)" }.sorted()
        }
        #expect(paths(batched) == paths(one))
        // Paths are read in segments of commits on the workers too: the same paths, first commits and HEAD marks.
        #expect(paths(many) == paths(one))
        #expect(paths(one).contains { $0.contains("@") })
    }

    /// Dropped branches are walked in the order of the reachable commit each forks from last,
    /// not by id (random in time): neighbours in the walk then hold nearly the same trees.
    @Test func unreachableHeadsAreOrderedByWhereTheyFork() throws {
        let repo = try Repo()
        var forked: [(main: Int, head: String)] = []
        for i in 0..<8 {
            try repo.commit("c\(i)", files: ["src/a.txt": "version \(i)\n"])
            // Two branches fork from each even commit: by id the eight would come out in fork
            // order once in 2,520 runs.
            let branch = "b\(i)"
            try repo.git("checkout", "-q", "-b", branch, "HEAD~\(i % 2)")
            let head = try repo.commit("on \(branch)", files: ["src/b.txt": "branch \(i)\n"])
            try repo.git("checkout", "-q", "main")
            try repo.git("branch", "-q", "-D", branch)
            forked.append((i - i % 2, head))
        }
        let repository = try GitRepository(path: repo.path)
        let store = PackStore(objectsDirectory: repository.objectsDirectory)
        let graph = CommitGraph(repository: repository, tips: try repository.references().commits)
        let unreachable = UnreachableObjects(store: store, repository: repository, loose: repository.looseObjectIDs(), reachable: graph)
        let expected = forked.sorted { ($0.main, $0.head) < ($1.main, $1.head) }.map(\.head)
        #expect(unreachable.heads.map(\.description) == expected)
        #expect(unreachable.commitCount == 8)

        // The latest reachable commit a history holds, through unreachable parents and merges;
        // -1 for an orphan; a forged cycle of parents ends.
        func id(_ n: UInt64) -> ObjectID { ObjectID(high: n, middle: 0, low: 0) }
        let reachable: [ObjectID: Int] = [id(1): 10, id(2): 20]
        let parents: [ObjectID: [ObjectID]] = [id(100): [id(1)], id(101): [id(100), id(2)], id(102): [id(101)],
                                               id(200): [], id(201): [id(200)], id(300): [id(301)], id(301): [id(300)]]
        let forks = UnreachableObjects.forkPoints(of: parents) { reachable[$0] }
        #expect(forks[id(100)] == 10 && forks[id(101)] == 20 && forks[id(102)] == 20)
        #expect(forks[id(200)] == -1 && forks[id(201)] == -1)
        #expect(forks[id(300)] != nil && forks[id(301)] != nil)
    }

    @Test func addedLinesBlanksEverythingElseButKeepsPositions() throws {
        let old = Array("one\ntwo\nthree\n".utf8)
        let new = Array("one\nTWO\nthree\nfour\n".utf8)
        let masked = try AddedLines.mask(new: new, old: old)
        #expect(masked.count == new.count)
        #expect(String(decoding: masked, as: UTF8.self) == "   \nTWO\n     \nfour\n")
    }
}

@Suite struct PackReaderTests {
    /// Every object of a repacked repository (whole objects and offset deltas several deep)
    /// comes out of the pack reader byte for byte as libgit2 reads it.
    @Test func packReaderRebuildsEveryBlobAsLibgit2Does() throws {
        let repo = try Repo()
        var lines = (0..<300).map { "line \($0): ordinary text that stays the same across versions" }
        for version in 0..<12 {
            lines[(version * 37) % 300] = "edited in version \(version)"
            lines.insert("inserted \(version)", at: (version * 53) % lines.count)
            try repo.commit("v\(version)", files: ["a.txt": lines.joined(separator: "\n"), "b/c.txt": "small \(version)\n"])
        }
        try repo.pack(depth: 5)
        let store = PackStore(objectsDirectory: repo.path + "/.git/objects")
        #expect(store.problems.isEmpty)
        let pack = try #require(store.packs.first)
        #expect(pack.entries.contains { $0.kind == .offsetDelta }, "the repack made offset deltas")
        let repository = try GitRepository(path: repo.path)
        let reader = try PackReader(store: store)
        var blobs = 0
        for entry in pack.entries.indices {
            guard case .object(let rebuilt) = try reader.read(pack: 0, entry: entry, wantsSpans: true, limit: .max),
                  rebuilt.kind == .blob else { continue }
            blobs += 1
            guard case .bytes(let expected) = try repository.readBlob(pack.id(ofEntry: entry), limit: .max) else {
                Issue.record("libgit2 could not read \(pack.id(ofEntry: entry))")
                continue
            }
            #expect(rebuilt.bytes == expected)
            if rebuilt.base != nil { #expect(!rebuilt.spans.isEmpty) }
        }
        #expect(blobs == 24)

        // Trees parsed from the pack list what libgit2 lists, entry for entry.
        let direct = try GitRepository(path: repo.path)
        direct.packReader = reader
        var trees = 0
        for (index, entry) in pack.entries.enumerated() where entry.kind == .tree || (try? reader.read(pack: 0, entry: index,
                                                                                     wantsSpans: false, limit: .max)).map({ if case .object(let o) = $0 { o.kind == .tree } else { false } }) == true {
            var fromPack: [String] = [], fromLibgit2: [String] = []
            let id = pack.id(ofEntry: index)
            try direct.forEachEntry(ofTree: id) { name, id, kind in fromPack.append("\(String(decoding: name, as: UTF8.self)) \(id) \(kind)") }
            try repository.forEachEntry(ofTree: id) { name, id, kind in fromLibgit2.append("\(String(decoding: name, as: UTF8.self)) \(id) \(kind)") }
            #expect(fromPack == fromLibgit2)
            #expect(!fromPack.isEmpty)
            trees += 1
        }
        #expect(trees >= 12)
        #expect(!GitRepository.parseTree(Array("100644 name".utf8)) { _, _, _ in }, "a truncated tree is refused")
        // The index finds every id where it is, and no id it does not hold.
        for (position, id) in pack.index.ids.enumerated() { #expect(pack.index.position(of: id) == position) }
        for id in pack.index.ids.prefix(20) {
            #expect(pack.index.position(of: ObjectID(high: id.high, middle: id.middle, low: id.low ^ 1)) == nil)
        }
    }

    /// The trees copied out of the pack for a history walk (`PackedTrees`, in pieces on three
    /// workers) are each tree's stored bytes, exactly, and a reader given them rebuilds every
    /// tree as the reader of the file does; blobs are not copied, and past its budget nothing is.
    @Test func copiedTreesAreTheStoredBytesOfEveryTree() throws {
        let repo = try Repo()
        for version in 0..<12 {
            try repo.commit("v\(version)", files: ["a.txt": "a \(version)\n", "d\(version % 3)/e/f.txt": "f \(version)\n",
                                                   "d0/g.txt": "g \(version / 2)\n"])
        }
        try repo.pack(depth: 5)
        let store = PackStore(objectsDirectory: repo.path + "/.git/objects")
        let trees = store.entries(ofKind: .tree).entries
        #expect(trees.count > 12)
        let copied = try #require(PackedTrees(store: store, workers: 3, segmentLength: 4))
        let fromFile = try PackReader(store: store), fromCopy = try PackReader(store: store, packedTrees: copied)
        var total = 0
        for at in trees {
            let file = store.packs[Int(at.pack)], entry = Int(at.entry)
            let count = file.dataEnd(ofEntry: entry) - file.entries[entry].dataOffset
            var stored = [UInt8](repeating: 0, count: count)
            try stored.withUnsafeMutableBytes { try file.read(into: $0, at: file.entries[entry].dataOffset) }
            #expect(copied.withStored(pack: Int(at.pack), entry: entry, count: count) { Array($0) } == stored)
            total += count
            let id = file.id(ofEntry: entry)
            let expected = try #require(fromFile.rebuilt(id)), got = try #require(fromCopy.rebuilt(id))
            #expect(got.kind == .tree && got.bytes == expected.bytes)
        }
        #expect(copied.byteCount == total)
        let blob = try #require(store.entries(ofKind: .blob).entries.first)
        #expect(copied.withStored(pack: Int(blob.pack), entry: Int(blob.entry), count: 1) { _ in true } == nil)
        #expect(PackedTrees(store: store, workers: 1, budget: total - 1) == nil)
    }

    /// Fuzzer finds, kept: a delta whose header claims a result of ~1 TB (it was allocated
    /// before anything was checked) and an index whose 64-bit offset does not fit in an Int
    /// (a trap). Both are refused as malformed now.
    /// A large index (buckets of ~80 ids, so the interpolation search runs) finds every id at its
    /// place and none it does not hold, also where ids crowd together.
    @Test func indexFindsEveryIdInALargePack() throws {
        var generator = SystemRandomNumberGenerator()
        var raw: [[UInt8]] = (0..<20_000).map { _ in (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        // A run of near-identical ids: the guess from the value is poor there.
        raw += (0..<300).map { i in [0x42, 0, 0, 0, 0, 0, 0, UInt8(i & 0xFF), UInt8(i >> 8)] + [UInt8](repeating: 7, count: 11) }
        raw = Array(Set(raw)).sorted { $0.lexicographicallyPrecedes($1) }
        var idx: [UInt8] = [0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]
        func word(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        for byte in 0..<256 { idx += word(raw.filter { Int($0[0]) <= byte }.count) }
        for id in raw { idx += id }
        for _ in raw { idx += word(0) }                 // CRCs
        for (i, _) in raw.enumerated() { idx += word(i * 10) }   // offsets
        idx += [UInt8](repeating: 0, count: 40)
        let index = try idx.withUnsafeBytes { try PackIndex(bytes: $0) }
        for (position, id) in index.ids.enumerated() { #expect(index.position(of: id) == position) }
        for id in index.ids.prefix(200) {
            #expect(index.position(of: ObjectID(high: id.high, middle: id.middle, low: id.low ^ 1)) == nil)
        }
    }

    @Test func hostilePackBytesAreRefusedNotAllocatedOrTrapped() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let regressions = root.appendingPathComponent("testdata/fuzz/regressions")
        let delta = try [UInt8](Data(contentsOf: regressions.appendingPathComponent("git-delta-huge-result.bin")))
        PackParsers.fuzz("git-delta", delta)
        let body = Array(delta.dropFirst(1 + Int(delta[0])))
        #expect(throws: PackError.self) {
            try body.withUnsafeBytes { raw in
                try Array(delta.dropFirst().prefix(Int(delta[0]))).withUnsafeBytes { try Delta.apply(raw, to: $0, limit: 1 << 24) }
            }
        }
        let index = try [UInt8](Data(contentsOf: regressions.appendingPathComponent("git-pack-index-offset-overflow.idx")))
        #expect(throws: PackError.self) { try index.withUnsafeBytes { try PackIndex(bytes: $0) } }
        // Claimed sizes a stored stream cannot inflate to are refused before allocating.
        let claim: [UInt8] = [0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]   // empty base, a 2^52-byte result
        #expect(throws: PackError.self) { try claim.withUnsafeBytes { raw in try [UInt8]().withUnsafeBytes { try Delta.apply(raw, to: $0, limit: 1 << 30) } } }
    }

    @Test func damagedPackIsRecordedAndLeftToLibgit2() throws {
        let repo = try Repo()
        try repo.commit("one", files: ["a.txt": "hello\n"])
        try repo.pack()
        let packDirectory = repo.path + "/.git/objects/pack"
        let idx = try #require(try FileManager.default.contentsOfDirectory(atPath: packDirectory).first { $0.hasSuffix(".idx") })
        try Data("not an index".utf8).write(to: URL(fileURLWithPath: packDirectory + "/" + idx))
        let store = PackStore(objectsDirectory: repo.path + "/.git/objects")
        #expect(store.packs.isEmpty)
        #expect(store.problems.count == 1)
    }
}

@Suite struct DeltaMaskTests {
    static func text(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }

    /// The needles are looked for by pairs of their bytes, 16 positions per step: the answer is
    /// a plain caseless search's, for needles in any case, at the buffer's ends, straddling the
    /// steps, cut short by the end, and with more pairs than one pass takes (the memchr search).
    @Test func longMatchSearchEqualsAPlainCaselessSearch() {
        let builtIn = ["-----begin", "putty-user-key-file-", "kty", "kind: secret", "kind: \"secret\"", "sourcemappingurl=data:"]
        let many = builtIn + ["ab", "cd", "ef", "gh", "ij", "kl"]
        let pieces = ["-----BEGIN", "-----begin", "----BEGIN", "-----BEGI", "KTY", "kTy", "kt", "ty", "Kind: Secret", "kind: \"Secret\"",
                      "kind:secret", "sourceMappingURL=data:", "sourceMappingURL=dat", "PuTTY-User-Key-File-", "=d", "--", "-",
                      " ", "\n", "x", "AB", "c", "D", "é", "0123456789abcdef"]
        var rng = SystemRandomNumberGenerator()
        for (keywords, expectsPairs) in [(builtIn, true), (many, false)] {
            let needles = keywords.map { Array($0.utf8) }
            let mask = DeltaMask(longMatchKeywords: needles)
            #expect(mask.searchesPairs == expectsPairs)
            for _ in 0..<1500 {
                var bytes: [UInt8] = []
                for _ in 0..<Int.random(in: 0...40, using: &rng) { bytes += Array(pieces.randomElement(using: &rng)!.utf8) }
                let lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                let plain = needles.contains { needle in
                    needle.count <= lowered.count && (0...(lowered.count - needle.count)).contains { lowered[$0..<$0 + needle.count].elementsEqual(needle) }
                }
                #expect(bytes.withUnsafeBufferPointer { mask.holdsLongMatch($0) } == plain, "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }

    @Test func changesAreInsertsAndSeams() {
        let spans = [Delta.Span(start: 0, count: 100, source: 0), Delta.Span(start: 100, count: 10, source: nil),
                     Delta.Span(start: 110, count: 50, source: 100), Delta.Span(start: 160, count: 40, source: 400)]
        // Insert at 100; the copy after an insert is a seam at 110 (inside the widened insert);
        // the jump from base 150 to base 400 is a seam at 160; the base goes on past 440.
        #expect(DeltaMask.changes(spans, blobSize: 200, baseSize: 500) == [100..<110, 110..<110, 160..<160, 200..<200])
        let contiguous = [Delta.Span(start: 0, count: 65536, source: 0), Delta.Span(start: 65536, count: 10, source: 65536)]
        #expect(DeltaMask.changes(contiguous, blobSize: 65546, baseSize: 65546).isEmpty, "a copy split at 64 KiB is no seam")
    }

    @Test func windowsCoverTheChangeAndItsMarginInWholeLines() throws {
        let lines = (0..<400).map { "line \($0) of ordinary text that does not change at all" }
        let blob = Self.text(lines)
        let lineStarts = blob.indices.filter { $0 == 0 || blob[$0 - 1] == 10 }
        let insertAt = lineStarts[200]
        let spans = [Delta.Span(start: 0, count: insertAt, source: 0), Delta.Span(start: insertAt, count: lineStarts[201] - insertAt, source: nil),
                     Delta.Span(start: lineStarts[201], count: blob.count - lineStarts[201], source: insertAt)]
        let baseSize = insertAt + blob.count - lineStarts[201]   // the base is the blob without the new line
        let windows = try #require(DeltaMask(longMatchKeywords: []).windows(blob, spans: spans, baseSize: baseSize))
        #expect(windows.count == 1)
        let window = try #require(windows.first)
        #expect(lineStarts.contains(window.lowerBound), "starts at a line")
        #expect(window.upperBound == blob.count || blob[window.upperBound - 1] == 10, "ends after a newline")
        #expect(window.lowerBound <= insertAt - DeltaMask.margin && window.upperBound >= lineStarts[201] + DeltaMask.margin)
        #expect(window.count < blob.count / 2)
    }

    /// A rescan matches a blob around the copies of its base's findings too: each range of
    /// the base is carried through every copy reading it (cut where a copy ends), in blob order.
    @Test func findingsOfTheBaseAreCarriedThroughEveryCopy() {
        let spans = [Delta.Span(start: 0, count: 300, source: 0), Delta.Span(start: 300, count: 10, source: nil),
                     Delta.Span(start: 310, count: 700, source: 300), Delta.Span(start: 1010, count: 100, source: 100)]
        let around = [290..<320, 150..<160]
        #expect(DeltaMask.changes(spans, blobSize: 1110, baseSize: 1000, around: around)
                == [150..<160, 290..<300, 300..<310, 310..<310, 310..<330, 1010..<1010, 1060..<1070, 1110..<1110])
        #expect(DeltaMask.changes(spans, blobSize: 1110, baseSize: 1000)
                == [300..<310, 310..<310, 1010..<1010, 1110..<1110], "without findings only the changes")
    }

    /// When the base holds no long-match needle, only the changes (and a needle's length
    /// around them) are searched for one: the answer and the windows are those of a search of
    /// the whole blob, for needles inserted, straddling an insert's edges, or made by joining
    /// copies from two places of the base, in either case.
    @Test func longMatchSearchAroundChangesAgreesWithTheWholeBlob() throws {
        let mask = DeltaMask(longMatchKeywords: [Array("-----begin".utf8), Array("kty".utf8), Array("sourcemappingurl=data:".utf8)])
        let base = Self.text((0..<60).map { "line \($0) says -----BEGI and k and ty, sourceMappingURL=dat but no more" })
        #expect(!base.withUnsafeBufferPointer { mask.holdsLongMatch($0) })
        // The middle, and the end of the first "-----BEGI" joined to the "nd" of the "and" after
        // it: "-----BEGInd", a needle made of two copies from two places of the base.
        let half = base.count / 2
        let begi = try #require((0..<base.count - 9).first { base[$0..<$0 + 9].elementsEqual("-----BEGI".utf8) }) + 9
        let joins = [(half, half), (half, half + 7), (half, half + 23), (begi, begi + 2)]
        var checked = 0, held = 0
        for insert in ["", "x", "-----BEGIN", "N", "K", "TY", "sourceMappingURL=data:", "a:", "plain words\n"] {
            for (cut, joinAt) in joins {
                // base[0..<cut] + insert + base[joinAt...]: a seam at the insert's edges, and one
                // where the second copy starts elsewhere in the base (joinAt != cut).
                let blob = Array(base[0..<cut]) + Array(insert.utf8) + Array(base[joinAt...])
                var spans = [Delta.Span(start: 0, count: cut, source: 0)]
                if !insert.isEmpty { spans.append(Delta.Span(start: cut, count: insert.utf8.count, source: nil)) }
                spans.append(Delta.Span(start: cut + insert.utf8.count, count: base.count - joinAt, source: joinAt))
                let whole = mask.plan(blob, spans: spans, baseSize: base.count, baseHoldsLongMatch: nil)
                let around = mask.plan(blob, spans: spans, baseSize: base.count, baseHoldsLongMatch: false)
                #expect(around.holdsLongMatch == blob.withUnsafeBufferPointer { mask.holdsLongMatch($0) }, "\(insert) at \(joinAt)")
                #expect(around.holdsLongMatch == whole.holdsLongMatch && around.windows == whole.windows, "\(insert) at \(joinAt)")
                checked += 1
                if around.holdsLongMatch == true { held += 1 }
            }
        }
        #expect(checked == 36 && held >= 7)
    }

    /// A finding of the base far from any change (here 250 lines below the one inserted) is
    /// in no window of its own, and in one, with the whole margin around it, when the base's
    /// findings are given: a window too small to hold the match would lose the sighting.
    @Test func windowsReachTheCopiesOfTheBaseFindings() throws {
        let lines = (0..<400).map { "line \($0) of ordinary text that does not change at all" }
        let blob = Self.text(lines)
        let lineStarts = blob.indices.filter { $0 == 0 || blob[$0 - 1] == 10 }
        let insertAt = lineStarts[50]
        let inserted = lineStarts[51] - insertAt
        let spans = [Delta.Span(start: 0, count: insertAt, source: 0), Delta.Span(start: insertAt, count: inserted, source: nil),
                     Delta.Span(start: lineStarts[51], count: blob.count - lineStarts[51], source: insertAt)]
        let baseSize = blob.count - inserted
        // The base's finding: a match on (base) line 299 = line 300 here.
        let match = lineStarts[300] - inserted + 5..<lineStarts[300] - inserted + 40
        let mask = DeltaMask(longMatchKeywords: [])
        let plain = try #require(mask.plan(blob, spans: spans, baseSize: baseSize, baseHoldsLongMatch: nil).windows)
        #expect(!plain.contains { $0.contains(lineStarts[300]) })
        let windows = try #require(mask.plan(blob, spans: spans, baseSize: baseSize, baseHoldsLongMatch: nil, around: [match]).windows)
        #expect(windows.count == 2)
        let copy = match.lowerBound + inserted..<match.upperBound + inserted
        #expect(windows.contains { $0.lowerBound <= copy.lowerBound - DeltaMask.margin && $0.upperBound >= copy.upperBound + DeltaMask.margin })
        #expect(windows.allSatisfy { lineStarts.contains($0.lowerBound) && blob[$0.upperBound - 1] == 10 })
    }

    /// Where a blob's findings lie, for the blobs built on it: the secret's offset within its
    /// match length either way; a finding in decoded text or with no match length makes the
    /// blob's dependents be matched whole.
    @Test func findingPlacesAreTheMatchesOrNone() throws {
        let one = try #require(ObjectID(hex: String(repeating: "1", count: 40)))
        let two = try #require(ObjectID(hex: String(repeating: "2", count: 40)))
        func finding(_ blob: ObjectID, offset: Int, length: Int, decoded: Bool = false) -> Finding {
            Finding(ruleID: "r", ruleName: "r", category: .generic, provider: "p", severity: .high, kind: .secret,
                    validation: .unchecked, secret: SecretValue(Array("payload".utf8)),
                    location: .init(origin: .history(root: "/r", path: "a.txt"), line: 1, column: 1, offset: offset,
                                    decoders: decoded ? [DecodeStep(.base64)] : [], blob: blob),
                    matchLength: length)
        }
        let places = FindingPlaces.of([finding(one, offset: 500, length: 40), finding(one, offset: 10, length: 30),
                                       finding(two, offset: 100, length: 20), finding(two, offset: 0, length: 20, decoded: true)])
        #expect(places[one] == .ranges([0..<40, 460..<540]))
        #expect(places[two] == .unplaced)
        #expect(FindingPlaces.of([finding(one, offset: 7, length: 0)])[one] == .unplaced)
    }

    @Test func binaryAndLongMatchBlobsAreMatchedWhole() {
        let spans = [Delta.Span(start: 0, count: 4, source: nil)]
        #expect(DeltaMask(longMatchKeywords: []).windows([0, 1, 2, 10], spans: spans, baseSize: 0) == nil)
        var pem = Self.text((0..<300).map { "filler line \($0) with enough text to make the file long" })
        pem += Array("-----BEGIN RSA PRIVATE KEY-----\n".utf8)
        let mask = DeltaMask(longMatchKeywords: [Array("-----begin".utf8)])
        #expect(mask.windows(pem, spans: [Delta.Span(start: 0, count: 10, source: nil), Delta.Span(start: 10, count: pem.count - 10, source: 10)],
                             baseSize: pem.count) == nil)
        #expect(pem.withUnsafeBufferPointer { DeltaMask.containsCaseless($0, Array("private key".utf8)) })
    }

    @Test func partialMatchingSkipsWholeFileFormats() {
        let policy = PartialMatching.standard
        #expect(policy.suits(path: "src/app.swift"))
        #expect(policy.suits(path: "k8s/deploy.yaml"))
        for path in [".env", "config/.env.production", "dist/app.js.map", "build.log", "docker/config.json", ".npmrc", "a.env.example",
                     "dist/app.js.gz", "dist/app.css.br", "lib/x.jar", "release.tgz", "backup.tar", "logs/2024/run.txt", "config/master.key"] {
            #expect(!policy.suits(path: path), "\(path)")
        }
        #expect(!PartialMatching.off.suits(path: "src/app.swift"))
        // The decoders' markers make a blob be matched whole wherever it sits.
        for marker in ["kind: secret", "sourcemappingurl=data:"] {
            #expect(policy.wholeBlobKeywords.contains(Array(marker.utf8)), "\(marker)")
        }
    }

    /// A decoder that reads a file as a whole (here by the name `*.sealed`, or the text
    /// `sealed-box:`) takes part in the policy by being in the decoder list: the policy is built
    /// from what each decoder declares, so there is no separate list a new decoder could miss.
    /// (And `wholeBlobNeed` has no default: a decoder that does not say does not compile.)
    @Test func aNewDecoderCannotBypassPartialMatching() {
        struct SealedBoxDecoder: ContentDecoder {
            let kind = DecoderKind.base64
            var wholeBlobNeed: WholeBlobNeed { .names(endingIn: [".sealed"], markers: ["sealed-box:"]) }
            func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded { .none }
        }
        let without = PartialMatching(longMatchKeywords: [], decoders: Decoders.standard)
        let with = PartialMatching(longMatchKeywords: [], decoders: Decoders.standard + [SealedBoxDecoder()])
        #expect(without.suits(path: "secrets/prod.sealed"))
        #expect(!with.suits(path: "secrets/prod.sealed"))
        #expect(!with.suits(path: "secrets/PROD.SEALED"))
        #expect(!without.wholeBlobKeywords.contains(Array("sealed-box:".utf8)))
        #expect(with.wholeBlobKeywords.contains(Array("sealed-box:".utf8)))
        // A blob holding the marker in a window is matched whole (the mask gives no windows).
        let mask = DeltaMask(longMatchKeywords: with.wholeBlobKeywords)
        let blob = Array(("line one\n" + String(repeating: "x = 1\n", count: 400) + "Sealed-Box: abc\n").utf8)
        let spans = [Delta.Span(start: 0, count: blob.count - 16, source: 0), Delta.Span(start: blob.count - 16, count: 16, source: nil)]
        #expect(mask.windows(blob, spans: spans, baseSize: blob.count - 16) == nil)
        #expect(DeltaMask(longMatchKeywords: without.wholeBlobKeywords).windows(blob, spans: spans, baseSize: blob.count - 16) != nil)
        // Rules that may match past the margin and have no keyword turn partial matching off.
        #expect(!PartialMatching(longMatchKeywords: nil, decoders: Decoders.standard).isEnabled)
    }
}

@Suite struct RefSummaryTests {
    @Test func refsAreClassedStrongestFirst() {
        let main = "refs/heads/main"
        #expect(RefSummary.classify("refs/heads/main", defaultBranch: main) == .defaultBranch)
        #expect(RefSummary.classify("main", defaultBranch: main) == .defaultBranch)
        #expect(RefSummary.classify("HEAD", defaultBranch: main) == .defaultBranch)
        #expect(RefSummary.classify("refs/remotes/origin/dev", defaultBranch: main) == .branch)
        #expect(RefSummary.classify("refs/tags/v1", defaultBranch: main) == .tag)
        #expect(RefSummary.classify("refs/pull/7/head", defaultBranch: main) == .otherRefs)
        #expect(RefSummary.classify("refs/stash", defaultBranch: main) == .otherRefs)
        #expect(RefReach.defaultBranch < .branch && .tag < .otherRefs && .otherRefs < .unreachable)
    }

    @Test func fewNamesKeptDefaultFirstThenShortest() {
        // Five refs on five commit nodes; node n's reach set holds target 0 for every node and
        // target 1 only for the pull-request refs.
        let tips = [("refs/heads/feature-long-name", 0), ("refs/heads/main", 1), ("refs/pull/12/head", 2),
                    ("refs/pull/3/head", 3), ("refs/tags/v1", 4)].map { (name: $0.0, node: $0.1, isUnreachable: false) }
        let reach: (Int) -> [UInt64] = { node in node == 2 || node == 3 ? [0b11] : [0b01] }
        let summary = RefSummary(tips: tips, defaultBranch: "refs/heads/main", nameLimit: 2)
            .summarise(targetCount: 2, reach: reach)
        #expect(summary[0] == RefSummary.Sighting(reach: .defaultBranch, count: 5, names: ["refs/heads/main", "refs/tags/v1"]))
        #expect(summary[1] == RefSummary.Sighting(reach: .otherRefs, count: 2, names: ["refs/pull/3/head", "refs/pull/12/head"]))
        let all = RefSummary(tips: tips, defaultBranch: "refs/heads/main", nameLimit: nil).summarise(targetCount: 2, reach: reach)
        #expect(all[0].names == ["refs/heads/main", "refs/tags/v1", "refs/pull/3/head", "refs/pull/12/head", "refs/heads/feature-long-name"])
    }

    @Test func unreachableTipsNamedOnlyWhereNoRefReaches() {
        // Unreachable tips come last; one reaches both targets, but target 0 also has a ref.
        let tips = [(name: "refs/heads/main", node: 0, isUnreachable: false),
                    (name: RefSummary.unreachableName(of: ObjectID(hex: String(repeating: "b", count: 40))!), node: 1, isUnreachable: true),
                    (name: RefSummary.unreachableName(of: ObjectID(hex: String(repeating: "a", count: 40))!), node: 2, isUnreachable: true)]
        let reach: (Int) -> [UInt64] = { node in node == 0 ? [0b01] : [0b11] }
        let summary = RefSummary(tips: tips, defaultBranch: "refs/heads/main", nameLimit: 1).summarise(targetCount: 2, reach: reach)
        #expect(summary[0] == RefSummary.Sighting(reach: .defaultBranch, count: 1, names: ["refs/heads/main"]))
        #expect(summary[1].reach == .unreachable && summary[1].count == 0)
        #expect(summary[1].names == ["unreachable:" + String(repeating: "a", count: 40)])
    }
}

@Suite struct RepositoryListTests {
    @Test func linesCommentsAndStableShards() {
        let list = RepositoryList(text: "# org\n\n  /r/a.git \n/r/b\n/r/a.git\n/r/c\r\n")
        #expect(list.paths == ["/r/a.git", "/r/b", "/r/c"])
        // FNV-1a, fixed: the same shard on every machine and in every run.
        #expect(RepositoryList.shard(of: "", count: 1 << 20) == Int(0xcbf2_9ce4_8422_2325 as UInt64 % (1 << 20)))
        let shards = (0..<3).map { list.paths(inShard: $0, of: 3) }
        #expect(shards.flatMap { $0 }.sorted() == list.paths.sorted())
        for path in list.paths { #expect(shards[RepositoryList.shard(of: path, count: 3)].contains(path)) }
    }
}

@Suite struct GitIgnoreMatcherTests {
    /// Compiled shapes and byte paths give the same answers as before, and a directory's
    /// patterns can be dropped again when the walk leaves it.
    @Test func shapesBytesAndScopes() {
        var ignore = GitIgnore()
        ignore.add(fileText: "node_modules/\n*.log\n/dist\n!keep.log\nbuild/**/tmp\n", base: "")
        #expect(ignore.isIgnored("node_modules", isDirectory: true))
        #expect(!ignore.isIgnored("node_modules", isDirectory: false))
        #expect(ignore.isIgnored("a/b/debug.log", isDirectory: false))
        #expect(!ignore.isIgnored("a/keep.log", isDirectory: false))
        #expect(ignore.isIgnored("dist", isDirectory: true) && !ignore.isIgnored("a/dist", isDirectory: true))
        #expect(ignore.isIgnored("build/x/y/tmp", isDirectory: true))
        #expect(ignore.isIgnored(bytes: Array("x/y.log".utf8), isDirectory: false))
        let mark = ignore.count
        ignore.add(fileText: "*.ts\n", base: "packages/core")
        #expect(ignore.isIgnored("packages/core/src/a.ts", isDirectory: false))
        #expect(!ignore.isIgnored("packages/other/a.ts", isDirectory: false))
        #expect(!ignore.isIgnored("packages/core-x/a.ts", isDirectory: false))
        ignore.truncate(to: mark)
        #expect(!ignore.isIgnored("packages/core/src/a.ts", isDirectory: false))
        #expect(ignore.isIgnored("packages/core/a.log", isDirectory: false))
    }
}

/// Matching says "MB of MB" only when every input's size is known from the listing.
@Suite struct MatchingTotalTests {
    @Test func totalBytesOnlyWhenEveryInputIsASizedFile() {
        func file(_ name: String, _ size: Int) -> BlobCatalog.Entry {
            BlobCatalog.Entry(ref: .file(path: "/x/" + name, origin: .file(root: "/x", path: name), isUntracked: nil), source: 0, size: size, output: nil)
        }
        let files = [file("a", 10), file("b", 20), file("big", 200)]
        #expect(ScanPipeline.totalBytes(files, maxSize: 100) == 30, "a file over the limit is skipped, not read")
        let blob = BlobCatalog.Entry(ref: .gitBlob(id: ObjectID.fake("ab"), origin: .history(root: "/x", path: "a")), source: 1, size: 0, output: nil)
        #expect(ScanPipeline.totalBytes(files + [blob], maxSize: 100) == 0)
        let stdin = BlobCatalog.Entry(ref: .file(path: "/dev/stdin", origin: .file(root: ".", path: "(stdin)"), isUntracked: nil), source: 0, size: 0, output: nil)
        #expect(ScanPipeline.totalBytes([stdin], maxSize: 100) == 0)
    }
}

/// What a progress line is told during a history scan: the commits are counted from the
/// start, and rescan rounds continue matching (bytes and rescanned blobs only grow).
/// The history source with readers never told where a matched blob's findings lie, as when
/// another worker matched the base: the blobs built on it are left to the rescan rounds.
private struct ForgetfulHistory: IncrementalSource {
    let source: GitHistorySource
    func enumerate(into catalog: inout BlobCatalog) throws { try source.enumerate(into: &catalog) }
    func makeReader() throws -> any BlobReader { Reader(reader: try source.makeReader()) }
    func dependents(of blobs: Set<ObjectID>) -> [BlobRef] { source.dependents(of: blobs) }
    func rescanning(around places: [ObjectID: FindingPlaces]) -> any Source { source.rescanning(around: places) }

    struct Reader: BlobReader {
        var reader: any BlobReader
        mutating func read(_ ref: BlobRef, limit: Int) throws -> Blob { try reader.read(ref, limit: limit) }
    }
}

@Suite struct HistoryProgressTests {
    /// A packed history whose key, once committed, is copied unchanged into four later versions,
    /// each edited far from it (a delta chain of one path).
    private static func leakedThenEdited() throws -> Repo {
        let repo = try Repo()
        let token = "sk-proj-" + "Q7mX2pL9sK4vR8tN1wZ5yB3cF6hJ0dG2aE7uI4oP9lM3nB8vC1xZ6qW5eR0tY2uI7oP4aS9dF3gH8jK1lZ6xC5vB" + "T3BlbkFJ"
            + "N2mQ8wE4rT6yU1iO3pA5sD7fG9hJ0kL2zX4cV6bN8mQ1wE3rT5yU7iO9pA2sD4fG6hJ8kL0zX1cV3bN5mQ7wE9r"
        var lines = (1...300).map { "line \($0) of ordinary text" }
        try repo.commit("base", files: ["app.txt": lines.joined(separator: "\n")])
        lines[100] = "OPENAI_API_KEY=\(token)"
        try repo.commit("leak", files: ["app.txt": lines.joined(separator: "\n")])
        for n in [10, 200, 250, 280] {
            lines[n] = "edited \(n)"
            try repo.commit("edit \(n)", files: ["app.txt": lines.joined(separator: "\n")])
        }
        try repo.pack()
        return repo
    }

    /// One worker matches each base before the blobs built on it (pack order) and its reader
    /// is told where the base's findings lie: those blobs are matched around their copies at
    /// once, no rescan is needed, and every version holding the key is still found, at the
    /// offsets a full-blob scan gives.
    @Test func blobsBuiltOnABaseWithFindingsAreMatchedAroundThemAtOnce() throws {
        let repo = try Self.leakedThenEdited()
        let reports = Mutex<[ScanProgress]>([])
        var options = ScanOptions(workerCount: 1)
        options.progress = { progress in reports.withLock { $0.append(progress) } }
        let pipeline = try ScanPipeline(rules: CompiledRules(RuleSet.builtIn()), options: options)
        func sightings(_ outcome: ScanPipeline.Outcome) -> [String] {
            outcome.findings.filter { $0.ruleID.hasPrefix("openai") }
                .map { "\($0.location.blob?.description ?? "") \($0.location.offset) \($0.location.line)" }.sorted()
        }
        let delta = sightings(pipeline.run([GitHistorySource(repositoryPath: repo.path, workers: 1)]))
        let full = sightings(pipeline.run([GitHistorySource(repositoryPath: repo.path, partialMatching: .off, workers: 1)]))
        #expect(full.count == 5, "the leak and its four later versions")
        #expect(delta == full)
        #expect(!reports.withLock { $0 }.contains { $0.rescanTotal > 0 }, "nothing left to rescan")
    }

    @Test func rescanRoundsContinueMatchingAndCommitsAreCountedFirst() throws {
        let repo = try Self.leakedThenEdited()
        let reports = Mutex<[ScanProgress]>([])
        let record: @Sendable (ScanProgress) -> Void = { progress in reports.withLock { $0.append(progress) } }
        var options = ScanOptions(workerCount: 1)
        options.progress = record
        let pipeline = try ScanPipeline(rules: CompiledRules(RuleSet.builtIn()), options: options)
        let outcome = pipeline.run([ForgetfulHistory(source: GitHistorySource(repositoryPath: repo.path, workers: 1, progress: record))])
        #expect(outcome.findings.filter { $0.ruleID.hasPrefix("openai") }.count == 5, "the rescans found every later version")
        let all = reports.withLock { $0 }

        let walking = all.filter { $0.phase == .walkingHistory }
        #expect(walking.first.map { $0.total == 0 } == true, "the commits are read before their count is known")
        #expect(walking.contains { $0.total == 6 })

        let matching = all.filter { $0.phase == .matching }
        let rescans = matching.filter { $0.rescanTotal > 0 }
        #expect(!rescans.isEmpty, "the fixture's later versions are rescanned")
        #expect(matching.map(\.bytes) == matching.map(\.bytes).sorted(), "bytes matched never go back")
        #expect(rescans.map(\.rescanDone) == rescans.map(\.rescanDone).sorted())
        #expect(rescans.map(\.rescanTotal) == rescans.map(\.rescanTotal).sorted())
        #expect(rescans.allSatisfy { $0.done == $0.total && $0.rescanDone <= $0.rescanTotal })
        // The ETA goes on from the rescans' own clock, started once for all rounds.
        #expect(rescans.map(\.rescanSeconds) == rescans.map(\.rescanSeconds).sorted())
    }
}
