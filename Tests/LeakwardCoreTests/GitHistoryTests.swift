import Foundation
import Testing
@testable import LeakwardCore

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
        let blobs = catalog.entries.filter { !$0.ref.display.hasPrefix("commit-message:") }
        #expect(blobs.count == 4, "same, c1, c2, side only: \(blobs.map(\.ref.display))")
        #expect(Set(blobs.map(\.ref)).count == blobs.count)
        #expect(blobs.first { $0.ref.display == "a.txt" } != nil, "the first path seen names the blob")
        #expect(catalog.entries.filter { $0.ref.display.hasPrefix("commit-message:") }.count == 3)

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
        #expect(try reader.read(.gitBlob(id: blobID, display: "a.txt"), limit: 1000).bytes == Array("alpha\n".utf8))
        let message = try reader.read(.gitBlob(id: id, display: "m"), limit: 1000).bytes
        #expect(String(decoding: message, as: UTF8.self).contains("body text"))
        #expect(throws: ReadError.self) { try reader.read(.gitBlob(id: blobID, display: "a.txt"), limit: 3) }
    }

    @Test func submodulesAndLFSPointersAreRecordedNotSilentlySkipped() throws {
        let repo = try Repo()
        try repo.commit("lfs", files: ["big.bin": "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n"])
        try repo.git("update-index", "--add", "--cacheinfo", "160000,1111111111111111111111111111111111111111,vendor/lib")
        try repo.git("commit", "-q", "-m", "submodule")
        let source = GitHistorySource(repositoryPath: repo.path)
        let catalog = try Self.catalog(source)
        #expect(catalog.issues.contains { $0.path == "vendor/lib" && $0.reason.contains("submodule") })
        let lfs = try #require(catalog.entries.first { $0.ref.display == "big.bin" })
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
                                location: .init(path: "new.txt", line: 1, column: 1, offset: 0, blob: blob))]
        var issues: [ScanIssue] = []
        source.attribute(&findings, issues: &issues)
        let commit = try #require(findings[0].location.commit)
        #expect(commit.id == first)
        #expect(findings[0].location.path == "old/name.txt")
        #expect(commit.commitCount == 3)
        #expect(commit.isInHEAD)
        #expect(commit.summary == "add")
        #expect(issues.isEmpty)
    }

    @Test func addedLinesBlanksEverythingElseButKeepsPositions() throws {
        let old = Array("one\ntwo\nthree\n".utf8)
        let new = Array("one\nTWO\nthree\nfour\n".utf8)
        let masked = try AddedLines.mask(new: new, old: old)
        #expect(masked.count == new.count)
        #expect(String(decoding: masked, as: UTF8.self) == "   \nTWO\n     \nfour\n")
    }
}
