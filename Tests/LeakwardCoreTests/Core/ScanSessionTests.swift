import Foundation
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

/// The composition root: config discovery, gitleaks layering and roots, with notices and
/// one error type instead of printing.
@Suite struct ScanSessionTests {
    static func directory(_ files: [String: String]) throws -> String {
        try ScratchTree.make(files, named: "session")
    }

    @Test func aGitleaksConfigAtTheRootIsLayeredAndItsNoteReturnedNotPrinted() throws {
        let root = try Self.directory([".gitleaks.toml": """
            [[rules]]
            id = "my-token"
            regex = '''mytok_[a-z0-9]{16}'''
            keywords = ["mytok_"]
            unknownKey = 1
            """])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let session = try ScanSession(settings: ScanSession.Settings(), roots: [root])
        #expect(session.rules.rules.contains { $0.id.hasSuffix("my-token") })
        #expect(session.notices.contains { $0.level == .note && $0.text.contains("does not extend the defaults") })
        #expect(session.notices.contains { $0.level == .warning })
    }

    @Test func aMissingRootOrBaselineIsOneSessionError() throws {
        #expect(throws: SessionError.self) { try ScanSession(settings: ScanSession.Settings(), roots: ["/no/such/leakward/root"]) }
        var settings = ScanSession.Settings()
        settings.baselinePath = "/no/such/baseline.json"
        let root = try Self.directory([:])
        defer { try? FileManager.default.removeItem(atPath: root) }
        do {
            _ = try ScanSession(settings: settings, roots: [root])
            Issue.record("a missing baseline must fail")
        } catch {
            #expect(error.description.contains("cannot read baseline"))
        }
    }

    @Test func sourcesFollowTheRootAndHistoryChoice() throws {
        let root = try Self.directory(["a.txt": "hello\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let session = try ScanSession(settings: ScanSession.Settings(), roots: [root])
        let sources = session.sources(for: [root], includesHistory: false)
        #expect(sources.count == 1 && sources[0] is WorkingTreeSource)
        let report = try session.run(sources, roots: [root], version: "t")
        #expect(report.findings.isEmpty && report.stats.filesScanned == 1)
    }

    /// A change that allows objects by id or as unreachable is named to the gate's reviewer.
    @Test func gateNamesObjectAllowlistsAChangeAdds() {
        let old = ProjectFiles.File(path: ".leakward.toml", text: "[allowlist]\nobjects = [\"abcdef1\"]\n")
        let new = ProjectFiles.File(path: ".leakward.toml", text: "[allowlist]\nunreachable = true\nobjects = [\"abcdef1\", \"1234567\"]\n")
        #expect(GateFiles.added(from: old, to: new, relative: ".leakward.toml")
                == ["allowlist of objects no ref reaches (unreachable = true)", "allowlist object \"1234567\""])
    }

    /// A `--repos` entry's own config makes its own session; none, a plain directory or a
    /// `--config` for all leave the shared one.
    @Test func aListedRepositoryWithItsOwnConfigGetsItsOwnSession() throws {
        let withConfig = try Self.directory([".leakward.toml": "[rules]\ndisabled = [\"generic.assignment\"]\n"])
        let without = try Self.directory(["a.txt": "x\n"])
        defer { for path in [withConfig, without] { try? FileManager.default.removeItem(atPath: path) } }
        for path in [withConfig, without] {
            let git = Process()
            git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            git.arguments = ["init", "-q", path]
            try git.run()
            git.waitUntilExit()
        }
        let shared = try ScanSession(settings: ScanSession.Settings(), roots: [])
        let own = try #require(try shared.repositorySession(for: withConfig))
        #expect(own.rules["generic.assignment"] == nil && shared.rules["generic.assignment"] != nil)
        #expect(try shared.repositorySession(for: without) == nil)
        #expect(try shared.repositorySession(for: "/no/such/leakward/repository") == nil)
        var named = ScanSession.Settings()
        named.configPath = withConfig + "/.leakward.toml"
        #expect(try ScanSession(settings: named, roots: []).repositorySession(for: withConfig) == nil)

        try Data("[allowlist]\npath = []\n".utf8).write(to: URL(fileURLWithPath: withConfig + "/.leakward.toml"))
        #expect(throws: SessionError.self) { try shared.repositorySession(for: withConfig) }
    }
}
