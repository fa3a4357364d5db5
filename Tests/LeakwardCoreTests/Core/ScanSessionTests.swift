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
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("leakward-session-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + name)) }
        return root
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
}
