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
@testable import LeakwardVerification

/// Locations are fields: origin (root and relative path) plus members; the display path is
/// made from them and never taken apart.
@Suite struct LocationTests {
    static let token = OfflineCheck.tokenWithChecksum(prefix: "ghp_", body: "Q7mX2pL9sK4vR8tN1wZ5yB3cF6hJ0d")

    static func scan(_ root: String) throws -> [Finding] {
        let pipeline = try ScanPipeline(rules: CompiledRules(RuleSet.builtIn()),
                                        options: ScanOptions(workerCount: 1, decoders: Decoders.standard))
        return pipeline.run([WorkingTreeSource(root: root)]).findings
    }

    static func directory(_ files: [String: [UInt8]]) throws -> String {
        try ScratchTree.make(files, named: "location")
    }

    @Test func aFileNamedWithABangIsOneFileNotAnArchiveMember() throws {
        let root = try Self.directory(["web/a!b.js": Array("const t = \"\(Self.token)\";\n".utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let finding = try #require(try Self.scan(root).first)
        #expect(finding.location.origin == .file(root: root, path: "web/a!b.js"))
        #expect(finding.location.members.isEmpty)
        #expect(finding.location.displayPath == root + "/web/a!b.js")
        let sarif = try SARIFReportWriter().render(ScanReport(version: "t", roots: [root], findings: [finding], stats: ScanStats(), errors: []))
        #expect(sarif.contains("web/a%21b.js\""), "the whole file name is the artifact")
        #expect(!sarif.contains("decoded_path"), "a plain file has a region, not a decoded place")
    }

    @Test func archiveMembersAreListedNotJoined() throws {
        let zip = try ArchiveDecoderTests.shell("""
            d=$(mktemp -d); cd $d; mkdir -p inner; cat > inner/app.js; zip -q -X -9 a.zip inner/app.js; cat a.zip; rm -rf $d
            """, input: Array("k = \"\(Self.token)\"\n".utf8))
        let root = try Self.directory(["dist/bundle.zip": zip])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let finding = try #require(try Self.scan(root).first)
        #expect(finding.location.origin == .file(root: root, path: "dist/bundle.zip"))
        #expect(finding.location.members == ["inner/app.js"])
        #expect(finding.location.displayPath == root + "/dist/bundle.zip!inner/app.js")
        let json = try JSONReportWriter().render(ScanReport(version: "t", roots: [root], findings: [finding], stats: ScanStats(), errors: []))
        let decoded = try JSONDecoder().decode(ScanReportFindings.self, from: Data(json.utf8))
        #expect(decoded.findings.first?.location == finding.location, "the JSON report reads back to the same fields")
    }

    @Test func theDisplayConventionJoinsTheRootAsGiven() {
        #expect(Origin.file(root: ".", path: "src/a.ts").displayPath == "src/a.ts")
        #expect(Origin.file(root: "app", path: "src/a.ts").displayPath == "app/src/a.ts")
        #expect(Origin.history(root: "/r/", path: "src/a.ts").displayPath == "/r/src/a.ts")
        #expect(Origin.namedFile("a/b/c.txt") == .file(root: "a/b", path: "c.txt"))
        #expect(Origin.namedFile("c.txt") == .file(root: ".", path: "c.txt"))
        #expect(Origin.namedFile("/c.txt") == .file(root: ".", path: "/c.txt"))
        let id = ObjectID.fake("abc")
        #expect(Origin.commitMessage(root: ".", commit: id).displayPath == "commit-message:\(id)")
        #expect(ObjectID(hex: id.description) == id)
        #expect(ObjectID(hex: "xyz") == nil)
    }
    /// GitHub reads SARIF columns in UTF-16 code units: with multi-byte text before the secret
    /// on its line, the byte column would point past it.
    @Test func sarifColumnsCountUTF16UnitsAsGitHubDoes() throws {
        let before = "const note = \"héllo wörld 日本 😀\"; const t = \""
        let root = try Self.directory(["a.ts": Array((before + Self.token + "\";\n").utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let finding = try #require(try Self.scan(root).first)
        #expect(finding.location.column == before.utf8.count + 1)
        #expect(finding.location.utf16Column == before.utf16.count + 1)
        let sarif = try SARIFReportWriter().render(ScanReport(version: "t", roots: [root], findings: [finding], stats: ScanStats(), errors: []))
        #expect(sarif.contains("\"startColumn\" : \(before.utf16.count + 1)"))
        #expect(sarif.contains("\"columnKind\" : \"utf16CodeUnits\""))
        let ascii = try Self.directory(["b.ts": Array("const t = \"\(Self.token)\";\n".utf8)])
        defer { try? FileManager.default.removeItem(atPath: ascii) }
        #expect(try Self.scan(ascii).first?.location.utf16Column == nil, "ASCII before the secret: the byte column is right")
    }
}

/// The part of a JSON report these tests read back.
private struct ScanReportFindings: Decodable {
    var findings: [Finding]
}
